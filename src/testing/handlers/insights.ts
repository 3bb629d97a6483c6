// Handlers of the insight routes: list, create, retrieve, update, delete (405), viewed,
// my_last_viewed and cancel. They read and change the store and return answers.
import { type Answer, empty, invalid, json, notFound } from "../answers.js";
import { applyRefresh, refreshMode } from "../calculations.js";
import { type Context, intParam, truthy, withQuery } from "../context.js";
import { parseDate } from "../dates.js";
import { inDashboardContext } from "../kinds/dashboard-context.js";
import { basicInsight, dashboardIdsAsked, fullInsight, insightCsv, listCsv, membership } from "../serialize.js";
import type { StoredActivity, StoredInsight } from "../store.js";
import { clientQueryId, type InsightFields, insightFields, viewedIds } from "../validate.js";

const csvAnswer = (status: number, body: string): Answer => ({
  status,
  text: { body, type: "text/csv; charset=utf-8" },
});

const wantsCsv = (ctx: Context): boolean => ctx.url.searchParams.get("format") === "csv";

/** The full insight as this request asks for it (refresh mode applied; `from_dashboard`: in that dashboard's context). */
function present(ctx: Context, insight: StoredInsight) {
  const context = inDashboardContext(ctx.store, insight, ctx.url.searchParams.get("from_dashboard"));
  const fields = applyRefresh(
    ctx.store,
    context?.insight ?? insight,
    refreshMode(ctx.url.searchParams.get("refresh")),
    ctx.config.projectId,
    ctx.now,
    ctx.url.searchParams.get("client_query_id") ?? undefined,
  );
  const member = membership(ctx.store, insight.id, dashboardIdsAsked(ctx));
  const full = fullInsight(
    context?.insight ?? insight,
    fields,
    ctx.config.projectId,
    ctx.config.api === "current",
    member,
  );
  return context ? { ...full, color: context.tile.color, layouts: structuredClone(context.tile.layouts) } : full;
}

function answerInsight(ctx: Context, status: number, insight: StoredInsight): Answer {
  if (truthy(ctx.url.searchParams.get("basic")) && ctx.method === "GET") {
    const member = membership(ctx.store, insight.id, dashboardIdsAsked(ctx));
    return json(status, basicInsight(insight, ctx.config.api === "current", viewContext(ctx, insight), member));
  }
  const full = present(ctx, insight);
  return wantsCsv(ctx) ? csvAnswer(status, insightCsv(full)) : json(status, full);
}

function viewContext(ctx: Context, insight: StoredInsight) {
  return { tags: true, lastViewedAt: ctx.config.api === "current" ? insight.last_viewed_at : null };
}

/** The live (not soft-deleted) insight the path designates. */
function live(ctx: Context): StoredInsight | undefined {
  const insight = ctx.store.find(ctx.params.id ?? "", ctx.config.api === "current");
  return insight && !insight.deleted ? insight : undefined;
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

const INSIGHT_TYPES: Record<string, string> = {
  TRENDS: "TrendsQuery",
  FUNNELS: "FunnelsQuery",
  RETENTION: "RetentionQuery",
  PATHS: "PathsQuery",
  STICKINESS: "StickinessQuery",
  LIFECYCLE: "LifecycleQuery",
};

function insightType(insight: StoredInsight): string {
  const query = insight.query;
  if (query?.kind === "DataVisualizationNode") {
    return "SQL";
  }
  const source = (query?.source ?? {}) as { kind?: unknown };
  const found = Object.entries(INSIGHT_TYPES).find(([, kind]) => kind === source.kind);
  return found ? found[0] : "JSON";
}

function jsonList(raw: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value : [value];
  } catch {
    return undefined;
  }
}

type Filter = (insight: StoredInsight) => boolean;

