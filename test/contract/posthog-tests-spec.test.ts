// The spec fixes PostHog's own API tests called for (issue 19): each value those tests send or
// receive must validate, and each fix keeps its refusing half. Sources are PostHog/posthog files
// at the commits read: products/product_analytics/backend/api/test/test_insight.py @ 034dda24,
// posthog/api/test/test_insight.py @ 002964c3, products/.../test/test_insight_query.py @ 18216ae5,
// posthog/api/test/test_sharing.py @ 013b53a1, posthog/helpers/trigram_search.py @ 0b934015.
import { describe, expect, it } from "vitest";
import { specValidator } from "../support/spec-validator.js";
import { EVENTS_QUERY } from "../testing/posthog-api.js";

const spec = specValidator();

interface Parameter {
  name?: string;
  $ref?: string;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  security?: Record<string, string[]>[];
}
const doc = spec.doc as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, { name: string }>; securitySchemes: Record<string, unknown> };
};

function operation(id: string): Operation {
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      if (op.operationId === id) {
        return op;
      }
    }
  }
  throw new Error(`No operation ${id}`);
}

/** The names of an operation's query parameters (its own and the path item's). */
function parameterNames(id: string): string[] {
  return (operation(id).parameters ?? []).map((p) =>
    p.$ref ? (doc.components.parameters[p.$ref.split("/").pop() ?? ""]?.name ?? "") : (p.name ?? ""),
  );
}

const param = (name: string) => `#/components/parameters/${name}/schema`;

describe("refresh takes PostHog's legacy booleans", () => {
  // test_insight.py::test_insight_refreshing_query (?refresh=true) and
  // ::test_insight_refreshing_legacy_with_background_update (?refresh=false)
  it.each(["true", "false", "blocking", "force_cache", "async_except_on_cache_miss"])("accepts %s", (value) => {
    expect(spec.pointerErrors(param("Refresh"), value)).toEqual([]);
  });

  it("still refuses a value that is neither a mode nor a boolean", () => {
    expect(spec.pointerErrors(param("Refresh"), "sometimes")).not.toEqual([]);
    expect(spec.pointerErrors(param("Refresh"), "True")).not.toEqual([]);
  });
});

describe("search is capped at 200 characters", () => {
  // test_insight.py::test_list_filter_by_search_enforces_length_cap; trigram_search.py MAX_SEARCH_LENGTH = 200
  const search = () => {
    const list = operation("listInsights").parameters ?? [];
    const index = list.findIndex((p) => p.name === "search");
    expect(index).toBeGreaterThanOrEqual(0);
    return `#/paths/~1api~1projects~1%7Bproject_id%7D~1insights~1/get/parameters/${index}/schema`;
  };
  it("accepts 200 characters and refuses 201", () => {
    expect(spec.pointerErrors(search(), "a".repeat(200))).toEqual([]);
    expect(spec.pointerErrors(search(), "a".repeat(201))).not.toEqual([]);
  });
});

describe("list filters and retrieve overrides PostHog's tests use", () => {
  it.each([
    // test_insight.py::test_hide_feature_flag_insights_filter
    ["listInsights", "hide_feature_flag_insights"],
    // test_insight.py::test_get_recent_insights_with_feature_flag
    ["listInsights", "feature_flag"],
    // test_insight.py::test_insight_filters_overrides, ::test_insight_variables_overrides
    ["retrieveInsight", "filters_override"],
    ["retrieveInsight", "variables_override"],
    // test_insight.py::test_logged_out_user_can_retrieve_insight_with_correct_insight_sharing_access_token
    ["retrieveInsight", "sharing_access_token"],
    ["listInsights", "sharing_access_token"],
  ])("%s declares %s", (id, name) => {
    expect(parameterNames(id)).toContain(name);
  });

  it("lets a sharing access token stand in for the personal API key on list and retrieve only", () => {
    expect(doc.components.securitySchemes.sharingAccessToken).toMatchObject({
      type: "apiKey",
      in: "query",
      name: "sharing_access_token",
    });
    for (const id of ["listInsights", "retrieveInsight"]) {
      expect(operation(id).security).toContainEqual({ sharingAccessToken: [] });
    }
    for (const id of ["createInsight", "updateInsight", "retrieveInsightSharing"]) {
      expect(operation(id).security).not.toContainEqual({ sharingAccessToken: [] });
    }
  });
});

