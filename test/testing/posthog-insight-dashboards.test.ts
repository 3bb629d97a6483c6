// PostHog's tests of an insight's dashboards (the `dashboards` replace-set, `dashboard_tiles`,
// stacked tile layouts, the activity log, dashboard context) and of the deprecated `dashboards`
// field's opt-in, ported to the fake. Each test names its source as `path::test_name`; the
// describe names the commit read. ORM set-up in the originals is done through the API here.
import { afterEach, describe, expect, it } from "vitest";
import { createFakePostHog } from "../../src/testing/index.js";
import { dashboardApi } from "../support/posthog-api.js";

const fake = createFakePostHog();
afterEach(() => fake.reset());
const dashboards = () => dashboardApi(fake);

const TEST_INSIGHT = "products/product_analytics/backend/api/test/test_insight.py";
const DEPRECATED = "products/product_analytics/backend/api/test/test_deprecated_dashboards_field.py";

const legacyFilters = {
  events: [{ id: "$pageview" }],
  properties: [{ key: "$browser", value: "Mac OS X" }],
  date_from: "-90d",
};
const tileRef = (dashboardId: number, deleted: boolean | null = null) => ({
  id: expect.any(Number),
  deleted,
  dashboard_id: dashboardId,
});

describe(`${TEST_INSIGHT} @ 034dda24c3102d29e42cf8df1d3e3af8b689d7fb`, () => {
  const port = (name: string) => `${TEST_INSIGHT}::${name}`;

  it(port("test_get_insight_in_dashboard_context"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "the dashboard", filters: { date_from: "-180d" } });
    const [insightId] = await d.createInsight({ filters: legacyFilters, name: "insight", dashboards: [dashboardId] });
    const isolated = await d.getInsight(insightId);
    expect(isolated.filters_hash).toBeTruthy();
    const onDashboard = await d.getInsight(insightId, 200, `?from_dashboard=${dashboardId}`);
    expect(onDashboard.filters_hash).toBeTruthy();
    expect(isolated.filters_hash).not.toBe(onDashboard.filters_hash);
  });

  it(port("test_can_list_insights_by_which_dashboards_they_are_in"), async () => {
    const d = dashboards();
    const [one] = await d.createInsight({ name: "insight 1", filters: { events: [{ id: "$pageview" }] } });
    const [two] = await d.createInsight({ name: "insight 2", filters: { events: [{ id: "$pageview" }] } });
    await d.createInsight({ name: "insight 3", filters: { events: [{ id: "$pageview" }] } });
    const [dashboardOne] = await d.createDashboard({ name: "dashboard 1", filters: { date_from: "-180d" } });
    const [dashboardTwo] = await d.createDashboard({ name: "dashboard 1", filters: { date_from: "-180d" } });
    await d.addInsightToDashboard([dashboardOne], one);
    await d.addInsightToDashboard([dashboardOne, dashboardTwo], two);
    const on = async (ids: string) =>
      ((await d.api.get(`/insights/?dashboards=${encodeURIComponent(ids)}`)).json.results as { id: number }[])
        .map((i) => i.id)
        .sort();
    expect(await on(`[${dashboardOne}]`)).toEqual([one, two]);
    // The match is AND, not OR.
    expect(await on(`[${dashboardOne}, ${dashboardTwo}]`)).toEqual([two]);
    // Removed tiles do not count.
    await d.updateInsight(two, { dashboards: [] });
    expect(await on(`[${dashboardOne}]`)).toEqual([one]);
  });

  it(port("test_create_insight_items_on_a_dashboard"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({});
    const [insightId] = await d.createInsight({ filters: legacyFilters, dashboards: [dashboardId] });
    const tiles = (await d.getDashboard(dashboardId)).tiles;
    expect(tiles.map((t: { insight: { id: number } }) => t.insight.id)).toEqual([insightId]);
  });

  it(port("test_creating_insights_on_a_dashboard_persists_stacked_layouts"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({});
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await d.createInsight({ dashboards: [dashboardId] }))[0]);
    }
    const tiles = (await d.getDashboard(dashboardId)).tiles as {
      insight: { id: number };
      layouts: { sm: object; xs: object };
    }[];
    const layoutOf = (id: number) => tiles.find((t) => t.insight.id === id)?.layouts;
    expect(layoutOf(ids[0] as number)?.sm).toEqual({ x: 0, y: 0, w: 6, h: 5 });
    expect(layoutOf(ids[1] as number)?.sm).toEqual({ x: 6, y: 0, w: 6, h: 5 });
    expect(layoutOf(ids[2] as number)?.sm).toEqual({ x: 0, y: 5, w: 6, h: 5 });
    expect(layoutOf(ids[0] as number)?.xs).toEqual(layoutOf(ids[0] as number)?.sm);
  });

  it(port("test_adding_insight_to_dashboard_via_update_persists_stacked_layout"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({});
    await d.createInsight({ dashboards: [dashboardId] });
    const [insightId] = await d.createInsight({});
    await d.addInsightToDashboard([dashboardId], insightId);
    const tile = (await d.getDashboard(dashboardId)).tiles.find(
      (t: { insight: { id: number } }) => t.insight.id === insightId,
    );
    expect(tile.layouts.sm).toEqual({ x: 6, y: 0, w: 6, h: 5 });
    expect(tile.layouts.xs).toEqual(tile.layouts.sm);
  });

  it(`${port("test_restoring_soft_deleted_tile_keeps_existing_layout")} (layout set and tile removed through the API)`, async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({});
    const [insightId] = await d.createInsight({ dashboards: [dashboardId] });
    const tileId = (await d.getDashboard(dashboardId)).tiles[0].id;
    await d.updateDashboard(dashboardId, { tiles: [{ id: tileId, layouts: { sm: { x: 3, y: 7, w: 4, h: 4 } } }] });
    await d.addInsightToDashboard([], insightId);
    expect((await d.getDashboard(dashboardId)).tiles).toEqual([]);
    await d.addInsightToDashboard([dashboardId], insightId);
    const tile = (await d.getDashboard(dashboardId)).tiles[0];
    expect(tile.id).toBe(tileId);
    expect(tile.layouts).toEqual({ sm: { x: 3, y: 7, w: 4, h: 4 } });
    expect((await d.getInsight(insightId)).dashboard_tiles).toEqual([tileRef(dashboardId, false)]);
  });

  it(port("test_insight_items_on_a_dashboard_ignore_deleted_dashboards"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({});
    const [deletedId] = await d.createDashboard({});
    const [insightId] = await d.createInsight({ filters: legacyFilters, dashboards: [dashboardId, deletedId] });
    await d.updateDashboard(deletedId, { deleted: true });
    let insight = await d.getInsight(insightId);
    expect(insight.dashboards).toEqual([dashboardId]);
    expect(insight.dashboard_tiles).toEqual([tileRef(dashboardId)]);
    const [newId] = await d.createDashboard({});
    // Accidentally including a deleted dashboard is refused, and changes nothing.
    await d.updateInsight(insightId, { dashboards: [dashboardId, deletedId, newId] }, 400);
    insight = await d.getInsight(insightId);
    expect(insight.dashboards).toEqual([dashboardId]);
    expect(insight.dashboard_tiles).toEqual([tileRef(dashboardId)]);
  });

  it(`${port("test_insight_items_on_a_dashboard_ignore_deleted_dashboard_tiles")} (the tile removed through the API)`, async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({});
    const [insightId, created] = await d.createInsight({ filters: legacyFilters, dashboards: [dashboardId] });
    const tileId = created.dashboard_tiles[0].id;
    await d.updateDashboard(dashboardId, { tiles: [{ id: tileId, deleted: true }] });
    const insight = await d.getInsight(insightId);
    expect(insight.dashboards).toEqual([]);
    // Removed tiles are left out, not listed with `deleted: true`.
    expect(insight.dashboard_tiles).toEqual([]);
    const byShortId = (await d.api.get(`/insights/?short_id=${insight.short_id}`)).json.results[0];
    expect(byShortId.dashboards).toEqual([]);
    expect(byShortId.dashboard_tiles).toEqual([]);
    await d.addInsightToDashboard([dashboardId], insightId);
    const restored = await d.getInsight(insightId);
    expect(restored.dashboards).toEqual([dashboardId]);
    expect(restored.dashboard_tiles).toEqual([tileRef(dashboardId, false)]);
  });

  it(port("test_dashboards_relation_is_tile_soft_deletion_aware"), async () => {
    const d = dashboards();
    const [one] = await d.createDashboard({ name: "dash 1" });
    const [two] = await d.createDashboard({ name: "dash 2" });
    const [insightId] = await d.createInsight({ name: "start with two dashboards", dashboards: [one, two] });
    const [, onUpdate] = await d.updateInsight(insightId, { dashboards: [one] });
    expect(onUpdate.dashboards).toEqual([one]);
    expect(onUpdate.dashboard_tiles).toEqual([tileRef(one)]);
    const insight = await d.getInsight(insightId);
    expect(insight.dashboards).toEqual([one]);
    expect(insight.dashboard_tiles).toEqual([tileRef(one)]);
    const list = await d.listInsights();
    expect(list.count).toBe(1);
    expect(list.results.map((i: { dashboards: number[] }) => i.dashboards)).toEqual([[one]]);
    expect(list.results.map((i: { dashboard_tiles: unknown }) => i.dashboard_tiles)).toEqual([[tileRef(one)]]);
  });

  it(port("test_adding_insight_to_dashboard_updates_activity_log"), async () => {
    const d = dashboards();
    const [one] = await d.createDashboard({ name: "dash 1" });
    const [two] = await d.createDashboard({ name: "dash 2" });
    const [insightId, created] = await d.createInsight({
      name: "have to have a name to hit the activity log",
      dashboards: [one, two],
    });
    await d.updateInsight(insightId, { dashboards: [one] });
    await d.updateInsight(insightId, { dashboards: [one, two] });
    const activity = (await d.insightActivity(insightId)).results.map(({ id: _id, ...entry }: { id: string }) => entry);
    const detail = (changes: unknown) => ({
      changes,
      name: "have to have a name to hit the activity log",
      short_id: created.short_id,
      trigger: null,
      type: null,
    });
    const change = (before: object[], after: object[]) => [
      { action: "changed", before, after, field: "dashboards", type: "Insight" },
    ];
    const user = { email: "fake.user@example.com", first_name: "Fake" };
    const ref = (id: number, name: string) => ({ id, name });
    expect(activity).toEqual([
      {
        activity: "updated",
        created_at: expect.any(String),
        detail: detail(change([ref(one, "dash 1")], [ref(one, "dash 1"), ref(two, "dash 2")])),
        item_id: String(insightId),
        scope: "Insight",
        user,
      },
      {
        activity: "updated",
        created_at: expect.any(String),
        detail: detail(change([ref(one, "dash 1"), ref(two, "dash 2")], [ref(one, "dash 1")])),
        item_id: String(insightId),
        scope: "Insight",
        user,
      },
      {
        activity: "created",
        created_at: expect.any(String),
        detail: detail(null),
        item_id: String(insightId),
        scope: "Insight",
        user,
      },
    ]);
  });

  it(port("test_can_update_insight_dashboards_without_deleting_tiles"), async () => {
    const d = dashboards();
    const [one] = await d.createDashboard({});
    const [two] = await d.createDashboard({});
    const [insightId] = await d.createInsight({ dashboards: [one, two] });
    await d.setTileLayout(one, 1);
    const original = (await d.getDashboard(one)).tiles;
    // Update without changing anything.
    await d.updateInsight(insightId, { dashboards: [one, two] });
    let after = (await d.getDashboard(one)).tiles;
    expect(after.map((t: { id: number }) => t.id)).toEqual(original.map((t: { id: number }) => t.id));
    expect(after[0].layouts).not.toBeNull();
    // Then remove a dashboard.
    await d.updateInsight(insightId, { dashboards: [one] });
    after = (await d.getDashboard(one)).tiles;
    expect(after).toHaveLength(1);
    // The tile has not been recreated.
    expect(after[0].id).toBe(original[0].id);
    expect(after[0].layouts).toEqual(original[0].layouts);
    expect(after[0].insight.id).toBe(original[0].insight.id);
    expect([...original[0].insight.dashboards].sort()).toEqual([one, two].sort());
    expect(after[0].insight.dashboard_tiles.map((t: { dashboard_id: number }) => t.dashboard_id)).toEqual([one]);
  });

  it.each([
    ["test_dashboard_filters_applied_to_sql_data_table_node", "DataTableNode"],
    ["test_dashboard_filters_applied_to_data_visualization_node", "DataVisualizationNode"],
  ])(`${TEST_INSIGHT}::%s`, async (_name, kind) => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "the dashboard", filters: { date_from: "-180d" } });
    const query = {
      kind,
      source: {
        kind: "HogQLQuery",
        query: "SELECT count(1) FROM events",
        filters: { dateRange: { date_from: "-3d" } },
      },
    };
    const [insightId] = await d.createInsight({ query, name: "insight", dashboards: [dashboardId] });
    expect((await d.getInsight(insightId)).query).toEqual(query);
    const inContext = await d.getInsight(insightId, 200, `?refresh=true&from_dashboard=${dashboardId}`);
    expect(inContext.query.source.filters.dateRange.date_from).toBe("-180d");
  });

  it(port("test_dashboard_filters_applied_to_events_query_data_table_node"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "the dashboard", filters: { date_from: "-180d" } });
    const query = {
      kind: "DataTableNode",
      source: { kind: "EventsQuery", select: ["uuid", "event", "timestamp"], after: "-3d" },
    };
    const [insightId] = await d.createInsight({ query, name: "insight", dashboards: [dashboardId] });
    expect((await d.getInsight(insightId)).query).toEqual(query);
    const inContext = await d.getInsight(insightId, 200, `?refresh=true&from_dashboard=${dashboardId}`);
    expect(inContext.query.source.after).toBe("-180d");
  });

  it(`${port("test_dashboard_breakdown_filter_migration")} (the dashboard's filters set through the API)`, async () => {
    const d = dashboards();
    const retention = {
      kind: "RetentionQuery",
      dateRange: { date_from: "-30d", date_to: null },
      retentionFilter: {
        targetEntity: { id: "$pageview", type: "events" },
        returningEntity: { id: "$pageview", type: "events" },
        totalIntervals: 7,
      },
    };
    const [insightId] = await d.createInsight({ name: "Test Retention Insight", query: retention });
    const [dashboardId] = await d.createDashboard({
      name: "Test Dashboard",
      filters: { breakdown_filter: { breakdown: "browser", breakdown_type: "person" } },
    });
    await d.addInsightToDashboard([dashboardId], insightId);
    const response = await d.getInsight(insightId, 200, `?refresh=force_blocking&from_dashboard=${dashboardId}`);
    expect(response).toMatchObject({ id: insightId, name: "Test Retention Insight" });
    expect(response.query.kind).toBe("RetentionQuery");
    expect(response.query.breakdownFilter).toMatchObject({ breakdown: "browser", breakdown_type: "person" });
  });
});

