// Each method sends the right method, path, query and body, and resolves to the right thing.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { Insight, InsightBasic, InsightCreate, SharingConfiguration } from "../../src/index.js";
import { clientFor, TEST_KEY } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { json, startServer, text, type TestServer } from "../support/server.js";

let server: TestServer;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const p = req.path;
    if (p.endsWith("/viewed/") || p.endsWith("/cancel/")) {
      return text(res, 201, "");
    }
    if (p.endsWith("/my_last_viewed/")) {
      return json(res, 200, example("insight-basic-list"));
    }
    if (p.endsWith("/trending/")) {
      const [insight] = example("insight-basic-list") as object[];
      return json(res, 200, {
        count: 1,
        next: null,
        previous: null,
        results: [{ ...insight, view_count: 3, viewers: [] }],
      });
    }
    if (p.includes("/sharing/refresh/")) {
      return json(res, 200, example("sharing-refreshed"));
    }
    if (p.endsWith("/sharing/")) {
      return json(res, 200, example(req.method === "PATCH" ? "sharing-enabled" : "sharing-never-shared"));
    }
    if (p.endsWith("/activity/")) {
      return json(res, 200, example("activity-page"));
    }
    if (req.query.format === "csv") {
      return text(res, 200, "series,a\n$pageview,1\n", { "content-type": "text/csv" });
    }
    if (/\/insights\/\d+\/$/.test(p)) {
      return json(res, 200, example("insight-trends"));
    }
    if (p.endsWith("/insights/") && req.method === "POST") {
      return json(res, 201, example("insight-created"));
    }
    if (p.endsWith("/insights/")) {
      return json(res, 200, example(req.query.basic ? "insight-basic-list-page" : "insight-list-page"));
    }
    return json(res, 404, { type: "invalid_request", code: "not_found", detail: "Not found.", attr: null });
  });
});
afterAll(() => server.close());

function last() {
  const r = server.requests.at(-1);
  if (!r) {
    throw new Error("no request");
  }
  return r;
}

