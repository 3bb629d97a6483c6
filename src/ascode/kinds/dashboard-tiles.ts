// A dashboard's tiles as files hold them, and the tile protocol that makes PostHog's match: the
// server ignores tiles sent with a dashboard, so an insight goes on (or off) through its own
// `dashboards` set (read with include_dashboards, changed for this dashboard only), a text card
// through its routes, and layouts and colours through one dashboard update naming the tile ids
// read back. Tiles are matched, not recreated: a moved tile is one layout update.
import type { Dashboard, DashboardTile, DashboardTileUpdate } from "../../object-types.js";
import type { View, Where } from "../kind.js";
import { resolveKey } from "../keymap.js";
import type { TileEntry, TileLayout } from "../state.js";
import { isJsonObject } from "./common.js";

/**
 * A tile as a dashboard file holds it: an insight (by key, or by id when no file here manages
 * it) or a markdown card, with its `sm` layout (none: PostHog places it) and colour.
 *
 * @example
 * const tile: TileFile = { insight: "daily-signups", layout: { x: 0, y: 0, w: 6, h: 5 }, color: "blue" };
 */
export interface TileFile {
  insight?: string | number;
  text?: string;
  layout?: TileLayout;
  color?: string;
}

const AXES = ["x", "y", "w", "h"] as const;

/**
 * A layout from what a file or PostHog holds: the four numbers as integers (digit strings, as
 * PostHog may store them, read as numbers); anything else (missing, stray keys only) is none.
 *
 * @example
 * layoutOf({ x: "0", y: 2, w: 6, h: 5, moved: false }); // { x: 0, y: 2, w: 6, h: 5 }
 */
export function layoutOf(value: unknown): TileLayout | undefined {
  if (!isJsonObject(value)) {
    return undefined;
  }
  const out: Partial<TileLayout> = {};
  for (const axis of AXES) {
    const raw = value[axis];
    const number = typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof number !== "number" || !Number.isSafeInteger(number)) {
      return undefined;
    }
    out[axis] = number;
  }
  return out as TileLayout;
}

/**
 * A tile in canonical form, its keys in file order.
 *
 * @example
 * canonicalTile({ color: null, text: "## Notes" }); // { text: "## Notes" }
 */
export function canonicalTile(raw: unknown): TileFile {
  const source = isJsonObject(raw) ? raw : {};
  const tile: TileFile = {};
  if (typeof source.insight === "string" || typeof source.insight === "number") {
    tile.insight = source.insight;
  } else if (typeof source.text === "string") {
    tile.text = source.text;
  }
  const layout = layoutOf(source.layout);
  if (layout) {
    tile.layout = layout;
  }
  if (typeof source.color === "string" && source.color !== "") {
    tile.color = source.color;
  }
  return tile;
}

/**
 * A tile of a dashboard as PostHog serves it, with what the file form needs.
 *
 * @example
 * const tile: ServedTile = { id: 31, file: { insight: 7, layout: { x: 0, y: 0, w: 6, h: 5 } }, insightId: 7 };
 */
export interface ServedTile {
  id: number;
  /** The tile as a file holds it, with the insight's id (not yet its key). */
  file: TileFile;
  insightId?: number;
}

/**
 * The insight and text tiles of a dashboard, in PostHog's order (by `sm` row, then column;
 * unplaced ones last). Button and widget tiles are not kept as code.
 *
 * @example
 * served(await posthog.dashboards.retrieve(3)).map((tile) => tile.id);
 */
export function served(dashboard: Pick<Dashboard, "tiles">): ServedTile[] {
  const out: ServedTile[] = [];
  for (const tile of dashboard.tiles ?? []) {
    const raw = tile as DashboardTile & { insight?: { id?: number } | null; text?: { body?: string | null } | null };
    const layout = layoutOf(isJsonObject(tile.layouts) ? tile.layouts.sm : undefined);
    const display: TileFile = {};
    if (layout) {
      display.layout = layout;
    }
    if (typeof tile.color === "string" && tile.color !== "") {
      display.color = tile.color;
    }
    if (raw.insight && typeof raw.insight.id === "number") {
      out.push({ id: tile.id, file: { insight: raw.insight.id, ...display }, insightId: raw.insight.id });
    } else if (raw.text) {
      out.push({ id: tile.id, file: { text: raw.text.body ?? "", ...display } });
    }
  }
  const place = (tile: ServedTile, axis: "x" | "y") => tile.file.layout?.[axis] ?? Number.POSITIVE_INFINITY;
  return out
    .map((tile, index) => ({ tile, index }))
    .sort(
      (a, b) => place(a.tile, "y") - place(b.tile, "y") || place(a.tile, "x") - place(b.tile, "x") || a.index - b.index,
    )
    .map(({ tile }) => tile);
}

/**
 * Pairs the tiles a file wants with the tiles there are: an insight tile with the tile of the
 * same insight (one per dashboard), a text tile with one of the same text, then the texts left
 * in order (an edited card). Returns, per wanted tile, the index of its pair or -1.
 *
 * @example
 * matchTiles([{ insight: 7 }, { text: "new" }], [{ insight: 7 }, { text: "old" }]); // [0, 1]
 */
export function matchTiles(wanted: TileFile[], have: TileFile[]): number[] {
  const pairs = wanted.map(() => -1);
  const taken = new Set<number>();
  const take = (index: number, found: number): void => {
    pairs[index] = found;
    taken.add(found);
  };
  wanted.forEach((tile, index) => {
    const found = have.findIndex(
      (other, at) =>
        !taken.has(at) &&
        (tile.insight !== undefined
          ? other.insight === tile.insight
          : other.text !== undefined && other.text === tile.text),
    );
    if (found !== -1) {
      take(index, found);
    }
  });
  wanted.forEach((tile, index) => {
    if (pairs[index] === -1 && tile.text !== undefined) {
      const found = have.findIndex((other, at) => !taken.has(at) && other.text !== undefined);
      if (found !== -1) {
        take(index, found);
      }
    }
  });
  return pairs;
}

