// Handlers of the insight routes: list, create, retrieve, update, delete (405), viewed,
// my_last_viewed, trending and cancel. They read and change the store and return answers.
import { type Answer, empty, invalid, json, notFound } from "../answers.js";
import { applyRefresh, effectiveQuery, type RefreshMode, refreshMode } from "../calculations.js";
import { changesBetween } from "../changes.js";
import { type Context, intParam, truthy, withQuery } from "../context.js";
import { parseDate } from "../dates.js";
import { inDashboardContext } from "../kinds/dashboard-context.js";
import { INSIGHT_KINDS } from "../legacy.js";
import { applyOverrides, type Overrides, requestOverrides } from "../overrides.js";
import { MAX_SEARCH_LENGTH, searchMatch, searchTerm } from "../search.js";
import { basicInsight, dashboardIdsAsked, fullInsight, insightCsv, listCsv, membership } from "../serialize.js";
import { FAKE_USER, type StoredInsight } from "../store.js";
import { clientQueryId, type InsightFields, insightFields, mcpQuery, viewedIds } from "../validate.js";

const csvAnswer = (status: number, body: string): Answer => ({
  status,
  text: { body, type: "text/csv; charset=utf-8" },
});

const wantsCsv = (ctx: Context): boolean => ctx.url.searchParams.get("format") === "csv";

/** The refresh mode of a request; a sharing-token reader's is remapped as PostHog does. */
function requestMode(ctx: Context): RefreshMode {
  const mode = refreshMode(ctx.url.searchParams.get("refresh"));
  if (ctx.shared === undefined) {
    return mode;
  }
  // shared_insights_execution_mode: cache reads refresh stale results in the background, and a
  // forced calculation is only honoured when the cache is stale.
  if (mode === "force_cache") {
    return "lazy_async";
  }
  return mode === "force_blocking" ? "blocking" : mode;
}

/**
 * The full insight as this request asks for it: `from_dashboard` puts it in that dashboard's
 * context, then overrides and the refresh mode apply.
 */
function present(ctx: Context, insight: StoredInsight, overrides: Overrides = {}) {
  const context = inDashboardContext(ctx.store, insight, ctx.url.searchParams.get("from_dashboard"));
  const shown = context?.insight ?? insight;
  const query = applyOverrides(effectiveQuery(shown), overrides);
  const fields = applyRefresh(
    ctx.store,
    shown,
    requestMode(ctx),
    ctx.config.projectId,
    ctx.now,
    ctx.url.searchParams.get("client_query_id") ?? undefined,
    query,
  );
  const overridden = overrides.filters || overrides.variables ? { query } : {};
  const member = membership(ctx.store, insight.id, dashboardIdsAsked(ctx));
  const full = fullInsight(shown, fields, ctx.config.projectId, ctx.config.api === "current", member, {
    ...overridden,
    shared: ctx.shared !== undefined,
  });
  return context ? { ...full, color: context.tile.color, layouts: structuredClone(context.tile.layouts) } : full;
}

/** The lightweight insight of `basic=true`, with the membership this request may see. */
function presentBasic(ctx: Context, insight: StoredInsight, context = viewContext(ctx, insight)) {
  const member = membership(ctx.store, insight.id, dashboardIdsAsked(ctx));
  return basicInsight(insight, ctx.config.api === "current", context, member);
}

function answerInsight(ctx: Context, status: number, insight: StoredInsight): Answer {
  if (truthy(ctx.url.searchParams.get("basic")) && ctx.method === "GET") {
    return json(status, presentBasic(ctx, insight));
  }
  const overrides = ctx.method === "GET" ? requestOverrides(ctx.url) : { ok: {} };
  if ("error" in overrides) {
    return overrides.error;
  }
  const full = present(ctx, insight, overrides.ok);
  return wantsCsv(ctx) ? csvAnswer(status, insightCsv(full)) : json(status, full);
}

