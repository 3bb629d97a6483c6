// Exhaustiveness: walks every schema of our bundled spec (generated/openapi.yaml, whatever it
// holds) and fails when a property that can hold an action id, a cohort id or a group type index,
// or an opaque object where PostHog may put one, is neither found by src/ascode/refs.ts (proved
// on a sample that validates against the spec) nor listed here as deliberately not a reference.
import { describe, expect, it } from "vitest";
import type { Json } from "../../src/ascode/canonical.js";
import { GROUP_TYPE_INDEX_KEYS } from "../../src/ascode/ref-locations.js";
import { findRefs, formatPath, type RefContainer, type RefKind } from "../../src/ascode/refs.js";
import { loadSpec } from "../support/spec.js";
import { SpecValidator } from "../support/spec-validator.js";

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  prefixItems?: Schema[];
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
};

interface Doc {
  components: { schemas: Record<string, Schema> };
  paths: Record<string, Record<string, unknown>>;
}

/** One schema node of the spec, named by where it sits: `Schema.prop`, `X[]` items, `X{}` map values. */
interface SchemaNode {
  name: string;
  /** The named component it belongs to (for validation), if any. */
  component?: string;
  parts: Schema[];
}

function walkSpec(doc: Doc): Map<string, SchemaNode> {
  const nodes = new Map<string, SchemaNode>();
  const visit = (name: string, schema: Schema | undefined, component?: string): void => {
    if (!schema || typeof schema !== "object" || schema.$ref) {
      return;
    }
    const node = nodes.get(name) ?? { name, parts: [], ...(component ? { component } : {}) };
    nodes.set(name, node);
    node.parts.push(schema);
    for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
      visit(name, part, component);
    }
    for (const [prop, child] of Object.entries(schema.properties ?? {})) {
      visit(`${name}.${prop}`, child, component);
    }
    visit(`${name}[]`, schema.items, component);
    (schema.prefixItems ?? []).forEach((item, i) => {
      visit(`${name}[${i}]`, item, component);
    });
    if (typeof schema.additionalProperties === "object") {
      visit(`${name}{}`, schema.additionalProperties, component);
    }
  };
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    visit(name, schema, name);
  }
  // Inline schemas of operations (request bodies, responses, parameters), named by route.
  const inline = (value: unknown, name: string): void => {
    if (!value || typeof value !== "object") {
      return;
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (key === "schema") {
        visit(name, child as Schema);
      } else {
        inline(child, `${name} ${key}`);
      }
    }
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    inline(item, path);
  }
  return nodes;
}

function deref(doc: Doc, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref && hops < 20; hops++) {
    current = doc.components.schemas[current.$ref.split("/").pop() ?? ""];
  }
  return current;
}

/** Every value a property's schema allows as an enum or const, through refs and unions. */
function enumValues(doc: Doc, schema: Schema | undefined, depth = 0): unknown[] {
  const s = deref(doc, schema);
  if (!s || depth > 10) {
    return [];
  }
  const own = [...(s.enum ?? []), ...(s.const === undefined ? [] : [s.const])];
  const parts = [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])];
  return [...own, ...parts.flatMap((part) => enumValues(doc, part, depth + 1))];
}

/** Every property a node has, its own and those of the schemas it composes (for context). */
function contextProperties(doc: Doc, node: SchemaNode): Map<string, Schema> {
  const out = new Map<string, Schema>();
  const seen = new Set<Schema>();
  const add = (schema: Schema | undefined): void => {
    const s = deref(doc, schema);
    if (!s || seen.has(s)) {
      return;
    }
    seen.add(s);
    for (const [prop, child] of Object.entries(s.properties ?? {})) {
      if (!out.has(prop)) {
        out.set(prop, child);
      }
    }
    for (const part of s.allOf ?? []) {
      add(part);
    }
  };
  for (const part of node.parts) {
    add(part);
  }
  return out;
}

function types(doc: Doc, schema: Schema | undefined, depth = 0): string[] {
  const s = deref(doc, schema);
  if (!s || depth > 10) {
    return [];
  }
  const parts = [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])];
  return [...[s.type ?? []].flat(), ...parts.flatMap((part) => types(doc, part, depth + 1))];
}

