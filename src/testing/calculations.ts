// Refresh modes and async calculations (reference §9-10): what each mode does with the
// insight's cached results, and the status polled through `/query/{id}/`. Uses the store.
import { serverTime } from "./dates.js";
import { hash } from "./hash.js";
import { queryFromFilters } from "./legacy.js";
import { compute } from "./results.js";
import type { CachedResult, Store, StoredInsight, StoredQuery } from "./store.js";

/** An execution mode of the insight endpoints. */
export type RefreshMode = "force_cache" | "blocking" | "async" | "lazy_async" | "force_blocking" | "force_async";

const MODES = new Set<string>(["force_cache", "blocking", "async", "lazy_async", "force_blocking", "force_async"]);

/** `refresh` as PostHog reads it: legacy booleans, and unknown strings silently mean `force_cache`. */
export function refreshMode(value: string | null): RefreshMode {
  if (value === null) {
    return "force_cache";
  }
  if (["", "true", "1", "yes"].includes(value.toLowerCase())) {
    return "force_blocking";
  }
  return MODES.has(value) ? (value as RefreshMode) : "force_cache";
}

// Staleness thresholds per interval (default, lazy), in milliseconds.
const HOUR = 3_600_000;
const THRESHOLDS: Record<string, [number, number]> = {
  minute: [5 * 60_000, 15 * 60_000],
  hour: [HOUR, 2 * HOUR],
  day: [6 * HOUR, 12 * HOUR],
  week: [24 * HOUR, 24 * HOUR],
  month: [24 * HOUR, 24 * HOUR],
};

function threshold(insight: StoredInsight, lazy: boolean): number {
  const source = (insight.query?.source ?? insight.query) as { interval?: unknown } | null;
  const pair = THRESHOLDS[String(source?.interval ?? "")] ?? [6 * HOUR, 12 * HOUR];
  return lazy ? pair[1] : pair[0];
}

// PostHog keeps calculated results 7 days (CACHED_RESULTS_TTL); after that a read is a cache miss.
const CACHE_TTL = 7 * 24 * HOUR;

/** The query an insight is calculated from: its own, or the one PostHog derives from legacy filters. */
export function effectiveQuery(insight: StoredInsight): Record<string, unknown> | null {
  return insight.query ?? queryFromFilters(insight.filters);
}

/** The cache key of the query calculated for an insight: `filters_hash` and the async query id. */
export function cacheKey(insight: StoredInsight, projectId: number, query = effectiveQuery(insight)): string {
  return `cache_${hash(JSON.stringify([projectId, query, insight.filters])).toString(16)}`;
}

/** The result fields of an insight, with `query_status` when a calculation runs. */
export interface ResultFields {
  cache: CachedResult | undefined;
  is_cached: boolean;
  status: StoredQuery | undefined;
}

/** Calculates `query` now and stores the result as the insight's cache. */
export function calculate(insight: StoredInsight, key: string, now: Date, query: unknown): CachedResult {
  insight.cache = { ...compute(query, now), key, last_refresh: serverTime(now) };
  return insight.cache;
}

/**
 * Applies a refresh mode to an insight: calculates, starts an async calculation, or serves
 * the cache, as PostHog's query runner decides.
 */
export function applyRefresh(
  store: Store,
  insight: StoredInsight,
  mode: RefreshMode,
  projectId: number,
  now: Date,
  clientQueryId?: string,
  query = effectiveQuery(insight),
): ResultFields {
  const key = cacheKey(insight, projectId, query);
  const stored = insight.cache?.key === key ? insight.cache : undefined;
  const age = stored ? now.getTime() - Date.parse(stored.last_refresh) : Number.POSITIVE_INFINITY;
  const cached = age < CACHE_TTL ? stored : undefined;
  const running = [...store.queries.values()].find(
    (q) => q.insightId === insight.id && q.key === key && !q.computed && q.error === undefined,
  );
  const fresh = (lazy: boolean): boolean => age < threshold(insight, lazy);
  const unsupported = uncalculable(query);
  if (unsupported && mode !== "force_cache") {
    // PostHog's query runner has no runner for these; the insight endpoint answers a failed status.
    const failed = start(store, insight, clientQueryId ?? key, key, now, query);
    failed.end_time = failed.start_time;
    failed.error = `Unsupported query kind: ${unsupported}`;
    return { cache: undefined, is_cached: false, status: failed };
  }
  switch (mode) {
    case "force_blocking":
      return { cache: calculate(insight, key, now, query), is_cached: false, status: undefined };
    case "blocking":
      if (cached && fresh(false)) {
        return { cache: cached, is_cached: true, status: running };
      }
      return { cache: calculate(insight, key, now, query), is_cached: false, status: undefined };
    case "async":
    case "lazy_async":
    case "force_async": {
      if (mode !== "force_async" && cached && fresh(mode === "lazy_async")) {
        return { cache: cached, is_cached: true, status: running };
      }
      const status = running ?? start(store, insight, clientQueryId ?? key, key, now, query);
      return { cache: cached, is_cached: cached !== undefined, status };
    }
    default:
      return { cache: cached, is_cached: cached !== undefined, status: running };
  }
}

// The legacy table sources PostHog never calculates (it served them from the REST events and persons APIs).
function uncalculable(query: Record<string, unknown> | null): string | undefined {
  const source = query?.source as { kind?: unknown } | undefined;
  const kind = source?.kind;
  return kind === "EventsNode" || kind === "PersonsNode" ? kind : undefined;
}

function start(
  store: Store,
  insight: StoredInsight,
  id: string,
  key: string,
  now: Date,
  calculated: unknown,
): StoredQuery {
  const query: StoredQuery = {
    id,
    insightId: insight.id,
    key,
    query: calculated,
    polls: 0,
    start_time: serverTime(now),
    end_time: null,
    computed: undefined,
  };
  store.queries.set(id, query);
  return query;
}

/**
 * One poll of an async calculation: it stays pending for `steps` polls, then completes and
 * fills the insight's cache (unless the query changed meanwhile).
 */
export function poll(store: Store, query: StoredQuery, steps: number, now: Date): StoredQuery {
  query.polls++;
  if (!query.computed && query.error === undefined && query.polls > steps) {
    const insight = store.insights.get(query.insightId);
    const computed = compute(query.query, now);
    query.computed = computed;
    query.end_time = serverTime(now);
    if (insight) {
      insight.cache = { ...computed, key: query.key, last_refresh: query.end_time };
    }
  }
  return query;
}

/** The `QueryStatus` of a calculation, as PostHog serves it. */
export function queryStatus(query: StoredQuery, projectId: number): Record<string, unknown> {
  const done = query.computed !== undefined;
  return {
    id: query.id,
    query_async: true,
    team_id: projectId,
    insight_id: query.insightId,
    dashboard_id: null,
    error: query.error !== undefined,
    complete: done || query.error !== undefined,
    error_message: query.error ?? null,
    results: done
      ? {
          results: query.computed?.result ?? null,
          columns: query.computed?.columns ?? null,
          types: query.computed?.types ?? null,
          hasMore: query.computed?.hasMore ?? null,
          hogql: query.computed?.hogql ?? null,
          is_cached: false,
        }
      : null,
    start_time: query.start_time,
    pickup_time: query.start_time,
    end_time: query.end_time,
    expiration_time: query.end_time ? serverTime(Date.parse(query.end_time) + 600_000) : null,
    task_id: `task_${query.id}`,
    query_progress: null,
    labels: null,
  };
}
