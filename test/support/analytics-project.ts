// A project with every kind kept as code, seeded in a fake PostHog through the client: three
// actions, two cohorts (one naming an action, one nested), four insights (naming actions and
// cohorts), and two dashboards (one with three insight tiles and a text tile, stored filters
// naming a cohort; one sharing an insight with it). The as-code tests start from it.
import type { PostHogClient } from "../../src/client.js";
import { createFakePostHog, type FakePostHog } from "../../src/testing/index.js";

/** The ids of what `seedProject` made. */
export interface Seeded {
  actions: { signedUp: number; purchased: number; pricing: number };
  cohorts: { powerUsers: number; payingPowerUsers: number };
  insights: { dailySignups: number; funnel: number; purchases: number; pricingViews: number };
  dashboards: { growth: number; team: number };
}

/**
 * Seeds `posthog`'s project.
 *
 * @example
 * const ids = await seedProject(fake.client());
 */
export async function seedProject(posthog: PostHogClient): Promise<Seeded> {
  const signedUp = await posthog.actions.create({ name: "Signed up", steps: [{ event: "user signed up" }] });
  const purchased = await posthog.actions.create({
    name: "Purchased",
    description: "Checkout completed",
    tags: ["revenue"],
    steps: [{ event: "purchase" }, { event: "$autocapture", selector: "button.buy", text: "Buy" }],
  });
  const pricing = await posthog.actions.create({
    name: "Visited pricing",
    steps: [{ event: "$pageview", url: "/pricing", url_matching: "contains" }],
  });
  const powerUsers = await posthog.cohorts.create({
    name: "Power users",
    filters: {
      properties: {
        type: "AND",
        values: [
          {
            type: "behavioral",
            key: signedUp.id,
            event_type: "actions",
            value: "performed_event",
            time_value: 30,
            time_interval: "day",
          },
        ],
      },
    },
  });
  const payingPowerUsers = await posthog.cohorts.create({
    name: "Paying power users",
    filters: {
      properties: {
        type: "AND",
        values: [
          { type: "cohort", key: "id", value: powerUsers.id },
          { type: "person", key: "plan", operator: "exact", value: ["pro"] },
        ],
      },
    },
  });
  const trends = (series: object[], extra: object = {}) => ({
    kind: "InsightVizNode" as const,
    source: { kind: "TrendsQuery" as const, series, interval: "day" as const, ...extra },
  });
  const dailySignups = await posthog.insights.create({
    name: "Daily signups",
    query: trends([{ kind: "ActionsNode", id: signedUp.id, name: "Signed up" }]),
  } as never);
  const funnel = await posthog.insights.create({
    name: "Signup funnel",
    query: {
      kind: "InsightVizNode",
      source: {
        kind: "FunnelsQuery",
        series: [
          { kind: "EventsNode", event: "$pageview" },
          { kind: "ActionsNode", id: signedUp.id },
        ],
      },
    },
  } as never);
  const purchases = await posthog.insights.create({
    name: "Purchases by power users",
    query: trends([{ kind: "ActionsNode", id: purchased.id }], {
      properties: [{ type: "cohort", key: "id", value: payingPowerUsers.id }],
    }),
  } as never);
  const pricingViews = await posthog.insights.create({
    name: "Pricing views",
    query: trends([{ kind: "ActionsNode", id: pricing.id }]),
  } as never);
  const growth = await posthog.dashboards.create({
    name: "Growth",
    description: "Signups and revenue",
    pinned: true,
    filters: { date_from: "-30d", properties: [{ type: "cohort", key: "id", value: powerUsers.id }] },
  });
  const team = await posthog.dashboards.create({ name: "Team" });
  for (const id of [dailySignups.id, funnel.id, purchases.id]) {
    const member = id === funnel.id ? [growth.id, team.id] : [growth.id];
    await posthog.insights.update(id, { dashboards: member });
  }
  await arrange(posthog, growth.id, [
    [dailySignups.id, { x: 0, y: 0, w: 6, h: 5 }, "blue"],
    [funnel.id, { x: 6, y: 0, w: 6, h: 5 }],
    [purchases.id, { x: 0, y: 5, w: 12, h: 5 }],
  ]);
  return {
    actions: { signedUp: signedUp.id, purchased: purchased.id, pricing: pricing.id },
    cohorts: { powerUsers: powerUsers.id, payingPowerUsers: payingPowerUsers.id },
    insights: {
      dailySignups: dailySignups.id,
      funnel: funnel.id,
      purchases: purchases.id,
      pricingViews: pricingViews.id,
    },
    dashboards: { growth: growth.id, team: team.id },
  };
}

/**
 * Lays out a dashboard's insight tiles (each insight's `sm` layout, and colour) and adds the
 * "## Notes" card under them, as the UI would.
 *
 * @example
 * await arrange(posthog, growth.id, [[signups.id, { x: 0, y: 0, w: 6, h: 5 }, "blue"]]);
 */
export async function arrange(
  posthog: PostHogClient,
  dashboard: number,
  tiles: [insight: number, layout: { x: number; y: number; w: number; h: number }, color?: string][],
): Promise<void> {
  const placed = await posthog.dashboards.retrieve(dashboard);
  const tileOf = (insight: number) => placed.tiles.find((tile) => tile.insight?.id === insight)?.id as number;
  await posthog.dashboards.update(dashboard, {
    tiles: tiles.map(([insight, sm, color]) => ({
      id: tileOf(insight),
      layouts: { sm },
      ...(color === undefined ? {} : { color }),
    })),
  });
  await posthog.dashboards.createTextTile(dashboard, {
    body: "## Notes\nSignups count the `Signed up` action.",
    layouts: { sm: { x: 0, y: 10, w: 12, h: 2 } },
  });
}

/**
 * A fake PostHog seeded with the project.
 *
 * @example
 * const { fake, ids } = await seededFake(5, { enforceDashboardsOptIn: true });
 */
export async function seededFake(
  projectId = 1,
  options: Parameters<typeof createFakePostHog>[0] = {},
): Promise<{ fake: FakePostHog; ids: Seeded }> {
  const fake = createFakePostHog({ projectId, ...options });
  const ids = await seedProject(fake.client({ rateLimit: false }));
  return { fake, ids };
}
