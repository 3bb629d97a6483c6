// PostHog's own tests of saving queries on insights, ported to the testing kit: each `it` names its
// source as `path::test_name`. Read at (PostHog/posthog):
//   products/product_analytics/backend/api/test/test_insight_query.py @ 18216ae59a963ecd7275d58577ad7951389b04ac
//   posthog/api/test/test_insight_query.py (its older home, the same tests without the MCP ones)
//                                                                        @ 109f0841102f67b092d8cda6dd55bd62d7557aeb
// and the MCP serializer they exercise: products/.../api/insight.py @ 01c32d37 (MCPInsightSerializer).
//
// Left out: nothing. Every test here needs no event data, no other team or user and no flag (the
// MCP ones send PostHog's `x-posthog-client: mcp` header, which the kit honours as PostHog does).
import { describe, expect, it } from "vitest";
import { createFakePostHog } from "../../src/testing/index.js";
import { EVENTS_QUERY, posthogClient } from "./posthog-api.js";

const P = "products/product_analytics/backend/api/test/test_insight_query.py";

const personsTable = {
  kind: "DataTableNode",
  columns: ["person", "id", "created_at", "person.$delete"],
  source: { kind: "EventsQuery", select: ["*"] },
};

function setup() {
  const fake = createFakePostHog();
  return { fake, client: posthogClient(fake) };
}

describe(P, () => {
  it(`${P}::test_can_save_valid_events_query_to_an_insight`, async () => {
    const { client } = setup();
    const reply = await client.post("/insights/", {
      name: "Insight with events query",
      query: EVENTS_QUERY,
    });
    expect(reply.status).toBe(201);
  });

  it(`${P}::test_can_save_valid_events_table_query_to_an_insight`, async () => {
    const { client } = setup();
    const reply = await client.post("/insights/", {
      name: "Insight with events table query",
      query: { kind: "DataTableNode", source: EVENTS_QUERY },
    });
    expect(reply.status).toBe(201);
  });

  it(`${P}::test_can_save_valid_persons_table_query_to_an_insight`, async () => {
    const { client } = setup();
    const reply = await client.post("/insights/", { name: "Insight with persons table query", query: personsTable });
    expect(reply.status).toBe(201);
  });

  it(`${P}::test_no_default_filters_on_insight_query`, async () => {
    const { client } = setup();
    const reply = await client.post("/insights/", { name: "Insight with persons table query", query: personsTable });
    expect.soft(reply.status).toBe(201);
    expect.soft(reply.json.filters).toEqual({});
  });

  it(`${P}::test_can_save_insights_query_to_an_insight`, async () => {
    const { client } = setup();
    const reply = await client.post("/insights/", {
      name: "Insight with insights query",
      query: {
        kind: "TrendsQuery",
        properties: {
          type: "AND",
          values: [
            {
              type: "OR",
              values: [
                { type: "event", key: "$current_url", operator: "exact", value: ["https://hedgebox.net/files/"] },
                { type: "event", key: "$geoip_country_code", operator: "exact", value: ["US", "AU"] },
              ],
            },
          ],
        },
        filterTestAccounts: false,
        interval: "day",
        dateRange: { date_from: "-7d" },
        series: [{ kind: "EventsNode", name: "$pageview", custom_name: "Views", event: "$pageview", limit: 100 }],
        trendsFilter: { display: "ActionsAreaGraph" },
        breakdownFilter: { breakdown: "$geoip_country_code", breakdown_type: "event" },
      },
    });
    expect(reply.status).toBe(201);
  });

  it(`${P}::test_cannot_save_a_completely_invalid_query_to_an_insight`, async () => {
    const { client } = setup();
    const reply = await client.post("/insights/", { name: "Insight with events query", query: "not a valid query" });
    expect(reply.status).toBe(400);
  });

  it(`${P}::test_cannot_save_invalid_persons_table_query_to_an_insight`, async () => {
    const { client } = setup();
    const reply = await client.post("/insights/", {
      name: "Insight with persons table query",
      query: { kind: "DataTableNode", source: { kind: "EventsQuery", select: ["*"] } },
    });
    expect(reply.status).toBe(201);
  });

  it(`${P}::test_can_list_insights_including_those_with_only_queries`, async () => {
    const { fake, client } = setup();
    await client.post("/insights/", { name: "Insight with filters" });
    await client.post("/insights/", { name: "Insight with persons table query", query: personsTable });
    expect.soft(fake.insights).toHaveLength(2);
    expect.soft((await client.get("/insights/")).json.count).toBe(2);
  });

  it.each([
    [
      "already_wrapped_insight_viz_node",
      {
        kind: "InsightVizNode",
        source: {
          kind: "TrendsQuery",
          series: [{ kind: "EventsNode", event: "$pageview", name: "$pageview" }],
          dateRange: { date_from: "-7d" },
          interval: "day",
        },
      },
      "InsightVizNode",
      null,
    ],
    [
      "raw_trends_query",
      {
        kind: "TrendsQuery",
        series: [{ kind: "EventsNode", event: "$pageview", name: "$pageview" }],
        dateRange: { date_from: "-7d" },
        interval: "day",
      },
      "InsightVizNode",
      "TrendsQuery",
    ],
    [
      "raw_hogql_query",
      { kind: "HogQLQuery", query: "select event from events limit 1" },
      "DataVisualizationNode",
      "HogQLQuery",
    ],
    [
      "already_wrapped_data_visualization_node",
      { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: "select event from events limit 1" } },
      "DataVisualizationNode",
      "HogQLQuery",
    ],
  ])(`${P}::test_mcp_create_normalizes_query (%s)`, async (_, query, expectedKind, expectedSourceKind) => {
    const { client } = setup();
    const reply = await client.post(
      "/insights/",
      { name: "Test insight", favorited: false, saved: true, query },
      { headers: { "x-posthog-client": "mcp" } },
    );
    expect(reply.status).toBe(201);
    expect.soft(reply.json.query.kind).toBe(expectedKind);
    if (expectedSourceKind !== null) {
      expect.soft(reply.json.query.source.kind).toBe(expectedSourceKind);
    }
  });

  it(`${P}::test_mcp_create_preserves_viz_specific_options_aliases`, async () => {
    const { client } = setup();
    const reply = await client.post(
      "/insights/",
      {
        name: "Test insight",
        favorited: false,
        saved: true,
        query: {
          kind: "InsightVizNode",
          source: { kind: "TrendsQuery", series: [] },
          vizSpecificOptions: { TRENDS: { trendsFilter: { yAxis: { label: "Revenue" } } } },
        },
      },
      { headers: { "x-posthog-client": "mcp" } },
    );
    expect(reply.status).toBe(201);
    const options = reply.json.query.vizSpecificOptions;
    expect.soft(options).toEqual({ TRENDS: { trendsFilter: { yAxis: { label: "Revenue" } } } });
    expect.soft(options).not.toHaveProperty("TRENDS_1");
  });

  it(`${P}::test_mcp_create_rejects_disallowed_query_kind`, async () => {
    const { client } = setup();
    const reply = await client.post(
      "/insights/",
      {
        name: "Unsupported insight",
        favorited: false,
        saved: true,
        query: {
          kind: "ErrorTrackingQuery",
          dateRange: { date_from: "-7d" },
          orderBy: "last_seen",
          volumeResolution: 60,
        },
      },
      { headers: { "x-posthog-client": "mcp" } },
    );
    expect(reply.status).toBe(400);
    const body = JSON.stringify(reply.json);
    expect.soft(body).toContain("This query can't be saved");
    expect.soft(body).not.toContain("Traceback");
  });
});
