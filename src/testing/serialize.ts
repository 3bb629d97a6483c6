// How stored insights and activity are served: the full Insight, InsightBasic, and CSV text.
// Pure functions over store records: they never change state.
import type { Insight, InsightBasic } from "../types.js";
import { cacheKey, effectiveQuery, queryStatus, type ResultFields } from "./calculations.js";
import { type Context, truthy } from "./context.js";
import { serverTime } from "./dates.js";
import { FAKE_USER, type Store, type StoredActivity, type StoredInsight } from "./store.js";

const HOUR = 3_600_000;

/**
 * Where an insight sits: its tiles on live dashboards (removed tiles left out), and the
 * deprecated `dashboards` ids, unless the server enforces the opt-in and the request did not
 * ask for them.
 */
export interface Membership {
  tiles: { id: number; dashboard_id: number; deleted: boolean | null }[];
  dashboards: number[] | undefined;
}

/**
 * Whether an answer carries the deprecated `dashboards` ids: always, unless the fake enforces the
 * opt-in (`INSIGHT_DASHBOARDS_OPT_IN_ENFORCED`) and the request did not send `include_dashboards=true`.
 */
export function dashboardIdsAsked(ctx: Pick<Context, "config" | "url">): boolean {
  return !ctx.config.enforceDashboardsOptIn || truthy(ctx.url.searchParams.get("include_dashboards"));
}

/** The membership of an insight in the store; `ids` false leaves the deprecated `dashboards` out. */
export function membership(store: Store, insightId: number, ids = true): Membership {
  const tiles = store.dashboards
    .memberships(insightId)
    .map((t) => ({ id: t.id, dashboard_id: t.dashboard_id, deleted: t.deleted }));
  return { tiles, dashboards: ids ? tiles.map((t) => t.dashboard_id) : undefined };
}

/** How an insight is shown: the query served, and whether the reader came with a sharing token. */
export interface View {
  /**
   * The query to serve: default the one PostHog serves (its own, else the one converted from
   * legacy filters, with `filters` then `{}`); `"stored"` shows query and filters as stored.
   */
  query?: Record<string, unknown> | null | "stored";
  /** Read through a `sharing_access_token`: PostHog reports the shared access levels. */
  shared?: boolean;
}

/** The `query` and `filters` an insight is served with. */
function served(insight: StoredInsight, view: View): { query: unknown; filters: Record<string, unknown> } {
  if (view.query === "stored") {
    return { query: structuredClone(insight.query), filters: structuredClone(insight.filters) };
  }
  const query = view.query === undefined ? effectiveQuery(insight) : view.query;
  return query
    ? { query: structuredClone(query), filters: {} }
    : { query: null, filters: structuredClone(insight.filters) };
}

/** The full insight with its result fields. */
export function fullInsight(
  insight: StoredInsight,
  fields: ResultFields,
  projectId: number,
  current: boolean,
  member: Membership,
  view: View = {},
): Insight {
  const cache = fields.cache;
  const shown = served(insight, view);
  const base: Insight = {
    id: insight.id,
    short_id: insight.short_id,
    name: insight.name,
    derived_name: insight.derived_name,
    filters: shown.filters,
    query: shown.query as Insight["query"],
    order: insight.order,
    deleted: insight.deleted,
    ...(member.dashboards ? { dashboards: member.dashboards } : {}),
    dashboard_tiles: member.tiles,
    last_refresh: cache?.last_refresh ?? null,
    cache_target_age: cache ? serverTime(Date.parse(cache.last_refresh) + 6 * HOUR) : null,
    next_allowed_client_refresh: cache ? serverTime(Date.parse(cache.last_refresh) + 60_000) : null,
    result: (cache ? structuredClone(cache.result) : null) as Insight["result"],
    hasMore: cache?.hasMore ?? null,
    columns: cache?.columns ? [...cache.columns] : null,
    created_at: insight.created_at,
    created_by: { ...FAKE_USER },
    description: insight.description,
    updated_at: insight.updated_at,
    tags: [...insight.tags],
    favorited: insight.favorited,
    saved: insight.saved,
    last_modified_at: insight.last_modified_at,
    last_modified_by: { ...FAKE_USER },
    is_sample: insight.is_sample,
    // A sharing-token reader sees ONLY_COLLABORATORS_CAN_EDIT (37) and CAN_VIEW (21).
    effective_restriction_level: view.shared ? 37 : 21,
    effective_privilege_level: view.shared ? 21 : 37,
    timezone: cache ? "UTC" : null,
    is_cached: fields.is_cached,
    query_status: (fields.status ? queryStatus(fields.status, projectId) : null) as Insight["query_status"],
    hogql: cache?.hogql ?? null,
    types: cache?.types ? structuredClone(cache.types) : null,
    filters_hash: cacheKey(
      insight,
      projectId,
      view.query === undefined || view.query === "stored" ? undefined : view.query,
    ),
  };
  if (!current) {
    return base;
  }
  return {
    ...base,
    user_access_level: view.shared ? null : "editor",
    resolved_date_range: cache?.resolved_date_range ?? null,
    alerts: [],
    last_viewed_at: insight.last_viewed_at,
  };
}

