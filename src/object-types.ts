// Public names for the generated schema types of dashboards, tiles, actions, cohorts and group
// types. Aliases only: every shape comes from generated/schema.d.ts; never hand-copy a schema here.
import type { components, operations } from "../generated/schema.js";

type Schemas = components["schemas"];
type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;
type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { "application/json": infer B } };
}
  ? B
  : never;

/**
 * A dashboard in full: its fields and its tiles, each insight rendered in the dashboard's context.
 * @example
 * const dashboard: Dashboard = await posthog.dashboards.retrieve(3);
 * for (const tile of dashboard.tiles) console.log(tile.id, tile.layouts.sm);
 */
export type Dashboard = Schemas["Dashboard"];
/**
 * A dashboard as `list()` yields it: no tiles, no filters.
 * @example
 * for await (const dashboard of posthog.dashboards.list()) console.log(dashboard.id, dashboard.name);
 */
export type DashboardBasic = Schemas["DashboardBasic"];
/**
 * The body of `dashboards.create()`. Tiles are not part of it: PostHog ignores them there.
 * @example const body: DashboardCreate = { name: "Growth", pinned: true, filters: { date_from: "-30d" } };
 */
export type DashboardCreate = Schemas["DashboardCreate"];
/**
 * The body of `dashboards.update()`: fields, and `tiles` changes (layouts, colour, removal, text cards).
 * @example const change: DashboardUpdate = { tiles: [{ id: 11, layouts: { sm: { x: 0, y: 0, w: 6, h: 5 } } }] };
 */
export type DashboardUpdate = Schemas["DashboardUpdate"];
/**
 * One entry of `DashboardUpdate.tiles`: display changes to an existing tile, or a text card.
 * @example const moved: DashboardTileUpdate = { id: 11, color: "blue" };
 */
export type DashboardTileUpdate = Schemas["DashboardTileUpdate"];
/**
 * Filters a dashboard applies to every insight on it.
 * @example const filters: DashboardFilters = { date_from: "-7d", properties: [] };
 */
export type DashboardFilters = Schemas["DashboardFilters"];
/**
 * One tile of a dashboard: narrow it on `insight` or `text`.
 * @example
 * const title = (tile: DashboardTile) => {
 *   if (tile.insight) return tile.insight.name;
 *   return tile.text ? tile.text.body : "widget";
 * };
 */
export type DashboardTile = Schemas["DashboardTile"];
/**
 * A tile showing an insight (`text` is null).
 * @example
 * const { tiles } = await posthog.dashboards.retrieve(3);
 * const insightTiles = tiles.filter((t): t is DashboardInsightTile => t.insight !== null);
 */
export type DashboardInsightTile = Schemas["DashboardInsightTile"];
/**
 * A tile showing a markdown card (`insight` is null).
 * @example const tile: DashboardTextTile = await posthog.dashboards.createTextTile(3, { body: "## Activation" });
 */
export type DashboardTextTile = Schemas["DashboardTextTile"];
/**
 * The markdown card of a text tile.
 * @example const body = (card: DashboardText) => card.body ?? "";
 */
export type DashboardText = Schemas["DashboardText"];
/**
 * A tile's layouts by breakpoint (`sm`: the 12-column desktop grid), stored as sent.
 * @example const layouts: DashboardTileLayouts = { sm: { x: 0, y: 0, w: 12, h: 1 } };
 */
export type DashboardTileLayouts = Schemas["DashboardTileLayouts"];
/**
 * The body of `dashboards.createTextTile()`.
 * @example const card: TextTileCreate = { body: "## Activation", layouts: { sm: { x: 0, y: 5, w: 12, h: 1 } } };
 */
export type TextTileCreate = Body<"createDashboardTextTile">;
/**
 * The changes of `dashboards.updateTextTile()`: body, layouts or colour (the tile id is its own argument).
 * @example const change: TextTileUpdate = { body: "## Activation (weekly)" };
 */
export type TextTileUpdate = Omit<Body<"updateDashboardTextTile">, "tile_id">;
/**
 * Query parameters of `dashboards.list()`.
 * @example const params: ListDashboardsParams = { search: "growth", tags: ["kpi"], limit: 50 };
 */
export type ListDashboardsParams = Query<"listDashboards">;
/**
 * Query parameters of `dashboards.retrieve()`: overrides for this answer only (JSON strings).
 * @example const params: RetrieveDashboardParams = { filters_override: JSON.stringify({ date_from: "-7d" }) };
 */
export type RetrieveDashboardParams = Query<"retrieveDashboard">;

/**
 * An action: a named set of steps matching events, referenced by id from insights and cohorts.
 * @example const action: Action = await posthog.actions.retrieve(42);
 */
export type Action = Schemas["Action"];
/**
 * One step of an action, as PostHog stores it (every field present).
 * @example const urls = (action: Action) => action.steps.map((step: ActionStep) => step.url);
 */
export type ActionStep = Schemas["ActionStep"];
/**
 * The body of `actions.create()`.
 * @example const body: ActionCreate = { name: "Signed up", steps: [{ event: "user signed up" }] };
 */
export type ActionCreate = Schemas["ActionWrite"];
/**
 * The body of `actions.update()`: fields to change; `steps` replaces every step.
 * @example const change: ActionUpdate = { description: "Backend signups only" };
 */
export type ActionUpdate = Schemas["ActionWrite"];
/**
 * Query parameters of `actions.list()`.
 * @example const params: ListActionsParams = { include_reference_count: true };
 */
export type ListActionsParams = Query<"listActions">;

/**
 * A cohort: people matching `filters`, or a static list.
 * @example const cohort: Cohort = await posthog.cohorts.retrieve(5);
 */
export type Cohort = Schemas["Cohort"];
/**
 * A dynamic cohort's definition: nested AND/OR groups of person, behavioral and cohort conditions.
 * @example
 * const filters: CohortFilters = {
 *   properties: { type: "AND", values: [{ type: "person", key: "plan", operator: "exact", value: ["pro"] }] },
 * };
 */
export type CohortFilters = Schemas["CohortFilters"];
/**
 * The body of `cohorts.create()`.
 * @example const body: CohortCreate = { name: "Beta testers", is_static: true };
 */
export type CohortCreate = Schemas["CohortWrite"];
/**
 * The body of `cohorts.update()`.
 * @example const change: CohortUpdate = { name: "Paying customers" };
 */
export type CohortUpdate = Schemas["CohortWrite"];
/**
 * Query parameters of `cohorts.list()`.
 * @example const params: ListCohortsParams = { search: "beta", type: "static" };
 */
export type ListCohortsParams = Query<"listCohorts">;

/**
 * A group type of the project, with its per-project index.
 * @example
 * const types: GroupType[] = await posthog.groupTypes.list();
 * const index = types.find((type) => type.group_type === "company")?.group_type_index;
 */
export type GroupType = Schemas["GroupType"];
