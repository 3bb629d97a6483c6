// PostHog's dashboard API tests, ported to the fake: those that need no event data, no other team
// or user, and no feature flag. Each test names its source as `path::test_name`; the describe
// names the commit read. ORM set-up in the originals is done through the API here.
// An insight saved with legacy `filters` is served as 2026 servers serve it (posthog-insight.test.ts):
// `filters: {}` and the query its filters convert to. Where these tests read the dashboard's
// filters in the insight's `filters`, the port reads them in that query's source (`legacySource`).
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakePostHog } from "../../src/testing/index.js";
import { dashboardApi } from "../support/posthog-api.js";

const fake = createFakePostHog();
afterEach(() => {
  fake.reset();
  vi.useRealTimers();
});
const dashboards = () => dashboardApi(fake);
/** The source of the query a legacy-filters insight is served with. */
const legacySource = (insight: { filters: object; query: { source: Record<string, unknown> } }) => {
  expect(insight.filters).toEqual({});
  return insight.query.source as { dateRange?: { date_from?: string }; properties?: unknown };
};

const TEST_DASHBOARD = "posthog/api/test/dashboards/test_dashboard.py";
const TEXT_TILES = "posthog/api/test/dashboards/test_dashboard_text_tiles.py";
const DELETE_TILE = "posthog/api/test/dashboards/test_dashboard_delete_tile.py";

