// No drift: a scripted tour of every operation through the fake, errors included, with
// every answer validated against the bundled spec (status declared, body valid).
import { describe, expect, it } from "vitest";
import { createFakePostHog } from "../../src/testing/index.js";
import { tour } from "../support/fake-tour.js";
import { specValidator } from "../support/spec-validator.js";

const trends = {
  kind: "InsightVizNode",
  source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview" }] },
};
const funnel = {
  kind: "InsightVizNode",
  source: {
    kind: "FunnelsQuery",
    series: [
      { kind: "EventsNode", event: "a" },
      { kind: "EventsNode", event: "b" },
    ],
  },
};
const retention = {
  kind: "InsightVizNode",
  source: { kind: "RetentionQuery", retentionFilter: { totalIntervals: 4 } },
};

describe("the fake against the spec", () => {
  it("answers every operation as the spec declares, errors included", async () => {
    const statuses = await tour([
      ["POST", "/insights/", { name: "Trends", query: trends }],
      ["POST", "/insights/", { name: "Funnel", query: funnel }],
      ["POST", "/insights/", { name: "Retention", query: retention }],
      ["POST", "/insights/", { name: "x".repeat(401) }],
      ["POST", "/insights/", { query: { kind: "Nope" } }],
      ["GET", "/insights/?limit=1"],
      ["GET", "/insights/?basic=true&search=trends&order=-created_at"],
      ["GET", "/insights/?format=csv"],
      ["GET", "/insights/1/?refresh=blocking"],
      ["GET", "/insights/2/?refresh=blocking"],
      ["GET", "/insights/3/?refresh=blocking"],
      ["GET", "/insights/1/?format=csv"],
      ["PATCH", "/insights/1/", { name: "Renamed", favorited: true }],
      ["GET", "/insights/2/?refresh=force_async"],
      ["GET", "/query/cache_missing/"],
      ["PATCH", "/insights/3/", { deleted: true }],
      ["GET", "/insights/3/"],
      ["DELETE", "/insights/1/"],
      ["GET", "/insights/1/activity/"],
      ["GET", "/insights/activity/?limit=1"],
      ["GET", "/insights/activity/?format=csv"],
      ["POST", "/insights/viewed/", { insight_ids: [1, 2] }],
      ["GET", "/insights/my_last_viewed/"],
      ["POST", "/insights/cancel/", {}],
      ["POST", "/insights/cancel/", { client_query_id: "abc" }],
      ["GET", "/insights/1/sharing/"],
      ["PATCH", "/insights/1/sharing/", { enabled: true }],
      ["POST", "/insights/1/sharing/refresh/"],
      ["GET", "/insights/99/sharing/"],
      ["GET", "/"],
      ["GET", "/insights/", undefined, null],
      ["GET", "/insights/", undefined, "phx_wrong"],
      // What PostHog's own tests added (test/testing/posthog-*.test.ts).
      ["POST", "/insights/", { name: "Legacy", filters: { insight: "TRENDS", events: [{ id: "$pageview" }] } }],
      ["GET", "/insights/4/?refresh=blocking"],
      ["POST", "/insights/", { name: "Events", query: { kind: "EventsQuery", select: ["event"] } }],
      ["GET", "/insights/?search=Trnds"],
      ["GET", `/insights/?search=${"a".repeat(201)}`],
      ["GET", '/insights/?feature_flag=beta&hide_feature_flag_insights=true&tags=["a"]&created_date_from=-7d'],
      ["GET", '/insights/1/?filters_override={"date_from":"-7d"}&refresh=blocking'],
      ["GET", "/insights/1/?filters_override=not-json"],
      ["GET", "/insights/trending/?days=30"],
      ["GET", "/insights/trending/?days=abc"],
      ["PATCH", "/insights/1/sharing/", { settings: { theme: "dark", whitelabel: true, unknown: 1 } }],
      ["PATCH", "/insights/1/sharing/", { settings: "dark" }],
    ]);
    expect(statuses).toContain("GET /insights/trending/?days=abc 400");
    expect(statuses).toContain("POST /insights/ 201");
    expect(statuses).toContain("POST /insights/ 400");
    expect(statuses).toContain("DELETE /insights/1/ 405");
    expect(statuses).toContain("GET /insights/3/ 404");
    expect(statuses).toContain("GET /insights/ 403");
    // Compiling the spec's schemas takes a while on a loaded machine.
  }, 120_000);

  it("answers the async calculation polls and cancel as the spec declares", async () => {
    const fake = createFakePostHog({ computeSteps: 1 });
    const posthog = fake.client();
    const insight = await posthog.insights.create({ name: "T", query: trends as never });
    const started = await posthog.insights.retrieve(insight.id, { refresh: "async" });
    const id = started.query_status?.id ?? "";
    const statuses = await tour([]);
    expect(statuses).toEqual([]);
    for (const method of ["GET", "GET", "DELETE", "GET"]) {
      const path = `/api/projects/1/query/${id}/`;
      const response = await fake.fetch(`${fake.origin}${path}`, {
        method,
        headers: { authorization: `Bearer ${fake.apiKey}` },
      });
      const body = await response.json();
      expect(
        specValidator().answerErrors({ method, path, status: response.status, contentType: "application/json", body }),
      ).toEqual([]);
    }
    expect(fake.requests.slice(-4).map((r) => r.status)).toEqual([202, 200, 200, 404]);
  });

  it("answers reads with a sharing access token, and its refusals, as the spec declares", async () => {
    const fake = createFakePostHog();
    const posthog = fake.client();
    const insight = await posthog.insights.create({ name: "Shared", query: trends as never });
    await posthog.insights.create({ name: "Private" });
    const { access_token: token } = await posthog.insights.sharing.update(insight.id, { enabled: true });
    const cases: [string, string, number][] = [
      ["GET", `/api/projects/1/insights/?sharing_access_token=${token}`, 200],
      ["GET", `/api/projects/1/insights/${insight.id}/?sharing_access_token=${token}`, 200],
      ["GET", `/api/projects/1/insights/2/?sharing_access_token=${token}`, 404],
      ["GET", "/api/projects/1/insights/1/?sharing_access_token=wrong", 403],
      ["PATCH", `/api/projects/1/insights/1/?sharing_access_token=${token}`, 403],
    ];
    for (const [method, path, status] of cases) {
      const response = await fake.fetch(`${fake.origin}${path}`, { method });
      const body = await response.json();
      expect(response.status, path).toBe(status);
      const answer = { method, path, status: response.status, contentType: "application/json", body };
      expect(specValidator().answerErrors(answer)).toEqual([]);
    }
  });

  it("answers scope refusals, throttling and the legacy viewed route as the spec declares", async () => {
    await tour([["POST", "/insights/", {}]], { scopes: ["insight:read"] });
    await tour([["GET", "/insights/my_last_viewed/"]], { scopes: ["*"] });
    const throttled = await tour(
      [
        ["GET", "/insights/"],
        ["GET", "/insights/"],
      ],
      { rateLimit: [{ requests: 1, windowMs: 60_000 }] },
    );
    expect(throttled.at(-1)).toBe("GET /insights/ 429");
    await tour(
      [
        ["POST", "/insights/", { name: "A" }],
        ["POST", "/insights/1/viewed/"],
      ],
      { api: "legacy" },
    );
  });

  it("gives results that fit the spec's schema of their kind", async () => {
    const fake = createFakePostHog();
    const posthog = fake.client();
    const viz = (source: object) => ({ kind: "InsightVizNode", source });
    const compare = { compare: true };
    for (const [query, schema] of [
      [trends, "TrendsResult"],
      [funnel, "FunnelsResult"],
      [retention, "RetentionResult"],
      [
        viz({ kind: "CalendarHeatmapQuery", series: [{ kind: "EventsNode", event: "$pageview" }] }),
        "CalendarHeatmapResult",
      ],
      [viz({ kind: "WebOverviewQuery", properties: [], compareFilter: compare }), "WebOverviewResult"],
      [viz({ kind: "WebStatsTableQuery", breakdownBy: "Browser", properties: [] }), "QueryRowsResult"],
      [{ kind: "DataTableNode", source: { kind: "ActorsQuery" } }, "QueryRowsResult"],
    ] as const) {
      const created = await posthog.insights.create({ query: query as never }, {});
      const computed = await posthog.insights.retrieve(created.id, { refresh: "blocking" });
      expect(specValidator().schemaErrors(schema, computed.result)).toEqual([]);
    }
  });

  it("never calculates the legacy table sources, as PostHog: a failed status and no result", async () => {
    const fake = createFakePostHog({ computeSteps: 1 });
    const posthog = fake.client();
    const query = { kind: "DataTableNode", source: { kind: "EventsNode", event: "$pageview" } } as never;
    const created = await posthog.insights.create({ query });
    const blocking = await posthog.insights.retrieve(created.id, { refresh: "blocking" });
    expect(blocking.result).toBeNull();
    expect(blocking.query_status).toMatchObject({ error: true, error_message: "Unsupported query kind: EventsNode" });
    expect(specValidator().schemaErrors("Insight", blocking)).toEqual([]);
    await expect(posthog.insights.compute(created.id, { kind: "EventsNode" })).rejects.toThrow(
      "Unsupported query kind: EventsNode",
    );
    const cached = await posthog.insights.retrieve(created.id);
    expect(cached.result).toBeNull();
    expect(cached.query_status).toBeNull(); // force_cache: a plain cache miss, not the failed status again
  });
});
