// Validation of request bodies the way PostHog's serializers answer it: the first error only,
// as `{type, code, detail, attr}`. Pure functions: they never touch the store.
import { type Answer, invalid, parseError } from "./answers.js";

/** The writable insight fields after validation. */
export interface InsightFields {
  name?: string | null;
  derived_name?: string | null;
  description?: string | null;
  query?: Record<string, unknown> | null;
  filters?: Record<string, unknown>;
  order?: number | null;
  deleted?: boolean;
  favorited?: boolean;
  saved?: boolean;
  dashboards?: number[];
  tags?: string[];
}

type Result<T> = { ok: T } | { error: Answer };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const INSIGHT_SOURCES = new Set([
  "TrendsQuery",
  "FunnelsQuery",
  "RetentionQuery",
  "PathsQuery",
  "StickinessQuery",
  "LifecycleQuery",
  "CalendarHeatmapQuery",
  "WebOverviewQuery",
  "WebStatsTableQuery",
]);
// Insight sources without `series`: each has its own filter or none.
const SERIESLESS_SOURCES = new Set(["CalendarHeatmapQuery", "WebOverviewQuery", "WebStatsTableQuery"]);
const SERIES_KINDS = new Set(["EventsNode", "ActionsNode", "DataWarehouseNode", "GroupNode"]);
// Other kinds of PostHog's query union (QuerySchemaRoot) the kit knows: a bare one is stored as sent.
const ROOT_KINDS = new Set([
  "EventsNode",
  "ActionsNode",
  "PersonsNode",
  "DataWarehouseNode",
  "EventsQuery",
  "SessionsQuery",
  "ActorsQuery",
  "GroupsQuery",
  "InsightActorsQuery",
  "SessionsTimelineQuery",
  "HogQLMetadata",
  "ErrorTrackingQuery",
  "ExperimentFunnelsQuery",
  "ExperimentTrendsQuery",
  "ExperimentQuery",
  "WebExternalClicksTableQuery",
  "WebGoalsQuery",
  "WebVitalsQuery",
  "WebVitalsPathBreakdownQuery",
  "WebPageURLSearchQuery",
  "MarketingAnalyticsTableQuery",
  "MarketingAnalyticsAggregatedQuery",
  "RevenueAnalyticsGrossRevenueQuery",
  "RevenueAnalyticsMetricsQuery",
  "RevenueAnalyticsMRRQuery",
  "RevenueAnalyticsOverviewQuery",
  "RevenueAnalyticsTopCustomersQuery",
  "SavedInsightNode",
  "FunnelCorrelationQuery",
  "TracesQuery",
  "TraceQuery",
  "LogsQuery",
]);
const TABLE_SOURCES = new Set([
  "EventsQuery",
  "EventsNode",
  "HogQLQuery",
  "PersonsNode",
  "ActorsQuery",
  "GroupsQuery",
  "SessionsQuery",
  "WebOverviewQuery",
  "WebStatsTableQuery",
  "MarketingAnalyticsTableQuery",
]);

/** Why a query would fail PostHog's schema validation (a pydantic-like message), or undefined. */
export function queryProblem(query: unknown): string | undefined {
  if (!isObject(query)) {
    return "Input should be a valid dictionary";
  }
  switch (query.kind) {
    case "InsightVizNode":
      return insightSourceProblem(query.source, "source.");
    case "DataVisualizationNode":
      if (!isObject(query.source) || query.source.kind !== "HogQLQuery" || typeof query.source.query !== "string") {
        return "source: Input should be a HogQLQuery with a string query";
      }
      return undefined;
    case "HogQLQuery":
      // PostHog validates against its whole query union: a bare SQL node is stored as sent.
      return typeof query.query === "string" ? undefined : "query: Field required";
    case "DataTableNode":
      if (!isObject(query.source) || !TABLE_SOURCES.has(String(query.source.kind))) {
        return "source: Input should be a valid table source";
      }
      return undefined;
    case "HogQuery":
      return typeof query.code === "string" || query.code === undefined ? undefined : "code: Input should be a string";
    case "EventsQuery":
      return Array.isArray(query.select) ? undefined : "select: Field required";
    default:
      // A bare insight node (`{"kind": "TrendsQuery", ...}`) is accepted too, like a wrapped one.
      if (INSIGHT_SOURCES.has(String(query.kind))) {
        return insightSourceProblem(query, "");
      }
      if (ROOT_KINDS.has(String(query.kind))) {
        return undefined;
      }
      return `Input tag '${String(query.kind)}' found using 'kind' does not match any of the expected tags`;
  }
}