/** An object (or anything) with no declared shape: PostHog may put ids in it. */
function isOpaque(node: SchemaNode): boolean {
  return node.parts.every((s) => {
    // `type: "null"` alone (a tile variant's always-null `insight`) holds nothing.
    const only = [s.type ?? []].flat();
    if (only.length > 0 && only.every((t) => t === "null")) {
      return false;
    }
    if (s.properties || s.items || s.prefixItems || s.enum || s.const !== undefined) {
      return false;
    }
    if ([...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])].some((p) => p.type !== "null")) {
      return false;
    }
    const declared = [s.type ?? []].flat().filter((t) => t !== "null");
    if (declared.length > 0 && !declared.includes("object")) {
      return false;
    }
    const extra = s.additionalProperties;
    return extra !== false && !(typeof extra === "object" && Object.keys(extra).length > 0);
  });
}

/** Discriminating values that make a sibling property a reference. */
const DISCRIMINATORS: Record<string, string[]> = {
  kind: ["ActionsNode", "PersonsNode", "InsightActorsQuery", "FunnelsActorsQuery", "RecordingsQuery"],
  type: ["actions", "cohort", "static-cohort", "precalculated-cohort", "behavioral", "flag"],
  breakdown_type: ["cohort"],
  event_type: ["actions"],
  seq_event_type: ["actions"],
};
const REFERENCE_NAMES = new Set(["id", "key", "value", "property", "breakdown", "seq_event", "cohort"]);
/** Keys the module treats as references wherever they are. */
const BY_NAME = new Set([
  "actionId",
  "dataColorTheme",
  "personId",
  "person_uuid",
  "variableId",
  ...GROUP_TYPE_INDEX_KEYS,
]);

/** Why a property of the spec might hold a project-local id, or undefined. */
function suspicion(doc: Doc, nodes: Map<string, SchemaNode>, node: SchemaNode): string | undefined {
  const prop = node.name.split(".").pop() ?? "";
  const parentName = node.name.slice(0, node.name.length - prop.length - 1);
  if (isOpaque(node)) {
    return "an opaque object";
  }
  if (!node.name.includes(".")) {
    return undefined; // a schema's own name is not a property
  }
  if (/group_?type_?index/i.test(prop) || BY_NAME.has(prop)) {
    return "its name";
  }
  if (/^(actions?|cohorts?)(_?ids?)?$/i.test(prop) || /(action|cohort)_?ids?$/i.test(prop)) {
    return "its name (action / cohort)";
  }
  const parent = nodes.get(parentName);
  if (!parent) {
    return undefined;
  }
  const context = contextProperties(doc, parent);
  for (const [discriminator, values] of Object.entries(DISCRIMINATORS)) {
    const allowed = enumValues(doc, context.get(discriminator));
    const hit = values.filter((v) => allowed.includes(v));
    if (
      hit.length > 0 &&
      prop !== discriminator &&
      (REFERENCE_NAMES.has(prop) || types(doc, node.parts[0]).includes("integer"))
    ) {
      return `beside ${discriminator}: ${hit.join(" | ")}`;
    }
  }
  return undefined;
}

/** A sample proving the module finds the reference: valid against `schema`, found at `at`. */
interface Handled {
  kind: RefKind;
  container: RefContainer;
  /** A component schema the sample validates against (omitted for opaque holes of responses). */
  schema?: string;
  sample: Json;
  /** The readable path (from the sample's root) where the reference must be found. */
  at: string;
}

// Reasons shared by many properties.
const RESULT = "result data PostHog computes and returns; never stored in a query, filter or file, never copied";
const RESPONSE = "part of a response only (status, errors, history, users); never stored in a query, filter or file";
const DISPLAY = "display settings (names of columns, colours, formats); no id of a project object";
const COUNT = "a count, limit or offset";
const TYPED = "a value the user typed (a constant, a variable's value), not an id PostHog resolves";

