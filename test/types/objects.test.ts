// Type tests of dashboards, tiles, actions, cohorts and group types, checked by `tsc --noEmit`.
import { describe, expectTypeOf, it } from "vitest";
import type {
  Action,
  ActionStep,
  Cohort,
  CohortFilters,
  Dashboard,
  DashboardBasic,
  DashboardCreate,
  DashboardInsightTile,
  DashboardText,
  DashboardTextTile,
  DashboardTile,
  DashboardTileLayouts,
  GroupType,
  Insight,
  PagePromise,
  PostHogClient,
  TextTileUpdate,
} from "../../src/index.js";

declare const posthog: PostHogClient;
declare const tile: DashboardTile;

describe("dashboard, tile, action, cohort and group type types", () => {
  it("a tile narrows on insight vs text", () => {
    if (tile.insight) {
      expectTypeOf(tile).toEqualTypeOf<DashboardInsightTile>();
      expectTypeOf(tile.text).toBeNull();
      expectTypeOf(tile.insight.id).toEqualTypeOf<number>();
      expectTypeOf(tile.insight).toMatchTypeOf<Insight>();
    } else if (tile.text) {
      expectTypeOf(tile).toEqualTypeOf<DashboardTextTile>();
      expectTypeOf(tile.insight).toBeNull();
      expectTypeOf(tile.text).toEqualTypeOf<DashboardText>();
      expectTypeOf(tile.text.body).toEqualTypeOf<string | null>();
    } else {
      // A button or widget tile of newer servers: neither.
      expectTypeOf(tile.insight).toBeNull();
      expectTypeOf(tile.text).toBeNull();
    }
    expectTypeOf<Dashboard["tiles"]>().toEqualTypeOf<DashboardTile[]>();
  });

  it("methods resolve to the named types", () => {
    expectTypeOf(posthog.dashboards.list()).toEqualTypeOf<PagePromise<DashboardBasic>>();
    expectTypeOf(posthog.dashboards.retrieve(3)).toEqualTypeOf<Promise<Dashboard>>();
    expectTypeOf(posthog.dashboards.createTextTile(3, { body: "x" })).toEqualTypeOf<Promise<DashboardTextTile>>();
    expectTypeOf(posthog.dashboards.deleteTile(3, 12)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(posthog.actions.list()).toEqualTypeOf<Promise<Action[]>>();
    expectTypeOf(posthog.cohorts.list()).toEqualTypeOf<PagePromise<Cohort>>();
    expectTypeOf(posthog.groupTypes.list()).toEqualTypeOf<Promise<GroupType[]>>();
  });

  it("bodies say what PostHog does with them", () => {
    // PostHog ignores tiles sent with a new dashboard: the type leaves them out.
    // @ts-expect-error no tiles on create
    const inline: DashboardCreate = { name: "Growth", tiles: [] };
    expectTypeOf(inline).toEqualTypeOf<DashboardCreate>();
    // The tile id of a text-tile update is its own argument.
    // @ts-expect-error tile_id is not part of the changes
    const change: TextTileUpdate = { tile_id: 12 };
    expectTypeOf(change).toEqualTypeOf<TextTileUpdate>();
    // Layouts are stored as sent: digits in strings come back.
    const layouts: DashboardTileLayouts = { sm: { x: 0, y: "0", w: 6, h: 5 } };
    expectTypeOf(layouts.sm?.x).toEqualTypeOf<number | string | undefined>();
  });

  it("has no any in the new public types", () => {
    expectTypeOf<Dashboard>().not.toBeAny();
    expectTypeOf<Dashboard["filters"]>().not.toBeAny();
    expectTypeOf<DashboardTile["layouts"]>().not.toBeAny();
    expectTypeOf<ActionStep>().not.toBeAny();
    expectTypeOf<CohortFilters["properties"]>().not.toBeAny();
    expectTypeOf<GroupType["group_type_index"]>().toEqualTypeOf<number>();
    expectTypeOf<Action["is_action"]>().toEqualTypeOf<true>();
  });
});