function viewContext(ctx: Context, insight: StoredInsight) {
  return { tags: true, lastViewedAt: ctx.config.api === "current" ? insight.last_viewed_at : null };
}

/** The live (not soft-deleted) insight the path designates (for a sharing token, only its insight). */
function live(ctx: Context): StoredInsight | undefined {
  const insight = ctx.store.find(ctx.params.id ?? "", ctx.config.api === "current");
  const visible = ctx.shared === undefined || insight?.id === ctx.shared;
  return insight && !insight.deleted && visible ? insight : undefined;
}

const ORDERABLE = new Set([
  "id",
  "short_id",
  "name",
  "derived_name",
  "description",
  "order",
  "created_at",
  "updated_at",
  "last_modified_at",
  "last_viewed_at",
  "favorited",
  "saved",
]);

const WRAPPERS = new Set(["InsightVizNode", "DataTableNode", "DataVisualizationNode"]);

/** The `insight` list filter, as PostHog's: a type, `SQL`, or `JSON` (any other query). */
function isOfType(insight: StoredInsight, type: string): boolean {
  const query = insight.query;
  const wrapped = query !== null && WRAPPERS.has(String(query.kind));
  const sourceKind = wrapped ? String((query?.source as { kind?: unknown } | undefined)?.kind) : undefined;
  if (type === "SQL") {
    return sourceKind === "HogQLQuery";
  }
  if (type === "JSON") {
    return query !== null && sourceKind !== "HogQLQuery" && !Object.values(INSIGHT_KINDS).includes(sourceKind ?? "");
  }
  // A legacy-filters insight matches on the `insight` its filters name.
  const legacy = query === null && insight.filters.insight === type;
  return legacy || (query?.kind === "InsightVizNode" && sourceKind === INSIGHT_KINDS[type]);
}

function jsonList(raw: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value : [value];
  } catch {
    return undefined;
  }
}

// The insights PostHog creates on a feature flag's usage dashboard (dashboard_templates.py).
const FEATURE_FLAG_INSIGHT_NAMES = new Set([
  "Feature Flag Called Total Volume",
  "Feature Flag calls made by unique users per variant",
]);

const mentions = (value: unknown, text: string): boolean =>
  value !== undefined && value !== null && JSON.stringify(value).toLowerCase().includes(text.toLowerCase());

type Filter = (insight: StoredInsight) => boolean;

