// Puts an insight on a dashboard at a given place, the way PostHog's tile protocol needs it:
// read the insight's dashboards, add this one without dropping the others, then set the layout
// of the tile PostHog created. Run against posthog-insights/testing in test/testing/tile-protocol.test.ts.
import { type DashboardInsightTile, PostHogClient } from "posthog-insights";

/** A tile's place on the 12-column desktop grid. */
export type Place = { x: number; y: number; w: number; h: number };

/** Puts insight `insightId` on dashboard `dashboardId` (if it is not there yet) at `place`; returns the tile. */
export async function placeOnDashboard(
  posthog: PostHogClient,
  insightId: number,
  dashboardId: number,
  place: Place,
): Promise<DashboardInsightTile> {
  // `dashboards` replaces the whole set: keep every other dashboard the insight is on.
  const insight = await posthog.insights.retrieve(insightId, { include_dashboards: true });
  const current = insight.dashboards ?? insight.dashboard_tiles.map((tile) => tile.dashboard_id);
  if (!current.includes(dashboardId)) {
    await posthog.insights.update(insightId, { dashboards: [...current, dashboardId] });
  }
  // Tiles are addressed by tile id, which only the dashboard knows.
  const { tiles } = await posthog.dashboards.retrieve(dashboardId);
  const tile = tiles.find((t): t is DashboardInsightTile => t.insight?.id === insightId);
  if (!tile) {
    throw new Error(`Insight ${insightId} has no tile on dashboard ${dashboardId}.`);
  }
  // PostHog skips an unknown tile id silently: check that the layout took.
  const updated = await posthog.dashboards.update(dashboardId, { tiles: [{ id: tile.id, layouts: { sm: place } }] });
  const placed = updated.tiles.find((t): t is DashboardInsightTile => t.id === tile.id);
  if (!placed) {
    throw new Error(`Tile ${tile.id} is gone from dashboard ${dashboardId}.`);
  }
  return placed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // node --import ./scripts/ts-register.mjs examples/place-on-dashboard.ts <insight id> <dashboard id>
  const [insightId, dashboardId] = process.argv.slice(2).map(Number);
  const tile = await placeOnDashboard(new PostHogClient(), insightId as number, dashboardId as number, {
    x: 0,
    y: 0,
    w: 12,
    h: 5,
  });
  console.log(`Insight #${insightId} is tile #${tile.id} of dashboard #${dashboardId}, full width at the top`);
}
