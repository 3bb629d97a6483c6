// PostHog's own insight API tests, ported to the testing kit: each `it` names its source as
// `path::test_name` and keeps the assertions that need no event data, no other team or user and no
// feature flag. Read at (PostHog/posthog):
//   products/product_analytics/backend/api/test/test_insight.py @ 034dda24c3102d29e42cf8df1d3e3af8b689d7fb
//   posthog/api/test/test_insight.py (its older home)          @ 002964c381d5f99c4f6ab4ffdb6896b9160d0e4f
//   ee/api/test/test_insight.py                                 @ 072669cdbae4de42db2ee0275dc4a0e73b89d20e
// Search and list filters are in posthog-insight-list.test.ts; the query tests in
// posthog-insight-query.test.ts; sharing in posthog-sharing.test.ts.
//
// Adaptations, the same everywhere: an insight PostHog's test creates in the database
// (`Insight.objects.create`) is created through the API; `freeze_time` is vitest's clock; the
// test user is the kit's one user; `...model_dump()` queries use scripts/model-dump.mjs (every
// optional field null). The API assigns short ids, so a test's chosen `short_id` is not sent.
// The older home holds the same tests at an earlier state; where they disagree the newer file is
// ported: its test_get_saved_insight_items (1 result: insights were unsaved by default then) and
// test_get_insight_by_short_id (legacy `filters` served as is) describe servers before 2026.
//
// Left out, and why:
// - Real event data: the result values of test_insight_refreshing_legacy_conversion,
//   test_insight_refreshing_query(+_async, +_with_background_update) and
//   test_insight_with_filters_via_hogql (the kit invents deterministic numbers; PostHog's come
//   from ClickHouse; their lengths, `last_refresh`, `is_cached` and `query_status` are ported);
//   every /insights/trend/ and /insights/funnel/ test (legacy calculation endpoints the client
//   does not call: trends_basic, compare, breakdown_pagination, funnels_*, hogql_*, csv,
//   cohort ones, including_query_id_does_not_affect_cache_key); test_funnel_breakdown_override.
// - Feature flags: test_legacy_insight_endpoints_blocked_with_feature_flag,
//   test_creating_legacy_filter_insight_blocked_with_feature_flag (the 201 of
//   test_creating_query_insight_not_blocked_by_legacy_filter_flag is ported).
// - Another team, project or user: test_get_insight_items_all_environments_included (its
//   /environments/ alias is ported), the "other team" red herrings, test_cant_view_insight_viewed_for_insight_in_another_team
//   (ported as an id of no insight), test_soft_delete_cannot_be_reversed_for_another_team,
//   last_modified_by after another user's change, access-control tests
//   (test_insight_access_control_filtering, test_insight_activity_respects_access_control,
//   test_list_insights_with_short_id_includes_all_if_admin), the "create without user" insight of
//   test_get_insight_items, the second viewer of test_trending_insights_orders_by_view_count_then_recency,
//   ee restricted-dashboard and admin tests.
// - Server internals: database query counts (does_not_nplus1, single_filtering_query,
//   bulk_insight_viewed_query_count), query_metadata, analytics events (`posthoganalytics.capture`,
//   `report_user_action`), the shared-context execution mode, _last_refresh_for_shared_gate,
//   the file-system folder of test_create_insight_in_specific_folder (its 201 is ported),
//   exposed HogQL/ClickHouse errors raised by a mocked calculation (TestInsightErrorHandling).
// - State the API cannot create: numeric short ids (test_retrieve_insight_by_numeric_short_id_falls_back_to_short_id),
//   an insight never viewed (creating through the API records a view), InsightVariable rows
//   (test_insight_with_variables_match_existing_variables: the kit serves no variables API and
//   keeps a query's variables as sent).
// - An insight's dashboards (`dashboards`, `dashboard_tiles`, tiles and layouts, `from_dashboard`,
//   dashboard filters applied to queries, dashboards in the activity log) and
//   test_deprecated_dashboards_field.py: ported in posthog-insight-dashboards.test.ts. Dashboard
//   sharing tokens: the kit shares insights only.
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations.
import { createModelDump } from "../../scripts/model-dump.mjs";
import { createFakePostHog } from "../../src/testing/index.js";
import {
  createdEntry,
  DAY,
  EVENTS_QUERY,
  freezeTime,
  MINUTE,
  posthogClient,
  tick,
  unfreezeTime,
} from "./posthog-api.js";

const P = "products/product_analytics/backend/api/test/test_insight.py";
const OLD = "posthog/api/test/test_insight.py";
const EE = "ee/api/test/test_insight.py";

const modelDump = (createModelDump as () => (query: unknown) => Record<string, unknown>)();
/** `InsightVizNode(source=TrendsQuery(series=[EventsNode(event="$pageview")])).model_dump()` */
const trendsDump = () =>
  modelDump({
    kind: "InsightVizNode",
    source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview" }] },
  });
const pageviewFilters = { events: [{ id: "$pageview" }], properties: [{ key: "$browser", value: "Mac OS X" }] };

function setup() {
  const fake = createFakePostHog();
  const client = posthogClient(fake);
  const create = async (body: Record<string, unknown> = {}) => {
    const reply = await client.post("/insights/", body);
    expect(reply.status, JSON.stringify(reply.json)).toBe(201);
    return reply.json as { id: number; short_id: string } & Record<string, unknown>;
  };
  return { fake, client, create };
}

afterEach(unfreezeTime);

