// Where PostHog stores ids that mean something in one project only: the catalogue of locations
// (what each holds, where PostHog defines it) and the matcher that says which keys of a JSON
// object are such locations. Pure data and predicates: no walking, no rewriting, no I/O.
// Each location's evidence is listed in REFERENCES.md beside this file.
import type { Json } from "./canonical.js";

/**
 * What a project-local reference points at.
 *
 * @example
 * const kind: RefKind = "cohort";
 */
export type RefKind =
  | "action"
  | "cohort"
  | "group_type_index"
  | "insight_variable"
  | "data_color_theme"
  | "person"
  | "feature_flag";

/**
 * The JSON documents that hold references, by where PostHog keeps them.
 *
 * - `query`: an insight's `query` (also a static cohort's `query`);
 * - `insight_filters`: an insight's legacy `filters`;
 * - `cohort_filters`: a cohort's `filters`; `cohort_groups`: its legacy `groups`;
 * - `action_steps`: an action's `steps`;
 * - `dashboard_filters`: a dashboard's `filters` / `persisted_filters`;
 * - `tile_filters`: a dashboard tile's `filters_overrides`;
 * - `dashboard_variables`: a dashboard's `variables` / `persisted_variables`.
 *
 * @example
 * const container: RefContainer = "tile_filters";
 */
export type RefContainer =
  | "query"
  | "insight_filters"
  | "cohort_filters"
  | "cohort_groups"
  | "action_steps"
  | "dashboard_filters"
  | "tile_filters"
  | "dashboard_variables";

/**
 * Every container, in the order REFERENCES.md lists them.
 *
 * @example
 * for (const container of REF_CONTAINERS) console.log(container, findRefs(container, doc).length);
 */
export const REF_CONTAINERS: readonly RefContainer[] = [
  "query",
  "insight_filters",
  "cohort_filters",
  "cohort_groups",
  "action_steps",
  "dashboard_filters",
  "tile_filters",
  "dashboard_variables",
];

/**
 * One kind of place where a reference sits.
 *
 * @example
 * const at: RefLocation = LOCATIONS.find((l) => l.id === "cohort.property")!;
 */
export interface RefLocation {
  /** Stable name, used in tests, REFERENCES.md and refusals. */
  id: string;
  kind: RefKind;
  /** The key that holds the reference, on the object the location matches. */
  key: string;
  /** In words: which objects, in which containers. */
  where: string;
  /** A list value holds one reference per item (cohort breakdowns). */
  list?: true;
  /** Values that sit in the location but name no object (the `"all"` users breakdown). */
  literals?: readonly string[];
  /** A variables map entry: its key repeats the id and follows it when rewritten. */
  rekey?: true;
  /** Only in these containers (absent: in every container, at any depth). */
  containers?: readonly RefContainer[];
}

/** Property filter types whose `value` is a cohort id (PostHog's `property_to_expr`). */
const COHORT_FILTER_TYPES = new Set(["cohort", "static-cohort", "precalculated-cohort"]);

/**
 * Keys that hold a group type index wherever they appear (queries, legacy filters, breakdowns).
 *
 * @example
 * GROUP_TYPE_INDEX_KEYS.includes("math_group_type_index"); // true
 */
export const GROUP_TYPE_INDEX_KEYS: readonly string[] = [
  "aggregation_group_type_index",
  "math_group_type_index",
  "breakdown_group_type_index",
  "group_type_index",
  "groupTypeIndex",
];

/**
 * Every location, in the order findRefs reports kinds at one object.
 *
 * @example
 * LOCATIONS.filter((l) => l.kind === "action").map((l) => l.id);
 */
