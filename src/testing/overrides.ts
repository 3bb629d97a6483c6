// `filters_override` and `variables_override`: a dashboard-style filter and SQL variable values a
// request applies to an insight's query (PostHog's apply_dashboard_filters_to_dict and
// apply_dashboard_variables_to_dict, for the date range, properties, breakdown and variables).
// Pure: parsing and copying only.
import { type Answer, invalid } from "./answers.js";

type Node = Record<string, unknown>;

/** The overrides a request asks for. */
export interface Overrides {
  filters?: Node;
  variables?: Record<string, Node>;
}

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value);

/** The overrides of a request's query string, or the 400 PostHog answers for unreadable JSON. */
export function requestOverrides(url: URL): { ok: Overrides } | { error: Answer } {
  const out: Overrides = {};
  for (const [param, key] of [
    ["filters_override", "filters"],
    ["variables_override", "variables"],
  ] as const) {
    const raw = url.searchParams.get(param);
    if (raw === null) {
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return { error: invalid(param, "invalid_input", `Invalid JSON passed in ${param} parameter`) };
    }
    if (!isNode(value)) {
      return { error: invalid(param, "invalid_input", `Invalid JSON passed in ${param} parameter`) };
    }
    out[key] = value as Node & Record<string, Node>;
  }
  return { ok: out };
}

const WRAPPERS = new Set(["InsightVizNode", "DataTableNode", "DataVisualizationNode"]);

function withFilters(source: Node, filters: Node): Node {
  const hasDates = filters.date_from !== undefined || filters.date_to !== undefined;
  const dateRange = {
    date_from: filters.date_from ?? null,
    date_to: filters.date_to ?? null,
    ...(filters.explicitDate === undefined ? {} : { explicitDate: filters.explicitDate }),
  };
  const extra = Array.isArray(filters.properties) && filters.properties.length > 0 ? filters.properties : undefined;
  const out = { ...source };
  if (source.kind === "HogQLQuery") {
    const hogFilters = isNode(source.filters) ? { ...source.filters } : {};
    if (hasDates) {
      hogFilters.dateRange = dateRange;
    }
    if (extra) {
      hogFilters.properties = [...(Array.isArray(hogFilters.properties) ? hogFilters.properties : []), ...extra];
    }
    out.filters = hogFilters;
    return out;
  }
  if (source.kind === "EventsQuery") {
    if (hasDates) {
      out.after = dateRange.date_from;
      out.before = dateRange.date_to;
    }
    return out;
  }
  if (hasDates) {
    out.dateRange = dateRange;
  }
  if (extra) {
    const own = source.properties;
    const empty = own === undefined || own === null || (Array.isArray(own) && own.length === 0);
    out.properties = empty
      ? extra
      : {
          type: "AND",
          values: [Array.isArray(own) ? { type: "AND", values: own } : own, { type: "AND", values: extra }],
        };
  }
  if (isNode(filters.breakdown_filter)) {
    out.breakdownFilter = filters.breakdown_filter;
  }
  return out;
}

function withVariables(source: Node, variables: Record<string, Node>): Node {
  if (source.kind !== "HogQLQuery" || !isNode(source.variables)) {
    return source;
  }
  const current = source.variables as Record<string, Node>;
  const next: Record<string, Node> = { ...current };
  for (const [id, override] of Object.entries(variables)) {
    const variable = current[id];
    if (variable && isNode(override)) {
      next[id] = {
        ...variable,
        value: override.value ?? null,
        ...(override.isNull === undefined ? {} : { isNull: override.isNull }),
      };
    }
  }
  return { ...source, variables: next };
}

/**
 * The query with the overrides applied (a copy), or the query itself when there are none.
 *
 * @example
 * const query = { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [] } };
 * applyOverrides(query, { filters: { date_from: "-7d" } }); // source.dateRange.date_from === "-7d"
 */
export function applyOverrides<Q extends Node | null>(query: Q, overrides: Overrides): Q {
  if (!query || (!overrides.filters && !overrides.variables)) {
    return query;
  }
  const apply = (source: Node): Node => {
    let out = source;
    if (overrides.filters) {
      out = withFilters(out, overrides.filters);
    }
    if (overrides.variables) {
      out = withVariables(out, overrides.variables);
    }
    return out;
  };
  const copy = structuredClone(query) as Node;
  if (WRAPPERS.has(String(copy.kind)) && isNode(copy.source)) {
    return { ...copy, source: apply(copy.source) } as unknown as Q;
  }
  return apply(copy) as Q;
}