/** Problems of an insight node; `at` is where it sits in the query ("source." or "" when bare). */
function insightSourceProblem(source: unknown, at: string): string | undefined {
  if (!isObject(source) || !INSIGHT_SOURCES.has(String(source.kind))) {
    return "source: Input should be a valid insight query";
  }
  const kind = String(source.kind);
  if (kind === "RetentionQuery") {
    return isObject(source.retentionFilter) ? undefined : `${at}retentionFilter: Field required`;
  }
  if (kind === "PathsQuery") {
    return isObject(source.pathsFilter) ? undefined : `${at}pathsFilter: Field required`;
  }
  if (SERIESLESS_SOURCES.has(kind)) {
    return undefined;
  }
  if (!Array.isArray(source.series)) {
    return `${at}series: Field required`;
  }
  const bad = source.series.findIndex((s) => !isObject(s) || !SERIES_KINDS.has(String(s.kind)));
  return bad >= 0 ? `${at}series.${bad}: Input should be a valid series node` : undefined;
}

const text = (attr: string, value: unknown): Result<string | null> => {
  if (value === null) {
    return { ok: null };
  }
  if (typeof value !== "string") {
    return { error: invalid(attr, "invalid_input", "Not a valid string.") };
  }
  if (value.length > 400) {
    return { error: invalid(attr, "max_length", "Ensure this field has no more than 400 characters.") };
  }
  return { ok: value };
};

const bool = (attr: string, value: unknown): Result<boolean> =>
  typeof value === "boolean" ? { ok: value } : { error: invalid(attr, "invalid_input", "Must be a valid boolean.") };

/** Validates an insight create or update body; unknown and read-only keys are ignored. */
export function insightFields(body: unknown): Result<InsightFields> {
  if (!isObject(body)) {
    const type = Array.isArray(body) ? "list" : typeof body;
    return {
      error: invalid(null, "invalid_input", `Invalid data. Expected a dictionary, but got ${type}.`),
    };
  }
  const out: InsightFields = {};
  for (const attr of ["name", "derived_name", "description"] as const) {
    if (attr in body) {
      const r = text(attr, body[attr]);
      if ("error" in r) {
        return r;
      }
      out[attr] = r.ok;
    }
  }
  for (const attr of ["deleted", "favorited", "saved"] as const) {
    if (attr in body) {
      const r = bool(attr, body[attr]);
      if ("error" in r) {
        return r;
      }
      out[attr] = r.ok;
    }
  }
  if ("order" in body) {
    if (body.order !== null && !Number.isSafeInteger(body.order)) {
      return { error: invalid("order", "invalid_input", "A valid integer is required.") };
    }
    out.order = body.order as number | null;
  }
  if ("filters" in body) {
    if (!isObject(body.filters)) {
      return { error: invalid("filters", "invalid_input", "Value must be valid JSON.") };
    }
    out.filters = body.filters;
  }
  if ("query" in body && body.query !== null && body.query !== undefined) {
    const problem = queryProblem(body.query);
    if (problem) {
      return { error: parseError(`Invalid query: ${problem}`) };
    }
    out.query = body.query as Record<string, unknown>;
  } else if ("query" in body) {
    out.query = null;
  }
  if ("dashboards" in body) {
    const list = body.dashboards;
    if (!Array.isArray(list)) {
      return { error: invalid("dashboards", "not_a_list", `Expected a list of items but got type "${typeof list}".`) };
    }
    const bad = list.find((d) => !(Number.isSafeInteger(d) && (d as number) > 0));
    if (bad !== undefined) {
      return {
        error: invalid("dashboards", "does_not_exist", `Invalid pk "${String(bad)}" - object does not exist.`),
      };
    }
    out.dashboards = [...new Set(list as number[])];
  }
  if ("tags" in body) {
    const list = body.tags;
    if (!Array.isArray(list) || list.some((t) => typeof t !== "string")) {
      return { error: invalid("tags", "not_a_list", "Expected a list of strings.") };
    }
    // PostHog trims, lower-cases and de-duplicates tags.
    out.tags = [...new Set((list as string[]).map((t) => t.trim().toLowerCase()).filter((t) => t !== ""))];
  }
  return { ok: out };
}