function sameLayout(a: TileLayout | undefined, b: TileLayout | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && AXES.every((axis) => a[axis] === b[axis]));
}

/**
 * What the state keeps of a dashboard's tiles after a sync: each file tile's id, in file order,
 * and the layout PostHog gave the ones the file leaves unplaced (not a change while they stay).
 *
 * @example
 * tileEntries(file.tiles, served(dashboard), keys);
 */
export function tileEntries(tiles: TileFile[], there: ServedTile[], keys: View["keys"]): TileEntry[] {
  const wanted = tiles.map((tile) => resolvedTile(tile, keys, false));
  const pairs = matchTiles(
    wanted,
    there.map((tile) => tile.file),
  );
  const out: TileEntry[] = [];
  pairs.forEach((found, index) => {
    const tile = there[found];
    if (!tile) {
      return;
    }
    const auto = tiles[index]?.layout === undefined ? tile.file.layout : undefined;
    out.push(auto ? { id: tile.id, auto } : { id: tile.id });
  });
  return out;
}

/** A file tile with its insight as an id (a key resolved in this target; unresolved kept when not `strict`). */
function resolvedTile(tile: TileFile, keys: View["keys"], strict: boolean): TileFile {
  if (typeof tile.insight !== "string") {
    return tile;
  }
  if (!strict && keys.idOf("insight", tile.insight) === undefined) {
    return tile;
  }
  return { ...tile, insight: resolveKey("insight", tile.insight, keys) };
}

/**
 * Makes a dashboard's tiles those of the file, by the tile protocol: tiles no longer wanted
 * removed (a text card through delete_tile, an insight through its own `dashboards` set);
 * insights added through their `dashboards` set and cards through create_text_tile; edited
 * cards through update_text_tile; then, on the tile ids read back, every layout and colour that
 * differs in one dashboard update. Resolves to the dashboard as PostHog has it after.
 *
 * @example
 * const after = await writeTiles({ client: posthog, project: 1 }, dashboard, file.tiles ?? [], { keys });
 */
export async function writeTiles(
  where: Where,
  dashboard: Dashboard,
  tiles: TileFile[],
  view: View,
): Promise<Dashboard> {
  const { client, project } = where;
  const options = { projectId: project };
  const wanted = tiles.map((tile) => resolvedTile(tile, view.keys, true));
  let current = dashboard;
  let there = served(current);
  const pairs = matchTiles(
    wanted,
    there.map((tile) => tile.file),
  );
  const kept = new Set(pairs);
  let moved = false;
  for (const [index, tile] of there.entries()) {
    if (kept.has(index)) {
      continue;
    }
    if (tile.insightId !== undefined) {
      await setMembership(where, tile.insightId, current.id, false);
    } else {
      await client.dashboards.deleteTile(current.id, tile.id, options);
    }
    moved = true;
  }
  for (const [index, tile] of wanted.entries()) {
    const found = pairs[index] ?? -1;
    const layouts = tile.layout ? { sm: tile.layout } : undefined;
    if (found === -1 && typeof tile.insight === "number") {
      await setMembership(where, tile.insight, current.id, true);
      moved = true;
    } else if (found === -1 && tile.text !== undefined) {
      await client.dashboards.createTextTile(
        current.id,
        { body: tile.text, ...(layouts ? { layouts } : {}), ...(tile.color ? { color: tile.color } : {}) },
        options,
      );
      moved = true;
    } else if (found !== -1 && tile.text !== undefined && there[found]?.file.text !== tile.text) {
      const had = there[found] as ServedTile;
      await client.dashboards.updateTextTile(
        current.id,
        had.id,
        { body: tile.text, ...(layouts ? { layouts } : {}), color: tile.color ?? null },
        options,
      );
      moved = true;
    }
  }
  if (moved) {
    // The new tiles' ids, and the layouts a removal compacted.
    current = await client.dashboards.retrieve(current.id, {}, options);
    there = served(current);
  }
  const now = matchTiles(
    wanted,
    there.map((tile) => tile.file),
  );
  const changes: DashboardTileUpdate[] = [];
  for (const [index, tile] of wanted.entries()) {
    const had = there[now[index] ?? -1];
    if (!had) {
      continue;
    }
    const change: DashboardTileUpdate = { id: had.id };
    if (tile.layout && !sameLayout(tile.layout, had.file.layout)) {
      change.layouts = { sm: tile.layout };
    }
    if ((tile.color ?? null) !== (had.file.color ?? null)) {
      change.color = tile.color ?? null;
    }
    if (Object.keys(change).length > 1) {
      changes.push(change);
    }
  }
  return changes.length > 0 ? client.dashboards.update(current.id, { tiles: changes }, options) : current;
}

/** Puts an insight on a dashboard, or takes it off, keeping every other dashboard it is on. */
async function setMembership(where: Where, insightId: number, dashboardId: number, on: boolean): Promise<void> {
  const { client, project } = where;
  // `dashboards` replaces the whole set: read it first, change this dashboard only.
  const insight = await client.insights.retrieve(
    insightId,
    { include_dashboards: true, refresh: "force_cache" },
    { projectId: project },
  );
  const ids = insight.dashboards ?? [];
  const next = on ? [...new Set([...ids, dashboardId])] : ids.filter((id) => id !== dashboardId);
  if (next.length !== ids.length) {
    await client.insights.update(insightId, { dashboards: next }, { projectId: project });
  }
}