export const LOCATIONS: readonly RefLocation[] = [
  {
    id: "action.entity",
    kind: "action",
    key: "id",
    where:
      "`id` of an ActionsNode (series, GroupNode.nodes, funnelsFilter.exclusions, conversion goal filters, " +
      'experiment metrics) or of an entity with `type: "actions"` (retentionFilter.targetEntity / returningEntity, ' +
      "legacy actions / exclusions / target_entity / returning_entity)",
  },
  {
    id: "action.legacy-list",
    kind: "action",
    key: "id",
    where: "`id` of every item of a legacy `actions` list, typed or not",
    containers: ["insight_filters"],
  },
  {
    id: "action.action-id",
    kind: "action",
    key: "actionId",
    where: "`actionId` anywhere (conversionGoal.actionId, EventsQuery / SessionsQuery / EventTaxonomyQuery.actionId)",
  },
  {
    id: "action.behavioral",
    kind: "action",
    key: "key",
    where: '`key` of a behavioral cohort filter with `event_type: "actions"`',
  },
  {
    id: "action.sequence",
    kind: "action",
    key: "seq_event",
    where: '`seq_event` of a cohort filter with `seq_event_type: "actions"` (performed_event_sequence)',
  },
  {
    id: "action.cohort-group",
    kind: "action",
    key: "action_id",
    where: "`action_id` of a legacy cohort group",
    containers: ["cohort_groups"],
  },
  {
    id: "cohort.property",
    kind: "cohort",
    key: "value",
    where:
      '`value` of a property filter with `type` "cohort" (also "static-cohort", "precalculated-cohort"): ' +
      "in any properties list or group, series, fixedProperties, retention entities, cohort filters " +
      "(nested cohorts), action steps, dashboard filters and tile overrides",
  },
  {
    id: "cohort.breakdown",
    kind: "cohort",
    key: "breakdown",
    where:
      '`breakdown` (an id or a list) beside `breakdown_type: "cohort"`: breakdownFilter, legacy filters, breakdown_filter',
    list: true,
    literals: ["all"],
  },
  {
    id: "cohort.multiple-breakdown",
    kind: "cohort",
    key: "property",
    where: '`property` of a breakdown with `type: "cohort"` (breakdownFilter.breakdowns[])',
  },
  {
    id: "cohort.persons-node",
    kind: "cohort",
    key: "cohort",
    where: "`cohort` of a PersonsNode",
  },
  {
    id: "cohort.actors-breakdown",
    kind: "cohort",
    key: "breakdown",
    where: "`breakdown` of an InsightActorsQuery whose source breaks down by cohort",
    list: true,
    literals: ["all"],
  },
  {
    id: "cohort.funnel-actors-breakdown",
    kind: "cohort",
    key: "funnelStepBreakdown",
    where: "`funnelStepBreakdown` of a FunnelsActorsQuery whose source breaks down by cohort",
    list: true,
    literals: ["all"],
  },
  ...GROUP_TYPE_INDEX_KEYS.map(
    (key): RefLocation => ({
      id: `group_type_index.${key}`,
      kind: "group_type_index",
      key,
      where: `\`${key}\` wherever it appears`,
    }),
  ),
  {
    id: "insight_variable.entry",
    kind: "insight_variable",
    key: "variableId",
    where: "`variableId` of each entry of a `variables` map (HogQLQuery, dashboard variables); the entry's key follows",
    rekey: true,
  },
  {
    id: "data_color_theme.query",
    kind: "data_color_theme",
    key: "dataColorTheme",
    where: "`dataColorTheme` of an insight query",
  },
  {
    id: "person.person-id",
    kind: "person",
    key: "personId",
    where: "`personId` of a query node (EventsQuery, SessionsQuery, SessionsTimelineQuery, TracesQuery...)",
  },
  {
    id: "person.person-uuid",
    kind: "person",
    key: "person_uuid",
    where: "`person_uuid` of a RecordingsQuery",
  },
  {
    id: "feature_flag.dependency",
    kind: "feature_flag",
    key: "key",
    where: '`key` of a property filter with `type: "flag"` (a flag dependency)',
  },
];

const BY_ID = new Map(LOCATIONS.map((location) => [location.id, location]));

