// The dashboards kind: validation of dashboard bodies, the tile rules of a dashboard PATCH
// (display changes to existing tiles, text cards; inline insight tiles ignored, unknown ids
// skipped), soft delete and restore with their tiles, duplication, the text-tile routes, and how
// a dashboard and its tiles are served (each insight in the dashboard's context).
import { type Answer, empty, errorAnswer, invalid, json, notFound } from "../answers.js";
import { applyRefresh } from "../calculations.js";
import type { Context } from "../context.js";
import { dashboardIdsAsked, fullInsight, membership } from "../serialize.js";
import { FAKE_USER } from "../store.js";
import { insightOnTile } from "./dashboard-context.js";
import {
  byLayout,
  type StoredDashboard,
  type StoredText,
  type StoredTile,
  type TileDisplay,
} from "./dashboard-store.js";
import {
  booleanField,
  type Checked,
  charField,
  choiceField,
  dictField,
  integerField,
  isObject,
  objectBody,
  tagsField,
} from "./fields.js";
import type { Kind, KindRoute, Listing } from "./kind.js";

/** The dashboard fields of a create or update body, checked. */
interface DashboardFields {
  name?: string | null;
  description?: string;
  pinned?: boolean;
  filters?: Record<string, unknown>;
  variables?: Record<string, unknown>;
  breakdown_colors?: unknown[];
  data_color_theme_id?: number | null;
  tags?: string[];
  restriction_level?: 21 | 37;
  deleted?: boolean;
  delete_insights?: boolean;
  use_dashboard?: number | null;
  use_template?: string;
  duplicate_tiles?: boolean;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Checks a dashboard body the way DashboardSerializer does; unknown and read-only keys are ignored. */
function dashboardFields(body: unknown): Checked<DashboardFields> {
  const checked = objectBody(body);
  if ("error" in checked) {
    return checked;
  }
  const raw = checked.ok;
  const out: DashboardFields = {};
  const steps: [keyof DashboardFields, () => Checked<unknown>][] = [
    ["name", () => charField("name", raw.name, { max: 400, nullable: true })],
    ["description", () => charField("description", raw.description)],
    ["pinned", () => booleanField("pinned", raw.pinned)],
    // Written only when truthy (PostHog's `if request_filters:`), so `{}` never clears them.
    ["filters", () => dictField("filters", raw.filters, "Filters must be a dictionary")],
    ["variables", () => dictField("variables", raw.variables, "Variables must be a dictionary")],
    ["breakdown_colors", () => breakdownColors(raw.breakdown_colors)],
    ["data_color_theme_id", () => integerField("data_color_theme_id", raw.data_color_theme_id, true)],
    ["tags", () => tagsField("tags", raw.tags)],
    ["restriction_level", () => choiceField("restriction_level", raw.restriction_level, [21, 37] as const)],
    ["deleted", () => booleanField("deleted", raw.deleted)],
    ["delete_insights", () => booleanField("delete_insights", raw.delete_insights)],
    ["use_dashboard", () => integerField("use_dashboard", raw.use_dashboard, true)],
    ["use_template", () => charField("use_template", raw.use_template)],
    ["duplicate_tiles", () => booleanField("duplicate_tiles", raw.duplicate_tiles)],
  ];
  for (const [field, check] of steps) {
    if (!(field in raw)) {
      continue;
    }
    const result = check();
    if ("error" in result) {
      return result;
    }
    (out as Record<string, unknown>)[field] = result.ok;
  }
  if ("quick_filter_ids" in raw && raw.quick_filter_ids !== null) {
    const refused = quickFilters(raw.quick_filter_ids);
    if (refused) {
      return { error: refused };
    }
  }
  return { ok: out };
}

function breakdownColors(value: unknown): Checked<unknown[]> {
  const valid = (item: unknown) => isObject(item) && "breakdownValue" in item && typeof item.colorToken === "string";
  return Array.isArray(value) && value.every(valid)
    ? { ok: value }
    : { error: invalid("breakdown_colors", "invalid_input", "Expected a list of {breakdownValue, colorToken} items.") };
}

/** The fake's project has no quick filters: any id is refused, as PostHog refuses unknown ones. */
function quickFilters(value: unknown): Answer | undefined {
  if (!Array.isArray(value)) {
    return invalid("quick_filter_ids", "not_a_list", `Expected a list of items but got type "${typeof value}".`);
  }
  const bad = value.find((id) => typeof id !== "string" || !UUID.test(id));
  if (bad !== undefined) {
    return invalid("quick_filter_ids", "invalid_input", `Invalid UUID: ${String(bad)}`);
  }
  return value.length > 0
    ? invalid("quick_filter_ids", "invalid_input", `Quick filters not found: ${value.join(", ")}`)
    : undefined;
}

/** The display fields of one `tiles` entry, checked; PostHog stores them as sent. */
function tileDisplay(entry: Record<string, unknown>): Checked<TileDisplay> {
  const out: TileDisplay = {};
  if ("layouts" in entry) {
    if (!isObject(entry.layouts)) {
      return { error: invalid("tiles__layouts", "invalid_input", "Layouts must be a dictionary.") };
    }
    out.layouts = structuredClone(entry.layouts);
  }
  if ("color" in entry) {
    const color = charField("tiles__color", entry.color, { max: 400, nullable: true });
    if ("error" in color) {
      return color;
    }
    out.color = color.ok;
  }
  if ("filters_overrides" in entry) {
    if (entry.filters_overrides !== null && !isObject(entry.filters_overrides)) {
      return { error: invalid("tiles__filters_overrides", "invalid_input", "Value must be valid JSON.") };
    }
    out.filters_overrides = structuredClone(entry.filters_overrides ?? {}) as Record<string, unknown>;
  }
  for (const field of ["show_description", "transparent_background", "deleted"] as const) {
    if (field in entry && entry[field] !== null) {
      const flag = booleanField(`tiles__${field}`, entry[field]);
      if ("error" in flag) {
        return flag;
      }
      out[field] = flag.ok;
    }
  }
  return { ok: out };
}

/** A text card's body: at most 4,000 characters. */
function textBody(attr: string, value: unknown): Checked<string | null> {
  const body = charField(attr, value ?? null, { nullable: true });
  if ("ok" in body && body.ok !== null && body.ok.length > 4000) {
    return { error: invalid(attr, "max_length", "Text body cannot exceed 4000 characters") };
  }
  return body;
}

/** One checked entry of a PATCH's `tiles`: a text card to create or edit, or display changes. */
interface TileChange {
  id: number | undefined;
  display: TileDisplay;
  text?: { id: number | undefined; body: string | null; createdBySent: boolean };
}

/** Checks every `tiles` entry before any is applied, so a refused PATCH changes nothing. */
function tileChanges(ctx: Context, dashboard: StoredDashboard, tiles: unknown): Checked<TileChange[]> {
  if (!Array.isArray(tiles)) {
    return { error: invalid("tiles", "not_a_list", `Expected a list of items but got type "${typeof tiles}".`) };
  }
  const changes: TileChange[] = [];
  for (const entry of tiles) {
    if (!isObject(entry)) {
      return { error: invalid("tiles", "invalid_input", "Invalid data. Expected a dictionary.") };
    }
    const display = tileDisplay(entry);
    if ("error" in display) {
      return display;
    }
    const id = Number.isSafeInteger(entry.id) ? (entry.id as number) : undefined;
    const change: TileChange = { id, display: display.ok };
    if (isObject(entry.text) && Object.keys(entry.text).length > 0) {
      const body = textBody("text__body", entry.text.body);
      if ("error" in body) {
        return body;
      }
      const textId = Number.isSafeInteger(entry.text.id) ? (entry.text.id as number) : undefined;
      if (textId !== undefined) {
        const onDashboard = ctx.store.dashboards
          .tilesOf(dashboard.id)
          .some((tile) => tile.text_id === textId && tile.deleted !== true);
        if (!ctx.store.dashboards.texts.has(textId) || !onDashboard) {
          return { error: invalid("text", "invalid_input", "Text tile not found.") };
        }
      }
      change.text = { id: textId, body: body.ok, createdBySent: isObject(entry.text.created_by) };
    }
    changes.push(change);
  }
  return { ok: changes };
}

/** Applies checked tile changes: PostHog's `_update_tiles`, one entry at a time. */
function applyTileChanges(ctx: Context, dashboard: StoredDashboard, changes: TileChange[]): void {
  const store = ctx.store.dashboards;
  const now = ctx.stamp;
  const own = (id: number | undefined) =>
    id === undefined ? undefined : store.tilesOf(dashboard.id).find((tile) => tile.id === id);
  for (const change of changes) {
    const tile = own(change.id);
    if (change.text) {
      let text = change.text.id === undefined ? undefined : store.texts.get(change.text.id);
      if (text) {
        text.body = change.text.body;
      } else {
        text = store.addText(change.text.body, now);
      }
      text.last_modified_at = now;
      // Sent back as read (with `created_by`), an edit names the editor; without, PostHog resets it.
      text.modified = change.text.createdBySent;
      if (tile) {
        Object.assign(tile, change.display, { text_id: text.id, insight_id: null });
      } else {
        store.addTile({ dashboard_id: dashboard.id, ...change.display, text_id: text.id });
      }
    } else if (tile && Object.keys(change.display).length > 0) {
      // Display changes never insert: an id that is not a tile of this dashboard is skipped.
      Object.assign(tile, change.display);
    }
  }
}

/** The tiles a dashboard shows: not removed, and not an insight's that is soft-deleted. */
function shownTiles(ctx: Context, dashboardId: number): StoredTile[] {
  return ctx.store.dashboards.tilesOf(dashboardId).filter((tile) => {
    if (tile.deleted === true) {
      return false;
    }
    if (tile.insight_id === null) {
      return true;
    }
    const insight = ctx.store.insights.get(tile.insight_id);
    return insight !== undefined && !insight.deleted;
  });
}

function serveText(ctx: Context, text: StoredText): Record<string, unknown> {
  return {
    id: text.id,
    body: text.body,
    created_by: { ...FAKE_USER },
    last_modified_at: text.last_modified_at,
    last_modified_by: text.modified ? { ...FAKE_USER } : null,
    team: ctx.config.projectId,
  };
}

/** A tile as served; an insight tile embeds the insight rendered with the dashboard's filters. */
export function serveTile(
  ctx: Context,
  tile: StoredTile,
  order: number | null,
  filters: Record<string, unknown>,
): Record<string, unknown> {
  const stored = tile.insight_id === null ? undefined : ctx.store.insights.get(tile.insight_id);
  let insight: Record<string, unknown> | null = null;
  if (stored) {
    const shown = insightOnTile(stored, tile, filters);
    const fields = applyRefresh(ctx.store, shown, "force_cache", ctx.config.projectId, ctx.now);
    const member = membership(ctx.store, stored.id, dashboardIdsAsked(ctx));
    insight = fullInsight(shown, fields, ctx.config.projectId, ctx.config.api === "current", member);
  }
  const text = tile.text_id === null ? undefined : ctx.store.dashboards.texts.get(tile.text_id);
  return {
    id: tile.id,
    insight,
    text: text ? serveText(ctx, text) : null,
    button_tile: null,
    widget: null,
    layouts: structuredClone(tile.layouts),
    color: tile.color,
    filters_overrides: structuredClone(tile.filters_overrides),
    show_description: tile.show_description,
    transparent_background: tile.transparent_background,
    order,
    last_refresh: insight?.last_refresh ?? null,
    is_cached: insight?.is_cached ?? false,
  };
}

/** `filters_override` of a retrieve: a JSON object applied to this answer only. */
function filtersOverride(ctx: Context): Record<string, unknown> {
  const raw = ctx.url.searchParams.get("filters_override");
  try {
    const value: unknown = raw === null ? {} : JSON.parse(raw);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

function serveDashboard(ctx: Context, dashboard: StoredDashboard, view: "list" | "detail"): Record<string, unknown> {
  const common = {
    id: dashboard.id,
    name: dashboard.name,
    description: dashboard.description,
    pinned: dashboard.pinned,
    created_at: dashboard.created_at,
    created_by: { ...FAKE_USER },
    last_accessed_at: dashboard.last_accessed_at,
    last_viewed_at: null,
    is_shared: false,
    deleted: dashboard.deleted,
    creation_mode: dashboard.creation_mode,
    tags: [...dashboard.tags],
    restriction_level: dashboard.restriction_level,
    effective_restriction_level: dashboard.restriction_level,
    effective_privilege_level: 37,
    user_access_level: "editor",
    access_control_version: dashboard.restriction_level > 21 ? "v1" : "v2",
    last_refresh: null,
    team_id: ctx.config.projectId,
  };
  if (view === "list") {
    return common;
  }
  const filters = { ...dashboard.filters, ...filtersOverride(ctx) };
  const tiles = byLayout(shownTiles(ctx, dashboard.id)).map((tile, order) => serveTile(ctx, tile, order, filters));
  const empty = (value: Record<string, unknown>) => (Object.keys(value).length === 0 ? null : structuredClone(value));
  return {
    ...common,
    filters,
    variables: structuredClone(dashboard.variables),
    breakdown_colors: structuredClone(dashboard.breakdown_colors),
    data_color_theme_id: dashboard.data_color_theme_id,
    persisted_filters: empty(dashboard.filters),
    persisted_variables: empty(dashboard.variables),
    quick_filter_ids: [],
    tiles,
  };
}

/** Copies the source's live tiles onto a new dashboard: re-linked (same insight and card), or duplicated. */
function duplicateTiles(ctx: Context, source: StoredDashboard, target: StoredDashboard, deep: boolean): void {
  const now = ctx.stamp;
  for (const tile of shownTiles(ctx, source.id)) {
    const display = {
      layouts: structuredClone(tile.layouts),
      color: tile.color,
      filters_overrides: structuredClone(tile.filters_overrides),
      show_description: tile.show_description,
      transparent_background: tile.transparent_background,
    };
    let { insight_id, text_id } = tile;
    if (deep && insight_id !== null) {
      insight_id = copyInsight(ctx, insight_id, now);
    } else if (deep && text_id !== null) {
      text_id = ctx.store.dashboards.addText(ctx.store.dashboards.texts.get(text_id)?.body ?? null, now).id;
    }
    ctx.store.dashboards.addTile({ dashboard_id: target.id, insight_id, text_id, ...display });
  }
}

/** A copy of an insight, named "... (Copy)", as PostHog's deep duplication creates it. */
function copyInsight(ctx: Context, id: number, now: string): number {
  const source = ctx.store.insights.get(id);
  if (!source) {
    return id;
  }
  const copy = {
    ...structuredClone({ ...source, cache: undefined }),
    ...ctx.store.nextIds(),
    name: source.name === null ? null : `${source.name} (Copy)`,
    created_at: now,
    updated_at: now,
    last_modified_at: now,
    last_viewed_at: null,
    cache: undefined,
  };
  ctx.store.insights.set(copy.id, copy);
  if (copy.name || copy.derived_name) {
    ctx.store.log(copy, "created", null, now);
  }
  return copy.id;
}

const nonEmpty = <T extends object>(value: T | undefined): T | undefined =>
  value && Object.keys(value).length > 0 ? value : undefined;

function createDashboard(ctx: Context): Answer {
  const fields = dashboardFields(ctx.body);
  if ("error" in fields) {
    return fields.error;
  }
  const { use_dashboard, use_template } = fields.ok;
  if (use_dashboard && use_template) {
    return invalid(null, "invalid_input", "`use_dashboard` and `use_template` cannot be used together");
  }
  if (use_template) {
    // The fake has none of PostHog's built-in templates.
    return invalid("use_template", "invalid_input", `Invalid template provided: ${use_template}`);
  }
  const source = use_dashboard ? ctx.store.dashboards.live(use_dashboard) : undefined;
  if (use_dashboard && !source) {
    return invalid("use_dashboard", "invalid_input", "Invalid value provided");
  }
  const dashboards = ctx.store.dashboards.dashboards;
  const filters = fields.ok.filters && Object.keys(fields.ok.filters).length > 0 ? fields.ok.filters : undefined;
  const dashboard = dashboards.add({
    id: dashboards.nextId(),
    name: fields.ok.name ?? null,
    description: fields.ok.description ?? "",
    pinned: fields.ok.pinned ?? false,
    filters: structuredClone(filters ?? source?.filters ?? {}),
    // A duplicate takes the source's variables and colours when it has some.
    variables: structuredClone(nonEmpty(source?.variables) ?? fields.ok.variables ?? {}),
    breakdown_colors: structuredClone(nonEmpty(source?.breakdown_colors) ?? fields.ok.breakdown_colors ?? []),
    data_color_theme_id: source?.data_color_theme_id ?? fields.ok.data_color_theme_id ?? null,
    tags: fields.ok.tags ?? [],
    restriction_level: fields.ok.restriction_level ?? 21,
    creation_mode: source ? "duplicate" : "default",
    deleted: fields.ok.deleted ?? false,
    created_at: ctx.stamp,
    last_accessed_at: null,
  });
  // `tiles` sent here are ignored, as PostHog's serializer reads them from no field.
  if (source) {
    duplicateTiles(ctx, source, dashboard, fields.ok.duplicate_tiles ?? false);
  }
  return json(201, serveDashboard(ctx, dashboard, "detail"));
}

function updateDashboard(ctx: Context, dashboard: StoredDashboard): Answer {
  const fields = dashboardFields(ctx.body);
  if ("error" in fields) {
    return fields.error;
  }
  const body = ctx.body as Record<string, unknown>;
  const changes = "tiles" in body && body.tiles !== null ? tileChanges(ctx, dashboard, body.tiles) : { ok: [] };
  if ("error" in changes) {
    return changes.error;
  }
  const store = ctx.store.dashboards;
  const { deleted, delete_insights, filters, variables, ...rest } = fields.ok;
  if (deleted === false && dashboard.deleted) {
    // PostHog brings back every tile the dashboard ever had, and their soft-deleted insights.
    for (const tile of store.tilesOf(dashboard.id)) {
      tile.deleted = false;
      const insight = tile.insight_id === null ? undefined : ctx.store.insights.get(tile.insight_id);
      if (insight?.deleted) {
        insight.deleted = false;
      }
    }
  }
  if (deleted === true) {
    softDeleteTiles(ctx, dashboard, delete_insights ?? false);
  }
  if (deleted !== undefined) {
    dashboard.deleted = deleted;
  }
  if (filters && Object.keys(filters).length > 0) {
    dashboard.filters = structuredClone(filters);
  }
  if (variables && Object.keys(variables).length > 0) {
    dashboard.variables = structuredClone(variables);
  }
  const { use_dashboard: _d, use_template: _t, duplicate_tiles: _c, ...writable } = rest;
  Object.assign(dashboard, writable);
  applyTileChanges(ctx, dashboard, changes.ok);
  return json(200, serveDashboard(ctx, dashboard, "detail"));
}

/** Removes every tile; with `delete_insights`, also soft-deletes the insights on no other live dashboard. */
function softDeleteTiles(ctx: Context, dashboard: StoredDashboard, deleteInsights: boolean): void {
  const store = ctx.store.dashboards;
  if (deleteInsights) {
    for (const tile of shownTiles(ctx, dashboard.id)) {
      const insight = tile.insight_id === null ? undefined : ctx.store.insights.get(tile.insight_id);
      const elsewhere = insight && store.memberships(insight.id).some((t) => t.dashboard_id !== dashboard.id);
      if (insight && !elsewhere) {
        insight.deleted = true;
      }
    }
  }
  for (const tile of store.tilesOf(dashboard.id)) {
    tile.deleted = true;
  }
}

/** The dashboard of a text-tile route: live, or 404. */
function liveDashboard(ctx: Context): StoredDashboard | undefined {
  const dashboard = ctx.store.dashboards.dashboards.find(ctx.params.id);
  return dashboard && !dashboard.deleted ? dashboard : undefined;
}

/** `layouts` of a text-tile route: `sm` and `xs` boxes of integers (DRF converts digit strings); other keys dropped. */
function routeLayouts(value: unknown): Checked<Record<string, unknown>> {
  if (!isObject(value)) {
    return {
      error: invalid("layouts", "invalid_input", `Invalid data. Expected a dictionary, but got ${typeof value}.`),
    };
  }
  const out: Record<string, unknown> = {};
  for (const breakpoint of ["sm", "xs"] as const) {
    const box = value[breakpoint];
    if (box === undefined) {
      continue;
    }
    if (!isObject(box)) {
      return { error: invalid(`layouts__${breakpoint}`, "invalid_input", "Invalid data. Expected a dictionary.") };
    }
    const checked: Record<string, number> = {};
    for (const axis of ["x", "y", "w", "h"] as const) {
      if (box[axis] !== undefined) {
        const number = integerField(`layouts__${breakpoint}__${axis}`, box[axis]);
        if ("error" in number) {
          return number;
        }
        checked[axis] = number.ok as number;
      }
    }
    out[breakpoint] = checked;
  }
  return { ok: out };
}

/** `body`, `layouts` and `color` of a text-tile route; `body` required on create. */
function textTileFields(
  body: Record<string, unknown>,
  bodyRequired: boolean,
): Checked<{ body?: string; display: TileDisplay }> {
  const out: { body?: string; display: TileDisplay } = { display: {} };
  if (!("body" in body)) {
    if (bodyRequired) {
      return { error: invalid("body", "required", "This field is required.") };
    }
  } else {
    const text = charField("body", body.body, { blank: false });
    if ("error" in text) {
      return text;
    }
    if ((text.ok as string).length > 4000) {
      return { error: invalid("body", "max_length", "Text body cannot exceed 4000 characters") };
    }
    out.body = text.ok as string;
  }
  if ("layouts" in body) {
    const layouts = routeLayouts(body.layouts);
    if ("error" in layouts) {
      return layouts;
    }
    out.display.layouts = layouts.ok;
  }
  if ("color" in body) {
    const color = charField("color", body.color, { max: 400, nullable: true });
    if ("error" in color) {
      return color;
    }
    out.display.color = color.ok;
  }
  return { ok: out };
}

function tileId(body: Record<string, unknown>): Checked<number> {
  if (!("tile_id" in body)) {
    return { error: invalid("tile_id", "required", "This field is required.") };
  }
  const id = integerField("tile_id", body.tile_id);
  return "error" in id ? id : { ok: id.ok as number };
}

/** POST /dashboards/{id}/create_text_tile/: 201 with the new tile (no order: it is not in a dashboard answer). */
function createTextTile(ctx: Context): Answer {
  const dashboard = liveDashboard(ctx);
  if (!dashboard) {
    return notFound();
  }
  const body = objectBody(ctx.body);
  const fields = "error" in body ? body : textTileFields(body.ok, true);
  if ("error" in fields) {
    return fields.error;
  }
  const text = ctx.store.dashboards.addText(fields.ok.body ?? null, ctx.stamp);
  const tile = ctx.store.dashboards.addTile({ dashboard_id: dashboard.id, text_id: text.id, ...fields.ok.display });
  return json(201, serveTile(ctx, tile, null, dashboard.filters));
}

/** POST /dashboards/{id}/update_text_tile/: 200 with the tile; 404 off this dashboard, 400 not a text tile. */
function updateTextTile(ctx: Context): Answer {
  const dashboard = liveDashboard(ctx);
  if (!dashboard) {
    return notFound();
  }
  const body = objectBody(ctx.body);
  if ("error" in body) {
    return body.error;
  }
  const id = tileId(body.ok);
  if ("error" in id) {
    return id.error;
  }
  const fields = textTileFields(body.ok, false);
  if ("error" in fields) {
    return fields.error;
  }
  const tile = shownTiles(ctx, dashboard.id).find((t) => t.id === id.ok);
  if (!tile) {
    return notFound();
  }
  const text = tile.text_id === null ? undefined : ctx.store.dashboards.texts.get(tile.text_id);
  if (!text) {
    return invalid(null, "invalid_input", "Tile is not a text tile.");
  }
  if (fields.ok.body !== undefined) {
    text.body = fields.ok.body;
  }
  text.modified = true;
  text.last_modified_at = ctx.stamp;
  Object.assign(tile, fields.ok.display);
  return json(200, serveTile(ctx, tile, null, dashboard.filters));
}

/** POST /dashboards/{id}/delete_tile/: 204; the remaining tiles are compacted upwards. */
function deleteTile(ctx: Context): Answer {
  const dashboard = liveDashboard(ctx);
  if (!dashboard) {
    return notFound();
  }
  const body = objectBody(ctx.body);
  const id = "error" in body ? body : tileId(body.ok);
  if ("error" in id) {
    return id.error;
  }
  const live = ctx.store.dashboards.tilesOf(dashboard.id).filter((tile) => tile.deleted !== true);
  const tile = live.find((t) => t.id === id.ok);
  if (!tile) {
    return notFound();
  }
  tile.deleted = true;
  ctx.store.dashboards.compact(live.filter((t) => t !== tile));
  return empty(204);
}

const GENERATED_PREFIX = "Generated dashboard: ";

function listing(ctx: Context): Listing<StoredDashboard> | Answer {
  const q = ctx.url.searchParams;
  const search = q.get("search") ?? "";
  if (search.length > 200) {
    return errorAnswer(400, {
      type: "validation_error",
      code: "invalid_input",
      detail: "Search query must be 200 characters or fewer.",
      attr: "search",
    });
  }
  const needle = search.toLowerCase();
  const tags = q.getAll("tags");
  const mode = q.get("creation_mode");
  const generated = q.get("exclude_generated") === "true";
  return {
    keep: (d) =>
      (needle === "" || [d.name ?? "", d.description, ...d.tags].some((t) => t.toLowerCase().includes(needle))) &&
      (tags.length === 0 || d.tags.some((t) => tags.includes(t))) &&
      (mode ? d.creation_mode === mode : d.creation_mode !== "unlisted") &&
      !(generated && (d.name ?? "").startsWith(GENERATED_PREFIX)),
    // Pinned first, then by name (nulls last, as Postgres sorts them).
    order: (a, b) =>
      Number(b.pinned) - Number(a.pinned) ||
      (a.name === null ? 1 : 0) - (b.name === null ? 1 : 0) ||
      (a.name ?? "").localeCompare(b.name ?? ""),
    ...(needle === "" ? {} : { decorate: (item) => ({ ...item, search_match_type: "exact" }) }),
  };
}

const textTileRoutes: KindRoute[] = [
  { method: "POST", path: "/dashboards/{id}/create_text_tile/", scope: "dashboard:write", handler: createTextTile },
  { method: "POST", path: "/dashboards/{id}/update_text_tile/", scope: "dashboard:write", handler: updateTextTile },
  { method: "POST", path: "/dashboards/{id}/delete_tile/", scope: "dashboard:write", handler: deleteTile },
];

/** Dashboards: limit/offset pages; a soft-deleted one answers only a restore. */
export const dashboardsKind: Kind<StoredDashboard> = {
  segment: "dashboards",
  scope: "dashboard",
  objects: (store) => store.dashboards.dashboards,
  list: "pages",
  deletedReachable: false,
  listing,
  create: createDashboard,
  update: updateDashboard,
  serve: (ctx, dashboard, view) => {
    if (view === "detail" && ctx.method === "GET") {
      dashboard.last_accessed_at = ctx.stamp;
    }
    return serveDashboard(ctx, dashboard, view);
  },
  extraRoutes: textTileRoutes,
};
