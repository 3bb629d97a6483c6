// Every operation of the spec, called through openapi-fetch typed by the generated
// `paths` against Prism serving that same spec: a valid request gets the declared status
// and body shape, and a broken one is refused the way the spec (and PostHog) says.
import createClient from "openapi-fetch";
import { describe, expect, inject, it } from "vitest";
import type { operations, paths } from "../../generated/schema.js";
import { specOperations } from "../support/spec.js";
import { usePrism } from "../support/prism-ready.js";

const baseUrl = inject("prismUrl");
const api = createClient<paths>({ baseUrl, headers: { Authorization: "Bearer phx_contract_test" } });
const anonymous = createClient<paths>({ baseUrl });

// Prism starts and warms up in the background (see test/prism.globalSetup.ts); this file waits for it.
usePrism();

const project = { project_id: "12345" };
const insight = { ...project, id: 7 };
const sharing = { ...project, insight_id: 7 };
const query = { ...project, query_id: "cache_7f3c1e0b2a9d4c8e6f5a1b2c3d4e5f60" };
const dashboard = { ...project, id: 3 };
const action = { ...project, id: 42 };
const cohort = { ...project, id: 5 };

interface Outcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

interface Case {
  /** A valid request, and what its answer must look like. */
  valid: () => Promise<Outcome>;
  status: number;
  check?: (data: unknown) => void;
  /** A request the spec refuses (bad body or parameter), with the expected status. */
  rejected: () => Promise<Outcome>;
  rejectedStatus: number;
  /** How the refusal's body must look; PostHog's error body unless said otherwise. */
  rejectedCheck?: (error: unknown) => void;
}

const isoDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);

function expectInsight(value: unknown): void {
  expect(value).toMatchObject({
    id: expect.any(Number),
    short_id: expect.any(String),
    deleted: expect.any(Boolean),
    is_cached: expect.any(Boolean),
    dashboard_tiles: expect.any(Array),
    updated_at: isoDate,
  });
  const v = value as Record<string, unknown>;
  // The computed fields PostHog's own schema types as `string` are not strings here.
  for (const key of ["result", "hasMore", "columns", "query_status", "types"]) {
    expect(key in v, key).toBe(true);
    expect(typeof v[key], key).not.toBe("string");
  }
  expect(v.effective_restriction_level === 21 || v.effective_restriction_level === 37).toBe(true);
}

function expectErrorBody(value: unknown): void {
  expect(value).toMatchObject({ type: expect.any(String), code: expect.any(String), detail: expect.any(String) });
  expect("attr" in (value as object)).toBe(true);
}

function expectSharing(value: unknown): void {
  expect(Array.isArray(value)).toBe(false);
  expect(value).toMatchObject({ enabled: expect.any(Boolean) });
  expect("access_token" in (value as object) && "created_at" in (value as object)).toBe(true);
}

function expectActivityPage(value: unknown): void {
  expect(value).toMatchObject({ results: expect.any(Array), total_count: expect.any(Number) });
  expect("count" in (value as object)).toBe(false);
  const first = (value as { results: unknown[] }).results[0];
  expect(first).toMatchObject({ activity: expect.any(String), scope: "Insight", item_id: expect.any(String) });
}

function expectDashboard(value: unknown, tiles: boolean): void {
  expect(value).toMatchObject({
    id: expect.any(Number),
    pinned: expect.any(Boolean),
    deleted: false,
    creation_mode: expect.any(String),
    restriction_level: 21,
  });
  const v = value as Record<string, unknown>;
  expect("tiles" in v, "tiles").toBe(tiles);
  expect("filters" in v, "filters").toBe(tiles);
  if (tiles) {
    expect("persisted_filters" in v).toBe(true);
    for (const tile of v.tiles as Record<string, unknown>[]) {
      // Exactly one of insight and text (buttons and widgets aside).
      expect(tile.insight === null || tile.text === null, JSON.stringify(tile)).toBe(true);
      expect(tile).toMatchObject({
        id: expect.any(Number),
        layouts: expect.any(Object),
        is_cached: expect.any(Boolean),
      });
    }
  }
}