function location(id: string): RefLocation {
  const found = BY_ID.get(id);
  if (!found) {
    throw new Error(`No reference location ${id}.`);
  }
  return found;
}

/**
 * Where the matcher stands: the container and the path of the object from the container's root.
 *
 * @example
 * const context: MatchContext = { container: "insight_filters", path: ["actions", 0] };
 */
export interface MatchContext {
  container: RefContainer;
  path: readonly (string | number)[];
}

type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function has(object: JsonObject, key: string): boolean {
  return Object.hasOwn(object, key);
}

/** The source of an actors query breaks down by cohort (single breakdown). */
function sourceBreaksDownByCohort(object: JsonObject): boolean {
  const source = object.source;
  const filter = isObject(source) ? source.breakdownFilter : undefined;
  return isObject(filter) && filter.breakdown_type === "cohort";
}

/** Is `path` an item of a list held under `key` (`[..., key, index]`)? */
function itemOf(path: readonly (string | number)[], key: string): boolean {
  return typeof path[path.length - 1] === "number" && path[path.length - 2] === key;
}

/** Is the object at `path` an entry of a variables map? */
function variableEntry(context: MatchContext): boolean {
  const { path } = context;
  if (path.length === 1 && context.container === "dashboard_variables") {
    return true;
  }
  return path.length >= 2 && typeof path[path.length - 1] === "string" && path[path.length - 2] === "variables";
}

type Rule = [at: RefLocation, when: (object: JsonObject, context: MatchContext) => boolean];

const always = (): boolean => true;

/** Each location with the test its object must pass, in LOCATIONS order. */
const RULES: Rule[] = [
  [location("action.entity"), (o) => o.kind === "ActionsNode" || o.type === "actions"],
  [location("action.legacy-list"), (_, c) => c.container === "insight_filters" && itemOf(c.path, "actions")],
  [location("action.action-id"), always],
  [location("action.behavioral"), (o) => o.type === "behavioral" && o.event_type === "actions"],
  [location("action.sequence"), (o) => o.seq_event_type === "actions"],
  [location("action.cohort-group"), (_, c) => c.container === "cohort_groups" && c.path.length === 1],
  [location("cohort.property"), (o) => typeof o.type === "string" && COHORT_FILTER_TYPES.has(o.type)],
  [location("cohort.breakdown"), (o) => o.breakdown_type === "cohort"],
  [location("cohort.multiple-breakdown"), (o) => o.type === "cohort" && !has(o, "value")],
  [location("cohort.persons-node"), (o) => o.kind === "PersonsNode"],
  [location("cohort.actors-breakdown"), (o) => o.kind === "InsightActorsQuery" && sourceBreaksDownByCohort(o)],
  [location("cohort.funnel-actors-breakdown"), (o) => o.kind === "FunnelsActorsQuery" && sourceBreaksDownByCohort(o)],
  ...GROUP_TYPE_INDEX_KEYS.map((key): Rule => [location(`group_type_index.${key}`), always]),
  [location("insight_variable.entry"), (_, c) => variableEntry(c)],
  [location("data_color_theme.query"), always],
  [location("person.person-id"), (o) => typeof o.kind === "string"],
  [location("person.person-uuid"), (o) => o.kind === "RecordingsQuery"],
  [location("feature_flag.dependency"), (o) => o.type === "flag"],
];

/**
 * The locations on one object: which of its keys hold a reference, and of what. A key is
 * listed once even when several rules agree (an ActionsNode that also says `type: "actions"`).
 *
 * @example
 * locationsOn({ kind: "ActionsNode", id: 7 }, { container: "query", path: [] }); // [action.entity]
 */
export function locationsOn(object: JsonObject, context: MatchContext): RefLocation[] {
  const found: RefLocation[] = [];
  for (const [at, when] of RULES) {
    if (has(object, at.key) && !found.some((f) => f.key === at.key) && when(object, context)) {
      found.push(at);
    }
  }
  return found;
}