// A dashboard's `variables` map, keyed by variable id (the same shape stored and sent).
const VARIABLE_ID = "0193f0e2-5b1a-7c3e-9a51-3f1d2c4b5a60";
const dashboardVariables: Handled = {
  kind: "insight_variable",
  container: "dashboard_variables",
  sample: { [VARIABLE_ID]: { variableId: VARIABLE_ID, code_name: "plan", value: "pro" } },
  at: `[${JSON.stringify(VARIABLE_ID)}].variableId`,
};
// A tile's `filters_overrides`: dashboard filters for one tile, cohort filters included (FV).
const tileOverrides: Handled = {
  kind: "cohort",
  container: "tile_filters",
  sample: { date_from: "-30d", properties: [{ key: "id", type: "cohort", value: 4 }] },
  at: "properties[0].value",
};
// An action's `steps`: each step's property filters can name a cohort (HP).
const stepProperties: Handled = {
  kind: "cohort",
  container: "action_steps",
  sample: [{ event: "$pageview", properties: [{ key: "id", type: "cohort", value: 4 }] }],
  at: "[0].properties[0].value",
};
// A cohort's legacy `groups`: an action per group (CM).
const cohortGroups: Handled = {
  kind: "action",
  container: "cohort_groups",
  sample: [{ action_id: 3, days: 7 }],
  at: "[0].action_id",
};
// A static cohort's `query`: the ActorsQuery it was filled from, with its property filters.
const cohortQuery: Handled = {
  kind: "cohort",
  container: "query",
  schema: "ActorsQuery",
  sample: { kind: "ActorsQuery", properties: [{ key: "id", type: "cohort", value: 4 }] },
  at: "properties[0].value",
};
const COLOURS =
  "breakdown colours keyed by breakdown value (a cohort breakdown's embeds its id): as TrendsFilter.resultCustomizations, cosmetic";

const entityCases = (kind: string): Handled => ({
  kind: "action",
  container: "query",
  schema: kind,
  sample: { kind: "ActionsNode", id: 3 },
  at: "id",
});

/**
 * Every property of the spec that can hold a reference, decided: found by the module (with a
 * sample), or not a reference (with why). A new spec property that matches the heuristics
 * above makes this test fail until it is added here.
 */