/** The list filters of the query string, or the validation error of one. */
function filters(ctx: Context): Filter[] | Answer {
  const q = ctx.url.searchParams;
  const out: Filter[] = [];
  const shortId = q.get("short_id");
  if (shortId !== null) {
    out.push((i) => i.short_id === shortId);
  }
  const createdBy = q.get("created_by");
  if (createdBy !== null) {
    const ids = jsonList(createdBy);
    if (!ids || ids.some((id) => !Number.isSafeInteger(id))) {
      return invalid("created_by", "invalid_input", "Enter a whole number or a list of whole numbers.");
    }
    // Every insight of the fake is created by its one user.
    out.push(() => ids.length === 0 || ids.includes(FAKE_USER.id));
  }
  if (q.has("user")) {
    // A presence flag, as PostHog's: the caller's own insights (here, every insight).
    out.push(() => true);
  }
  if (q.has("favorited")) {
    out.push((i) => i.favorited);
  }
  const saved = q.get("saved");
  if (saved !== null) {
    const onDashboard = (i: StoredInsight) => ctx.store.dashboards.memberships(i.id).length > 0;
    out.push(truthy(saved) ? (i) => i.saved || onDashboard(i) : (i) => !i.saved);
  }
  const flag = q.get("feature_flag");
  if (flag !== null) {
    // Legacy filters break down by `$feature/<flag>` or name the flag in properties; queries mention `$feature/<flag>`.
    const breakdown = `$feature/${flag}`;
    out.push(
      (i) =>
        mentions(i.filters.breakdown, breakdown) ||
        mentions(i.filters.properties, flag) ||
        mentions(i.query, breakdown),
    );
  }
  if (truthy(q.get("hide_feature_flag_insights"))) {
    out.push((i) => !FEATURE_FLAG_INSIGHT_NAMES.has(i.name ?? ""));
  }
  const type = q.get("insight");
  if (type !== null) {
    out.push((i) => isOfType(i, type));
  }
  const tags = q.get("tags");
  if (tags) {
    const names = jsonList(tags);
    if (!names) {
      return invalid("tags", "invalid_input", "Enter a list of tag names.");
    }
    if (names.length > 0) {
      out.push((i) => i.tags.some((t) => names.includes(t)));
    }
  }
  const dashboards = q.get("dashboards");
  if (dashboards !== null) {
    const ids = jsonList(dashboards);
    if (!ids) {
      return invalid("dashboards", "invalid_input", "Enter a list of dashboard ids.");
    }
    out.push((i) => ids.every((d) => ctx.store.dashboards.memberships(i.id).some((t) => t.dashboard_id === d)));
  }
  const ranges: [string, keyof StoredInsight, boolean][] = [
    ["date_from", "last_modified_at", true],
    ["date_to", "last_modified_at", false],
    ["created_date_from", "created_at", true],
    ["created_date_to", "created_at", false],
    ["last_viewed_date_from", "last_viewed_at", true],
    ["last_viewed_date_to", "last_viewed_at", false],
  ];
  for (const [name, field, after] of ranges) {
    const value = q.get(name);
    const date = value === null ? undefined : parseDate(value, ctx.now);
    if (value !== null && !date) {
      return invalid(name, "invalid_input", "Enter a valid date.");
    }
    if (date) {
      out.push((i) => {
        const at = typeof i[field] === "string" ? Date.parse(i[field] as string) : Number.NaN;
        return after ? at > date.getTime() : at < date.getTime();
      });
    }
  }
  return out;
}

function sorter(order: string): (a: StoredInsight, b: StoredInsight) => number {
  const desc = order.startsWith("-");
  const field = (desc ? order.slice(1) : order) as keyof StoredInsight;
  return (a, b) => {
    const x = a[field] as string | number | boolean | null;
    const y = b[field] as string | number | boolean | null;
    // Nulls last, whatever the direction (PostHog does so for last_viewed_at).
    if (x === y) {
      return a.id - b.id;
    }
    if (x === null || y === null) {
      return x === null ? 1 : -1;
    }
    const cmp = x < y ? -1 : 1;
    return desc ? -cmp : cmp;
  };
}

