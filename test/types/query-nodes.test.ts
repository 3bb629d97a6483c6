// Type tests of the query types: precise requests, open responses, and the round trip
// retrieve -> create of a query this version may not fully know.
import { describe, expectTypeOf, it } from "vitest";
import type { InsightCreate, InsightQuery, PostHogClient, UnknownQueryNode } from "../../src/index.js";

declare const posthog: PostHogClient;

describe("query types", () => {
  it("sends a retrieved query back unchanged", async () => {
    const { query } = await posthog.insights.retrieve(7);
    await posthog.insights.create({ name: "Copy", query });
    await posthog.insights.update(7, { query });
  });

  it("accepts a bare EventsQuery as an insight's query, as PostHog does (test_insight_query.py::test_can_save_valid_events_query_to_an_insight)", async () => {
    const query: InsightQuery = { kind: "EventsQuery", select: ["*", "event", "person", "timestamp"] };
    const body: InsightCreate = { name: "Events", query };
    expectTypeOf(body).toMatchTypeOf<InsightCreate>();
    await posthog.insights.create(body);
  });

  it("accepts explicit nulls where PostHog writes them", () => {
    const body: InsightCreate = {
      query: {
        kind: "InsightVizNode",
        source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: null, math: null }], trendsFilter: null },
        showHeader: null,
      },
    };
    expectTypeOf(body).toMatchTypeOf<InsightCreate>();
  });

  it("takes the null response of a model_dump on query nodes, not on InsightVizNode (PostHog's has none)", () => {
    const dumped: InsightQuery = {
      kind: "InsightVizNode",
      source: {
        kind: "TrendsQuery",
        series: [{ kind: "EventsNode", event: "$pageview", response: null }],
        response: null,
      },
    };
    const wrapper: InsightQuery = {
      kind: "InsightVizNode",
      source: { kind: "TrendsQuery", series: [] },
      // @ts-expect-error InsightVizNode has no response field in PostHog's model
      response: null,
    };
    void [dumped, wrapper];
  });

  it("refuses a misspelt enum, an unknown key and an unknown kind in literals", () => {
    const source = { kind: "TrendsQuery", series: [] } as const;
    const a: InsightQuery = {
      kind: "InsightVizNode",
      // @ts-expect-error misspelt display
      source: { ...source, trendsFilter: { display: "ActionsLineGrap" } },
    };
    // @ts-expect-error unknown key
    const b: InsightQuery = { kind: "InsightVizNode", source, shwoHeader: true };
    // @ts-expect-error a kind this version does not know cannot be written as a literal
    const c: InsightQuery = { kind: "FutureQuery" };
    void [a, b, c];
  });

  it("still narrows on known kinds, and leaves the unknown node typed", () => {
    const q = {} as InsightQuery;
    if (q.kind === "InsightVizNode") {
      expectTypeOf(q.source.kind).toMatchTypeOf<string | UnknownQueryNode["kind"]>();
    } else if (q.kind === "DataVisualizationNode") {
      expectTypeOf(q.source.query).toEqualTypeOf<string>();
    }
    expectTypeOf<Extract<InsightQuery, UnknownQueryNode>>().toEqualTypeOf<UnknownQueryNode>();
  });
});