/** The list filters of the query string, or the validation error of one. */
function filters(ctx: Context): Filter[] | Answer {
  const q = ctx.url.searchParams;
  const out: Filter[] = [];
  const search = q.get("search");
  if (search !== null && search !== "") {
    const needle = search.toLowerCase();
    out.push((i) =>
      [i.name, i.derived_name, i.description, ...i.tags].some((t) => t?.toLowerCase().includes(needle) ?? false),
    );
  }
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
    // Every insight of the fake is created by its one user (id 1).
    out.push(() => ids.includes(1));
  }
  if (q.has("favorited")) {
    out.push((i) => i.favorited);
  }
  const saved = q.get("saved");
  if (saved !== null) {
    const onDashboard = (i: StoredInsight) => ctx.store.dashboards.memberships(i.id).length > 0;
    out.push(truthy(saved) ? (i) => i.saved || onDashboard(i) : (i) => !i.saved);
  }
  const type = q.get("insight");
  if (type !== null) {
    out.push((i) => insightType(i) === type.toUpperCase());
  }
  const dashboards = q.get("dashboards");
  if (dashboards !== null) {
    const ids = jsonList(dashboards);
    if (!ids) {
      return invalid("dashboards", "invalid_input", "Enter a list of dashboard ids.");
    }
    out.push((i) => ids.every((d) => ctx.store.dashboards.memberships(i.id).some((t) => t.dashboard_id === d)));
  }
  for (const [name, after] of [
    ["date_from", true],
    ["date_to", false],
  ] as const) {
    const value = q.get(name);
    const date = value === null ? undefined : parseDate(value, ctx.now);
    if (value !== null && !date) {
      return invalid(name, "invalid_input", "Enter a valid date.");
    }
    if (date) {
      out.push((i) =>
        after ? Date.parse(i.last_modified_at) > date.getTime() : Date.parse(i.last_modified_at) < date.getTime(),
      );
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

/** GET /insights/: limit/offset pages with absolute links, filters and `order`. */
export function listInsights(ctx: Context): Answer {
  const found = filters(ctx);
  if (!Array.isArray(found)) {
    return found;
  }
  const order = ctx.url.searchParams.get("order");
  if (order !== null && !ORDERABLE.has(order.replace(/^-/, ""))) {
    return invalid("order", "invalid_input", `Cannot order by "${order}".`);
  }
  const all = [...ctx.store.insights.values()]
    .filter((i) => !i.deleted && found.every((f) => f(i)))
    .sort(sorter(order ?? "id"));
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
  const searching = current && (ctx.url.searchParams.get("search") ?? "") !== "";
  const basic = truthy(ctx.url.searchParams.get("basic"));
  const results = page.map((i) => {
    const item = basic
      ? basicInsight(i, current, viewContext(ctx, i), membership(ctx.store, i.id, dashboardIdsAsked(ctx)))
      : present(ctx, i);
    return searching ? { ...item, search_match_type: "exact" as const } : item;
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

/** POST /insights/: 201 with the new insight; "created" is logged only for a named one. */
export function createInsight(ctx: Context): Answer {
  const fields = insightFields(ctx.body ?? {});
  if ("error" in fields) {
    return fields.error;
  }
  const refused = unknownDashboard(ctx, fields.ok);
  if (refused) {
    return refused;
  }
  const now = ctx.now.toISOString();
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
    saved: false,
    tags: [],
    is_sample: false,
    created_at: now,
    updated_at: now,
    last_modified_at: now,
    last_viewed_at: null,
    cache: undefined,
  };
  applyFields(ctx, insight, fields.ok);
  ctx.store.insights.set(insight.id, insight);
  if (insight.name || insight.derived_name) {
    ctx.store.log(insight, "created", null, now);
  }
  if (ctx.config.api === "current") {
    // Current PostHog records a view for the creator.
    ctx.store.views.set(insight.id, now);
    insight.last_viewed_at = now;
  }
  return answerInsight(ctx, 201, insight);
}

/** GET /insights/{id}/. */
export function retrieveInsight(ctx: Context): Answer {
  const insight = live(ctx);
  return insight ? answerInsight(ctx, 200, insight) : notFound();
}

const TRACKED = [
  "name",
  "derived_name",
  "description",
  "query",
  "filters",
  "favorited",
  "saved",
  "tags",
  "order",
  "deleted",
] as const;
const MODIFYING = new Set(["name", "description", "filters", "query"]);

/** PATCH (and PUT) /insights/{id}/: changes the given fields and logs what changed. */
export function updateInsight(ctx: Context): Answer {
  const fields = insightFields(ctx.body ?? {});
  if ("error" in fields) {
    return fields.error;
  }
  const insight = ctx.store.find(ctx.params.id ?? "", ctx.config.api === "current");
  // Only a restore can address a soft-deleted insight.
  if (!insight || (insight.deleted && fields.ok.deleted !== false)) {
    return notFound();
  }
  const refused = unknownDashboard(ctx, fields.ok);
  if (refused) {
    return refused;
  }
  const dashboardsBefore = ctx.store.dashboards.memberships(insight.id).map((t) => t.dashboard_id);
  const before = structuredClone({ ...insight, cache: undefined });
  applyFields(ctx, insight, fields.ok);
  const now = ctx.now.toISOString();
  const changes: NonNullable<StoredActivity["detail"]["changes"]> = TRACKED.filter(
    (f) => f in fields.ok && JSON.stringify(before[f]) !== JSON.stringify(insight[f]),
  ).map((field) => ({
    type: "Insight" as const,
    action: "changed" as const,
    field: field as string,
    before: before[field],
    after: structuredClone(insight[field]),
  }));
  const sameSet = (a: number[], b: number[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (fields.ok.dashboards && !sameSet(dashboardsBefore, fields.ok.dashboards)) {
    // PostHog logs the dashboards by id and name, the new ones in the order sent.
    changes.push({
      type: "Insight",
      action: "changed",
      field: "dashboards",
      before: dashboardRefs(ctx, dashboardsBefore),
      after: dashboardRefs(ctx, fields.ok.dashboards),
    });
  }
  insight.updated_at = now;
  insight.is_sample = false;
  if (changes.some((c) => MODIFYING.has(c.field))) {
    insight.last_modified_at = now;
  }
  if (changes.length > 0) {
    const deleted = changes.find((c) => c.field === "deleted");
    let activity = "updated";
    if (deleted && ctx.config.api === "current") {
      activity = insight.deleted ? "deleted" : "restored";
    }
    ctx.store.log(insight, activity, changes, now);
  }
  if (insight.deleted) {
    // The soft-delete answer itself is the last time the insight is served.
    ctx.store.dashboards.hideInsight(insight.id);
  } else if (before.deleted) {
    ctx.store.dashboards.restoreInsight(insight.id);
  }
  return answerInsight(ctx, 200, insight);
}

/** DELETE /insights/{id}/: PostHog forbids hard deletes, 405 with no body, without a lookup. */
export function deleteInsight(): Answer {
  return empty(405);
}

function view(ctx: Context, insight: StoredInsight): void {
  const now = ctx.now.toISOString();
  ctx.store.views.set(insight.id, now);
  insight.last_viewed_at = now;
}

/** POST /insights/{id}/viewed/ (legacy PostHog): 201, no body. */
export function markViewed(ctx: Context): Answer {
  const insight = live(ctx);
  if (!insight) {
    return notFound();
  }
  view(ctx, insight);
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
      view(ctx, insight);
    }
  }
  return empty(201);
}

/** GET /insights/my_last_viewed/: a bare array of at most 5, most recent first. */
export function myLastViewed(ctx: Context): Answer {
  const current = ctx.config.api === "current";
  const viewed = [...ctx.store.views.entries()]
    .map(([id, at]) => ({ insight: ctx.store.insights.get(id), at }))
    .filter((v): v is { insight: StoredInsight; at: string } => v.insight !== undefined && !v.insight.deleted)
    .sort((a, b) => b.at.localeCompare(a.at) || b.insight.id - a.insight.id)
    .slice(0, 5);
  return json(
    200,
    viewed.map((v) =>
      basicInsight(
        v.insight,
        current,
        { tags: false, lastViewedAt: current ? v.at : null },
        membership(ctx.store, v.insight.id, dashboardIdsAsked(ctx)),
      ),
    ),
  );
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
