// The fake's dashboards and their tiles: the tile model both sides use, the dashboards' own
// routes and the insights' `dashboards` field. One tile per (dashboard, insight), kept when
// removed (soft delete) so that adding the insight back restores it with its old layout.
// State and the rules that change it; no HTTP, no serialisation.
import { type Stored, ObjectStore } from "./kind.js";

/** A dashboard as the fake stores it. */
export interface StoredDashboard extends Stored {
  name: string | null;
  description: string;
  pinned: boolean;
  filters: Record<string, unknown>;
  variables: Record<string, unknown>;
  breakdown_colors: unknown[];
  data_color_theme_id: number | null;
  tags: string[];
  restriction_level: 21 | 37;
  creation_mode: "default" | "template" | "duplicate" | "unlisted";
  created_at: string;
  last_accessed_at: string | null;
}

/** A tile: an insight or a text card on a dashboard, with how it is drawn there. */
export interface StoredTile {
  id: number;
  dashboard_id: number;
  insight_id: number | null;
  text_id: number | null;
  /** Stored as sent: opaque JSON, strings and stray keys included. */
  layouts: Record<string, unknown>;
  color: string | null;
  filters_overrides: Record<string, unknown>;
  show_description: boolean | null;
  transparent_background: boolean | null;
  /** `null` for a tile never removed, `false` once restored, `true` while removed. */
  deleted: boolean | null;
}

/** A markdown card; the same card can sit on several dashboards after a duplicate. */
export interface StoredText {
  id: number;
  body: string | null;
  last_modified_at: string;
  /** Whether `last_modified_by` is the fake's user (PostHog resets it when the card is edited without `created_by`). */
  modified: boolean;
}

/** The tile fields a PATCH or a text-tile route may set. */
export type TileDisplay = Partial<
  Pick<
    StoredTile,
    "layouts" | "color" | "filters_overrides" | "show_description" | "transparent_background" | "deleted"
  >
>;

// The grid PostHog places tiles on (DASHBOARD_GRID_COLUMN_COUNT) and its default tile size.
const COLUMNS = 12;
const TILE_WIDTH = 6;
const TILE_HEIGHT = 5;

/** A layout number as stored: an integer, or a string of digits. */
export const layoutNumber = (value: unknown, fallback: number): number => {
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  return Number.isSafeInteger(number) ? (number as number) : fallback;
};

type Rect = { x: number; y: number; w: number; h: number };

function rectOf(layout: Record<string, unknown>): Rect {
  return {
    x: Math.max(0, layoutNumber(layout.x, 0)),
    y: layoutNumber(layout.y, 0),
    w: Math.max(1, Math.min(layoutNumber(layout.w, 1), COLUMNS)),
    h: Math.max(1, layoutNumber(layout.h, 1)),
  };
}

const smOf = (tile: StoredTile): Record<string, unknown> | undefined => {
  const sm = tile.layouts.sm;
  return sm && typeof sm === "object" && !Array.isArray(sm) ? (sm as Record<string, unknown>) : undefined;
};

/** Lowest-segment greedy placement (PostHog's tileLayouts.ts): the leftmost segment with the lowest top. */
function packAtBottom(heights: number[], w: number, h: number): Rect {
  let best = { x: 0, y: Math.max(...heights.slice(0, w)) };
  for (let x = 1; x <= COLUMNS - w; x++) {
    const top = Math.max(...heights.slice(x, x + w));
    if (top < best.y) {
      best = { x, y: top };
    }
  }
  return { ...best, w, h };
}

function occupy(heights: number[], rect: Rect): void {
  for (let column = rect.x; column < Math.min(rect.x + rect.w, COLUMNS); column++) {
    heights[column] = Math.max(heights[column] ?? 0, rect.y + rect.h);
  }
}

/** Tiles in the order PostHog serves them: by `sm` row, then column; unplaced tiles (100, 100) last. */
export function byLayout(tiles: StoredTile[], breakpoint = "sm"): StoredTile[] {
  const key = (tile: StoredTile, axis: "x" | "y"): number => {
    const layout = tile.layouts[breakpoint] as Record<string, unknown> | undefined;
    return layoutNumber(layout?.[axis], 100);
  };
  return [...tiles].sort((a, b) => key(a, "y") - key(b, "y") || key(a, "x") - key(b, "x") || a.id - b.id);
}

/** All the dashboards, tiles and text cards of one fake. */
export class DashboardStore {
  readonly dashboards = new ObjectStore<StoredDashboard>();
  readonly tiles = new Map<number, StoredTile>();
  readonly texts = new Map<number, StoredText>();
  #nextTile = 1;
  #nextText = 1;

  /** The dashboard, when it exists and is not soft-deleted. */
  live(id: number): StoredDashboard | undefined {
    const dashboard = this.dashboards.get(id);
    return dashboard && !dashboard.deleted ? dashboard : undefined;
  }

  /** The ids among `ids` that are not live dashboards, in the order given. */
  unknown(ids: readonly number[]): number[] {
    return [...new Set(ids)].filter((id) => !this.live(id));
  }