describe("GET /insights/trending/", () => {
  // test_insight.py::test_trending_insights_orders_by_view_count_then_recency
  const page = {
    count: 1,
    next: null,
    previous: null,
    results: [
      {
        id: 1,
        short_id: "trnd0002",
        name: null,
        derived_name: null,
        favorited: false,
        filters: {},
        query: null,
        dashboards: [],
        dashboard_tiles: [],
        description: null,
        last_refresh: null,
        refreshing: false,
        saved: true,
        tags: [],
        updated_at: "2026-01-01T00:00:00Z",
        created_by: null,
        created_at: "2026-01-01T00:00:00Z",
        last_modified_at: "2026-01-01T00:00:00Z",
        user_access_level: "editor",
        last_viewed_at: "2026-01-01T00:00:00Z",
        view_count: 2,
        viewers: [],
        last_modified_by: null,
      },
    ],
  };
  it("answers the list envelope of basic insights with view counts", () => {
    const answer = { method: "GET", path: "/api/projects/1/insights/trending/", status: 200 };
    expect(spec.answerErrors({ ...answer, contentType: "application/json", body: page })).toEqual([]);
    const noCount = { ...page, results: [{ ...page.results[0], view_count: undefined }] };
    expect(
      spec.answerErrors({ ...answer, contentType: "application/json", body: JSON.parse(JSON.stringify(noCount)) }),
    ).not.toEqual([]);
  });

  it("declares the 400 of a days or limit that is not an integer", () => {
    // test_insight.py::test_trending_insights_rejects_invalid_params
    const answer = { method: "GET", path: "/api/projects/1/insights/trending/?days=abc", status: 400 };
    const body = {
      type: "validation_error",
      code: "invalid_input",
      detail: "days and limit must be valid integers",
      attr: null,
    };
    expect(spec.answerErrors({ ...answer, contentType: "application/json", body })).toEqual([]);
  });
});

describe("sharing settings and access level", () => {
  it("accepts the theme setting, which PostHog keeps", () => {
    // test_sharing.py::test_valid_settings_are_accepted, ::test_partial_settings_are_filled_with_defaults
    const settings = { whitelabel: true, noHeader: false, showInspector: true, legend: false, detailed: true };
    expect(
      spec.requestErrors("updateInsightSharing", { enabled: true, settings: { ...settings, theme: "dark" } }),
    ).toEqual([]);
    expect(spec.requestErrors("updateInsightSharing", { settings: { theme: 3 } })).not.toEqual([]);
  });

  it("declares user_access_level on the configuration", () => {
    // test_sharing.py::test_gets_sharing_config
    const body = {
      access_token: "a1b2c3",
      created_at: null,
      enabled: false,
      password_required: false,
      settings: null,
      share_passwords: [],
      user_access_level: "editor",
    };
    const answer = { method: "GET", path: "/api/projects/1/insights/7/sharing/", status: 200 };
    expect(spec.answerErrors({ ...answer, contentType: "application/json", body })).toEqual([]);
    expect(
      spec.answerErrors({ ...answer, contentType: "application/json", body: { ...body, user_access_level: "owner" } }),
    ).not.toEqual([]);
  });
});

describe("queries PostHog accepts and exports", () => {
  // test_insight_query.py::test_can_save_valid_events_query_to_an_insight (201)
  const eventsQuery = EVENTS_QUERY;

  it("accepts a bare EventsQuery as an insight's query", () => {
    expect(spec.requestErrors("createInsight", { name: "Insight with events query", query: eventsQuery })).toEqual([]);
    expect(spec.schemaErrors("InsightQuery", { ...eventsQuery, select: "everything" })).not.toEqual([]);
  });

  it.each(["event", "person", "group", "hogql"])(
    "accepts an explicit null value in a %s property filter (is_set, HogQL, every model_dump)",
    (type) => {
      const filter = {
        type,
        key: type === "hogql" ? "properties.$os = 'Mac'" : "$browser",
        operator: "is_set",
        value: null,
      };
      expect(spec.schemaErrors("AnyPropertyFilter", filter)).toEqual([]);
    },
  );

  it("accepts the null response a model_dump writes on query nodes", () => {
    // test_insight.py::test_creating_query_insight_not_blocked_by_legacy_filter_flag posts
    // InsightVizNode(source=TrendsQuery(series=[EventsNode(...)])).model_dump()
    // (PostHog's InsightVizNode has no `response`: test/types/query-nodes.test.ts checks the type refuses it.)
    const trends = {
      kind: "TrendsQuery",
      series: [{ kind: "EventsNode", event: "$pageview", response: null }],
      response: null,
    };
    expect(spec.schemaErrors("InsightQuery", { kind: "InsightVizNode", source: trends })).toEqual([]);
    expect(spec.schemaErrors("DataTableNode", { kind: "DataTableNode", source: eventsQuery, response: null })).toEqual(
      [],
    );
  });
});