/** The lightweight insight of `basic=true` and `my_last_viewed`. */
export function basicInsight(
  insight: StoredInsight,
  current: boolean,
  context: { tags: boolean; lastViewedAt: string | null },
  member: Membership,
): InsightBasic {
  const shown = served(insight, {});
  const basic: InsightBasic = {
    id: insight.id,
    short_id: insight.short_id,
    name: insight.name,
    derived_name: insight.derived_name,
    favorited: insight.favorited,
    filters: shown.filters,
    query: shown.query as InsightBasic["query"],
    ...(member.dashboards ? { dashboards: member.dashboards } : {}),
    dashboard_tiles: member.tiles,
    description: insight.description,
    last_refresh: null,
    refreshing: false,
    saved: insight.saved,
    updated_at: insight.updated_at,
    created_by: { ...FAKE_USER },
    created_at: insight.created_at,
    last_modified_at: insight.last_modified_at,
    // my_last_viewed serializes without request context: tags come back empty.
    tags: context.tags ? [...insight.tags] : [],
  };
  if (current) {
    basic.user_access_level = context.tags ? "editor" : null;
    basic.last_viewed_at = context.lastViewedAt;
  }
  return basic;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) {
    return "";
  }
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV lines from a header and rows. */
export function csv(header: string[], rows: unknown[][]): string {
  return `${[header, ...rows].map((row) => row.map(cell).join(",")).join("\n")}\n`;
}

/** One insight as CSV: its series table when it has a trends-like result, else its fields. */
export function insightCsv(insight: Insight): string {
  const result = insight.result;
  if (Array.isArray(result) && result.length > 0) {
    const first = result[0] as { labels?: unknown; data?: unknown };
    if (first && Array.isArray(first.labels) && Array.isArray(first.data)) {
      const series = result as { label?: unknown; labels: unknown[]; data: unknown[] }[];
      return csv(
        ["series", ...first.labels.map(String)],
        series.map((s) => [s.label, ...s.data]),
      );
    }
    if (Array.isArray(result[0]) && insight.columns) {
      return csv(insight.columns.map(String), result as unknown[][]);
    }
  }
  return csv(
    ["id", "short_id", "name", "last_refresh"],
    [[insight.id, insight.short_id, insight.name, insight.last_refresh]],
  );
}

/** A list page as CSV. */
export function listCsv(
  items: { id: number; short_id: string; name: string | null; last_viewed_at?: string | null }[],
): string {
  return csv(
    ["id", "short_id", "name", "last_viewed_at"],
    items.map((i) => [i.id, i.short_id, i.name, i.last_viewed_at ?? null]),
  );
}

/** An activity page as CSV. */
export function activityCsv(entries: StoredActivity[]): string {
  return csv(
    ["user", "activity", "scope", "item_id", "created_at"],
    entries.map((e) => [e.user.email, e.activity, e.scope, e.item_id, e.created_at]),
  );
}