const DECISIONS: Record<string, Handled | { not: string }> = {
  // Found by the module.
  "ActionsNode.id": entityCases("ActionsNode"),
  "FunnelExclusion.id": {
    kind: "action",
    container: "query",
    schema: "FunnelExclusion",
    sample: { kind: "ActionsNode", id: 3, funnelFromStep: 0, funnelToStep: 1 },
    at: "id",
  },
  "RetentionEntity.id": {
    kind: "action",
    container: "query",
    schema: "RetentionEntity",
    sample: { type: "actions", id: 3, name: "Signed up" },
    at: "id",
  },
  "EventsQuery.actionId": {
    kind: "action",
    container: "query",
    schema: "EventsQuery",
    sample: { kind: "EventsQuery", select: ["*"], actionId: 3 },
    at: "actionId",
  },
  "EventsQuery.personId": {
    kind: "person",
    container: "query",
    schema: "EventsQuery",
    sample: { kind: "EventsQuery", select: ["*"], personId: "01890c2e-7f3a-7000-8000-000000000001" },
    at: "personId",
  },
  "TrendsQuery.conversionGoal": {
    kind: "action",
    container: "query",
    schema: "TrendsQuery",
    sample: { kind: "TrendsQuery", series: [], conversionGoal: { actionId: 3 } },
    at: "conversionGoal.actionId",
  },
  "CalendarHeatmapQuery.conversionGoal": {
    kind: "action",
    container: "query",
    schema: "CalendarHeatmapQuery",
    sample: { kind: "CalendarHeatmapQuery", series: [], conversionGoal: { actionId: 3 } },
    at: "conversionGoal.actionId",
  },
  "WebAnalyticsQueryBase.conversionGoal": {
    kind: "action",
    container: "query",
    schema: "WebOverviewQuery",
    sample: { kind: "WebOverviewQuery", properties: [], conversionGoal: { actionId: 3 } },
    at: "conversionGoal.actionId",
  },
  "MarketingAnalyticsTableQuery.draftConversionGoal": {
    kind: "action",
    container: "query",
    schema: "MarketingAnalyticsTableQuery",
    sample: {
      kind: "MarketingAnalyticsTableQuery",
      properties: [],
      draftConversionGoal: { kind: "ActionsNode", id: 3, conversion_goal_id: "g1", conversion_goal_name: "Signups" },
    },
    at: "draftConversionGoal.id",
  },
  "EventsQuery.source": {
    kind: "action",
    container: "query",
    schema: "EventsQuery",
    sample: {
      kind: "EventsQuery",
      select: ["*"],
      source: { kind: "InsightActorsQuery", source: { kind: "TrendsQuery", series: [{ kind: "ActionsNode", id: 3 }] } },
    },
    at: "source.source.series[0].id",
  },
  "ActorsQuery.source": {
    kind: "cohort",
    container: "query",
    schema: "ActorsQuery",
    sample: {
      kind: "ActorsQuery",
      source: {
        kind: "InsightActorsQuery",
        breakdown: 4,
        source: { kind: "TrendsQuery", series: [], breakdownFilter: { breakdown_type: "cohort", breakdown: [4] } },
      },
    },
    at: "source.breakdown",
  },
  "CohortPropertyFilter.value": {
    kind: "cohort",
    container: "query",
    schema: "CohortPropertyFilter",
    sample: { type: "cohort", key: "id", value: 4 },
    at: "value",
  },
  "BreakdownFilter.breakdown": {
    kind: "cohort",
    container: "query",
    schema: "BreakdownFilter",
    sample: { breakdown_type: "cohort", breakdown: [4, "all"] },
    at: "breakdown[0]",
  },
  "Breakdown.property": {
    kind: "cohort",
    container: "query",
    schema: "Breakdown",
    sample: { type: "cohort", property: 4 },
    at: "property",
  },
  "PersonsNode.cohort": {
    kind: "cohort",
    container: "query",
    schema: "PersonsNode",
    sample: { kind: "PersonsNode", cohort: 4 },
    at: "cohort",
  },
  "PropertyFilter.key": {
    kind: "feature_flag",
    container: "query",
    schema: "PropertyFilter",
    sample: { type: "flag", key: "12", value: true, operator: "flag_evaluates_to" },
    at: "key",
  },
  "InsightsQueryBase.aggregation_group_type_index": {
    kind: "group_type_index",
    container: "query",
    schema: "TrendsQuery",
    sample: { kind: "TrendsQuery", series: [], aggregation_group_type_index: 0 },
    at: "aggregation_group_type_index",
  },
  "WebAnalyticsQueryBase.aggregation_group_type_index": {
    kind: "group_type_index",
    container: "query",
    schema: "WebOverviewQuery",
    sample: { kind: "WebOverviewQuery", properties: [], aggregation_group_type_index: 0 },
    at: "aggregation_group_type_index",
  },
  "EntityNodeBase.math_group_type_index": {
    kind: "group_type_index",
    container: "query",
    schema: "EventsNode",
    sample: { kind: "EventsNode", event: "paid_bill", math: "unique_group", math_group_type_index: 0 },
    at: "math_group_type_index",
  },
  "GroupPropertyFilter.group_type_index": {
    kind: "group_type_index",
    container: "query",
    schema: "GroupPropertyFilter",
    sample: { type: "group", key: "industry", value: "saas", operator: "exact", group_type_index: 1 },
    at: "group_type_index",
  },
  "Breakdown.group_type_index": {
    kind: "group_type_index",
    container: "query",
    schema: "Breakdown",
    sample: { type: "group", property: "industry", group_type_index: 1 },
    at: "group_type_index",
  },
  "BreakdownFilter.breakdown_group_type_index": {
    kind: "group_type_index",
    container: "query",
    schema: "BreakdownFilter",
    sample: { breakdown_type: "group", breakdown: "industry", breakdown_group_type_index: 1 },
    at: "breakdown_group_type_index",
  },
  "InsightsQueryBase.dataColorTheme": {
    kind: "data_color_theme",
    container: "query",
    schema: "TrendsQuery",
    sample: { kind: "TrendsQuery", series: [], dataColorTheme: 2 },
    at: "dataColorTheme",
  },
  "HogQLQuery.variables{}.variableId": {
    kind: "insight_variable",
    container: "query",
    schema: "HogQLQuery",
    sample: { kind: "HogQLQuery", query: "select 1", variables: { "v-1": { variableId: "v-1", code_name: "x" } } },
    at: 'variables["v-1"].variableId',
  },
  "BreakdownFilter.breakdown[]": {
    kind: "cohort",
    container: "query",
    schema: "BreakdownFilter",
    sample: { breakdown_type: "cohort", breakdown: ["all", 4] },
    at: "breakdown[1]",
  },
  "Insight.filters": {
    kind: "action",
    container: "insight_filters",
    sample: { insight: "TRENDS", actions: [{ id: 3 }] },
    at: "actions[0].id",
  },
  "InsightBasic.filters": {
    kind: "cohort",
    container: "insight_filters",
    sample: { properties: [{ key: "id", type: "cohort", value: 4 }] },
    at: "properties[0].value",
  },
  "InsightWrite.filters": {
    kind: "group_type_index",
    container: "insight_filters",
    sample: { events: [{ id: "paid_bill", type: "events", math: "unique_group", math_group_type_index: 0 }] },
    at: "events[0].math_group_type_index",
  },

  "DashboardFilters.properties[]": {
    kind: "cohort",
    container: "dashboard_filters",
    schema: "DashboardFilters",
    sample: { date_from: "-7d", properties: [{ key: "id", type: "cohort", value: 4 }] },
    at: "properties[0].value",
  },
  "DashboardFilters.breakdown_filter": {
    kind: "cohort",
    container: "dashboard_filters",
    schema: "DashboardFilters",
    sample: { breakdown_filter: { breakdown_type: "cohort", breakdown: [4] } },
    at: "breakdown_filter.breakdown[0]",
  },
  "DashboardCreate.variables": dashboardVariables,
  "DashboardUpdate.variables": dashboardVariables,
  "Dashboard.variables": dashboardVariables,
  "Dashboard.persisted_variables": dashboardVariables,
  "DashboardTileFields.filters_overrides": tileOverrides,
  "DashboardTileUpdate.filters_overrides": tileOverrides,
  "ActionStep.properties[]": stepProperties,
  "ActionStepWrite.properties[]": stepProperties,
  "CohortFilterLeaf.key": {
    kind: "action",
    container: "cohort_filters",
    schema: "CohortFilters",
    sample: {
      properties: {
        type: "AND",
        values: [{ type: "behavioral", key: 3, event_type: "actions", value: "performed_event", time_value: 30 }],
      },
    },
    at: "properties.values[0].key",
  },
  "CohortFilterLeaf.value": {
    kind: "cohort",
    container: "cohort_filters",
    schema: "CohortFilters",
    sample: {
      properties: { type: "OR", values: [{ type: "AND", values: [{ type: "cohort", key: "id", value: 4 }] }] },
    },
    at: "properties.values[0].values[0].value",
  },
  "CohortFilterLeaf.seq_event": {
    kind: "action",
    container: "cohort_filters",
    schema: "CohortFilters",
    sample: {
      properties: {
        type: "AND",
        values: [
          {
            type: "behavioral",
            value: "performed_event_sequence",
            key: "$pageview",
            event_type: "events",
            seq_event: 3,
            seq_event_type: "actions",
          },
        ],
      },
    },
    at: "properties.values[0].seq_event",
  },
  "Cohort.groups[]": cohortGroups,
  "CohortWrite.groups[]": cohortGroups,
  "Cohort.query": cohortQuery,
  "CohortWrite.query": cohortQuery,

  // Deliberately not references.
  "DashboardCreate.breakdown_colors[]": { not: COLOURS },
  "DashboardUpdate.breakdown_colors[]": { not: COLOURS },
  "Dashboard.breakdown_colors[]": { not: COLOURS },
  "DashboardTileFields.button_tile": {
    not: "a link button card: a label and a URL; ids inside a URL are text, as in text tiles' markdown",
  },
  "DashboardTileFields.widget": {
    not: "a feature-flagged product widget: not in dashboard files (design: Files), never pushed or copied",
  },
  "CohortFilterLeaf.time_value": { not: "a number of `time_interval` units (performed the event in the last 30 days)" },
  "GroupType.group_type_index": {
    not: "the group type's own index: what references point at, matched across projects by `group_type` name",
  },
  "CohortPropertyFilter.key": { not: 'always the literal "id" (PostHog\'s CohortFilter: key Literal["id"])' },
  "WebAnalyticsQueryBase.dataColorTheme": {
    not: "kept for type compatibility only: web analytics ignores it (SG); still found by the by-name rule",
  },
  "Breakdown.histogram_bin_count": { not: COUNT },
  "BreakdownFilter.breakdown_limit": { not: COUNT },
  "BreakdownFilter.breakdown_histogram_bin_count": { not: COUNT },
  "FunnelExclusion.funnelFromStep": { not: "a step index of this funnel" },
  "FunnelExclusion.funnelToStep": { not: "a step index of this funnel" },
  "FunnelExclusion.limit": { not: COUNT },
  "RetentionEntity.order": { not: "the entity's position in the legacy filter" },
  "PersonsNode.limit": { not: COUNT },
  "PersonsNode.offset": { not: COUNT },
  "PersonsNode.version": { not: "the query node's schema version" },
  "ActivityChange.action": { not: `what happened ("created", "changed"): ${RESPONSE}` },
  NodeResponse: {
    not: "a query node's cached response (model_dump writes null): results of a run, never sent back as part of a query",
  },
  HogQLQueryModifiers: { not: "execution settings (persons mode, materialisation...): no object ids" },
  "EntityNodeBase.math_property_revenue_currency": { not: "a property name or a currency code" },
  "TrendsFilter.resultCustomizations": {
    not: "series colours keyed by label or breakdown value: for a cohort breakdown the key embeds the cohort id, so a copied colour falls back to the default (cosmetic; listed in REFERENCES.md)",
  },
  "FunnelsFilter.resultCustomizations": {
    not: "as TrendsFilter.resultCustomizations: cosmetic, keyed by breakdown value",
  },
  "StickinessFilter.resultCustomizations": { not: "as TrendsFilter.resultCustomizations: cosmetic, keyed by label" },
  "WebAnalyticsQueryBase.sampling.forceSamplingRate": { not: "a sampling fraction {numerator, denominator}" },
  "InsightVizNode.vizSpecificOptions": { not: DISPLAY },
  "DataVisualizationNode.chartSettings": { not: DISPLAY },
  "DataVisualizationNode.tableSettings": { not: DISPLAY },
  "DataTableNode.context": {
    not: "UI context of the column configurator (an event definition's uuid): not part of what the query computes",
  },
  "HogQLQuery.variables{}.value": { not: TYPED },
  "HogQLQuery.values": { not: TYPED },
  "Insight.layouts": { not: "a legacy per-insight layout; positions, no ids" },
  "InsightSeriesAction.math_group_type_index": { not: RESULT },
  "InsightSeriesAction.properties[]": { not: RESULT },
  "InsightSeries.action": { not: RESULT },
  "InsightSeries.filter": { not: RESULT },
  "InsightSeries.persons_urls[]": { not: RESULT },
  "FunnelStep.action_id": { not: RESULT },
  "FunnelStep.people[]": { not: RESULT },
  "QueryRowsResult[][]": { not: RESULT },
  "HogQueryResult[]": { not: RESULT },
  "QueryStatus.results": { not: RESULT },
  "Insight.columns[]": { not: RESULT },
  "Insight.types[]": { not: RESULT },
  "UserBasic.hedgehog_config": { not: RESPONSE },
  "Error.extra": { not: RESPONSE },
  "ActivityChange.before": { not: RESPONSE },
  "ActivityChange.after": { not: RESPONSE },
  "ActivityDetail.trigger.payload": { not: RESPONSE },
};