describe(P, () => {
  it(`${P}::test_creating_query_insight_not_blocked_by_legacy_filter_flag`, async () => {
    const { client } = setup();
    const reply = await client.post("/insights/", { name: "Query insight", query: trendsDump() });
    expect(reply.status).toBe(201);
  });

  it(`${P}::test_get_insight_items`, async () => {
    const { client, create } = setup();
    await create({ filters: pageviewFilters });
    const reply = await client.get("/insights/", { user: "true" });
    expect(reply.json.results).toHaveLength(1);
  });

  it(`${P}::test_get_insight_items_all_environments_included`, async () => {
    const { client, create } = setup();
    const a = await create({ filters: pageviewFilters });
    const project = await client.get("/insights/");
    const environment = await client.get("/insights/", undefined, { prefix: "environments" });
    expect(new Set(project.json.results.map((i: { id: number }) => i.id))).toEqual(new Set([a.id]));
    expect(new Set(environment.json.results.map((i: { id: number }) => i.id))).toEqual(new Set([a.id]));
  });

  it(`${P}::test_created_updated_and_last_modified`, async () => {
    const { client } = setup();
    freezeTime("2021-08-23T12:00:00Z");
    const first = await client.post("/insights/", { name: "test" });
    expect(first.status).toBe(201);
    const user = first.json.created_by;
    // PostHog's UserBasicSerializer fields.
    expect
      .soft(Object.keys(user).sort())
      .toEqual(
        [
          "distinct_id",
          "email",
          "first_name",
          "hedgehog_config",
          "id",
          "is_email_verified",
          "last_name",
          "role_at_organization",
          "uuid",
        ].sort(),
      );
    expect.soft(first.json).toMatchObject({
      created_at: "2021-08-23T12:00:00Z",
      created_by: user,
      updated_at: "2021-08-23T12:00:00Z",
      last_modified_at: "2021-08-23T12:00:00Z",
      last_modified_by: user,
    });
    const id = first.json.id;

    // A change that does not alter the substance: updated_at moves, last_modified_* do not.
    freezeTime("2021-09-20T12:00:00Z");
    const second = await client.patch(`/insights/${id}`, { favorited: true });
    expect.soft(second.status).toBe(200);
    expect.soft(second.json).toMatchObject({
      created_at: "2021-08-23T12:00:00Z",
      created_by: user,
      updated_at: "2021-09-20T12:00:00Z",
      last_modified_at: "2021-08-23T12:00:00Z",
      last_modified_by: user,
    });

    // Changes that do alter it: filters, name, description.
    for (const [at, body] of [
      ["2021-10-21T12:00:00Z", { filters: { events: [] } }],
      ["2021-12-23T12:00:00Z", { name: "XYZ" }],
      ["2022-01-01T12:00:00Z", { description: "Lorem ipsum." }],
    ] as const) {
      freezeTime(at);
      const reply = await client.patch(`/insights/${id}`, body);
      expect.soft(reply.status).toBe(200);
      expect.soft(reply.json).toMatchObject({
        created_at: "2021-08-23T12:00:00Z",
        created_by: user,
        updated_at: at,
        last_modified_at: at,
      });
    }
  });

  it(`${P}::test_get_saved_insight_items`, async () => {
    const { client, create } = setup();
    await create({ filters: pageviewFilters, saved: true });
    // "create without saved": an insight is saved by default on today's PostHog.
    await create({ filters: pageviewFilters });
    const reply = await client.get("/insights/", { saved: "true", user: "true" });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.results).toHaveLength(2);
    expect.soft(reply.json.results[0].short_id).toHaveLength(8);
  });

  it(`${P}::test_get_favorited_insight_items`, async () => {
    const { client, create } = setup();
    await create({ filters: pageviewFilters, favorited: true });
    await create({ filters: pageviewFilters });
    const reply = await client.get("/insights/", { favorited: "true", user: "true" });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.results).toHaveLength(1);
    expect.soft(reply.json.results[0].favorited).toBe(true);
  });

  it(`${P}::test_hide_feature_flag_insights_filter`, async () => {
    const { client, create } = setup();
    // posthog/helpers/dashboard_templates.py FEATURE_FLAG_TOTAL_VOLUME_INSIGHT_NAME, ..._UNIQUE_USERS_...
    await create({ name: "Feature Flag Called Total Volume", filters: pageviewFilters, saved: true });
    await create({
      name: "Feature Flag calls made by unique users per variant",
      filters: pageviewFilters,
      saved: true,
    });
    await create({ name: "Regular Insight", filters: pageviewFilters, saved: true });
    const all = await client.get("/insights/", { saved: "true" });
    expect.soft(all.status).toBe(200);
    expect.soft(all.json.results).toHaveLength(3);
    const hidden = await client.get("/insights/", { saved: "true", hide_feature_flag_insights: "true" });
    expect.soft(hidden.status).toBe(200);
    expect.soft(hidden.json.results).toHaveLength(1);
    expect.soft(hidden.json.results[0].name).toBe("Regular Insight");
  });

  it(`${P}::test_get_insight_by_short_id`, async () => {
    const { client, create } = setup();
    const wanted = await create({ filters: { events: [{ id: "$pageview" }] } });
    await create({ filters: { events: [{ id: "$pageview" }] } });
    const reply = await client.get("/insights/", { short_id: wanted.short_id });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.results).toHaveLength(1);
    expect.soft(reply.json.results[0].short_id).toBe(wanted.short_id);
    // A legacy-filters insight is served with the query PostHog converts its filters to.
    expect.soft(reply.json.results[0].query?.source?.series?.[0]?.event).toBe("$pageview");
  });

  it.each([
    ["numeric_id", (i: { id: number; short_id: string }) => String(i.id)],
    ["short_id", (i: { id: number; short_id: string }) => i.short_id],
  ])(`${P}::test_retrieve_insight_by_id_or_short_id (%s)`, async (_, lookup) => {
    const { client, create } = setup();
    const insight = await create({ filters: { events: [{ id: "$pageview" }] }, name: "dual-lookup" });
    const reply = await client.get(`/insights/${lookup(insight)}/`);
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.id).toBe(insight.id);
    expect.soft(reply.json.short_id).toBe(insight.short_id);
    expect.soft(reply.json.name).toBe("dual-lookup");
  });

  it(`${P}::test_retrieve_insight_by_unknown_short_id_returns_404`, async () => {
    const { client } = setup();
    expect((await client.get("/insights/notthere/")).status).toBe(404);
  });

  it(`${P}::test_basic_results`, async () => {
    const { client, create } = setup();
    await create({ filters: { events: [{ id: "$pageview" }] } });
    await create({ filters: { events: [{ id: "$pageview" }] }, saved: true });
    const reply = await client.get("/insights/", { basic: "true" });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.results).toHaveLength(2);
    // `dashboards` and `dashboard_tiles` are in PostHog's set too: ported with the dashboards API.
    const keys = Object.keys(reply.json.results[0]).filter((k) => k !== "dashboards" && k !== "dashboard_tiles");
    expect
      .soft(new Set(keys))
      .toEqual(
        new Set([
          "id",
          "short_id",
          "name",
          "derived_name",
          "favorited",
          "filters",
          "query",
          "description",
          "last_refresh",
          "refreshing",
          "saved",
          "updated_at",
          "created_by",
          "created_at",
          "last_modified_at",
          "tags",
          "user_access_level",
          "last_viewed_at",
        ]),
      );
  });

  it(`${P}::test_listing_insights_shows_legacy_and_hogql_ones`, async () => {
    const { client, create } = setup();
    await create({
      query: { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: "select * from events" } },
    });
    await create({ filters: { insight: "TRENDS", events: [{ id: "$pageview" }] } });
    await create({ query: trendsDump() });
    const reply = await client.get("/insights/", { insight: "TRENDS" }, { prefix: "environments" });
    expect(reply.json.results).toHaveLength(2);
  });

  it(`${P}::test_create_insight_items`, async () => {
    const { fake, client } = setup();
    freezeTime("2012-01-14T03:21:34.000Z");
    const reply = await client.post("/insights", {
      name: "a created dashboard",
      filters: { ...pageviewFilters, date_from: "-90d" },
    });
    expect(reply.status).toBe(201);
    expect.soft(reply.json.description).toBeNull();
    expect.soft(reply.json.tags).toEqual([]);
    const stored = fake.insights;
    expect.soft(stored).toHaveLength(1);
    expect.soft((stored[0]?.filters as { events?: { id: string }[] } | undefined)?.events?.[0]?.id).toBe("$pageview");
    expect.soft(stored[0]?.filters?.date_from).toBe("-90d");
    expect.soft(stored[0]?.short_id).toHaveLength(8);
    expect
      .soft(await client.activity(reply.json.id))
      .toEqual([createdEntry(reply.json, "a created dashboard", "2012-01-14T03:21:34Z")]);
  });

  it(`${P}::test_create_insight_with_no_names_logs_no_activity`, async () => {
    const { client } = setup();
    freezeTime("2012-01-14T03:21:34.000Z");
    const reply = await client.post("/insights", { filters: { ...pageviewFilters, date_from: "-90d" } });
    expect(reply.status).toBe(201);
    expect.soft(reply.json.name).toBeNull();
    expect.soft(reply.json.derived_name).toBeNull();
    expect.soft(await client.activity(reply.json.id)).toEqual([]);
  });

  it(`${P}::test_create_insight_logs_derived_name_if_there_is_no_name`, async () => {
    const { client } = setup();
    freezeTime("2012-01-14T03:21:34.000Z");
    const reply = await client.post("/insights", {
      derived_name: "pageview unique users",
      filters: { ...pageviewFilters, date_from: "-90d" },
    });
    expect(reply.status).toBe(201);
    expect.soft(reply.json.derived_name).toBe("pageview unique users");
    expect
      .soft(await client.activity(reply.json.id))
      .toEqual([createdEntry(reply.json, "pageview unique users", "2012-01-14T03:21:34Z")]);
  });

  it(`${P}::test_update_insight (and ${EE}::test_update_insight_can_include_tags_when_licensed)`, async () => {
    const { client } = setup();
    freezeTime("2012-01-14T03:21:34.000Z");
    const created = await client.post("/insights/", { name: "insight name" });
    const { id, short_id } = created.json;
    tick(10 * MINUTE);
    const reply = await client.patch(`/insights/${id}`, { name: "insight new name", tags: ["add", "these", "tags"] });
    expect(reply.status).toBe(200);
    expect.soft(reply.json.name).toBe("insight new name");
    expect.soft([...reply.json.tags].sort()).toEqual(["add", "tags", "these"]);
    expect.soft(reply.json.created_by.distinct_id).toBe(created.json.created_by.distinct_id);
    expect.soft(reply.json.effective_restriction_level).toBe(21); // EVERYONE_IN_PROJECT_CAN_EDIT
    expect.soft(reply.json.effective_privilege_level).toBe(37); // CAN_EDIT
    expect.soft((await client.get(`/insights/${id}`)).json.name).toBe("insight new name");
    const user = { first_name: created.json.created_by.first_name, email: created.json.created_by.email };
    expect.soft(await client.activity(id)).toEqual([
      {
        user,
        activity: "updated",
        scope: "Insight",
        item_id: String(id),
        detail: {
          changes: [
            { type: "Insight", action: "changed", field: "tags", before: [], after: ["add", "tags", "these"] },
            { type: "Insight", action: "changed", field: "name", before: "insight name", after: "insight new name" },
          ],
          trigger: null,
          type: null,
          name: "insight new name",
          short_id,
        },
        created_at: "2012-01-14T03:31:34Z",
      },
      {
        user,
        activity: "created",
        scope: "Insight",
        item_id: String(id),
        detail: { changes: null, trigger: null, type: null, name: "insight name", short_id },
        created_at: "2012-01-14T03:21:34Z",
      },
    ]);
  });

  it(`${P}::test_cannot_set_filters_hash_via_api`, async () => {
    const { client, create } = setup();
    const insight = await create({ name: "should not update the filters_hash" });
    expect(insight.filters_hash).not.toBeNull();
    const reply = await client.patch(`/insights/${insight.id}`, { filters_hash: "should not update the value" });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.filters_hash).toBe(insight.filters_hash);
  });

  it(`${P}::test_save_new_funnel`, async () => {
    const { fake, client } = setup();
    const step = { math: null, type: "events", properties: [], math_hogql: null, math_property: null };
    const reply = await client.post("/insights", {
      filters: {
        insight: "FUNNELS",
        events: [
          { id: "$pageview", name: "$pageview", order: 0, ...step },
          { id: "$rageclick", name: "$rageclick", order: 2, ...step },
        ],
        display: "FunnelViz",
        interval: "day",
        date_from: "-30d",
        actions: [],
        new_entity: [],
        layout: "horizontal",
      },
      name: "My Funnel One",
      // The deprecated single-dashboard key PostHog's test still sends: ignored.
      dashboard: 1,
    });
    expect(reply.status).toBe(201);
    const stored = fake.insights;
    expect.soft(stored).toHaveLength(1);
    const filters = stored[0]?.filters as Record<string, unknown> & { events: { id: string }[] };
    expect.soft(filters.events[1]?.id).toBe("$rageclick");
    expect.soft(filters.display).toBe("FunnelViz");
    expect.soft(filters.interval).toBe("day");
    expect.soft(filters.date_from).toBe("-30d");
    expect.soft(filters.layout).toBe("horizontal");
    expect.soft(stored[0]?.short_id).toHaveLength(8);
  });

  it(`${P}::test_insight_refreshing_legacy_conversion (no event data: timestamps and cache expiry)`, async () => {
    const { client } = setup();
    const filters = {
      events: [{ id: "$pageview" }],
      properties: [{ key: "another", value: "never_return_this", operator: "is_not" }],
    };
    freezeTime("2012-01-15T04:01:34.000Z");
    const created = await client.post("/insights", { filters });
    expect.soft(created.json.last_refresh).toBeNull();
    const id = created.json.id;
    let reply = await client.get(`/insights/${id}/`, { refresh: "true" });
    // The default -7d range by day: 8 points (the values need events).
    expect.soft(reply.json.result?.[0]?.data).toHaveLength(8);
    expect.soft(reply.json.last_refresh).toBe("2012-01-15T04:01:34Z");
    expect.soft(reply.json.last_modified_at).toBe("2012-01-15T04:01:34Z");

    freezeTime("2012-01-15T05:01:34.000Z");
    reply = await client.get(`/insights/${id}/`, { refresh: "true" });
    expect.soft(reply.json.result?.[0]?.data).toHaveLength(8);
    expect.soft(reply.json.last_refresh).toBe("2012-01-15T05:01:34Z");
    expect.soft(reply.json.last_modified_at).toBe("2012-01-15T04:01:34Z");

    // Ten days later the cached result has expired (PostHog keeps results 7 days).
    freezeTime("2012-01-25T05:01:34.000Z");
    reply = await client.get(`/insights/${id}/`);
    expect.soft(reply.json.last_refresh).toBeNull();
    expect.soft(reply.json.last_modified_at).toBe("2012-01-15T04:01:34Z");
  });

  it.each([
    [
      "property group filter",
      {
        type: "AND",
        values: [
          { type: "OR", values: [{ key: "another", value: "never_return_this", operator: "is_not", type: "event" }] },
        ],
      },
    ],
    ["classic list of filters", [{ key: "another", value: "never_return_this", operator: "is_not", type: "event" }]],
  ])(`${P}::test_insight_refreshing_query (%s; no event data)`, async (_, properties) => {
    const { client } = setup();
    const query = modelDump({ kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview" }], properties });
    freezeTime("2012-01-15T04:01:34.000Z");
    const created = await client.post("/insights", { query });
    expect.soft(created.json).not.toHaveProperty("code");
    expect.soft(created.json.last_refresh).toBeNull();
    const id = created.json.id;
    let reply = await client.get(`/insights/${id}/`, { refresh: "true" });
    expect.soft(reply.json).not.toHaveProperty("code");
    expect.soft(reply.json.result?.[0]?.data).toHaveLength(8);
    expect.soft(reply.json.last_refresh).toBe("2012-01-15T04:01:34Z");
    expect.soft(reply.json.last_modified_at).toBe("2012-01-15T04:01:34Z");
    expect.soft(reply.json.is_cached).toBe(false);

    freezeTime("2012-01-15T05:01:34.000Z");
    reply = await client.get(`/insights/${id}/`, { refresh: "true" });
    const fresh = reply.json.result;
    expect.soft(reply.json.last_refresh).toBe("2012-01-15T05:01:34Z");
    expect.soft(reply.json.last_modified_at).toBe("2012-01-15T04:01:34Z");
    expect.soft(reply.json.is_cached).toBe(false);

    freezeTime("2012-01-15T05:17:34.000Z");
    reply = await client.get(`/insights/${id}/`);
    expect.soft(reply.json).not.toHaveProperty("code");
    expect.soft(reply.json.result).toEqual(fresh);
    expect.soft(reply.json.last_refresh).toBe("2012-01-15T05:01:34Z");
    expect.soft(reply.json.last_modified_at).toBe("2012-01-15T04:01:34Z");
    expect.soft(reply.json.is_cached).toBe(true);
  });

  it(`${P}::test_insight_refreshing_legacy_with_background_update (no event data: refresh=false reads the cache)`, async () => {
    const { client } = setup();
    freezeTime("2012-01-15T04:01:34.000Z");
    const created = await client.post("/insights", {
      filters: {
        events: [{ id: "$pageview" }],
        properties: [{ key: "another", value: "never_return_this", operator: "is_not" }],
      },
    });
    expect.soft(created.json.last_refresh).toBeNull();
    const fresh = await client.get(`/insights/${created.json.id}/`, { refresh: "true" });
    expect.soft(fresh.json.result?.[0]?.data).toHaveLength(8);
    expect.soft(fresh.json.is_cached).toBe(false);
    freezeTime("2012-01-15T06:01:34.000Z");
    const cached = await client.get(`/insights/${created.json.id}/`, { refresh: "false" });
    expect.soft(cached.json.result).toEqual(fresh.json.result);
    expect.soft(cached.json.last_refresh).toBe("2012-01-15T04:01:34Z");
    expect.soft(cached.json.last_modified_at).toBe("2012-01-15T04:01:34Z");
    expect.soft(cached.json.is_cached).toBe(true);
  });

  it(`${P}::test_insight_refreshing_query_async (insight endpoint)`, async () => {
    const { client } = setup();
    const properties = [{ key: "another", value: "never_return_this", operator: "is_not", type: "event" }];
    freezeTime("2012-01-15T04:01:34.000Z");
    const created = await client.post("/insights", {
      query: modelDump({ kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview" }], properties }),
    });
    expect.soft(created.json.last_refresh).toBeNull();
    const blocking = await client.get(`/insights/${created.json.id}/`, { refresh: "blocking" });
    expect.soft(blocking.json).not.toHaveProperty("code");
    expect.soft(blocking.json.result?.[0]?.data).toHaveLength(8);
    expect.soft(blocking.json.last_refresh).toBe("2012-01-15T04:01:34Z");
    expect.soft(blocking.json.last_modified_at).toBe("2012-01-15T04:01:34Z");
    expect.soft(blocking.json.is_cached).toBe(false);

    // A new insight: a cache miss with refresh=async answers at once with a running query status.
    const other = await client.post("/insights", {
      query: modelDump({
        kind: "TrendsQuery",
        series: [
          { kind: "EventsNode", event: "$pageview" },
          { kind: "EventsNode", event: "$something" },
        ],
        properties,
      }),
    });
    const running = await client.get(`/insights/${other.json.id}/`, { refresh: "async" });
    expect.soft(running.json).not.toHaveProperty("code");
    expect.soft(running.json.result).toBeNull();
    expect.soft(running.json.query_status?.query_async).toBe(true);
  });

  const sqlSource = {
    kind: "HogQLQuery",
    query: "SELECT count(1) FROM events",
    filters: { dateRange: { date_from: "-3d" } },
  };
  it.each([
    ["test_dashboard_filters_applied_to_sql_data_table_node", { kind: "DataTableNode", source: sqlSource }],
    ["test_dashboard_filters_applied_to_data_visualization_node", { kind: "DataVisualizationNode", source: sqlSource }],
    [
      "test_dashboard_filters_applied_to_events_query_data_table_node",
      { kind: "DataTableNode", source: { kind: "EventsQuery", select: ["uuid", "event", "timestamp"], after: "-3d" } },
    ],
  ])(`${P}::%s (the query round trip; the dashboard part is ported with the dashboards API)`, async (_, node) => {
    const { client, create } = setup();
    const query = modelDump(node);
    const insight = await create({ query, name: "insight" });
    const reply = await client.get(`/insights/${insight.id}/`);
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.query).toEqual(query);
  });

  it(`${P}::test_logged_out_user_cannot_retrieve_insight`, async () => {
    const { client, create } = setup();
    const insight = await create({ filters: { events: [{ id: "$pageview" }] } });
    const reply = await client.get(`/insights/${insight.id}/`, undefined, { key: null });
    expect.soft(reply.status).toBe(403);
    expect.soft(reply.json).toEqual({
      type: "authentication_error",
      code: "not_authenticated",
      detail: "Authentication credentials were not provided.",
      attr: null,
    });
  });

  it.each([
    ["single_id", 1],
    ["bulk_ids", 3],
  ])(`${P}::test_create_insight_viewed (%s)`, async (_, count) => {
    const { fake, client, create } = setup();
    const insights = [];
    for (let i = 0; i < count; i++) {
      insights.push(await create({ filters: { events: [{ id: "$pageview" }] } }));
    }
    freezeTime("2022-03-22T00:00:00.000Z");
    const reply = await client.post("/insights/viewed", { insight_ids: insights.map((i) => i.id) });
    expect.soft(reply.status).toBe(201);
    // InsightViewed rows, seen through each insight's last_viewed_at.
    expect.soft(fake.insights.map((i) => i.last_viewed_at)).toEqual(insights.map(() => "2022-03-22T00:00:00Z"));
  });

  it(`${P}::test_update_insight_viewed`, async () => {
    const { fake, client, create } = setup();
    const insight = await create({ filters: { events: [{ id: "$pageview" }] } });
    freezeTime("2022-03-22T00:00:00.000Z");
    expect.soft((await client.post("/insights/viewed", { insight_ids: [insight.id] })).status).toBe(201);
    freezeTime("2022-03-23T00:00:00.000Z");
    expect.soft((await client.post("/insights/viewed", { insight_ids: [insight.id] })).status).toBe(201);
    expect.soft(fake.insights[0]?.last_viewed_at).toBe("2022-03-23T00:00:00Z");
  });

  it(`${P}::test_cant_view_insight_viewed_for_insight_in_another_team (an id of no insight of the project)`, async () => {
    const { fake, client } = setup();
    const reply = await client.post("/insights/viewed", { insight_ids: [12345] });
    expect.soft(reply.status).toBe(201);
    expect.soft(fake.insights).toEqual([]);
    expect.soft((await client.get("/insights/my_last_viewed")).json).toEqual([]);
  });

  it.each([
    ["missing", {}],
    ["empty_list", { insight_ids: [] }],
    ["not_a_list", { insight_ids: "abc" }],
    ["non_int_element", { insight_ids: ["abc", 1] }],
    ["over_max_length", { insight_ids: Array.from({ length: 2501 }, (_, i) => i + 1) }],
  ])(`${P}::test_insight_viewed_rejects_invalid_payloads (%s)`, async (_, payload) => {
    const { client } = setup();
    const reply = await client.post("/insights/viewed", payload);
    expect.soft(reply.status).toBe(400);
    expect.soft((await client.get("/insights/my_last_viewed")).json).toEqual([]);
  });

  it(`${P}::test_bulk_upserts_existing_insight_viewed_rows`, async () => {
    const { fake, client, create } = setup();
    const insights = [await create(), await create(), await create()];
    freezeTime("2022-03-22T00:00:00.000Z");
    await client.post("/insights/viewed", { insight_ids: [insights[0]?.id, insights[1]?.id] });
    freezeTime("2022-03-23T00:00:00.000Z");
    const reply = await client.post("/insights/viewed", { insight_ids: insights.map((i) => i.id) });
    expect.soft(reply.status).toBe(201);
    expect.soft(fake.insights.map((i) => i.last_viewed_at)).toEqual(Array(3).fill("2022-03-23T00:00:00Z"));
  });

  it(`${P}::test_bulk_filters_unauthorized_and_deleted_insight_ids (own and deleted)`, async () => {
    const { fake, client, create } = setup();
    const own = await create();
    const dead = await create();
    await client.patch(`/insights/${dead.id}`, { deleted: true });
    const deadViewedAt = fake.insights[1]?.last_viewed_at;
    freezeTime("2030-01-01T00:00:00.000Z");
    const reply = await client.post("/insights/viewed", { insight_ids: [own.id, 999, dead.id] });
    expect.soft(reply.status).toBe(201);
    expect.soft(fake.insights[0]?.last_viewed_at).toBe("2030-01-01T00:00:00Z");
    expect.soft(fake.insights[1]?.last_viewed_at).toBe(deadViewedAt);
  });

  it(`${P}::test_get_recently_viewed_insights`, async () => {
    const { client, create } = setup();
    const insight = await create();
    await client.post("/insights/viewed", { insight_ids: [insight.id] });
    const reply = await client.get("/insights/my_last_viewed");
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.map((r: { id: number }) => r.id)).toEqual([insight.id]);
  });

  it(`${P}::test_get_recently_viewed_insights_include_query_based_insights`, async () => {
    const { client, create } = setup();
    const first = await create();
    const second = await create({
      query: { kind: "DataTableNode", source: EVENTS_QUERY },
    });
    await client.post("/insights/viewed", { insight_ids: [first.id] });
    await client.post("/insights/viewed", { insight_ids: [second.id] });
    const reply = await client.get("/insights/my_last_viewed");
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.map((r: { id: number }) => r.id)).toEqual([second.id, first.id]);
  });

  it(`${P}::test_recently_viewed_insights_ordered_by_view_date`, async () => {
    const { client, create } = setup();
    const [one, two, three] = [await create(), await create(), await create()];
    for (let i = 0; i < 3; i++) {
      await client.post("/insights/viewed", { insight_ids: [one.id] });
    }
    await client.post("/insights/viewed", { insight_ids: [three.id] });
    await client.patch(`/insights/${three.id}`, { deleted: true });
    await client.post("/insights/viewed", { insight_ids: [two.id] });
    let reply = await client.get("/insights/my_last_viewed");
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.map((r: { id: number }) => r.id)).toEqual([two.id, one.id]);
    await client.post("/insights/viewed", { insight_ids: [one.id] });
    reply = await client.get("/insights/my_last_viewed");
    expect.soft(reply.json.map((r: { id: number }) => r.id)).toEqual([one.id, two.id]);
  });

  it(`${P}::test_trending_insights_orders_by_view_count_then_recency (one viewer)`, async () => {
    const { client, create } = setup();
    const one = await create();
    const two = await create();
    const reply = await client.get("/insights/trending");
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.count).toBe(reply.json.results.length);
    const ids = reply.json.results.map((r: { id: number }) => r.id);
    expect.soft(ids).toContain(one.id);
    expect.soft(ids).toContain(two.id);
  });

  it(`${P}::test_trending_insights_respects_days_window`, async () => {
    const { client } = setup();
    freezeTime("2026-03-01T00:00:00.000Z");
    const old = (await client.post("/insights/", {})).json;
    tick(14 * DAY);
    const recent = (await client.post("/insights/", {})).json;
    let reply = await client.get("/insights/trending", { days: 7 });
    expect.soft(reply.json.results.map((r: { id: number }) => r.id)).toEqual([recent.id]);
    reply = await client.get("/insights/trending", { days: 30 });
    expect.soft(new Set(reply.json.results.map((r: { id: number }) => r.id))).toEqual(new Set([recent.id, old.id]));
  });

  it(`${P}::test_trending_insights_excludes_deleted`, async () => {
    const { client, create } = setup();
    const kept = await create();
    const deleted = await create();
    await client.patch(`/insights/${deleted.id}`, { deleted: true });
    const reply = await client.get("/insights/trending");
    expect(reply.json.results.map((r: { id: number }) => r.id)).toEqual([kept.id]);
  });

  it(`${P}::test_trending_insights_respects_limit`, async () => {
    const { client, create } = setup();
    for (let i = 0; i < 3; i++) {
      await create();
    }
    const reply = await client.get("/insights/trending", { limit: 2 });
    expect.soft(reply.json.results).toHaveLength(2);
    expect.soft(reply.json.count).toBe(2);
  });

  it(`${P}::test_trending_insights_rejects_invalid_params`, async () => {
    const { client } = setup();
    expect((await client.get("/insights/trending", { days: "abc" })).status).toBe(400);
  });

  it(`${P}::test_hard_delete_is_forbidden`, async () => {
    const { client, create } = setup();
    const insight = await create({ name: "to be deleted" });
    expect.soft((await client.delete(`/insights/${insight.id}`)).status).toBe(405);
    expect.soft((await client.get(`/insights/${insight.id}`)).status).toBe(200);
  });

  it(`${P}::test_soft_delete_causes_404`, async () => {
    const { client, create } = setup();
    const insight = await create({ name: "to be deleted" });
    expect.soft((await client.get(`/insights/${insight.id}`)).status).toBe(200);
    expect.soft((await client.patch(`/insights/${insight.id}`, { deleted: true })).status).toBe(200);
    expect.soft((await client.get(`/insights/${insight.id}`)).status).toBe(404);
  });

  it(`${P}::test_soft_delete_can_be_reversed_by_patch`, async () => {
    const { client, create } = setup();
    const insight = await create({ name: "an insight" });
    await client.patch(`/insights/${insight.id}`, { deleted: true, name: "an insight" });
    expect.soft((await client.get(`/insights/${insight.id}`)).status).toBe(404);
    const restored = await client.patch(`/insights/${insight.id}`, { deleted: false, name: "an insight" });
    expect.soft(restored.status).toBe(200);
    expect.soft((await client.get(`/insights/${insight.id}`)).status).toBe(200);
    const activity = await client.activity(insight.id);
    expect.soft(activity.map((a) => a.activity)).toEqual(["restored", "deleted", "created"]);
    expect.soft((activity[0]?.detail as { changes?: unknown[] } | undefined)?.changes?.[0]).toEqual({
      action: "changed",
      after: false,
      before: true,
      field: "deleted",
      type: "Insight",
    });
  });

  it(`${P}::test_cancel_running_query`, async () => {
    const { client } = setup();
    expect((await client.post("/insights/cancel", { client_query_id: "testid" })).status).toBe(201);
  });

  it(`${P}::test_insight_with_filters_via_hogql (no event data: lengths and the cache)`, async () => {
    const { client, create } = setup();
    const insight = await create({ filters: { insight: "LIFECYCLE", events: [{ id: "$pageview" }] } });
    const fresh = await client.get(`/insights/${insight.id}/`, { refresh: "true" });
    expect.soft(fresh.status).toBe(200);
    expect.soft(fresh.json.result?.[0]?.data).toHaveLength(8);
    expect.soft(fresh.json.is_cached).toBe(false);
    const cached = await client.get(`/insights/${insight.id}/`, { refresh: "false", use_cache: "true" });
    expect.soft(cached.status).toBe(200);
    expect.soft(cached.json.result?.[0]?.data).toEqual(fresh.json.result?.[0]?.data);
    expect.soft(cached.json.is_cached).toBe(true);
  });

  it(`${P}::test_insight_returns_cached_hogql`, async () => {
    const { client, create } = setup();
    const insight = await create({
      query: {
        kind: "InsightVizNode",
        source: {
          filterTestAccounts: false,
          kind: "TrendsQuery",
          series: [{ kind: "EventsNode", event: "$pageview", name: "$pageview", math: "total" }],
          interval: "day",
        },
      },
    });
    let reply = await client.get("/insights", { short_id: insight.short_id });
    expect.soft(reply.json).not.toHaveProperty("code");
    expect.soft(reply.json.results[0].last_refresh).toBeNull();
    expect.soft(reply.json.results[0].hogql).toBeNull();
    reply = await client.get("/insights", { short_id: insight.short_id, refresh: "true" });
    expect.soft(reply.json).not.toHaveProperty("code");
    expect.soft(reply.json.results[0].hogql).not.toBeNull();
  });

  it(`${P}::test_insight_returns_cached_types`, async () => {
    const { client, create } = setup();
    const insight = await create({
      query: {
        kind: "HogQLQuery",
        query:
          "select toDate(timestamp) as timestamp, count() from events where {filters} and timestamp <= now() group by timestamp order by timestamp asc limit 100",
      },
    });
    let reply = await client.get("/insights", { short_id: insight.short_id });
    expect.soft(reply.json).not.toHaveProperty("code");
    expect.soft(reply.json.results[0].last_refresh).toBeNull();
    expect.soft(reply.json.results[0].types).toBeNull();
    reply = await client.get("/insights", { short_id: insight.short_id, refresh: "true" });
    expect.soft(reply.json).not.toHaveProperty("code");
    expect.soft(reply.json.results[0].types).not.toBeNull();
  });

  it(`${P}::test_insight_variables_overrides (standalone)`, async () => {
    const { client, create } = setup();
    const variableId = "0190e2a1-7a6b-7c3d-8e9f-0a1b2c3d4e5f";
    const insight = await create({
      filters: {},
      query: {
        kind: "DataVisualizationNode",
        source: {
          kind: "HogQLQuery",
          query: "select {variables.test_1}",
          variables: { [variableId]: { code_name: "test_1", variableId } },
        },
        chartSettings: {},
        tableSettings: {},
      },
    });
    const reply = await client.get(`/insights/${insight.id}`, {
      variables_override: JSON.stringify({
        [variableId]: { code_name: "test_1", variableId, value: "override value!" },
      }),
    });
    const variables = reply.json.query?.source?.variables ?? {};
    expect.soft(Object.keys(variables)).toEqual([variableId]);
    expect.soft(variables[variableId]).toMatchObject({ code_name: "test_1", variableId, value: "override value!" });
  });

  it(`${P}::test_insight_filters_overrides (standalone)`, async () => {
    const { client, create } = setup();
    const insight = await create({
      filters: {},
      query: {
        kind: "InsightVizNode",
        source: {
          kind: "TrendsQuery",
          series: [{ event: "$pageview", kind: "EventsNode" }],
          dateRange: { date_from: "-30d" },
        },
      },
    });
    const reply = await client.get(`/insights/${insight.id}`, {
      filters_override: JSON.stringify({ date_from: "-7d" }),
    });
    expect.soft(typeof reply.json.query).toBe("object");
    expect.soft(reply.json.query?.source?.dateRange?.date_from).toBe("-7d");
  });

  it(`${P}::test_create_insight_in_specific_folder (the 201)`, async () => {
    const { client } = setup();
    const reply = await client.post("/insights/", {
      name: "My test insight in folder",
      filters: { events: [{ id: "$pageview" }] },
      _create_in_folder: "Special Folder/Subfolder",
      saved: true,
    });
    expect.soft(reply.status).toBe(201);
    expect.soft(reply.json.short_id).not.toBeNull();
    expect.soft(reply.json).not.toHaveProperty("_create_in_folder");
  });
});