/** GET /insights/: limit/offset pages with absolute links, filters, search and `order`. */
export function listInsights(ctx: Context): Answer {
  const found = filters(ctx);
  if (!Array.isArray(found)) {
    return found;
  }
  const order = ctx.url.searchParams.get("order");
  if (order !== null && !ORDERABLE.has(order.replace(/^-/, ""))) {
    return invalid("order", "invalid_input", `Cannot order by "${order}".`);
  }
  const rawSearch = ctx.url.searchParams.get("search");
  if (rawSearch !== null && rawSearch.length > MAX_SEARCH_LENGTH) {
    return invalid("search", "invalid_input", `Search query must be ${MAX_SEARCH_LENGTH} characters or fewer.`);
  }
  const overrides = requestOverrides(ctx.url);
  if ("error" in overrides) {
    return overrides.error;
  }
  const term = searchTerm(rawSearch ?? "");
  const matches = new Map<number, ReturnType<typeof searchMatch>>();
  let all = [...ctx.store.insights.values()].filter(
    (i) => !i.deleted && (ctx.shared === undefined || i.id === ctx.shared) && found.every((f) => f(i)),
  );
  if (term !== "") {
    for (const insight of all) {
      matches.set(insight.id, searchMatch(term, insight));
    }
    // Typo-tolerant matches are a 2026 server's; older ones match substrings only.
    const current = ctx.config.api === "current";
    all = all.filter((i) => matches.get(i.id)?.type === "exact" || (current && matches.get(i.id) !== undefined));
  }
  if (order !== null || term === "") {
    all.sort(sorter(order ?? "id"));
  } else {
    // Relevance: exact matches first, then by similarity, then by name (PostHog's tiebreaker).
    const rank = (i: StoredInsight) => matches.get(i.id) ?? { type: "similar", score: 0 };
    all.sort(
      (a, b) =>
        Number(rank(a).type === "similar") - Number(rank(b).type === "similar") ||
        rank(b).score - rank(a).score ||
        (a.name ?? "").localeCompare(b.name ?? "") ||
        a.id - b.id,
    );
  }
  const limit = intParam(ctx.url, "limit", 100, 1);
  const offset = intParam(ctx.url, "offset", 0, 0);
  const page = all.slice(offset, offset + limit);
  const next =
    offset + limit < all.length ? withQuery(ctx.url, { limit: String(limit), offset: String(offset + limit) }) : null;
  let previous: string | null = null;
  if (offset > 0) {
    // DRF drops `offset` from the link back to the first page.
    previous =
      offset - limit <= 0
        ? withQuery(ctx.url, { limit: String(limit), offset: null })
        : withQuery(ctx.url, { limit: String(limit), offset: String(offset - limit) });
  }
  const current = ctx.config.api === "current";
  const basic = truthy(ctx.url.searchParams.get("basic"));
  const results = page.map((i) => {
    const item = basic ? presentBasic(ctx, i) : present(ctx, i, overrides.ok);
    const match = matches.get(i.id);
    return current && match ? { ...item, search_match_type: match.type } : item;
  });
  if (wantsCsv(ctx)) {
    return csvAnswer(200, listCsv(results));
  }
  return json(200, { count: all.length, next, previous, results });
}

function applyFields(ctx: Context, insight: StoredInsight, fields: InsightFields): void {
  const { dashboards, ...rest } = fields;
  Object.assign(insight, rest);
  if (dashboards) {
    ctx.store.dashboards.setMemberships(insight.id, dashboards);
  }
}

/** PostHog's refusal of `dashboards` naming a dashboard that does not exist or is soft-deleted; nothing is changed. */
function unknownDashboard(ctx: Context, fields: InsightFields): Answer | undefined {
  const unknown = ctx.store.dashboards.unknown(fields.dashboards ?? [])[0];
  return unknown === undefined
    ? undefined
    : invalid("dashboards", "does_not_exist", `Invalid pk "${unknown}" - object does not exist.`);
}

/** An insight's dashboards as its activity log names them. */
function dashboardRefs(ctx: Context, ids: number[]): { id: number; name: string | null }[] {
  return ids.map((id) => ({ id, name: ctx.store.dashboards.dashboards.get(id)?.name ?? null }));
}

/** The query of a body from PostHog's MCP client (`x-posthog-client: mcp`): normalized, or refused. */
function mcpFields(ctx: Context, fields: InsightFields, creating: boolean): InsightFields | Answer {
  if (ctx.headers.get("x-posthog-client") !== "mcp") {
    return fields;
  }
  if (creating && fields.query === undefined) {
    return invalid("query", "invalid_input", "This field is required.");
  }
  if (fields.query === undefined || fields.query === null) {
    return fields;
  }
  const query = mcpQuery(fields.query);
  return "error" in query ? query.error : { ...fields, query: query.ok };
}