describe(`${TEST_DASHBOARD} @ 7f4228ba7e0b3855e35aa1d2334fa8a98dcc446f`, () => {
  const port = (name: string) => `${TEST_DASHBOARD}::${name}`;

  it(port("test_retrieve_dashboard_list"), async () => {
    const d = dashboards();
    for (const name of ["a dashboard", "b dashboard"]) {
      await d.createDashboard({ name });
    }
    const list = await d.listDashboards();
    expect(list.results.map((r: { name: string }) => r.name)).toEqual(["a dashboard", "b dashboard"]);
  });

  it(port("test_create_basic_dashboard"), async () => {
    // The front end sends an empty description even if not allowed to add one.
    const [, json] = await dashboards().createDashboard({ name: "My new dashboard", description: "" });
    expect(json).toMatchObject({
      name: "My new dashboard",
      description: "",
      tags: [],
      creation_mode: "default",
      restriction_level: 21,
      effective_privilege_level: 37,
    });
  });

  it(port("test_update_dashboard"), async () => {
    const d = dashboards();
    const [id] = await d.createDashboard({ name: "private dashboard" });
    const [, json] = await d.updateDashboard(id, { name: "dashboard new name", creation_mode: "duplicate" });
    // creation_mode is read-only.
    expect(json).toMatchObject({ name: "dashboard new name", creation_mode: "default", restriction_level: 21 });
    expect(json.created_by.distinct_id).toBe("fake-user");
  });

  it(port("test_cannot_update_dashboard_with_invalid_filters"), async () => {
    const d = dashboards();
    const [id] = await d.createDashboard({ name: "private dashboard" });
    await d.updateDashboard(id, { filters: [{ key: "brand", value: ["1"], operator: "exact", type: "event" }] }, 400);
    expect((await d.getDashboard(id)).persisted_filters).toBeNull();
  });

  it(port("test_create_dashboard_item"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "public dashboard" });
    // `last_refresh` is sent when a dashboard item is duplicated; it must not fail.
    const [insightId] = await d.createInsight({
      dashboards: [dashboardId],
      name: "dashboard item",
      last_refresh: new Date().toISOString(),
    });
    const insight = await d.getInsight(insightId);
    expect(insight.name).toBe("dashboard item");
    expect(insight.dashboards).toEqual([dashboardId]);
    expect(insight.short_id).toMatch(/^[0-9A-Za-z_-]{8}$/);
  });

  it(port("test_dashboard_endpoints"), async () => {
    const d = dashboards();
    const [pk, created] = await d.createDashboard({ name: "Default", pinned: "true" });
    expect(created).toMatchObject({ name: "Default", creation_mode: "default", pinned: true });
    expect((await d.listDashboards()).results[0]).toMatchObject({ id: pk, name: "Default" });
    await d.softDelete(pk, "dashboards");
    expect((await d.listDashboards()).results).toHaveLength(0);
    await d.updateDashboard(pk, { deleted: false });
    expect((await d.listDashboards()).results).toHaveLength(1);
    await d.getDashboard(pk, 200);
  });

  it(port("test_delete_does_not_delete_insights_by_default"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ filters: { date_from: "-14d" } });
    const [insightId] = await d.createInsight({
      filters: { hello: "test", date_from: "-7d" },
      dashboards: [dashboardId],
      name: "some_item",
    });
    expect((await d.getDashboard(dashboardId)).tiles).toHaveLength(1);
    await d.softDelete(dashboardId, "dashboards");
    const insight = await d.getInsight(insightId, 200);
    // The tile is soft-deleted with its dashboard.
    expect(insight.dashboard_tiles).toEqual([]);
  });

  it(port("test_delete_dashboard_can_delete_tiles"), async () => {
    const d = dashboards();
    const [one] = await d.createDashboard({ filters: { date_from: "-14d" } });
    const [two] = await d.createDashboard({ filters: { date_from: "-14d" } });
    const [onOne] = await d.createInsight({ name: "on one dashboard", dashboards: [one] });
    const [onTwo] = await d.createInsight({ name: "on two dashboards", dashboards: [one, two] });
    expect((await d.getDashboard(one)).tiles).toHaveLength(2);
    expect((await d.getDashboard(two)).tiles).toHaveLength(1);
    await d.softDelete(one, "dashboards", { delete_insights: true });
    await d.getInsight(onOne, 404);
    await d.getInsight(onTwo, 200);
    expect((await d.getDashboard(two)).tiles).toHaveLength(1);
  });

  it(port("test_dashboard_items"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ filters: { date_from: "-14d" } });
    const [insightId] = await d.createInsight({
      filters: { hello: "test", date_from: "-7d" },
      dashboards: [dashboardId],
      name: "some_item",
    });
    const response = await d.getDashboard(dashboardId);
    expect(response.tiles).toHaveLength(1);
    expect(response.tiles[0].insight.name).toBe("some_item");
    // Rendered in the dashboard's context: the dashboard's date range wins.
    expect(legacySource(response.tiles[0].insight).dateRange?.date_from).toBe("-14d");
    expect((await d.api.get("/insights/")).json.results[0].name).toBe("some_item");
    await d.softDelete(insightId, "insights");
    expect((await d.api.get("/insights/")).json.results).toHaveLength(0);
    expect((await d.getDashboard(dashboardId)).tiles).toHaveLength(0);
  });

  it(port("test_dashboard_insight_tiles_can_be_loaded_correct_context"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ filters: { date_from: "-14d" } });
    const [insightId] = await d.createInsight({
      filters: { hello: "test", date_from: "-7d" },
      dashboards: [dashboardId],
      name: "some_item",
    });
    const tile = (await d.getDashboard(dashboardId)).tiles[0];
    expect(tile.insight.id).toBe(insightId);
    expect(legacySource(tile.insight).dateRange?.date_from).toBe("-14d");
  });

  it(port("test_dashboard_filtering_on_properties"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ filters: { date_from: "-24h" } });
    const [, response] = await d.updateDashboard(dashboardId, {
      filters: { date_from: "-24h", properties: [{ key: "prop", value: "val" }] },
    });
    expect(response.filters.properties).toEqual([{ key: "prop", value: "val" }]);
    await d.createInsight({
      filters: { hello: "test", date_from: "-7d" },
      dashboards: [dashboardId],
      name: "some_item",
    });
    const tiles = (await d.getDashboard(dashboardId)).tiles;
    expect(tiles).toHaveLength(1);
    expect(tiles[0].insight.name).toBe("some_item");
    expect(legacySource(tiles[0].insight).properties).toEqual([
      { key: "prop", value: "val", operator: "exact", type: "event" },
    ]);
  });

  it(port("test_dashboard_filter_is_applied_even_if_insight_is_created_before_dashboard"), async () => {
    const d = dashboards();
    const [insightId] = await d.createInsight({ filters: { hello: "test", date_from: "-7d" }, name: "some_item" });
    const [dashboardId] = await d.createDashboard({ filters: { date_from: "-14d" } });
    await d.addInsightToDashboard([dashboardId], insightId);
    expect(legacySource((await d.getDashboard(dashboardId)).tiles[0].insight).dateRange?.date_from).toBe("-14d");
    // Which doesn't change the insight's own filter.
    expect(legacySource(await d.getInsight(insightId)).dateRange?.date_from).toBe("-7d");
  });

  it(port("test_dashboard_item_layout"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "asdasd", pinned: true });
    await d.createInsight({ filters: { hello: "test" }, dashboards: [dashboardId], name: "another" });
    expect((await d.getDashboard(dashboardId)).tiles).toHaveLength(1);
    await d.setTileLayout(dashboardId, 1);
    const layouts = (await d.getDashboard(dashboardId)).tiles[0].layouts;
    expect("sm" in layouts).toBe(true);
    // Stored as sent, string numbers and stray keys included.
    expect(layouts.sm).toEqual({ w: "7", h: "5", x: "1", y: "1", moved: "False", static: "False" });
  });

  it(port("test_dashboard_tile_color_can_be_set_for_new_or_existing_tiles"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "asdasd", pinned: true });
    await d.createInsight({ filters: { hello: "test" }, dashboards: [dashboardId], name: "another" });
    const tiles = (await d.getDashboard(dashboardId)).tiles;
    expect(tiles).toHaveLength(1);
    const tileId = tiles[0].id;
    await d.updateDashboard(dashboardId, {
      tiles: [
        // `is_cached` is read-only: sending it back must not fail, for existing tiles or new ones.
        { id: tileId, color: "red", is_cached: true },
        { id: tileId + 1, color: "red", is_cached: true, text: { body: "an example" }, layouts: {} },
      ],
    });
    expect((await d.getDashboard(dashboardId)).tiles[0].color).toBe("red");
  });

  it(`${port("test_dashboard_creation_validation")} (the cases without PostHog's built-in templates)`, async () => {
    const d = dashboards();
    const [existing] = await d.createDashboard({ name: "existing dashboard" });
    // Invalid: both use_template and use_dashboard are set.
    await d.createDashboard({ name: "another", use_template: "DEFAULT_APP", use_dashboard: 1 }, 400);
    // Invalid: use_template is set and use_dashboard empty string.
    await d.createDashboard({ name: "another", use_template: "DEFAULT_APP", use_dashboard: "" }, 400);
    // Valid: use_template empty, use_dashboard not set.
    await d.createDashboard({ name: "another", use_template: "" }, 201);
    // Valid: only use_dashboard is set.
    await d.createDashboard({ name: "another", use_dashboard: existing }, 201);
    // Valid: use_dashboard set and use_template empty.
    await d.createDashboard({ name: "another", use_template: "", use_dashboard: existing }, 201);
    // Valid: neither is set.
    await d.createDashboard({ name: "another" }, 201);
  });

  it(`${port("test_dashboard_creation_mode")} (duplicate and default; the fake has no templates)`, async () => {
    const d = dashboards();
    const [existing] = await d.createDashboard({ name: "existing dashboard" });
    expect((await d.createDashboard({ name: "another", use_dashboard: existing }))[1].creation_mode).toBe("duplicate");
    expect((await d.createDashboard({ name: "another" }))[1].creation_mode).toBe("default");
  });

  it(port("test_dashboard_duplication_does_not_duplicate_tiles_by_default"), async () => {
    const d = dashboards();
    const [existing] = await d.createDashboard({ name: "existing dashboard" });
    const [insightOne] = await d.createInsight({ dashboards: [existing], name: "the insight" });
    const [, withTiles] = await d.createTextTile(existing);
    const [, duplicate] = await d.createDashboard({ name: "another", use_dashboard: existing });
    expect(duplicate.tiles[0].insight.id).toBe(insightOne);
    expect(duplicate.tiles[0].insight.name).toBe("the insight");
    // The same text card, shared by both dashboards.
    expect(duplicate.tiles[1].text.id).toBe(withTiles.tiles[1].text.id);
  });

  it(port("test_dashboard_duplication_without_tile_duplicate_excludes_soft_deleted_tiles"), async () => {
    const d = dashboards();
    const [existing] = await d.createDashboard({ name: "existing dashboard" });
    await d.createInsight({ dashboards: [existing], name: "the insight" });
    await d.createTextTile(existing);
    const [insightTwo] = await d.createInsight({ dashboards: [existing], name: "the second insight" });
    const json = await d.getDashboard(existing);
    expect(json.tiles).toHaveLength(3);
    // Newer PostHog places new insight tiles (a stacked 6x5 layout), so they come before the
    // unplaced text tile: find the second insight's tile instead of taking the third.
    const tileToDelete = json.tiles.find((t: { insight: { id: number } | null }) => t.insight?.id === insightTwo);
    expect(tileToDelete).toBeDefined();
    await d.updateDashboard(existing, { tiles: [{ id: tileToDelete.id, deleted: true }] });
    expect((await d.getDashboard(existing)).tiles).toHaveLength(2);
    const [, duplicate] = await d.createDashboard({ name: "another", use_dashboard: existing });
    expect(duplicate.tiles).toHaveLength(2);
  });

  it(port("test_dashboard_duplication_can_duplicate_tiles"), async () => {
    const d = dashboards();
    const [existing] = await d.createDashboard({ name: "existing dashboard" });
    const [insightOne] = await d.createInsight({ dashboards: [existing], name: "the insight" });
    const [, withTiles] = await d.createTextTile(existing);
    const [, duplicate] = await d.createDashboard({ name: "another", use_dashboard: existing, duplicate_tiles: true });
    expect(duplicate.tiles[0].insight.id).not.toBe(insightOne);
    expect(duplicate.tiles[0].insight.name).toBe("the insight (Copy)");
    expect(duplicate.tiles[1].text.id).not.toBe(withTiles.tiles[1].text.id);
  });

  it(port("test_dashboard_duplication_can_duplicate_tiles_without_editing_name_if_there_is_none"), async () => {
    const d = dashboards();
    const [existing] = await d.createDashboard({ name: "existing dashboard" });
    await d.createInsight({ dashboards: [existing], name: null });
    await d.createTextTile(existing);
    const [, duplicate] = await d.createDashboard({ name: "another", use_dashboard: existing, duplicate_tiles: true });
    expect(duplicate.tiles).toHaveLength(2);
    const insightTile = duplicate.tiles.find((tile: { insight: unknown }) => tile.insight);
    expect(insightTile.insight.name).toBeNull();
    expect(duplicate.tiles.find((tile: { text: unknown }) => tile.text)).toBeDefined();
  });

  it(port("test_dashboard_duplication"), async () => {
    const d = dashboards();
    const [existing] = await d.createDashboard({ name: "existing dashboard" });
    await d.createInsight({ filters: { name: "test1" }, dashboards: [existing] });
    await d.createInsight({ filters: { name: "test2" }, dashboards: [existing] });
    const sourceTiles = (await d.getDashboard(existing)).tiles.map((tile: { id: number }) => tile.id);
    const [, response] = await d.createDashboard({ name: "another", use_dashboard: existing });
    expect(response.creation_mode).toBe("duplicate");
    expect(response.tiles).toHaveLength(2);
    // New tile rows: the ids differ from the source dashboard's.
    const ids: number[] = response.tiles.map((tile: { id: number }) => tile.id);
    expect(ids.filter((id) => sourceTiles.includes(id))).toEqual([]);
  });

  it(port("test_invalid_dashboard_duplication"), async () => {
    await dashboards().createDashboard({ name: "another", use_dashboard: 12345 }, 400);
  });

  it(port("test_dashboard_does_not_load_insight_that_was_deleted"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    const [insightId] = await d.createInsight({ dashboards: [dashboardId] });
    await d.softDelete(insightId, "insights");
    expect((await d.getDashboard(dashboardId)).tiles).toEqual([]);
  });

  it(port("test_can_soft_delete_insight_after_soft_deleting_dashboard"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    const filters = {
      events: [{ id: "$pageview" }],
      properties: [{ key: "$browser", value: "Mac OS X" }],
      insight: "TRENDS",
    };
    const [insightId] = await d.createInsight({ filters, dashboards: [dashboardId] });
    await d.softDelete(dashboardId, "dashboards");
    expect((await d.getInsight(insightId)).dashboards).toEqual([]);
    await d.softDelete(insightId, "insights");
  });

  it(port("test_can_soft_delete_dashboard_after_soft_deleting_insight"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    const [insightId] = await d.createInsight({ filters: { insight: "TRENDS" }, dashboards: [dashboardId] });
    await d.softDelete(insightId, "insights");
    await d.getInsight(insightId, 404);
    expect((await d.getDashboard(dashboardId)).tiles).toHaveLength(0);
    await d.softDelete(dashboardId, "dashboards");
  });

  it(port("test_hard_delete_is_forbidden"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    expect((await d.api.delete(`/dashboards/${dashboardId}/`)).status).toBe(405);
    await d.getDashboard(dashboardId, 200);
  });

  it(port("test_soft_delete_can_be_reversed_with_patch"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    await d.createInsight({ dashboards: [dashboardId] });
    await d.createTextTile(dashboardId);
    expect((await d.getDashboard(dashboardId)).tiles).toHaveLength(2);
    await d.softDelete(dashboardId, "dashboards");
    await d.updateDashboard(dashboardId, { deleted: false });
    expect((await d.getDashboard(dashboardId)).tiles).toHaveLength(2);
  });

  it(port("test_soft_delete_does_not_delete_tiles"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "to delete" });
    const [other] = await d.createDashboard({ name: "not to delete" });
    const [insightOne] = await d.createInsight({ dashboards: [dashboardId, other] });
    const [insightTwo] = await d.createInsight({ dashboards: [dashboardId] });
    await d.createTextTile(dashboardId);
    await d.softDelete(dashboardId, "dashboards");
    const one = await d.getInsight(insightOne);
    expect(one.dashboard_tiles.map((t: { dashboard_id: number }) => t.dashboard_id)).toEqual([other]);
    expect(one).toMatchObject({ dashboards: [other], deleted: false });
    const two = await d.getInsight(insightTwo);
    expect(two).toMatchObject({ dashboard_tiles: [], dashboards: [], deleted: false });
  });

  it(port("test_relations_on_insights_when_dashboards_were_deleted"), async () => {
    const d = dashboards();
    const [one] = await d.createDashboard({ name: "dashboard one" });
    const [two] = await d.createDashboard({ name: "dashboard two" });
    const [insightId] = await d.createInsight({ filters: { insight: "TRENDS" }, dashboards: [one, two] });
    await d.softDelete(one, "dashboards");
    expect((await d.getInsight(insightId)).dashboards).toEqual([two]);
    expect((await d.getDashboard(two)).tiles[0].insight.dashboards).toEqual([two]);
  });

  it(port("test_listing_dashboards_does_not_include_tiles"), async () => {
    const d = dashboards();
    const [one] = await d.createDashboard({ name: "dashboard-1" });
    const [two] = await d.createDashboard({ name: "dashboard-2" });
    await d.createInsight({ dashboards: [two, one], name: "insight" });
    expect((await d.getDashboard(one)).tiles).toHaveLength(1);
    expect((await d.getDashboard(two)).tiles).toHaveLength(1);
    const list = await d.listDashboards("?limit=100");
    expect(list.results.map((r: { items?: unknown }) => r.items)).toEqual([undefined, undefined]);
    expect(list.results.map((r: { tiles?: unknown }) => r.tiles)).toEqual([undefined, undefined]);
  });
});

