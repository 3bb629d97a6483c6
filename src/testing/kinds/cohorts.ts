// The cohorts kind: filters checked as PostHog's pydantic models check them, nested cohorts that
// must exist and must not loop, static cohorts, a background calculation that finishes before
// the next request, and limit/offset pages. Names need not be unique. A soft-deleted cohort
// still answers retrieve and update.
import { type Answer, invalid, json } from "../answers.js";
import type { Context } from "../context.js";
import { pick } from "../hash.js";
import { FAKE_USER, type Store, type StoredCohort } from "../store.js";
import { booleanField, type Checked, charField, isObject, objectBody } from "./fields.js";
import type { Kind, Listing } from "./kind.js";

type Node = Record<string, unknown>;

/** Keys each leaf kind must have, and may have (PostHog's models forbid any other). */
const LEAVES: Record<string, { required: string[]; allowed: string[] }> = {
  person: { required: ["key"], allowed: ["type", "key", "operator", "value", "negation"] },
  cohort: { required: ["key", "value"], allowed: ["type", "key", "value", "negation"] },
  behavioral: {
    required: ["key", "value", "event_type"],
    allowed: [
      "type",
      "key",
      "value",
      "event_type",
      "time_value",
      "time_interval",
      "negation",
      "operator",
      "operator_value",
      "seq_time_interval",
      "seq_time_value",
      "seq_event",
      "seq_event_type",
      "total_periods",
      "min_periods",
      "event_filters",
      "explicit_datetime",
    ],
  },
};

/** Why a dynamic cohort's filters do not parse (PostHog's message), or undefined. */
function filtersProblem(node: unknown): string | undefined {
  if (!isObject(node)) {
    return "Input should be a valid dictionary";
  }
  if (node.type === "AND" || node.type === "OR") {
    if (!Array.isArray(node.values)) {
      return "Missing required keys for group: values";
    }
    for (const value of node.values) {
      const problem = filtersProblem(value);
      if (problem) {
        return problem;
      }
    }
    return undefined;
  }
  const leaf = LEAVES[String(node.type)];
  if (!leaf) {
    return `Input tag '${String(node.type)}' found using 'type' does not match any of the expected tags: 'behavioral', 'cohort', 'person', 'AND', 'OR'`;
  }
  const missing = leaf.required.find((key) => node[key] === undefined);
  if (missing) {
    return `Missing required keys for ${String(node.type)} filter: ${missing}`;
  }
  if (node.type === "person") {
    const isSet = node.operator === "is_set" || node.operator === "is_not_set";
    const absent = [...(node.value == null && !isSet ? ["value"] : []), ...(node.operator == null ? ["operator"] : [])];
    if (absent.length > 0) {
      return `Missing required keys for person filter: ${absent.join(", ")}`;
    }
  }
  if (node.type === "cohort" && (node.key !== "id" || !Number.isSafeInteger(Number(node.value)))) {
    return "A cohort filter needs key 'id' and an integer cohort id as value";
  }
  const extra = Object.keys(node).find((key) => !leaf.allowed.includes(key));
  return extra ? `Extra inputs are not permitted: ${extra}` : undefined;
}

/** The cohorts a definition names (`{type: "cohort", value: id}`), in filters or legacy groups. */
function nestedCohorts(value: unknown): number[] {
  if (Array.isArray(value)) {
    return value.flatMap(nestedCohorts);
  }
  if (!isObject(value)) {
    return [];
  }
  const own = value.type === "cohort" && value.value !== undefined ? [Number(value.value)] : [];
  return [...own, ...Object.values(value).flatMap(nestedCohorts)];
}