describe(OLD, () => {
  it(`${OLD}::test_insight_returns_cached_hogql (refresh: True)`, async () => {
    const { client, create } = setup();
    const insight = await create({
      query: {
        kind: "InsightVizNode",
        source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview" }] },
      },
    });
    const reply = await client.get("/insights", { short_id: insight.short_id, refresh: "True" });
    expect(reply.json.results[0].hogql).not.toBeNull();
  });
});

describe(EE, () => {
  it(`${EE}::test_can_add_and_remove_tags`, async () => {
    const { client } = setup();
    freezeTime("2012-01-14T03:21:34.000Z");
    const created = await client.post("/insights/", {
      name: "a created dashboard",
      filters: { ...pageviewFilters, date_from: "-90d" },
    });
    const { id, short_id } = created.json;
    expect.soft(created.json.tags).toEqual([]);
    freezeTime("2012-01-14T03:21:35.000Z");
    const added = await client.patch(`/insights/${id}`, { tags: ["2", "1", "3"] });
    expect.soft([...added.json.tags].sort()).toEqual(["1", "2", "3"]);
    freezeTime("2012-01-14T03:21:36.000Z");
    const removed = await client.patch(`/insights/${id}`, { tags: ["3"] });
    expect.soft(removed.json.tags).toEqual(["3"]);
    const user = { email: created.json.created_by.email, first_name: created.json.created_by.first_name };
    const detail = { name: "a created dashboard", short_id, trigger: null, type: null };
    expect.soft(await client.activity(id)).toEqual([
      {
        activity: "updated",
        created_at: "2012-01-14T03:21:36Z",
        detail: {
          ...detail,
          changes: [{ action: "changed", after: ["3"], before: ["1", "2", "3"], field: "tags", type: "Insight" }],
        },
        item_id: String(id),
        scope: "Insight",
        user,
      },
      {
        activity: "updated",
        created_at: "2012-01-14T03:21:35Z",
        detail: {
          ...detail,
          changes: [{ action: "changed", after: ["1", "2", "3"], before: [], field: "tags", type: "Insight" }],
        },
        item_id: String(id),
        scope: "Insight",
        user,
      },
      {
        activity: "created",
        created_at: "2012-01-14T03:21:34Z",
        detail: { ...detail, changes: null },
        item_id: String(id),
        scope: "Insight",
        user,
      },
    ]);
  });

  it(`${EE}::test_event_definition_no_duplicate_tags`, async () => {
    const { client, create } = setup();
    const insight = await create({ name: "XYZ" });
    const reply = await client.patch(`/insights/${insight.id}`, { tags: ["a", "b", "a"] });
    expect([...reply.json.tags].sort()).toEqual(["a", "b"]);
  });
});
