// Code under test, as a user of the package writes it, and (in test/contract/examples-testing.test.ts)
// the test README's "Testing your code" shows, run against posthog-insights/testing.
import type { Insight, PostHogClient } from "posthog-insights";

/** Creates the "Daily signups" trends insight in the client's project. */
export function createDailySignups(posthog: PostHogClient): Promise<Insight> {
  return posthog.insights.create({
    name: "Daily signups",
    query: {
      kind: "InsightVizNode",
      source: {
        kind: "TrendsQuery",
        series: [{ kind: "EventsNode", event: "user signed up", math: "total" }],
        interval: "day",
      },
    },
  });
}
