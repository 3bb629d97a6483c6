// Create a trends insight from a typed query: completion on every field, and a compile
// error on a misspelt kind, math or interval.
//   node --import ./scripts/ts-register.mjs examples/create-trends.ts
import { PostHogClient, type Insight, type TrendsQuery } from "posthog-insights";

/** Weekly active users who signed up, broken down by browser, over the last 90 days. */
export const weeklyActiveSignups: TrendsQuery = {
  kind: "TrendsQuery",
  series: [
    {
      kind: "EventsNode",
      event: "user signed up",
      name: "user signed up",
      math: "weekly_active",
      properties: [{ type: "person", key: "email", operator: "not_icontains", value: "@example.com" }],
    },
  ],
  interval: "week",
  dateRange: { date_from: "-90d" },
  breakdownFilter: { breakdown_type: "event", breakdown: "$browser", breakdown_limit: 5 },
  trendsFilter: { display: "ActionsLineGraph", showLegend: true },
  filterTestAccounts: true,
};

export function createTrendsInsight(
  posthog: PostHogClient,
  source: TrendsQuery = weeklyActiveSignups,
): Promise<Insight> {
  return posthog.insights.create({
    name: "Weekly active signups by browser",
    description: "Created from a typed TrendsQuery",
    query: { kind: "InsightVizNode", source },
    tags: ["generated"],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const insight = await createTrendsInsight(new PostHogClient());
  console.log(`Created insight #${insight.id} (${insight.short_id})`);
}