  /** Every tile of a dashboard, removed ones included, in creation order. */
  tilesOf(dashboardId: number): StoredTile[] {
    return [...this.tiles.values()].filter((tile) => tile.dashboard_id === dashboardId);
  }

  /** An insight's tiles that show: not removed, on a live dashboard. What `dashboard_tiles` lists. */
  memberships(insightId: number): StoredTile[] {
    return [...this.tiles.values()].filter(
      (tile) => tile.insight_id === insightId && tile.deleted !== true && this.live(tile.dashboard_id) !== undefined,
    );
  }

  /** A new tile (an insight's, a text card's) with PostHog's defaults. */
  addTile(fields: Pick<StoredTile, "dashboard_id"> & Partial<StoredTile>): StoredTile {
    const tile: StoredTile = {
      id: this.#nextTile++,
      insight_id: null,
      text_id: null,
      layouts: {},
      color: null,
      filters_overrides: {},
      show_description: null,
      transparent_background: null,
      deleted: null,
      ...fields,
    };
    this.tiles.set(tile.id, tile);
    return tile;
  }

  addText(body: string | null, now: string): StoredText {
    const text: StoredText = { id: this.#nextText++, body, last_modified_at: now, modified: false };
    this.texts.set(text.id, text);
    return text;
  }

  /**
   * Puts an insight on exactly `ids` (the insight's `dashboards` replace-set): a dashboard it
   * is not on yet gets a tile, or its removed tile back with the old layout; a dashboard left
   * out gets its tile removed. Check the ids with `unknown()` first.
   */
  setMemberships(insightId: number, ids: readonly number[]): void {
    const wanted = new Set(ids);
    for (const tile of this.memberships(insightId)) {
      if (!wanted.has(tile.dashboard_id)) {
        tile.deleted = true;
      }
    }
    for (const dashboardId of wanted) {
      const tile = [...this.tiles.values()].find((t) => t.insight_id === insightId && t.dashboard_id === dashboardId);
      if (!tile) {
        this.addTile({ dashboard_id: dashboardId, insight_id: insightId, layouts: this.#nextPlace(dashboardId) });
      } else if (tile.deleted === true) {
        tile.deleted = false;
      }
    }
  }

  /** Removes every tile of an insight (it was soft-deleted). */
  hideInsight(insightId: number): void {
    for (const tile of this.tiles.values()) {
      if (tile.insight_id === insightId) {
        tile.deleted = true;
      }
    }
  }

  /** Brings back an insight's removed tiles on live dashboards (it was restored), tiles removed before included. */
  restoreInsight(insightId: number): void {
    for (const tile of this.tiles.values()) {
      if (tile.insight_id === insightId && tile.deleted === true && this.live(tile.dashboard_id)) {
        tile.deleted = false;
      }
    }
  }

  /**
   * Pulls every layout of the dashboard's tiles up to the lowest free row, breakpoint by
   * breakpoint, keeping x, w and h (react-grid-layout's vertical compaction, as delete_tile does).
   */
  compact(tiles: StoredTile[]): void {
    const breakpoints = new Set(tiles.flatMap((tile) => Object.keys(tile.layouts)));
    for (const breakpoint of breakpoints) {
      const placed: Rect[] = [];
      const laidOut = tiles.filter((tile) => {
        const layout = tile.layouts[breakpoint];
        return layout !== null && typeof layout === "object" && !Array.isArray(layout);
      });
      for (const tile of byLayout(laidOut, breakpoint)) {
        const layout = tile.layouts[breakpoint] as Record<string, unknown>;
        const rect = rectOf(layout);
        let y = 0;
        for (;;) {
          const collisions = placed.filter((p) => overlap({ ...rect, y }, p));
          if (collisions.length === 0) {
            break;
          }
          y = Math.max(...collisions.map((p) => p.y + p.h));
        }
        placed.push({ ...rect, y });
        if (y !== layoutNumber(layout.y, 0)) {
          layout.y = y;
        }
      }
    }
  }

  /**
   * Where a new insight tile goes: a 6x5 tile at the lowest free segment, counting the live
   * tiles' `sm` layouts and stacking the unplaced ones at the bottom, as PostHog persists it;
   * `xs` is the same box.
   */
  #nextPlace(dashboardId: number): Record<string, unknown> {
    const live = this.tilesOf(dashboardId).filter((tile) => tile.deleted !== true);
    const heights = new Array<number>(COLUMNS).fill(0);
    let unplaced = 0;
    for (const tile of live) {
      const sm = smOf(tile);
      if (sm) {
        occupy(heights, rectOf(sm));
      } else {
        unplaced++;
      }
    }
    for (let i = 0; i < unplaced; i++) {
      occupy(heights, packAtBottom(heights, TILE_WIDTH, TILE_HEIGHT));
    }
    const sm = packAtBottom(heights, TILE_WIDTH, TILE_HEIGHT);
    return { sm, xs: { ...sm } };
  }

  reset(): void {
    this.dashboards.reset();
    this.tiles.clear();
    this.texts.clear();
    this.#nextTile = 1;
    this.#nextText = 1;
  }
}

function overlap(a: Rect, b: Rect): boolean {
  return !(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y);
}