/** POST /insights/: 201 with the new insight; "created" is logged only for a named one. */
export function createInsight(ctx: Context): Answer {
  const parsed = insightFields(ctx.body ?? {});
  if ("error" in parsed) {
    return parsed.error;
  }
  const fields = mcpFields(ctx, parsed.ok, true);
  if ("status" in fields) {
    return fields;
  }
  const refused = unknownDashboard(ctx, fields);
  if (refused) {
    return refused;
  }
  const now = ctx.stamp;
  const current = ctx.config.api === "current";
  const insight: StoredInsight = {
    ...ctx.store.nextIds(),
    name: null,
    derived_name: null,
    description: null,
    query: null,
    filters: {},
    order: null,
    deleted: false,
    favorited: false,
    // `saved` is a vestige PostHog now defaults to true; older servers defaulted to false.
    saved: current,
    tags: [],
    is_sample: false,
    created_at: now,
    updated_at: now,
    last_modified_at: now,
    last_viewed_at: null,
    cache: undefined,
  };
  applyFields(ctx, insight, fields);
  ctx.store.insights.set(insight.id, insight);
  if (insight.name || insight.derived_name) {
    ctx.store.log(insight, "created", null, now);
  }
  if (current) {
    // Current PostHog records a view for the creator.
    ctx.store.view(insight, now);
  }
  return answerInsight(ctx, 201, insight);
}

/** GET /insights/{id}/. */
export function retrieveInsight(ctx: Context): Answer {
  const insight = live(ctx);
  return insight ? answerInsight(ctx, 200, insight) : notFound();
}

// Insight.MATERIAL_INSIGHT_FIELDS: sending any of them moves last_modified_at (a query does not).
const MATERIAL = ["name", "description", "filters"] as const;

const tracked = (insight: StoredInsight) =>
  structuredClone({
    tags: insight.tags,
    name: insight.name,
    derived_name: insight.derived_name,
    description: insight.description,
    filters: insight.filters,
    query: insight.query,
    deleted: insight.deleted,
    favorited: insight.favorited,
  });