/** The suspects of a spec, by node name, with why. */
function suspectsOf(doc: Doc): Map<string, string> {
  const nodes = walkSpec(doc);
  return new Map(
    [...nodes.values()].flatMap((node) => {
      const why = suspicion(doc, nodes, node);
      return why ? [[node.name, why] as const] : [];
    }),
  );
}

describe("the heuristics catch the shapes PostHog's dashboards, actions and cohorts will add", () => {
  it("flags opaque filters, legacy action ids, behavioral keys and nested cohort values", () => {
    const doc: Doc = {
      paths: {
        "/api/projects/{project_id}/cohorts/": {
          post: {
            requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Cohort" } } } },
          },
        },
      },
      components: {
        schemas: {
          Dashboard: {
            type: "object",
            properties: {
              id: { type: "integer" },
              filters: { type: "object", additionalProperties: true },
              data_color_theme_id: { type: ["integer", "null"] },
              text: { type: "null" },
            },
          },
          Cohort: {
            type: "object",
            properties: {
              groups: { type: "array", items: { type: "object", properties: { action_id: { type: "integer" } } } },
              filters: { type: "object", properties: { properties: { $ref: "#/components/schemas/Group" } } },
            },
          },
          Group: { type: "object", properties: { values: { type: "array", items: { type: "object" } } } },
          BehavioralFilter: {
            type: "object",
            properties: {
              type: { type: "string", enum: ["behavioral"] },
              key: { oneOf: [{ type: "string" }, { type: "integer" }] },
              seq_event: { type: ["string", "integer", "null"] },
              time_value: { type: "integer" },
            },
          },
          NestedCohort: {
            allOf: [
              { type: "object", properties: { type: { type: "string", const: "cohort" } } },
              { type: "object", properties: { value: { type: "integer" }, negation: { type: "boolean" } } },
            ],
          },
        },
      },
    };
    expect([...suspectsOf(doc)]).toEqual([
      ["Dashboard.filters", "an opaque object"],
      ["Cohort.groups[].action_id", "its name (action / cohort)"],
      ["Group.values[]", "an opaque object"],
      ["BehavioralFilter.key", "beside type: behavioral"],
      ["BehavioralFilter.seq_event", "beside type: behavioral"],
      ["BehavioralFilter.time_value", "beside type: behavioral"],
      ["NestedCohort.value", "beside type: cohort"],
    ]);
  });
});