// InsightVizNode's sources in PostHog's model: the insight sources but the calendar heatmap.
const VIZ_SOURCES = new Set([...INSIGHT_SOURCES].filter((kind) => kind !== "CalendarHeatmapQuery"));

/**
 * A query from PostHog's MCP client, normalized as its MCPInsightSerializer does: a bare
 * `HogQLQuery` becomes a `DataVisualizationNode`, a wrapper stays as sent, and a bare insight
 * query becomes an `InsightVizNode`; anything else cannot be saved.
 */
export function mcpQuery(query: Record<string, unknown>): Result<Record<string, unknown>> {
  if (query.kind === "HogQLQuery" && typeof query.query === "string") {
    return { ok: { kind: "DataVisualizationNode", source: query } };
  }
  if ((query.kind === "DataVisualizationNode" || query.kind === "InsightVizNode") && !queryProblem(query)) {
    return { ok: query };
  }
  const wrapped = { kind: "InsightVizNode", source: query };
  const problem = VIZ_SOURCES.has(String(query.kind))
    ? insightSourceProblem(query, "source.")
    : `source: Input tag '${String(query.kind)}' found using 'kind' does not match any of the expected tags`;
  if (problem) {
    return { error: invalid("query", "invalid_input", `This query can't be saved: ${problem}`) };
  }
  return { ok: wrapped };
}

// PostHog's SharingConfigurationSettings: what `settings` keeps (unknown keys are dropped).
const SETTINGS_FLAGS = new Set(["whitelabel", "noHeader", "showInspector", "legend", "detailed", "hideExtraDetails"]);
const TRUE = new Set(["true", "1", "yes", "y", "on", "t"]);
const FALSE = new Set(["false", "0", "no", "n", "off", "f"]);

/** Sharing `settings` as PostHog's serializer keeps them (lax booleans, nulls dropped), or undefined when invalid. */
function sharingSettings(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (raw === null || !(SETTINGS_FLAGS.has(key) || key === "theme")) {
      continue;
    }
    if (key === "theme") {
      if (typeof raw !== "string") {
        return undefined;
      }
      out.theme = raw;
      continue;
    }
    const text = typeof raw === "string" || typeof raw === "number" ? String(raw).toLowerCase() : undefined;
    if (typeof raw === "boolean") {
      out[key] = raw;
    } else if (text !== undefined && (TRUE.has(text) || FALSE.has(text))) {
      out[key] = TRUE.has(text);
    } else {
      return undefined;
    }
  }
  return out;
}

/** Validates a sharing update body. */
export function sharingFields(
  body: unknown,
): Result<{ enabled?: boolean; settings?: Record<string, unknown> | null; password_required?: boolean }> {
  if (!isObject(body)) {
    return { error: invalid(null, "invalid_input", "Invalid data. Expected a dictionary.") };
  }
  const out: { enabled?: boolean; settings?: Record<string, unknown> | null; password_required?: boolean } = {};
  for (const attr of ["enabled", "password_required"] as const) {
    if (attr in body) {
      const r = bool(attr, body[attr]);
      if ("error" in r) {
        return r;
      }
      out[attr] = r.ok;
    }
  }
  if ("settings" in body) {
    let settings: Record<string, unknown> | null | undefined = null;
    if (body.settings !== null) {
      settings = isObject(body.settings) ? sharingSettings(body.settings) : undefined;
    }
    if (settings === undefined) {
      return { error: invalid("settings", "invalid_input", "Invalid settings format") };
    }
    out.settings = settings;
  }
  return { ok: out };
}

/** Validates the bulk viewed body: 1 to 2,500 integer ids. */
export function viewedIds(body: unknown): Result<number[]> {
  const ids = isObject(body) ? body.insight_ids : undefined;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => !Number.isSafeInteger(id))) {
    return { error: invalid("insight_ids", "invalid_input", "Must be a non-empty list of insight IDs") };
  }
  if (ids.length > 2500) {
    return { error: invalid("insight_ids", "max_length", "Ensure this field has no more than 2500 elements.") };
  }
  return { ok: ids as number[] };
}

/** Validates the cancel body. */
export function clientQueryId(body: unknown): Result<string> {
  const id = isObject(body) ? body.client_query_id : undefined;
  if (typeof id !== "string" || id === "") {
    return { error: invalid("client_query_id", "invalid_input", "Field is required.") };
  }
  return { ok: id };
}