/** Legacy groups as filters: one AND group per group, OR-ed; `{key: value}` properties as person filters. */
function groupsAsFilters(groups: Node[]): Node {
  const values = groups.map((group) => {
    const properties = group.properties;
    const leaves = Array.isArray(properties)
      ? properties.map((p) => (isObject(p) ? { type: "person", ...p } : p))
      : Object.entries(isObject(properties) ? properties : {}).map(([key, value]) => ({ key, value, type: "person" }));
    return { type: "AND", values: leaves };
  });
  return { properties: { type: values.length > 0 ? "OR" : "AND", values } };
}

/** The definition a cohort is served and checked with: its filters, else its legacy groups. */
function definition(cohort: Pick<StoredCohort, "filters" | "groups">): Node {
  return cohort.filters && Object.keys(cohort.filters).length > 0 ? cohort.filters : groupsAsFilters(cohort.groups);
}

/** Whether following nested cohorts from `start` comes back to it. */
function loops(store: Store, start: StoredCohort): boolean {
  const seen = new Set<number>();
  const visit = (id: number): boolean => {
    if (id === start.id) {
      return true;
    }
    if (seen.has(id)) {
      return false;
    }
    seen.add(id);
    const cohort = store.cohorts.get(id);
    return cohort !== undefined && nestedCohorts(definition(cohort)).some(visit);
  };
  return nestedCohorts(definition(start)).some(visit);
}

interface CohortFields {
  name?: string | null;
  description?: string;
  groups?: Node[];
  filters?: Node | null;
  query?: Node | null;
  is_static?: boolean;
  cohort_type?: string | null;
  deleted?: boolean;
}

/** Checks a cohort body; read-only and unknown keys are ignored. */
function cohortFields(store: Store, body: unknown, self: StoredCohort | undefined): Checked<CohortFields> {
  const checked = objectBody(body);
  if ("error" in checked) {
    return checked;
  }
  const raw = checked.ok;
  const out: CohortFields = {};
  for (const [field, options] of [
    ["name", { max: 400, nullable: true }],
    ["description", {}],
    ["cohort_type", { nullable: true }],
  ] as const) {
    if (field in raw) {
      const text = charField(field, raw[field], options);
      if ("error" in text) {
        return text;
      }
      (out as Node)[field] = text.ok;
    }
  }
  for (const field of ["is_static", "deleted"] as const) {
    if (field in raw) {
      const flag = booleanField(field, raw[field]);
      if ("error" in flag) {
        return flag;
      }
      out[field] = flag.ok;
    }
  }
  if ("groups" in raw) {
    if (!Array.isArray(raw.groups) || !raw.groups.every(isObject)) {
      return { error: invalid("groups", "invalid_input", "Expected a list of groups.") };
    }
    out.groups = structuredClone(raw.groups);
  }
  if ("query" in raw && raw.query !== null) {
    const kind = isObject(raw.query) ? raw.query.kind : undefined;
    if (kind !== "ActorsQuery" && kind !== "HogQLQuery") {
      const detail = isObject(raw.query)
        ? `Query must be an ActorsQuery or HogQLQuery. Got: ${String(kind)}`
        : "Query must be a dictionary.";
      return { error: invalid("query", "invalid_input", detail) };
    }
    out.query = structuredClone(raw.query) as Node;
  } else if ("query" in raw) {
    out.query = null;
  }
  const isStatic = out.is_static ?? self?.is_static ?? false;
  if ("filters" in raw && raw.filters !== null) {
    // Static cohorts' filters are stored unchecked.
    if (!isStatic) {
      if (!isObject(raw.filters) || !("properties" in raw.filters)) {
        return { error: invalid("filters", "invalid_input", "Must contain a 'properties' key with type and values") };
      }
      const problem = filtersProblem(raw.filters.properties);
      if (problem) {
        return { error: invalid("filters", "invalid_input", problem) };
      }
    }
    out.filters = structuredClone(raw.filters) as Node;
  }
  const nested = nestedCohorts([out.filters, out.groups]);
  if (nested.some((id) => !store.cohorts.get(id))) {
    return { error: invalid(null, "invalid_input", "Invalid Cohort ID in filter") };
  }
  return { ok: out };
}