describe("every spec property that can hold a project-local id is decided", () => {
  const doc = loadSpec() as unknown as Doc;
  const nodes = walkSpec(doc);
  const suspects = suspectsOf(doc);

  it("walks the whole spec", () => {
    expect(Object.keys(doc.components.schemas).length).toBeGreaterThan(100);
    expect(nodes.size).toBeGreaterThan(500);
  });

  it("has a decision for each suspect, and no stale decision", () => {
    const missing = [...suspects].filter(([name]) => !(name in DECISIONS)).map(([name, why]) => `${name} (${why})`);
    expect(
      missing,
      "Add each to DECISIONS in test/ascode/refs-spec.test.ts: a sample the module finds it in, " +
        "or { not: why } (and to src/ascode/REFERENCES.md)",
    ).toEqual([]);
    const stale = Object.keys(DECISIONS).filter((name) => !suspects.has(name));
    expect(stale, "decisions about properties the spec no longer has, or no longer suspects").toEqual([]);
  });

  const validator = new SpecValidator();
  for (const [name, decision] of Object.entries(DECISIONS)) {
    if ("not" in decision) {
      continue;
    }
    it(`${name}: found as ${decision.kind}`, () => {
      if (decision.schema) {
        expect(validator.schemaErrors(decision.schema, decision.sample)).toEqual([]);
      }
      const refs = findRefs(decision.container, decision.sample).map((ref) => [ref.kind, formatPath(ref.path)]);
      expect(refs).toContainEqual([decision.kind, decision.at]);
    });
  }
});