describe(`${TEXT_TILES} @ a073ad8b9a334e72f9beff8309ff0d1ca4ee38cc`, () => {
  const port = (name: string) => `${TEXT_TILES}::${name}`;
  const user = { distinct_id: "fake-user", email: "fake.user@example.com", id: 1 };

  it(port("test_can_create_a_single_text_tile"), async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2022-04-01T12:45:00Z"));
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    const [, json] = await d.createTextTile(dashboardId, "hello world");
    expect(json.tiles).toHaveLength(1);
    // PostHog's exact tile, plus the keys newer servers add (button_tile, widget, show_description, ...).
    expect(json.tiles[0]).toMatchObject({
      id: expect.any(Number),
      layouts: {},
      order: 0,
      color: null,
      filters_overrides: {},
      text: {
        id: expect.any(Number),
        body: "hello world",
        created_by: user,
        last_modified_at: "2022-04-01T12:45:00Z",
        last_modified_by: null,
        team: fake.projectId,
      },
      last_refresh: null,
      is_cached: false,
      insight: null,
    });
  });

  it(`${port("test_can_update_a_single_text_tile")} (one user: the editor is named when the tile is sent back whole)`, async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2022-04-01T12:45:00Z"));
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    await d.createTextTile(dashboardId, "hello world");
    const [, json] = await d.createTextTile(dashboardId, "ciao il mondo");
    expect(json.tiles).toHaveLength(2);
    const tileIds = json.tiles.map((t: { id: number }) => t.id).sort();
    vi.setSystemTime(new Date("2022-04-01T22:45:00Z"));
    const updated = structuredClone(json.tiles[0]);
    updated.text.body = "anche ciao";
    const [, after] = await d.updateTextTile(dashboardId, updated);
    const sorted = [...after.tiles].sort((a: { id: number }, b: { id: number }) => a.id - b.id);
    expect(sorted.map((t: { id: number }) => t.id)).toEqual(tileIds);
    expect(sorted.map((t: { text: { body: string } }) => t.text.body)).toEqual(["anche ciao", "ciao il mondo"]);
    expect(sorted.map((t: { text: { created_by: { id: number } } }) => t.text.created_by.id)).toEqual([1, 1]);
    expect(sorted[0].text.last_modified_by.id).toBe(1);
    expect(sorted[1].text.last_modified_by).toBeNull();
    expect(sorted[0].text.last_modified_at).toBe("2022-04-01T22:45:00Z");
    expect(sorted[1].text.last_modified_at).toBe("2022-04-01T12:45:00Z");
  });

  it(port("test_can_update_a_single_text_tile_color"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    await d.createTextTile(dashboardId, "hello world");
    const [, json] = await d.createTextTile(dashboardId, "ciao il mondo");
    const tileIds = json.tiles.map((t: { id: number }) => t.id);
    const [, after] = await d.updateTextTile(dashboardId, { ...json.tiles[0], color: "purple" });
    expect(after.tiles).toHaveLength(2);
    expect(new Set(after.tiles.map((t: { id: number; color: string }) => `${t.id}:${t.color}`))).toEqual(
      new Set([`${tileIds[0]}:purple`, `${tileIds[1]}:null`]),
    );
  });

  it(port("test_can_remove_text_tiles_from_dashboard"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    let json: { tiles: { id: number }[] } = { tiles: [] };
    for (const text of ["io sono testo", "soy texto", "i am text", "ich bin text"]) {
      [, json] = await d.createTextTile(dashboardId, text);
    }
    const last = json.tiles.at(-1) as { id: number };
    // Can send just the tile id and the deleted flag.
    expect((await d.api.patch(`/dashboards/${dashboardId}/`, { tiles: [{ id: last.id, deleted: true }] })).status).toBe(
      200,
    );
    const tiles = (await d.getDashboard(dashboardId)).tiles;
    expect(tiles.map((t: { text: { body: string } }) => t.text.body)).toEqual([
      "io sono testo",
      "soy texto",
      "i am text",
    ]);
  });

  it(port("test_do_not_see_deleted_text_tiles_when_adding_new_ones"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    await d.createTextTile(dashboardId, "io sono testo");
    const [, json] = await d.createTextTile(dashboardId, "soy texto");
    expect(json.tiles).toHaveLength(2);
    await d.updateTextTile(dashboardId, { ...json.tiles[0], deleted: true });
    expect((await d.getDashboard(dashboardId)).tiles).toHaveLength(1);
    const [, withAnother] = await d.createTextTile(dashboardId, "i am a third text");
    expect(withAnother.tiles.map((t: { text: { body: string } }) => t.text.body).sort()).toEqual(
      ["soy texto", "i am a third text"].sort(),
    );
  });

  it(port("test_cannot_create_text_tile_with_body_over_4000_characters"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    expect(
      (await d.api.patch(`/dashboards/${dashboardId}/`, { tiles: [{ text: { body: "a".repeat(4000) } }] })).status,
    ).toBe(200);
    const response = await d.api.patch(`/dashboards/${dashboardId}/`, {
      tiles: [{ text: { body: "a".repeat(4001) } }],
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      type: "validation_error",
      code: "max_length",
      detail: "Text body cannot exceed 4000 characters",
      attr: "text__body",
    });
  });

  it(port("test_cannot_update_text_tile_with_body_over_4000_characters"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    const [, json] = await d.createTextTile(dashboardId, "hello world");
    const tile = json.tiles[0];
    const response = await d.api.patch(`/dashboards/${dashboardId}/`, {
      tiles: [{ id: tile.id, text: { ...tile.text, body: "b".repeat(4001) } }],
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ code: "max_length", attr: "text__body" });
    // Refused before anything changed.
    expect((await d.getDashboard(dashboardId)).tiles[0].text.body).toBe("hello world");
  });
});