describe("every method's request", () => {
  const posthog = () => clientFor(server.origin);

  it("list: GET .../insights/ with its query, bearer auth and no body", async () => {
    const page = await posthog().insights.list({
      limit: 50,
      offset: 100,
      refresh: "blocking",
      search: "signups",
      order: "-last_modified_at",
    });
    expect(last()).toMatchObject({ method: "GET", path: "/api/projects/12345/insights/", body: "" });
    expect(last().query).toEqual({
      limit: "50",
      offset: "100",
      refresh: "blocking",
      search: "signups",
      order: "-last_modified_at",
    });
    expect(last().headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(page.count).toBe(1);
    expect(page.results[0]?.short_id).toBe("Zx81QwEr");
    expectTypeOf(page.results).toEqualTypeOf<Insight[]>();
  });

  it("list with basic: true yields InsightBasic", async () => {
    const page = await posthog().insights.list({ basic: true });
    expect(last().query).toEqual({ basic: "true" });
    expectTypeOf(page.results).toEqualTypeOf<InsightBasic[]>();
    expect(page.results[0]).not.toHaveProperty("result");
  });

  it("create: POST .../insights/ with the JSON body, resolving to the 201 insight", async () => {
    const body: InsightCreate = {
      name: "Signups",
      query: {
        kind: "InsightVizNode",
        source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "signup" }] },
      },
    };
    const insight = await posthog().insights.create(body);
    expect(last()).toMatchObject({ method: "POST", path: "/api/projects/12345/insights/", json: body });
    expect(last().headers["content-type"]).toBe("application/json");
    expect(insight.id).toBe(8);
  });

  it("retrieve: GET .../insights/{id}/ with refresh and from_dashboard", async () => {
    const insight = await posthog().insights.retrieve("7", { refresh: "force_blocking", from_dashboard: 3 });
    expect(last()).toMatchObject({
      method: "GET",
      path: "/api/projects/12345/insights/7/",
      query: { refresh: "force_blocking", from_dashboard: "3" },
    });
    expect(insight.short_id).toBe("AaVQ8Ijw");
  });

  it("update: PATCH .../insights/{id}/ with only the given fields", async () => {
    await posthog().insights.update(7, { name: "New", favorited: true });
    expect(last()).toMatchObject({
      method: "PATCH",
      path: "/api/projects/12345/insights/7/",
      json: { name: "New", favorited: true },
    });
  });

  it("delete and restore: PATCH with deleted true / false (never a DELETE)", async () => {
    await posthog().insights.delete(7);
    expect(last()).toMatchObject({ method: "PATCH", path: "/api/projects/12345/insights/7/", json: { deleted: true } });
    await posthog().insights.restore(7);
    expect(last()).toMatchObject({ method: "PATCH", json: { deleted: false } });
  });

  it("activity and allActivity: GET with page and limit", async () => {
    const page = await posthog().insights.activity(7, { page: 2, limit: 5 });
    expect(last()).toMatchObject({
      method: "GET",
      path: "/api/projects/12345/insights/7/activity/",
      query: { page: "2", limit: "5" },
    });
    expect(page.total_count).toBe(2);
    await posthog().insights.allActivity({ limit: 3 });
    expect(last()).toMatchObject({ path: "/api/projects/12345/insights/activity/", query: { limit: "3" } });
  });

  it("markViewed: POST .../insights/viewed/ with the ids, resolving to undefined on 201", async () => {
    await expect(posthog().insights.markViewed(7)).resolves.toBeUndefined();
    expect(last()).toMatchObject({ method: "POST", path: "/api/projects/12345/insights/viewed/" });
    expect(JSON.parse(last().body)).toEqual({ insight_ids: [7] });
  });

  it("lastViewed: GET my_last_viewed/, resolving to the bare array", async () => {
    const recent = await posthog().insights.lastViewed();
    expect(last()).toMatchObject({ method: "GET", path: "/api/projects/12345/insights/my_last_viewed/" });
    expect(recent.map((i) => i.id)).toEqual([7, 12]);
  });

  it("trending: GET trending/ with days and limit, resolving to the insights", async () => {
    const popular = await posthog().insights.trending({ days: 30, limit: 5 });
    expect(last()).toMatchObject({
      method: "GET",
      path: "/api/projects/12345/insights/trending/",
      query: { days: "30", limit: "5" },
    });
    expect(popular.map((i) => i.view_count)).toEqual([3]);
  });

  it("cancel: POST cancel/ with client_query_id", async () => {
    await expect(posthog().insights.cancel("abc-123")).resolves.toBeUndefined();
    expect(last()).toMatchObject({
      method: "POST",
      path: "/api/projects/12345/insights/cancel/",
      json: { client_query_id: "abc-123" },
    });
    await expect(posthog().insights.cancel("")).rejects.toThrow(/client query id/);
  });

  it("sharing.retrieve / update / refresh", async () => {
    const s = posthog().insights.sharing;
    const never = await s.retrieve(7);
    expect(last()).toMatchObject({ method: "GET", path: "/api/projects/12345/insights/7/sharing/" });
    expect(never.created_at).toBeNull();
    const enabled = await s.update(7, { enabled: true, settings: { legend: true } });
    expect(last()).toMatchObject({
      method: "PATCH",
      path: "/api/projects/12345/insights/7/sharing/",
      json: { enabled: true, settings: { legend: true } },
    });
    expect(enabled.enabled).toBe(true);
    const refreshed = await s.refresh("7");
    expect(last()).toMatchObject({ method: "POST", path: "/api/projects/12345/insights/7/sharing/refresh/" });
    expect(refreshed.access_token).not.toBe(enabled.access_token);
    expectTypeOf(refreshed).toEqualTypeOf<SharingConfiguration>();
  });

  it("format csv resolves to the CSV text, asking for text/csv", async () => {
    const csv = await posthog().insights.retrieve(7, { format: "csv" });
    expect(last().query).toEqual({ format: "csv" });
    expect(last().headers.accept).toBe("text/csv");
    expect(csv).toBe("series,a\n$pageview,1\n");
    expectTypeOf(csv).toEqualTypeOf<string>();
    const listCsv = await posthog().insights.list({ format: "csv", limit: 10 });
    expect(listCsv).toContain("$pageview");
    expectTypeOf(listCsv).toEqualTypeOf<string>();
  });

  it("a per-call projectId overrides the client's, and @current is sent as the API expects", async () => {
    await posthog().insights.retrieve(7, {}, { projectId: 999 });
    expect(last().path).toBe("/api/projects/999/insights/7/");
    await clientFor(server.origin, { projectId: "@current" }).insights.retrieve(7);
    expect(decodeURIComponent(last().path)).toBe("/api/projects/@current/insights/7/");
  });

  it("sends extra client and per-call headers", async () => {
    await clientFor(server.origin, { headers: { "x-team": "growth" } }).insights.retrieve(
      7,
      {},
      { headers: { "x-trace": "t1" } },
    );
    expect(last().headers).toMatchObject({ "x-team": "growth", "x-trace": "t1" });
    await expect(posthog().insights.retrieve(7, {}, { headers: { Authorization: "Bearer other" } })).rejects.toThrow(
      /Authorization/,
    );
  });

  it("raw is openapi-fetch with the same auth, never throwing on HTTP errors", async () => {
    const { data, error, response } = await posthog().raw.GET("/api/projects/{project_id}/insights/{id}/", {
      params: { path: { project_id: "12345", id: 7 } },
    });
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data?.id).toBe(7);
    expect(last().headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    const missing = await posthog().raw.GET("/api/projects/{project_id}/query/{query_id}/", {
      params: { path: { project_id: "1", query_id: "q" } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ code: "not_found" });
  });
});

describe("argument errors", () => {
  it("reject (never throw synchronously), before any request", async () => {
    const posthog = clientFor(server.origin);
    const before = server.requests.length;
    const calls = [
      () => posthog.insights.list({ format: "csv" }, { projectId: "x" }),
      () => posthog.insights.retrieve("x"),
      () => posthog.insights.update(-1, {}),
      () => posthog.insights.markViewed(0),
      () => posthog.insights.sharing.refresh("7/"),
      () => posthog.insights.cancel(""),
    ];
    for (const call of calls) {
      let result: Promise<unknown> | undefined;
      expect(() => {
        result = call();
      }).not.toThrow();
      await expect(result).rejects.toThrow();
    }
    expect(server.requests.length).toBe(before);
  });
});