/** A calculation asked for by a write finishes before the next request reads the cohort. */
function settle(cohort: StoredCohort, now: string): void {
  if (!cohort.calculating) {
    return;
  }
  cohort.calculating = false;
  cohort.last_calculation = now;
  cohort.count = cohort.is_static ? 0 : pick(JSON.stringify(definition(cohort)), 0, 5000);
}

function serve(cohort: StoredCohort): Record<string, unknown> {
  return {
    id: cohort.id,
    name: cohort.name,
    description: cohort.description,
    groups: structuredClone(cohort.groups),
    deleted: cohort.deleted,
    filters: structuredClone(definition(cohort)),
    query: structuredClone(cohort.query),
    is_calculating: cohort.calculating,
    created_by: { ...FAKE_USER },
    created_at: cohort.created_at,
    last_calculation: cohort.last_calculation,
    errors_calculating: 0,
    count: cohort.count,
    is_static: cohort.is_static,
    cohort_type: cohort.cohort_type,
    experiment_set: [],
  };
}

function createCohort(ctx: Context): Answer {
  const fields = cohortFields(ctx.store, ctx.body, undefined);
  if ("error" in fields) {
    return fields.error;
  }
  if (fields.ok.query && fields.ok.filters) {
    return invalid(null, "invalid_input", "Cannot set both query and filters at the same time.");
  }
  if (fields.ok.query && !fields.ok.is_static) {
    return invalid(null, "invalid_input", "Cannot create a dynamic cohort with a query. Set is_static to true.");
  }
  const cohort = ctx.store.cohorts.add({
    id: ctx.store.cohorts.nextId(),
    name: null,
    description: "",
    groups: [],
    filters: null,
    query: null,
    is_static: false,
    cohort_type: null,
    deleted: false,
    created_at: ctx.stamp,
    calculating: false,
    last_calculation: null,
    count: null,
    ...fields.ok,
  });
  // A dynamic cohort is calculated in the background; a static one waits for its members.
  cohort.calculating = !cohort.is_static;
  return json(201, serve(cohort));
}

function updateCohort(ctx: Context, cohort: StoredCohort): Answer {
  const fields = cohortFields(ctx.store, ctx.body, cohort);
  if ("error" in fields) {
    return fields.error;
  }
  const before = structuredClone(cohort);
  settle(cohort, ctx.stamp);
  Object.assign(cohort, fields.ok);
  if (loops(ctx.store, cohort)) {
    Object.assign(cohort, before);
    return invalid(null, "invalid_input", "Cohorts cannot reference other cohorts in a loop.");
  }
  const deletion = fields.ok.deleted !== undefined && fields.ok.deleted !== before.deleted;
  if (!deletion && !cohort.is_static) {
    cohort.calculating = true;
  }
  return json(200, serve(cohort));
}

function listing(ctx: Context): Listing<StoredCohort> {
  const q = ctx.url.searchParams;
  const type = q.get("type");
  const search = (q.get("search") ?? "").toLowerCase();
  const createdBy = q.get("created_by_id");
  return {
    keep: (c) =>
      (type !== "static" || c.is_static) &&
      (type !== "dynamic" || !c.is_static) &&
      (createdBy === null || createdBy === String(FAKE_USER.id)) &&
      (c.name ?? "").toLowerCase().includes(search),
    // Newest first.
    order: (a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id,
  };
}

/** Cohorts: limit/offset pages, newest first. */
export const cohortsKind: Kind<StoredCohort> = {
  segment: "cohorts",
  scope: "cohort",
  objects: (store) => store.cohorts,
  list: "pages",
  deletedReachable: true,
  listing,
  create: createCohort,
  update: updateCohort,
  serve: (ctx, cohort) => {
    if (ctx.method === "GET") {
      settle(cohort, ctx.stamp);
    }
    return serve(cohort);
  },
};