describe(`${DEPRECATED} @ 6153f622e8b28fda66c3a7512c0539165773551e`, () => {
  const port = (name: string) => `${DEPRECATED}::${name}`;

  it(port("test_enforced_personal_api_key_must_opt_in_to_deprecated_dashboards_field"), async () => {
    const enforced = createFakePostHog({
      enforceDashboardsOptIn: true,
      scopes: ["insight:read", "dashboard:write", "insight:write"],
    });
    const d = dashboardApi(enforced);
    const [dashboardId] = await d.createDashboard({ name: "dash" });
    const [insightId] = await d.createInsight({ name: "insight", saved: true, dashboards: [dashboardId] });
    const byDefault = await d.getInsight(insightId);
    expect("dashboards" in byDefault).toBe(false);
    expect(byDefault.dashboard_tiles.map((t: { dashboard_id: number }) => t.dashboard_id)).toEqual([dashboardId]);
    const optedIn = await d.getInsight(insightId, 200, "?include_dashboards=true");
    expect(optedIn.dashboards).toEqual([dashboardId]);
  });

  it(port("test_unenforced_personal_api_key_still_receives_deprecated_dashboards_field"), async () => {
    const d = dashboards();
    const [dashboardId] = await d.createDashboard({ name: "dash" });
    const [insightId] = await d.createInsight({ name: "insight", saved: true, dashboards: [dashboardId] });
    expect((await d.getInsight(insightId)).dashboards).toEqual([dashboardId]);
  });
});