function expectTextTile(value: unknown): void {
  expect(value).toMatchObject({ id: expect.any(Number), insight: null, text: { body: expect.any(String) } });
}

function expectAction(value: unknown): void {
  expect(value).toMatchObject({ id: expect.any(Number), is_action: true, steps: expect.any(Array) });
  for (const step of (value as { steps: object[] }).steps) {
    // Steps as PostHog stores them: every field present.
    expect(Object.keys(step)).toEqual(expect.arrayContaining(["event", "selector", "url", "url_matching"]));
  }
}

function expectCohort(value: unknown): void {
  expect(value).toMatchObject({
    id: expect.any(Number),
    is_static: expect.any(Boolean),
    is_calculating: expect.any(Boolean),
  });
  expect("count" in (value as object) && "filters" in (value as object)).toBe(true);
}

const cases: Record<keyof operations, Case> = {
  listInsights: {
    valid: () =>
      api.GET("/api/projects/{project_id}/insights/", {
        params: { path: project, query: { limit: 100, refresh: "force_cache" } },
      }),
    status: 200,
    check: (data) => {
      expect(data).toMatchObject({ count: expect.any(Number), next: null, previous: null });
      const results = (data as { results: unknown[] }).results;
      expect(results.length).toBeGreaterThan(0);
      for (const item of results) {
        expectInsight(item);
      }
    },
    rejected: () =>
      // @ts-expect-error limit must be an integer
      api.GET("/api/projects/{project_id}/insights/", { params: { path: project, query: { limit: "lots" } } }),
    rejectedStatus: 400,
  },
  createInsight: {
    valid: () =>
      api.POST("/api/projects/{project_id}/insights/", {
        params: { path: project },
        body: {
          name: "Signups per day",
          query: {
            kind: "InsightVizNode",
            source: {
              kind: "TrendsQuery",
              series: [{ kind: "EventsNode", event: "user signed up", math: "total" }],
              interval: "day",
            },
          },
        },
      }),
    status: 201,
    check: expectInsight,
    rejected: () =>
      api.POST("/api/projects/{project_id}/insights/", {
        params: { path: project },
        // @ts-expect-error tags is a list (queries are checked by ajv: the mock serves them open)
        body: { name: "Signups", tags: "growth" },
      }),
    rejectedStatus: 400,
  },
  retrieveInsight: {
    valid: () =>
      api.GET("/api/projects/{project_id}/insights/{id}/", {
        params: { path: insight, query: { refresh: "blocking" } },
      }),
    status: 200,
    check: expectInsight,
    rejected: () =>
      // @ts-expect-error an insight id is an integer
      api.GET("/api/projects/{project_id}/insights/{id}/", { params: { path: { ...project, id: "seven" } } }),
    rejectedStatus: 400,
  },
  updateInsight: {
    valid: () =>
      api.PATCH("/api/projects/{project_id}/insights/{id}/", {
        params: { path: insight },
        body: { name: "Renamed", favorited: true },
      }),
    status: 200,
    check: expectInsight,
    rejected: () =>
      // `short_id` is read-only: the request schema does not allow it (additionalProperties: false).
      api.PATCH("/api/projects/{project_id}/insights/{id}/", {
        params: { path: insight },
        body: { short_id: "AaVQ8Ijw" },
      }),
    rejectedStatus: 400,
  },
  deleteInsight: {
    // Prism picks the lowest declared status when there is no 2xx; ask for the real one.
    valid: () =>
      api.DELETE("/api/projects/{project_id}/insights/{id}/", {
        params: { path: insight },
        headers: { Prefer: "code=405" },
      }),
    status: 405,
    check: (data) => expect(data).toBeUndefined(),
    rejected: () =>
      // @ts-expect-error an insight id is an integer
      api.DELETE("/api/projects/{project_id}/insights/{id}/", { params: { path: { ...project, id: "x" } } }),
    rejectedStatus: 400,
  },
  retrieveInsightActivity: {
    valid: () =>
      api.GET("/api/projects/{project_id}/insights/{id}/activity/", {
        params: { path: insight, query: { page: 1, limit: 10 } },
      }),
    status: 200,
    check: expectActivityPage,
    rejected: () =>
      api.GET("/api/projects/{project_id}/insights/{id}/activity/", { params: { path: insight, query: { page: 0 } } }),
    rejectedStatus: 400,
  },
  markInsightViewed: {
    valid: () => api.POST("/api/projects/{project_id}/insights/{id}/viewed/", { params: { path: insight } }),
    status: 201,
    check: (data) => expect(data).toBeUndefined(),
    rejected: () =>
      api.POST("/api/projects/{project_id}/insights/{id}/viewed/", { params: { path: { ...insight, id: 0 } } }),
    rejectedStatus: 400,
  },
  markInsightsViewed: {
    valid: () =>
      api.POST("/api/projects/{project_id}/insights/viewed/", {
        params: { path: project },
        body: { insight_ids: [7, 8] },
      }),
    status: 201,
    check: (data) => expect(data).toBeUndefined(),
    rejected: () =>
      api.POST("/api/projects/{project_id}/insights/viewed/", { params: { path: project }, body: { insight_ids: [] } }),
    rejectedStatus: 400,
  },
  listInsightsActivity: {
    valid: () =>
      api.GET("/api/projects/{project_id}/insights/activity/", { params: { path: project, query: { limit: 2 } } }),
    status: 200,
    check: expectActivityPage,
    rejected: () =>
      api.GET("/api/projects/{project_id}/insights/activity/", { params: { path: project, query: { limit: -1 } } }),
    rejectedStatus: 400,
  },
  cancelInsightQuery: {
    valid: () =>
      api.POST("/api/projects/{project_id}/insights/cancel/", {
        params: { path: project },
        body: { client_query_id: "3f1e2d4c" },
      }),
    status: 201,
    check: (data) => expect(data).toBeUndefined(),
    rejected: () =>
      // @ts-expect-error client_query_id is required
      api.POST("/api/projects/{project_id}/insights/cancel/", { params: { path: project }, body: {} }),
    rejectedStatus: 400,
  },
  listMyLastViewedInsights: {
    valid: () => api.GET("/api/projects/{project_id}/insights/my_last_viewed/", { params: { path: project } }),
    status: 200,
    check: (data) => {
      expect(Array.isArray(data)).toBe(true);
      expect((data as unknown[]).length).toBeLessThanOrEqual(5);
      expect((data as unknown[])[0]).toMatchObject({ id: expect.any(Number), short_id: expect.any(String) });
    },
    rejected: () =>
      api.GET("/api/projects/{project_id}/insights/my_last_viewed/", {
        params: { path: { project_id: "not-a-project" } },
      }),
    rejectedStatus: 400,
  },
  listTrendingInsights: {
    valid: () =>
      api.GET("/api/projects/{project_id}/insights/trending/", {
        params: { path: project, query: { days: 30, limit: 5 } },
      }),
    status: 200,
    check: (data) => {
      expect(data).toMatchObject({ count: expect.any(Number), next: null, previous: null, results: expect.any(Array) });
    },
    rejected: () =>
      api.GET("/api/projects/{project_id}/insights/trending/", {
        // @ts-expect-error days is an integer (PostHog: "days and limit must be valid integers")
        params: { path: project, query: { days: "a week" } },
      }),
    rejectedStatus: 400,
  },
  retrieveInsightSharing: {
    valid: () => api.GET("/api/projects/{project_id}/insights/{insight_id}/sharing/", { params: { path: sharing } }),
    status: 200,
    check: expectSharing,
    rejected: () =>
      api.GET("/api/projects/{project_id}/insights/{insight_id}/sharing/", {
        params: { path: { ...sharing, insight_id: -3 } },
      }),
    rejectedStatus: 400,
  },
  updateInsightSharing: {
    valid: () =>
      api.PATCH("/api/projects/{project_id}/insights/{insight_id}/sharing/", {
        params: { path: sharing },
        body: { enabled: true, settings: { legend: true } },
      }),
    status: 200,
    check: (data) => {
      expectSharing(data);
      expect(data).toMatchObject({ enabled: true, created_at: isoDate });
    },
    rejected: () =>
      api.PATCH("/api/projects/{project_id}/insights/{insight_id}/sharing/", {
        params: { path: sharing },
        // @ts-expect-error enabled is a boolean
        body: { enabled: "yes" },
      }),
    rejectedStatus: 400,
  },
  refreshInsightSharing: {
    valid: () =>
      api.POST("/api/projects/{project_id}/insights/{insight_id}/sharing/refresh/", { params: { path: sharing } }),
    status: 200,
    check: (data) => {
      expectSharing(data);
      expect(data).toMatchObject({ access_token: expect.any(String) });
    },
    rejected: () =>
      api.POST("/api/projects/{project_id}/insights/{insight_id}/sharing/refresh/", {
        params: { path: { ...sharing, project_id: "../1" } },
      }),
    rejectedStatus: 400,
  },
  getQueryStatus: {
    valid: () =>
      api.GET("/api/projects/{project_id}/query/{query_id}/", {
        params: { path: query, query: { show_progress: true } },
      }),
    status: 200,
    check: (data) =>
      expect(data).toMatchObject({ query_status: { id: expect.any(String), complete: true, error: false } }),
    rejected: () =>
      api.GET("/api/projects/{project_id}/query/{query_id}/", {
        // @ts-expect-error show_progress is a boolean
        params: { path: query, query: { show_progress: "very" } },
      }),
    rejectedStatus: 400,
    // This endpoint's 400 means "the calculation failed": its body is the failed status.
    rejectedCheck: (error) =>
      expect(error).toMatchObject({ query_status: { error: true, error_message: expect.any(String) } }),
  },
  cancelQuery: {
    valid: () => api.DELETE("/api/projects/{project_id}/query/{query_id}/", { params: { path: query } }),
    status: 200,
    check: (data) => expect(data).toMatchObject({ message: expect.any(String) }),
    rejected: () =>
      api.DELETE("/api/projects/{project_id}/query/{query_id}/", {
        // @ts-expect-error dequeue_only is a boolean
        params: { path: query, query: { dequeue_only: 3 } },
      }),
    rejectedStatus: 400,
  },
  retrieveProject: {
    valid: () => api.GET("/api/projects/{project_id}/", { params: { path: { project_id: "@current" } } }),
    status: 200,
    check: (data) => expect(data).toMatchObject({ id: expect.any(Number), name: expect.any(String) }),
    rejected: () =>
      // The pattern allows digits or @current only.
      api.GET("/api/projects/{project_id}/", { params: { path: { project_id: "current" } } }),
    rejectedStatus: 400,
  },
  listDashboards: {
    valid: () =>
      api.GET("/api/projects/{project_id}/dashboards/", {
        params: { path: project, query: { limit: 100, search: "growth", tags: ["kpi", "growth"] } },
      }),
    status: 200,
    check: (data) => {
      expect(data).toMatchObject({ count: expect.any(Number), next: null, previous: null });
      for (const item of (data as { results: unknown[] }).results) {
        expectDashboard(item, false);
      }
    },
    rejected: () =>
      // @ts-expect-error limit must be an integer
      api.GET("/api/projects/{project_id}/dashboards/", { params: { path: project, query: { limit: "lots" } } }),
    rejectedStatus: 400,
  },
  createDashboard: {
    valid: () =>
      api.POST("/api/projects/{project_id}/dashboards/", {
        params: { path: project },
        body: { name: "Growth", pinned: true, tags: ["growth"], filters: { date_from: "-30d" } },
      }),
    status: 201,
    check: (data) => expectDashboard(data, true),
    rejected: () =>
      api.POST("/api/projects/{project_id}/dashboards/", {
        params: { path: project },
        // @ts-expect-error restriction_level is 21 or 37
        body: { name: "Growth", restriction_level: 5 },
      }),
    rejectedStatus: 400,
  },
  retrieveDashboard: {
    valid: () => api.GET("/api/projects/{project_id}/dashboards/{id}/", { params: { path: dashboard } }),
    status: 200,
    check: (data) => {
      expectDashboard(data, true);
      const tiles = (data as { tiles: { insight: unknown; text: unknown }[] }).tiles;
      expect(tiles.map((t) => (t.insight ? "insight" : "text"))).toEqual(["insight", "text"]);
    },
    rejected: () =>
      // @ts-expect-error a dashboard id is an integer
      api.GET("/api/projects/{project_id}/dashboards/{id}/", { params: { path: { ...project, id: "seven" } } }),
    rejectedStatus: 400,
  },
  updateDashboard: {
    valid: () =>
      api.PATCH("/api/projects/{project_id}/dashboards/{id}/", {
        params: { path: dashboard },
        body: { tiles: [{ id: 11, layouts: { sm: { x: 0, y: 0, w: 12, h: 5 } }, color: "green" }] },
      }),
    status: 200,
    check: (data) => expectDashboard(data, true),
    rejected: () =>
      api.PATCH("/api/projects/{project_id}/dashboards/{id}/", {
        params: { path: dashboard },
        // `creation_mode` is read-only: the request schema does not allow it (additionalProperties: false).
        body: { creation_mode: "template" },
      }),
    rejectedStatus: 400,
  },
  deleteDashboard: {
    valid: () =>
      api.DELETE("/api/projects/{project_id}/dashboards/{id}/", {
        params: { path: dashboard },
        headers: { Prefer: "code=405" },
      }),
    status: 405,
    check: (data) => expect(data).toBeUndefined(),
    rejected: () =>
      // @ts-expect-error a dashboard id is an integer
      api.DELETE("/api/projects/{project_id}/dashboards/{id}/", { params: { path: { ...project, id: "x" } } }),
    rejectedStatus: 400,
  },
  createDashboardTextTile: {
    valid: () =>
      api.POST("/api/projects/{project_id}/dashboards/{id}/create_text_tile/", {
        params: { path: dashboard },
        body: { body: "## Activation", layouts: { sm: { x: 0, y: 5, w: 12, h: 1 } }, color: "purple" },
      }),
    status: 201,
    check: expectTextTile,
    rejected: () =>
      api.POST("/api/projects/{project_id}/dashboards/{id}/create_text_tile/", {
        params: { path: dashboard },
        body: { body: "" },
      }),
    rejectedStatus: 400,
  },
  updateDashboardTextTile: {
    valid: () =>
      api.POST("/api/projects/{project_id}/dashboards/{id}/update_text_tile/", {
        params: { path: dashboard },
        body: { tile_id: 12, body: "## Activation (weekly)" },
      }),
    status: 200,
    check: expectTextTile,
    rejected: () =>
      api.POST("/api/projects/{project_id}/dashboards/{id}/update_text_tile/", {
        params: { path: dashboard },
        // @ts-expect-error tile_id is required
        body: { body: "## Activation" },
      }),
    rejectedStatus: 400,
  },
  deleteDashboardTile: {
    valid: () =>
      api.POST("/api/projects/{project_id}/dashboards/{id}/delete_tile/", {
        params: { path: dashboard },
        body: { tile_id: 12 },
      }),
    status: 204,
    check: (data) => expect(data).toBeUndefined(),
    rejected: () =>
      api.POST("/api/projects/{project_id}/dashboards/{id}/delete_tile/", {
        params: { path: dashboard },
        // @ts-expect-error tile_id is an integer
        body: { tile_id: "twelve" },
      }),
    rejectedStatus: 400,
  },
  listActions: {
    valid: () =>
      api.GET("/api/projects/{project_id}/actions/", {
        params: { path: project, query: { include_reference_count: true } },
      }),
    status: 200,
    check: (data) => {
      // Not paginated: no count, next or previous.
      expect(Object.keys(data as object)).toEqual(["results"]);
      for (const item of (data as { results: unknown[] }).results) {
        expectAction(item);
      }
    },
    rejected: () =>
      api.GET("/api/projects/{project_id}/actions/", {
        // @ts-expect-error include_reference_count is a boolean
        params: { path: project, query: { include_reference_count: "maybe" } },
      }),
    rejectedStatus: 400,
  },
  createAction: {
    valid: () =>
      api.POST("/api/projects/{project_id}/actions/", {
        params: { path: project },
        body: { name: "Signed up", steps: [{ event: "$autocapture", selector: "div > button", url: "/signup" }] },
      }),
    status: 201,
    check: expectAction,
    rejected: () =>
      api.POST("/api/projects/{project_id}/actions/", {
        params: { path: project },
        // @ts-expect-error steps is a list
        body: { name: "Signed up", steps: { event: "$pageview" } },
      }),
    rejectedStatus: 400,
  },
  retrieveAction: {
    valid: () => api.GET("/api/projects/{project_id}/actions/{id}/", { params: { path: action } }),
    status: 200,
    check: expectAction,
    rejected: () =>
      // @ts-expect-error an action id is an integer
      api.GET("/api/projects/{project_id}/actions/{id}/", { params: { path: { ...project, id: "seven" } } }),
    rejectedStatus: 400,
  },
  updateAction: {
    valid: () =>
      api.PATCH("/api/projects/{project_id}/actions/{id}/", {
        params: { path: action },
        body: { name: "Signed up (any)", steps: [{ event: "user signed up" }] },
      }),
    status: 200,
    check: expectAction,
    rejected: () =>
      api.PATCH("/api/projects/{project_id}/actions/{id}/", {
        params: { path: action },
        // `is_action` is read-only: the request schema does not allow it.
        body: { is_action: false },
      }),
    rejectedStatus: 400,
  },
  deleteAction: {
    valid: () =>
      api.DELETE("/api/projects/{project_id}/actions/{id}/", {
        params: { path: action },
        headers: { Prefer: "code=405" },
      }),
    status: 405,
    check: (data) => expect(data).toBeUndefined(),
    rejected: () =>
      // @ts-expect-error an action id is an integer
      api.DELETE("/api/projects/{project_id}/actions/{id}/", { params: { path: { ...project, id: "x" } } }),
    rejectedStatus: 400,
  },
  listCohorts: {
    valid: () =>
      api.GET("/api/projects/{project_id}/cohorts/", {
        params: { path: project, query: { limit: 10, type: "static", search: "beta" } },
      }),
    status: 200,
    check: (data) => {
      expect(data).toMatchObject({ count: expect.any(Number), next: null, previous: null });
      for (const item of (data as { results: unknown[] }).results) {
        expectCohort(item);
      }
    },
    rejected: () =>
      api.GET("/api/projects/{project_id}/cohorts/", {
        // @ts-expect-error type is static or dynamic
        params: { path: project, query: { type: "both" } },
      }),
    rejectedStatus: 400,
  },
  createCohort: {
    valid: () =>
      api.POST("/api/projects/{project_id}/cohorts/", {
        params: { path: project },
        body: {
          name: "Paying customers",
          filters: {
            properties: {
              type: "OR",
              values: [{ type: "AND", values: [{ type: "person", key: "plan", operator: "exact", value: ["pro"] }] }],
            },
          },
        },
      }),
    status: 201,
    check: expectCohort,
    rejected: () =>
      api.POST("/api/projects/{project_id}/cohorts/", {
        params: { path: project },
        // @ts-expect-error filters needs properties
        body: { name: "Paying customers", filters: { type: "OR" } },
      }),
    rejectedStatus: 400,
  },
  retrieveCohort: {
    valid: () => api.GET("/api/projects/{project_id}/cohorts/{id}/", { params: { path: cohort } }),
    status: 200,
    check: expectCohort,
    rejected: () =>
      // @ts-expect-error a cohort id is an integer
      api.GET("/api/projects/{project_id}/cohorts/{id}/", { params: { path: { ...project, id: "five" } } }),
    rejectedStatus: 400,
  },
  updateCohort: {
    valid: () =>
      api.PATCH("/api/projects/{project_id}/cohorts/{id}/", {
        params: { path: cohort },
        body: { name: "Paying customers (pro and up)" },
      }),
    status: 200,
    check: expectCohort,
    rejected: () =>
      api.PATCH("/api/projects/{project_id}/cohorts/{id}/", {
        params: { path: cohort },
        // `is_calculating` is read-only: the request schema does not allow it.
        body: { is_calculating: false },
      }),
    rejectedStatus: 400,
  },
  deleteCohort: {
    valid: () =>
      api.DELETE("/api/projects/{project_id}/cohorts/{id}/", {
        params: { path: cohort },
        headers: { Prefer: "code=405" },
      }),
    status: 405,
    check: (data) => expect(data).toBeUndefined(),
    rejected: () =>
      // @ts-expect-error a cohort id is an integer
      api.DELETE("/api/projects/{project_id}/cohorts/{id}/", { params: { path: { ...project, id: "x" } } }),
    rejectedStatus: 400,
  },
  listGroupTypes: {
    valid: () => api.GET("/api/projects/{project_id}/groups_types/", { params: { path: project } }),
    status: 200,
    check: (data) => {
      expect(Array.isArray(data)).toBe(true);
      expect((data as unknown[])[0]).toMatchObject({ group_type: "company", group_type_index: 0 });
    },
    rejected: () =>
      api.GET("/api/projects/{project_id}/groups_types/", { params: { path: { project_id: "not-a-project" } } }),
    rejectedStatus: 400,
  },
};

