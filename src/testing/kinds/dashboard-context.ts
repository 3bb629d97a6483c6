// An insight rendered in a dashboard's context, as PostHog serves it in a dashboard's tiles and
// with `from_dashboard`: the dashboard's filters (and the tile's overrides) applied to a copy of
// its query and legacy filters. Pure functions: the stored insight never changes.
import type { Store, StoredInsight } from "../store.js";
import type { StoredTile } from "./dashboard-store.js";

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value);

const QUERY_SOURCES = new Set(["InsightVizNode", "DataVisualizationNode", "DataTableNode"]);

/** The dashboard filters that change a query: date range, property filters, breakdown. */
function effective(filters: Node): { dateFrom?: unknown; dateTo?: unknown; properties: unknown[]; breakdown?: Node } {
  // An AND group is flattened to its values, as PostHog normalizes dashboard filters on write.
  let properties: unknown[] = [];
  if (Array.isArray(filters.properties)) {
    properties = filters.properties;
  } else if (isNode(filters.properties) && Array.isArray(filters.properties.values)) {
    properties = filters.properties.values;
  }
  return {
    ...(filters.date_from ? { dateFrom: filters.date_from } : {}),
    ...(filters.date_to ? { dateTo: filters.date_to } : {}),
    properties,
    ...(isNode(filters.breakdown_filter) ? { breakdown: filters.breakdown_filter } : {}),
  };
}

/** Property filters of a node with the dashboard's added: a list grows, a group gains an AND branch. */
function withProperties(existing: unknown, added: unknown[]): unknown {
  if (added.length === 0) {
    return existing;
  }
  if (Array.isArray(existing)) {
    return [...existing, ...added];
  }
  if (isNode(existing) && Array.isArray(existing.values)) {
    return { type: "AND", values: [existing, { type: "AND", values: added }] };
  }
  return added;
}

/** A query node (an insight source, a HogQL or events query) with the dashboard's filters applied. */
function applyToNode(node: Node, filters: ReturnType<typeof effective>): Node {
  const out: Node = { ...node };
  const dates = filters.dateFrom !== undefined || filters.dateTo !== undefined;
  if (node.kind === "HogQLQuery") {
    const own = isNode(node.filters) ? node.filters : {};
    const range = isNode(own.dateRange) ? own.dateRange : {};
    out.filters = {
      ...own,
      ...(dates
        ? { dateRange: { ...range, date_from: filters.dateFrom ?? null, date_to: filters.dateTo ?? null } }
        : {}),
      ...(filters.properties.length > 0 ? { properties: withProperties(own.properties, filters.properties) } : {}),
    };
    return out;
  }
  if (node.kind === "EventsQuery") {
    if (dates) {
      out.after = filters.dateFrom ?? node.after;
      out.before = filters.dateTo ?? node.before;
    }
  } else if (dates) {
    const range = isNode(node.dateRange) ? node.dateRange : {};
    out.dateRange = { ...range, date_from: filters.dateFrom ?? null, date_to: filters.dateTo ?? null };
  }
  if (filters.properties.length > 0) {
    out.properties = withProperties(node.properties, filters.properties);
  }
  if (filters.breakdown && node.kind !== "EventsQuery") {
    out.breakdownFilter = { ...(isNode(node.breakdownFilter) ? node.breakdownFilter : {}), ...filters.breakdown };
  }
  return out;
}

/** A query with a dashboard's filters applied, PostHog's way: to the source of a wrapper node, else to the node. */
export function queryInContext(query: Node | null, dashboardFilters: Node): Node | null {
  const filters = effective(dashboardFilters);
  if (
    !query ||
    (filters.dateFrom === undefined &&
      filters.dateTo === undefined &&
      filters.properties.length === 0 &&
      !filters.breakdown)
  ) {
    return query;
  }
  if (QUERY_SOURCES.has(String(query.kind)) && isNode(query.source)) {
    return { ...query, source: applyToNode(query.source, filters) };
  }
  return applyToNode(query, filters);
}

/** Legacy insight filters with a dashboard's applied (date range replaced, properties added); `{}` stays `{}`. */
export function legacyFiltersInContext(filters: Node, dashboardFilters: Node): Node {
  const applied = effective(dashboardFilters);
  if (Object.keys(filters).length === 0) {
    return filters;
  }
  return {
    ...filters,
    ...(applied.dateFrom !== undefined ? { date_from: applied.dateFrom } : {}),
    ...(applied.dateTo !== undefined ? { date_to: applied.dateTo } : {}),
    ...(applied.properties.length > 0 ? { properties: withProperties(filters.properties, applied.properties) } : {}),
  };
}

/** A copy of the insight as a tile shows it: the dashboard's filters, then the tile's overrides, applied. */
export function insightOnTile(insight: StoredInsight, tile: StoredTile, dashboardFilters: Node): StoredInsight {
  const filters = { ...dashboardFilters, ...tile.filters_overrides };
  return {
    ...insight,
    query: queryInContext(insight.query, filters),
    filters: legacyFiltersInContext(insight.filters, filters),
  };
}

/**
 * The insight in the context of the dashboard `dashboardId` names (`from_dashboard`), when it has a
 * tile there; PostHog ignores a dashboard the insight is not on.
 */
export function inDashboardContext(
  store: Store,
  insight: StoredInsight,
  dashboardId: string | null,
): { insight: StoredInsight; tile: StoredTile } | undefined {
  const dashboard = dashboardId && /^\d+$/.test(dashboardId) ? store.dashboards.live(Number(dashboardId)) : undefined;
  const tile = dashboard && store.dashboards.memberships(insight.id).find((t) => t.dashboard_id === dashboard.id);
  return dashboard && tile ? { insight: insightOnTile(insight, tile, dashboard.filters), tile } : undefined;
}
