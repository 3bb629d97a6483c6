// The tile protocol, through the client against the kit: PostHog ignores tiles sent with a
// dashboard; an insight goes onto a dashboard through its `dashboards` replace-set, and its tile's
// layout is set afterwards by tile id; a read-modify-write of `dashboards` keeps the insight's
// other memberships, tiles and layouts.
import { describe, expect, it } from "vitest";
import { placeOnDashboard } from "../../examples/place-on-dashboard.js";
import type { Dashboard, DashboardInsightTile, InsightCreate } from "../../src/index.js";
import { createFakePostHog } from "../../src/testing/index.js";

const signups: InsightCreate = {
  name: "Signups",
  query: {
    kind: "InsightVizNode",
    source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "user signed up" }] },
  },
};

const insightTiles = (dashboard: Dashboard): DashboardInsightTile[] =>
  dashboard.tiles.filter((tile): tile is DashboardInsightTile => tile.insight !== null);

describe("the tile protocol", () => {
  it("ignores the tiles sent with a new dashboard", async () => {
    const fake = createFakePostHog();
    const posthog = fake.client();
    const insight = await posthog.insights.create(signups);
    // What posthog-definitions sent (posthog-definitions#13): the server keeps none of it.
    const inline = {
      name: "Growth",
      tiles: [
        { insight: { id: insight.id }, layouts: { sm: { x: 0, y: 0, w: 12, h: 5 } } },
        { text: { body: "## Hi" } },
      ],
    };
    const created = await posthog.dashboards.create(inline);
    expect(created.tiles).toEqual([]);
    expect((await posthog.dashboards.retrieve(created.id)).tiles).toEqual([]);
    expect((await posthog.insights.retrieve(insight.id)).dashboard_tiles).toEqual([]);
  });

  it("puts an insight on a dashboard through its dashboards, then sets the layout of its tile", async () => {
    const fake = createFakePostHog();
    const posthog = fake.client();
    const dashboard = await posthog.dashboards.create({ name: "Growth" });
    const insight = await posthog.insights.create({ ...signups, dashboards: [dashboard.id] });
    const [tileRef] = insight.dashboard_tiles;
    expect(tileRef).toMatchObject({ dashboard_id: dashboard.id });

    const [tile] = insightTiles(await posthog.dashboards.retrieve(dashboard.id));
    expect(tile?.id).toBe(tileRef?.id);
    expect(tile?.insight.id).toBe(insight.id);

    const layout = { x: 0, y: 0, w: 12, h: 4 };
    await posthog.dashboards.update(dashboard.id, {
      tiles: [{ id: tile?.id as number, layouts: { sm: layout }, color: "blue" }],
    });
    const [placed] = (await posthog.dashboards.retrieve(dashboard.id)).tiles;
    expect(placed).toMatchObject({ id: tile?.id, layouts: { sm: layout }, color: "blue" });
  });

  it("keeps an insight on both its dashboards when a read-modify-write changes one membership", async () => {
    const fake = createFakePostHog();
    const posthog = fake.client();
    const [a, b, c] = await Promise.all(["A", "B", "C"].map((name) => posthog.dashboards.create({ name })));
    const insight = await posthog.insights.create({ ...signups, dashboards: [a?.id as number, b?.id as number] });
    const placedOnB = insightTiles(await posthog.dashboards.retrieve(b?.id as number))[0];
    await posthog.dashboards.update(b?.id as number, {
      tiles: [{ id: placedOnB?.id as number, layouts: { sm: { x: 6, y: 2, w: 6, h: 6 } } }],
    });

    // A push that manages dashboard C reads the current set and changes only C.
    const change = async (edit: (ids: number[]) => number[]) => {
      const current = await posthog.insights.retrieve(insight.id, { include_dashboards: true });
      await posthog.insights.update(insight.id, { dashboards: edit(current.dashboards ?? []) });
    };
    await change((ids) => [...ids, c?.id as number]);
    let current = await posthog.insights.retrieve(insight.id, { include_dashboards: true });
    expect([...(current.dashboards ?? [])].sort()).toEqual([a?.id, b?.id, c?.id].sort());

    await change((ids) => ids.filter((id) => id !== c?.id));
    current = await posthog.insights.retrieve(insight.id, { include_dashboards: true });
    expect([...(current.dashboards ?? [])].sort()).toEqual([a?.id, b?.id].sort());
    // B's tile is the same one, with the layout set on it.
    const stillOnB = insightTiles(await posthog.dashboards.retrieve(b?.id as number))[0];
    expect(stillOnB).toMatchObject({ id: placedOnB?.id, layouts: { sm: { x: 6, y: 2, w: 6, h: 6 } } });
    expect(insightTiles(await posthog.dashboards.retrieve(c?.id as number))).toEqual([]);

    // What a blind write would have done: the replace-set drops every other dashboard.
    await posthog.insights.update(insight.id, { dashboards: [c?.id as number] });
    expect((await posthog.insights.retrieve(insight.id)).dashboards).toEqual([c?.id]);
  });

  it("places an insight the way examples/place-on-dashboard.ts does, keeping its other dashboards", async () => {
    const fake = createFakePostHog();
    const posthog = fake.client();
    const [growth, kpis] = await Promise.all([
      posthog.dashboards.create({ name: "Growth" }),
      posthog.dashboards.create({ name: "KPIs" }),
    ]);
    const insight = await posthog.insights.create({ ...signups, dashboards: [growth.id] });
    const tile = await placeOnDashboard(posthog, insight.id, kpis.id, { x: 0, y: 0, w: 12, h: 4 });
    expect(tile.layouts.sm).toEqual({ x: 0, y: 0, w: 12, h: 4 });
    expect((await posthog.insights.retrieve(insight.id)).dashboards?.sort()).toEqual([growth.id, kpis.id].sort());
    // Again: nothing to add, the layout set again, the same tile.
    expect((await placeOnDashboard(posthog, insight.id, kpis.id, { x: 0, y: 0, w: 6, h: 4 })).id).toBe(tile.id);
  });
});
