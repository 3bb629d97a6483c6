// Every facade method against Prism: Prism refuses any request that breaks the spec, so a
// method that builds a wrong path, query or body fails here.
import { describe, expect, inject, it } from "vitest";
import { APIError, AuthenticationError, NotFoundError, PostHogClient } from "../../src/index.js";
import { usePrism } from "../support/prism-ready.js";

const posthog = new PostHogClient({
  apiKey: "phx_contract",
  host: inject("prismUrl"),
  projectId: 12345,
  maxRetries: 0,
});

// Prism starts and warms up in the background (see test/prism.globalSetup.ts); this file waits for it.
usePrism();

describe("the facade against the spec", () => {
  it("list, toArray and basic", async () => {
    const page = await posthog.insights.list({
      limit: 10,
      offset: 0,
      refresh: "force_cache",
      order: "-last_modified_at",
      saved: true,
    });
    expect(page.results.length).toBe(page.count);
    expect(await posthog.insights.list().toArray({ maxItems: 5 })).toHaveLength(1);
    const basic = await posthog.insights.list({ basic: true });
    expect(basic.results[0]?.id).toEqual(expect.any(Number));
  });

  it("create, retrieve, update, delete, restore", async () => {
    const created = await posthog.insights.create({
      name: "Signups per day",
      query: {
        kind: "InsightVizNode",
        source: {
          kind: "TrendsQuery",
          series: [{ kind: "EventsNode", event: "user signed up", math: "total" }],
          interval: "day",
        },
      },
    });
    expect(created.id).toEqual(expect.any(Number));
    expect((await posthog.insights.retrieve(created.id, { refresh: "blocking", from_dashboard: 3 })).id).toEqual(
      expect.any(Number),
    );
    expect((await posthog.insights.update(created.id, { name: "Renamed", tags: ["growth"] })).id).toEqual(
      expect.any(Number),
    );
    await expect(posthog.insights.delete(created.id)).resolves.toMatchObject({ id: expect.any(Number) });
    await expect(posthog.insights.restore(created.id)).resolves.toMatchObject({ id: expect.any(Number) });
  });

  it("activity, allActivity, markViewed, lastViewed, cancel", async () => {
    expect((await posthog.insights.activity(7, { page: 1, limit: 10 })).total_count).toBeGreaterThan(0);
    expect(await posthog.insights.allActivity().toArray()).toHaveLength(2);
    await expect(posthog.insights.markViewed(7)).resolves.toBeUndefined();
    expect((await posthog.insights.lastViewed()).length).toBeLessThanOrEqual(5);
    await expect(posthog.insights.cancel("3f1e2d4c")).resolves.toBeUndefined();
  });

  it("sharing retrieve, update, refresh", async () => {
    expect((await posthog.insights.sharing.retrieve(7)).enabled).toBe(false);
    expect((await posthog.insights.sharing.update(7, { enabled: true })).enabled).toBe(true);
    expect((await posthog.insights.sharing.refresh(7)).access_token).toEqual(expect.any(String));
  });

  it("compute returns the insight with its result", async () => {
    const insight = await posthog.insights.compute(7, { pollIntervalMs: 10 });
    expect(insight.id).toBe(7);
  });

  it("CSV export", async () => {
    expect(await posthog.insights.retrieve(7, { format: "csv" })).toContain("$pageview");
  });

  it("a spec violation surfaces as a typed error with PostHog's fields", async () => {
    const err = await posthog.insights.update(7, { name: 5 as unknown as string }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(err).toMatchObject({ status: 400, type: "validation_error", code: "max_length", attr: "name" });
    const anonymous = new PostHogClient({ apiKey: "phx_x", host: inject("prismUrl"), headers: { Prefer: "code=401" } });
    await expect(anonymous.insights.retrieve(7)).rejects.toBeInstanceOf(AuthenticationError);
    const missing = new PostHogClient({ apiKey: "phx_x", host: inject("prismUrl"), headers: { Prefer: "code=404" } });
    await expect(missing.insights.retrieve(7)).rejects.toBeInstanceOf(NotFoundError);
  });
});