const declared = specOperations();

describe("the contract suite covers the spec", () => {
  it("has a case for every operation in the spec, and none for operations it lacks", () => {
    expect(Object.keys(cases).sort()).toEqual(declared.map((op) => op.operationId).sort());
  });

  it("declares the 12 documented insight endpoints, their 6 companions (query status and cancel, sharing update, bulk viewed, trending, project), and 19 for dashboards, actions, cohorts and group types", () => {
    expect(declared).toHaveLength(37);
    const kinds = declared.filter((op) => /\/(dashboards|actions|cohorts|groups_types)\//.test(op.path));
    expect(kinds.map((op) => op.operationId).sort()).toHaveLength(19);
  });

  it("declares 400, 401, 403, 404 and 429 on every operation", () => {
    for (const op of declared) {
      expect(op.statuses, op.operationId).toEqual(expect.arrayContaining(["400", "401", "403", "404", "429"]));
    }
  });
});

describe.each(declared.map((op) => [op.operationId, op] as const))("%s", (operationId, op) => {
  const c = cases[operationId as keyof operations];

  it(`answers a valid ${op.method} ${op.path} with ${c.status}`, async () => {
    const { data, error, response } = await c.valid();
    expect(response.status, JSON.stringify(error)).toBe(c.status);
    expect(response.headers.get("sl-violations")).toBeNull();
    c.check?.(response.ok ? data : error);
  });

  it("refuses an invalid request with the spec's error body", async () => {
    const { error, response } = await c.rejected();
    expect(response.status).toBe(c.rejectedStatus);
    (c.rejectedCheck ?? expectErrorBody)(error);
  });

  it("refuses a request without credentials", async () => {
    const { error, response } = await anonymous.request(
      op.method.toLowerCase() as "get",
      op.path as "/api/projects/{project_id}/insights/",
      {
        params: { path: { project_id: "12345", id: 7, insight_id: 7, query_id: "q" } as never },
      },
    );
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ type: "authentication_error" });
  });
});