describe(`${DELETE_TILE} @ 1a11db5826f357fe139fb17059f0923838ee4808`, () => {
  const port = (name: string) => `${DELETE_TILE}::${name}`;
  const deleteTile = (dashboardId: number, tileId: unknown) =>
    dashboards().api.post(`/dashboards/${dashboardId}/delete_tile/`, tileId === undefined ? {} : { tile_id: tileId });

  it(port("test_can_delete_a_text_tile"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    await d.createTextTile(dashboardId, "hello world");
    const [, json] = await d.createTextTile(dashboardId, "second tile");
    const toDelete = json.tiles[0];
    expect((await deleteTile(dashboardId, toDelete.id)).status).toBe(204);
    const remaining = (await d.getDashboard(dashboardId)).tiles;
    expect(remaining).toHaveLength(1);
    expect(remaining[0].id).not.toBe(toDelete.id);
  });

  it(port("test_can_delete_an_insight_tile_without_deleting_the_insight"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dashboard" });
    const [insightId] = await d.createInsight({ name: "insight", dashboards: [dashboardId] });
    const tiles = (await d.getDashboard(dashboardId)).tiles;
    expect(tiles).toHaveLength(1);
    expect((await deleteTile(dashboardId, tiles[0].id)).status).toBe(204);
    expect((await d.getDashboard(dashboardId)).tiles).toEqual([]);
    await d.getInsight(insightId, 200);
  });

  it.each([
    [
      "unknown_tile_id",
      async () => {
        const [dashboardId] = await dashboards().createDashboard({ name: "dashboard" });
        return [dashboardId, 9_999_999] as const;
      },
    ],
    [
      "tile_belongs_to_other_dashboard",
      async () => {
        const d = dashboards();
        const [a] = await d.createDashboard({ name: "a" });
        const [b] = await d.createDashboard({ name: "b" });
        const [, json] = await d.createTextTile(a, "on a");
        return [b, json.tiles[0].id] as const;
      },
    ],
    [
      "parent_dashboard_soft_deleted",
      async () => {
        const d = dashboards();
        const [dashboardId] = await d.createDashboard({ name: "dashboard" });
        const [, json] = await d.createTextTile(dashboardId, "hi");
        await d.api.patch(`/dashboards/${dashboardId}/`, { deleted: true });
        return [dashboardId, json.tiles[0].id] as const;
      },
    ],
    [
      "tile_already_soft_deleted",
      async () => {
        const d = dashboards();
        const [dashboardId] = await d.createDashboard({ name: "dashboard" });
        const [, json] = await d.createTextTile(dashboardId, "hi");
        await deleteTile(dashboardId, json.tiles[0].id);
        return [dashboardId, json.tiles[0].id] as const;
      },
    ],
  ])(`${port("test_delete_returns_404")} (%s)`, async (_name, setup) => {
    const [dashboardId, tileId] = await setup();
    expect((await deleteTile(dashboardId, tileId)).status).toBe(404);
  });

  it(port("test_delete_tile_requires_tile_id"), async () => {
    const [dashboardId] = await dashboards().createDashboard({ name: "dashboard" });
    expect((await deleteTile(dashboardId, undefined)).status).toBe(400);
  });
});