/** PATCH (and PUT) /insights/{id}/: changes the given fields and logs what changed. */
export function updateInsight(ctx: Context): Answer {
  const parsed = insightFields(ctx.body ?? {});
  if ("error" in parsed) {
    return parsed.error;
  }
  const fields = mcpFields(ctx, parsed.ok, false);
  if ("status" in fields) {
    return fields;
  }
  const insight = ctx.store.find(ctx.params.id ?? "", ctx.config.api === "current");
  // Only a restore can address a soft-deleted insight.
  if (!insight || (insight.deleted && fields.deleted !== false)) {
    return notFound();
  }
  const refused = unknownDashboard(ctx, fields);
  if (refused) {
    return refused;
  }
  const before = tracked(insight);
  const wasDeleted = insight.deleted;
  const dashboardsBefore = ctx.store.dashboards.memberships(insight.id).map((t) => t.dashboard_id);
  const current = ctx.config.api === "current";
  // Today's PostHog marks any updated insight saved unless the request says otherwise.
  applyFields(ctx, insight, current && fields.saved === undefined ? { ...fields, saved: true } : fields);
  const now = ctx.stamp;
  const changes = changesBetween(before, tracked(insight));
  const sameSet = (a: number[], b: number[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (fields.dashboards && !sameSet(dashboardsBefore, fields.dashboards)) {
    // Last, after the model's fields; by id and name, the new ones in the order sent, as PostHog logs them.
    changes.push({
      type: "Insight",
      action: "changed",
      field: "dashboards",
      before: dashboardRefs(ctx, dashboardsBefore),
      after: dashboardRefs(ctx, fields.dashboards),
    });
  }
  insight.updated_at = now;
  insight.is_sample = false;
  if (MATERIAL.some((field) => field in fields)) {
    insight.last_modified_at = now;
  }
  // PostHog logs nothing for an insight without a name or derived name, nor an update without changes.
  if (changes.length > 0 && (insight.name || insight.derived_name)) {
    const deleted = changes.find((c) => c.field === "deleted");
    let activity = "updated";
    if (deleted && current) {
      activity = insight.deleted ? "deleted" : "restored";
    }
    ctx.store.log(insight, activity, changes, now);
  }
  if (insight.deleted) {
    // The soft-delete answer itself is the last time the insight is served.
    ctx.store.dashboards.hideInsight(insight.id);
  } else if (wasDeleted) {
    ctx.store.dashboards.restoreInsight(insight.id);
  }
  return answerInsight(ctx, 200, insight);
}

/** DELETE /insights/{id}/: PostHog forbids hard deletes, 405 with no body, without a lookup. */
export function deleteInsight(): Answer {
  return empty(405);
}

/** POST /insights/{id}/viewed/ (legacy PostHog): 201, no body. */
export function markViewed(ctx: Context): Answer {
  const insight = live(ctx);
  if (!insight) {
    return notFound();
  }
  ctx.store.view(insight, ctx.stamp);
  return empty(201);
}

/** POST /insights/viewed/ (current PostHog): unknown and deleted ids are silently dropped. */
export function markManyViewed(ctx: Context): Answer {
  const ids = viewedIds(ctx.body);
  if ("error" in ids) {
    return ids.error;
  }
  for (const id of ids.ok) {
    const insight = ctx.store.insights.get(id);
    if (insight && !insight.deleted) {
      ctx.store.view(insight, ctx.stamp);
    }
  }
  return empty(201);
}

/** The live insights the caller viewed, most recently viewed first, with the view's time. */
function viewedLive(ctx: Context): { insight: StoredInsight; at: string }[] {
  return [...ctx.store.views.entries()]
    .reverse()
    .map(([id, at]) => ({ insight: ctx.store.insights.get(id), at }))
    .filter((v): v is { insight: StoredInsight; at: string } => v.insight !== undefined && !v.insight.deleted);
}

/** GET /insights/my_last_viewed/: a bare array of at most 5, most recent first. */
export function myLastViewed(ctx: Context): Answer {
  const current = ctx.config.api === "current";
  return json(
    200,
    viewedLive(ctx)
      .slice(0, 5)
      .map((v) => presentBasic(ctx, v.insight, { tags: false, lastViewedAt: current ? v.at : null })),
  );
}

/**
 * GET /insights/trending/: the insights viewed in the last `days` days (default 7), most viewed
 * first, then most recently modified, at most `limit` (default 10, at most 100), in the list
 * envelope. The fake has one user, so a viewed insight has one view and one viewer.
 */
export function trendingInsights(ctx: Context): Answer {
  const number = (name: string, fallback: number): number | undefined => {
    const raw = ctx.url.searchParams.get(name);
    if (raw === null) {
      return fallback;
    }
    return /^-?\d+$/.test(raw.trim()) ? Number(raw) : undefined;
  };
  const days = number("days", 7);
  const limit = number("limit", 10);
  if (days === undefined || limit === undefined) {
    return invalid(null, "invalid_input", "days and limit must be valid integers");
  }
  const cutoff = ctx.now.getTime() - days * 86_400_000;
  const results = viewedLive(ctx)
    .filter((v) => Date.parse(v.at) >= cutoff)
    .sort((a, b) => b.insight.last_modified_at.localeCompare(a.insight.last_modified_at) || b.insight.id - a.insight.id)
    .slice(0, Math.max(0, Math.min(limit, 100)))
    .map((v) => ({
      ...presentBasic(ctx, v.insight),
      last_viewed_at: v.at,
      view_count: 1,
      viewers: [{ ...FAKE_USER }],
      last_modified_by: { ...FAKE_USER },
    }));
  return json(200, { count: results.length, next: null, previous: null, results });
}

/** POST /insights/cancel/: stops the calculations started with this client query id; 201, no body. */
export function cancelInsightQueries(ctx: Context): Answer {
  const id = clientQueryId(ctx.body);
  if ("error" in id) {
    return id.error;
  }
  for (const [key, query] of ctx.store.queries) {
    if (key.startsWith(id.ok) && !query.computed) {
      ctx.store.queries.delete(key);
    }
  }
  return empty(201);
}
