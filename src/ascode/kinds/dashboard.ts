// Dashboards as one kind of object kept as code (`<key>.dashboard.yaml`): name, description,
// pinned, tags, the stored filters (cohort ids as key references) and the tiles in order (an
// insight by key, or by id when no file here manages it; a markdown card; each with an optional
// `sm` layout and colour). Nothing the server computes, no ids, no `xs`. Written in several
// requests (the tile protocol, dashboard-tiles.ts): a dashboard's fields, then its tiles.
import type { Dashboard, DashboardCreate, DashboardUpdate } from "../../object-types.js";
import { canonicalJson, contentHash, type Json } from "../canonical.js";
import { diff, type Change } from "../diff.js";
import type { FileCheck, FileRef, ObjectKind } from "../kind.js";
import { type KeyMap, withIds, withKeys } from "../keymap.js";
import type { StateEntry } from "../state.js";
import {
  allPages,
  differs,
  fieldChanges,
  idKey,
  isJsonObject,
  type JsonObject,
  keyRefsIn,
  PAGE,
  plainFields,
  unlessGone,
  localRefsIn,
  plainUpdate,
} from "./common.js";
import { canonicalTile, matchTiles, served, type TileFile, tileEntries, writeTiles } from "./dashboard-tiles.js";

/**
 * What a dashboard file holds.
 *
 * @example
 * const file: DashboardFile = {
 *   name: "Growth",
 *   tiles: [{ insight: "daily-signups", layout: { x: 0, y: 0, w: 6, h: 5 } }, { text: "## Notes" }],
 * };
 */
export interface DashboardFile {
  name?: string;
  description?: string;
  pinned?: true;
  tags?: string[];
  filters?: Json;
  tiles?: TileFile[];
}

type Fields = Omit<DashboardFile, "tiles">;
type Filters = NonNullable<DashboardCreate["filters"]>;

/**
 * Stored filters in canonical form: PostHog flattens an AND group of properties to a list when
 * it stores them, and keeps what is set to null (how a push clears a filter: an empty `filters`
 * changes nothing); empty values are no filter.
 */
function canonicalFilters(raw: unknown): Json | undefined {
  if (!isJsonObject(raw)) {
    return undefined;
  }
  const filters = canonicalJson(raw) as JsonObject;
  const properties = filters.properties;
  if (isJsonObject(properties) && properties.type === "AND" && Array.isArray(properties.values)) {
    const leaves = properties.values;
    if (leaves.every((leaf) => !(isJsonObject(leaf) && (leaf.type === "AND" || leaf.type === "OR")))) {
      filters.properties = leaves;
    }
  }
  for (const [key, value] of Object.entries(filters)) {
    if ((Array.isArray(value) && value.length === 0) || (isJsonObject(value) && Object.keys(value).length === 0)) {
      delete filters[key];
    }
  }
  return Object.keys(filters).length > 0 ? filters : undefined;
}

function canonicalFields(source: {
  name?: unknown;
  description?: unknown;
  tags?: unknown;
  pinned?: unknown;
  filters?: unknown;
}): Fields {
  const file: Fields = plainFields(source);
  if (source.pinned === true) {
    file.pinned = true;
  }
  const filters = canonicalFilters(source.filters);
  if (filters !== undefined) {
    file.filters = filters;
  }
  return file;
}

function fromDocument(raw: Record<string, unknown>): DashboardFile {
  const file: DashboardFile = canonicalFields(raw);
  if (Array.isArray(raw.tiles) && raw.tiles.length > 0) {
    file.tiles = raw.tiles.map(canonicalTile);
  }
  return file;
}

function normalize(file: DashboardFile, keys: KeyMap): DashboardFile {
  const out: DashboardFile = { ...file };
  if (file.filters !== undefined) {
    out.filters = withKeys("dashboard_filters", file.filters, keys);
  }
  if (file.tiles) {
    out.tiles = file.tiles.map((tile) => {
      const key = typeof tile.insight === "number" ? keys.keyOf("insight", tile.insight) : undefined;
      return key === undefined ? tile : { ...tile, insight: key };
    });
  }
  return out;
}

