// README's "Testing your code" example, run as written against posthog-insights/testing.
import { RateLimitError } from "posthog-insights";
import { createFakePostHog } from "posthog-insights/testing";
import { expect, it } from "vitest";
import { createDailySignups } from "../../examples/test-your-code.js";

it("creates the signups insight", async () => {
  const fake = createFakePostHog();
  await createDailySignups(fake.client());
  expect(fake.insights.map((insight) => insight.name)).toEqual(["Daily signups"]);
});

it("reports throttling", async () => {
  const fake = createFakePostHog();
  fake.fail({ method: "POST", path: "/insights/", status: 429, times: 3 });
  await expect(createDailySignups(fake.client({ maxRetries: 0 }))).rejects.toBeInstanceOf(RateLimitError);
  expect(fake.insights).toEqual([]);
});