/** A dashboard as its file, tiles in PostHog's order; a tile left where PostHog placed it has no layout. */
function toFile(dashboard: Dashboard, view: { keys: KeyMap; entry?: StateEntry }): DashboardFile {
  const file: DashboardFile = canonicalFields({ ...dashboard, filters: dashboard.persisted_filters });
  const autos = new Map((view.entry?.tiles ?? []).map((tile) => [tile.id, tile.auto]));
  const tiles = served(dashboard).map(({ id, file: tile }) => {
    const auto = autos.get(id);
    const placed =
      auto && tile.layout && ["x", "y", "w", "h"].every((axis) => auto[axis as "x"] === tile.layout?.[axis as "x"]);
    if (!placed) {
      return tile;
    }
    const { layout: _placedByPostHog, ...rest } = tile;
    return rest;
  });
  if (tiles.length > 0) {
    file.tiles = tiles;
  }
  return normalize(file, view.keys);
}

/** What makes a tile that tile: its insight, or its text. */
function tileIdentity(tile: TileFile): string {
  return tile.insight !== undefined ? `insight:${JSON.stringify(tile.insight)}` : `text:${tile.text ?? ""}`;
}

/** The file as compared: tiles in an order of their own (their order in a file means nothing to PostHog). */
function comparableFile(file: DashboardFile): DashboardFile {
  const tiles = (file.tiles ?? [])
    .map((tile) => ({ order: `${tileIdentity(tile)}\u0000${JSON.stringify(canonicalJson(tile))}`, tile }))
    .sort((a, b) => compareStrings(a.order, b.order))
    .map(({ tile }) => tile);
  return { ...file, tiles };
}

/** Code-point order (not the locale's): the same on every machine. */
function compareStrings(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/** How a tile is named in a plan: its insight or the start of its text. */
function tileLabel(tile: TileFile): string {
  if (tile.insight !== undefined) {
    return `insight ${tile.insight}`;
  }
  const text = tile.text ?? "";
  return `text ${JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}...` : text)}`;
}

function changes(before: DashboardFile, after: DashboardFile): Change[] {
  const { tiles: old = [], ...beforeFields } = before;
  const { tiles: now = [], ...afterFields } = after;
  const out = fieldChanges(beforeFields, afterFields);
  const pairs = matchTiles(now, old);
  now.forEach((tile, index) => {
    const had = old[pairs[index] ?? -1];
    const path = `tiles[${index}]`;
    if (!had) {
      out.push({ path, after: canonicalJson(tile) });
      return;
    }
    for (const change of diff(canonicalJson(had), canonicalJson(tile))) {
      out.push({ ...change, path: change.path === "$" ? path : `${path}.${change.path}` });
    }
  });
  old.forEach((tile, index) => {
    if (!pairs.includes(index)) {
      out.push({ path: `tiles (${tileLabel(tile)})`, before: canonicalJson(tile) });
    }
  });
  return out;
}

function fieldsBody(file: DashboardFile, keys: KeyMap): DashboardCreate {
  const body: DashboardCreate = { ...plainFields(file) };
  if (file.pinned) {
    body.pinned = true;
  }
  if (file.filters !== undefined) {
    body.filters = withIds("dashboard_filters", file.filters, keys, "filters") as Filters;
  }
  return body;
}

/** The dashboard fields of an update: those that differ; a filter the file no longer has is set to null. */
function updateBody(file: DashboardFile, current: Dashboard, keys: KeyMap): DashboardUpdate {
  const now = canonicalFields({ ...current, filters: current.persisted_filters });
  const resolved: Fields = { ...fieldsBody(file, keys) } as Fields;
  const body: DashboardUpdate = plainUpdate(resolved, now);
  if (differs(resolved, now, "pinned")) {
    body.pinned = file.pinned === true;
  }
  if (differs(resolved, now, "filters")) {
    // PostHog stores filters only when they are not empty: a filter dropped is sent as null.
    const filters: JsonObject = { ...((resolved.filters as JsonObject | undefined) ?? {}) };
    for (const key of Object.keys(isJsonObject(current.persisted_filters) ? current.persisted_filters : {})) {
      if (!(key in filters)) {
        filters[key] = null;
      }
    }
    body.filters = filters as Filters;
  }
  return body;
}

function checks(file: DashboardFile): FileCheck[] {
  const seen = new Map<string, number>();
  const out: FileCheck[] = [];
  const properties = isJsonObject(file.filters) ? file.filters.properties : undefined;
  if (isJsonObject(properties) && properties.type === "OR") {
    out.push({
      path: ["filters", "properties", "type"],
      message:
        "PostHog refuses an OR group in a dashboard's filters: list the properties (they all apply), or use an AND group",
    });
  }
  (file.tiles ?? []).forEach((tile, index) => {
    if (tile.insight === undefined) {
      return;
    }
    const id = JSON.stringify(tile.insight);
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, index);
    } else {
      out.push({
        path: ["tiles", index, "insight"],
        message: `${tile.insight} is on this dashboard already (tiles[${first}]): PostHog shows an insight once per dashboard`,
      });
    }
  });
  return out;
}

/**
 * Dashboards: listed, then each read for its tiles and stored filters; written by the tile
 * protocol; soft-deleted without ever deleting their insights.
 *
 * @example
 * const file = dashboardKind.toFile(await posthog.dashboards.retrieve(3), { keys });
 */
export const dashboardKind: ObjectKind<DashboardFile, Dashboard> = {
  name: "dashboard",
  suffixes: [".dashboard.yaml", ".dashboard.yml"],
  schemaFile: "dashboard-file.schema.json",
  documents: [{ field: "filters", container: "dashboard_filters" }],
  severalSteps: true,

  fromDocument,
  document(file) {
    const { tiles, ...fields } = file;
    const out = canonicalJson(fields) as JsonObject;
    if (tiles) {
      // Tiles keep the file's order, each as insight or text, then layout (x, y, w, h), then colour.
      out.tiles = tiles.map((tile) => tile as Json);
    }
    return out;
  },
  toFile,
  normalize,
  references(file) {
    const refs: FileRef[] = keyRefsIn("dashboard_filters", file.filters, ["filters"]);
    (file.tiles ?? []).forEach((tile, index) => {
      if (typeof tile.insight === "string") {
        refs.push({ kind: "insight", key: tile.insight, path: ["tiles", index, "insight"] });
      }
    });
    return refs;
  },
  localRefs: (file) => [
    ...localRefsIn("dashboard_filters", file.filters, "filters"),
    // A tile naming an insight by id: in another project that id is another insight, or none.
    ...(file.tiles ?? []).flatMap((tile, index) =>
      typeof tile.insight === "number"
        ? [{ kind: "insight" as const, id: tile.insight, path: `tiles[${index}].insight` }]
        : [],
    ),
  ],
  checks,
  hash: (file) => contentHash(comparableFile(file)),
  identity: (file) =>
    file.name === undefined ? undefined : JSON.stringify([file.name, (file.tiles ?? []).map(tileIdentity).sort()]),
  // A create sends the fields; the tiles follow.
  createdHash: ({ tiles: _tiles, ...fields }) => contentHash(fields),
  changes,
  keyFor: (dashboard, taken) => idKey("dashboard", dashboard, taken),
  extras: (dashboard, file, view) => {
    const tiles = tileEntries(file.tiles ?? [], served(dashboard), view.keys);
    return tiles.length > 0 ? { tiles } : {};
  },

  async list(where, progress) {
    const { client, project } = where;
    const listed = await allPages(
      "dashboards",
      client.dashboards.list({ limit: PAGE }, { projectId: project }),
      progress,
    );
    // A listing has no tiles nor filters: each dashboard is read.
    const dashboards: Dashboard[] = [];
    if (listed.length === 0) {
      return dashboards;
    }
    progress.start("read", listed.length);
    for (const basic of listed) {
      progress.item(`dashboard ${basic.id}`);
      const dashboard = await unlessGone(() => client.dashboards.retrieve(basic.id, {}, { projectId: project }));
      if (dashboard) {
        dashboards.push(dashboard);
      }
      progress.done();
    }
    progress.stop();
    return dashboards;
  },
  reread: ({ client, project }, id) => unlessGone(() => client.dashboards.retrieve(id, {}, { projectId: project })),
  create: ({ client, project }, file, keys) => client.dashboards.create(fieldsBody(file, keys), { projectId: project }),
  async update(where, current, file, view) {
    const body = updateBody(file, current, view.keys);
    const updated =
      Object.keys(body).length > 0
        ? await where.client.dashboards.update(current.id, body, { projectId: where.project })
        : current;
    return writeTiles(where, updated, file.tiles ?? [], view);
  },
  async remove({ client, project }, current) {
    // A soft delete of the dashboard and its tiles; never `delete_insights`: its insights stay.
    await client.dashboards.delete(current.id, { projectId: project });
  },
};
