// Each dashboards, actions, cohorts and group types method sends the right method, path, query
// and body to a real loopback server, and resolves to the right thing; bad ids never leave.
import { createHook } from "node:async_hooks";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  type Action,
  type Cohort,
  type Dashboard,
  type DashboardBasic,
  type DashboardTextTile,
  type GroupType,
  type PagePromise,
  PostHogError,
} from "../../src/index.js";
import { clientFor } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { json, startServer, text, type TestServer } from "../support/server.js";

let server: TestServer;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const p = req.path;
    if (p.endsWith("/delete_tile/")) {
      return text(res, 204, "");
    }
    if (p.endsWith("_text_tile/")) {
      return json(res, p.endsWith("/create_text_tile/") ? 201 : 200, example("dashboard-text-tile"));
    }
    if (p.endsWith("/dashboards/")) {
      if (req.method === "POST") {
        return json(res, 201, example("dashboard-created"));
      }
      const page = example<{ next: string | null }>("dashboard-list-page");
      // A first page whose `next` repeats `tags`, as PostHog builds it.
      page.next = req.query.offset ? null : `${server.origin}${p}?tags=kpi&tags=growth&limit=1&offset=1`;
      return json(res, 200, page);
    }
    if (/\/dashboards\/\d+\/$/.test(p)) {
      return json(res, 200, example("dashboard"));
    }
    if (p.endsWith("/actions/")) {
      return json(res, req.method === "POST" ? 201 : 200, example(req.method === "POST" ? "action" : "action-list"));
    }
    if (/\/actions\/\d+\/$/.test(p)) {
      return json(res, 200, example("action"));
    }
    if (p.endsWith("/cohorts/")) {
      return json(
        res,
        req.method === "POST" ? 201 : 200,
        example(req.method === "POST" ? "cohort-created" : "cohort-list-page"),
      );
    }
    if (/\/cohorts\/\d+\/$/.test(p)) {
      return json(res, 200, example("cohort"));
    }
    if (p.endsWith("/groups_types/")) {
      return json(res, 200, example("group-types"));
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

const project = "/api/projects/12345";

describe("dashboards", () => {
  const posthog = () => clientFor(server.origin);

  it("list: GET .../dashboards/ with repeated tags, following next with every tag kept", async () => {
    const all = await posthog()
      .dashboards.list({ tags: ["kpi", "growth"], limit: 1 })
      .toArray();
    expect(server.requests.at(-2)?.url).toBe(`${project}/dashboards/?tags=kpi&tags=growth&limit=1`);
    expect(last().url).toBe(`${project}/dashboards/?tags=kpi&tags=growth&limit=1&offset=1`);
    expect(all).toHaveLength(4);
    expectTypeOf(posthog().dashboards.list()).toEqualTypeOf<PagePromise<DashboardBasic>>();
  });

  it("create, retrieve, update, delete and restore name their operations", async () => {
    const created = await posthog().dashboards.create({ name: "Growth", pinned: true });
    expect(last()).toMatchObject({
      method: "POST",
      path: `${project}/dashboards/`,
      json: { name: "Growth", pinned: true },
    });
    expect(created.tiles).toEqual([]);
    const dashboard = await posthog().dashboards.retrieve("3", { filters_override: '{"date_from":"-7d"}' });
    expect(last()).toMatchObject({
      method: "GET",
      path: `${project}/dashboards/3/`,
      query: { filters_override: '{"date_from":"-7d"}' },
    });
    expectTypeOf(dashboard).toEqualTypeOf<Dashboard>();
    const tile = dashboard.tiles[0];
    if (tile?.insight) {
      expect(tile.insight.short_id).toBe("Kq3ZpL0t");
    }
    await posthog().dashboards.update(3, { tiles: [{ id: 11, layouts: { sm: { x: 0, y: 0, w: 12, h: 5 } } }] });
    expect(last()).toMatchObject({
      method: "PATCH",
      json: { tiles: [{ id: 11, layouts: { sm: { x: 0, y: 0, w: 12, h: 5 } } }] },
    });
    await posthog().dashboards.delete(3);
    expect(last()).toMatchObject({ method: "PATCH", path: `${project}/dashboards/3/`, json: { deleted: true } });
    await posthog().dashboards.restore(3, { projectId: 777 });
    expect(last()).toMatchObject({
      method: "PATCH",
      path: "/api/projects/777/dashboards/3/",
      json: { deleted: false },
    });
  });

  it("text tiles: create, update with the tile id in the body, delete answering nothing", async () => {
    const created = await posthog().dashboards.createTextTile(3, { body: "## Activation" });
    expect(last()).toMatchObject({
      method: "POST",
      path: `${project}/dashboards/3/create_text_tile/`,
      json: { body: "## Activation" },
    });
    expectTypeOf(created).toEqualTypeOf<DashboardTextTile>();
    expect(created.text.body).toBe("## Activation");
    await posthog().dashboards.updateTextTile(3, 12, { body: "## Weekly", color: null });
    expect(last()).toMatchObject({
      path: `${project}/dashboards/3/update_text_tile/`,
      json: { body: "## Weekly", color: null, tile_id: 12 },
    });
    await expect(posthog().dashboards.deleteTile(3, 12)).resolves.toBeUndefined();
    expect(last()).toMatchObject({
      method: "POST",
      path: `${project}/dashboards/3/delete_tile/`,
      json: { tile_id: 12 },
    });
  });

  it.each([
    ["a dashboard id", (p: ReturnType<typeof clientFor>) => p.dashboards.retrieve("../3")],
    ["a tile id", (p: ReturnType<typeof clientFor>) => p.dashboards.deleteTile(3, -1)],
    ["an action id", (p: ReturnType<typeof clientFor>) => p.actions.update("7/8", {})],
    ["a cohort id", (p: ReturnType<typeof clientFor>) => p.cohorts.retrieve(0)],
    ["a project id", (p: ReturnType<typeof clientFor>) => p.actions.list({}, { projectId: "1/2" })],
    ["a project id", (p: ReturnType<typeof clientFor>) => p.groupTypes.list({ projectId: 0 })],
    ["a project id", (p: ReturnType<typeof clientFor>) => p.dashboards.create({ name: "D" }, { projectId: "x" })],
    ["a text tile's id", (p: ReturnType<typeof clientFor>) => p.dashboards.updateTextTile(3, 1.5, {})],
  ])(
    "refuses %s that is not a positive integer before any request (a rejection, never a throw)",
    async (_what, call) => {
      const before = server.requests.length;
      let result: Promise<unknown> | undefined;
      expect(() => {
        result = call(posthog());
      }).not.toThrow();
      await expect(result).rejects.toBeInstanceOf(PostHogError);
      expect(server.requests.length).toBe(before);
    },
  );
});

describe("actions, cohorts and group types", () => {
  const posthog = () => clientFor(server.origin);

  it("actions: list resolves to every action of the unpaginated answer; the others name their operations", async () => {
    const actions = await posthog().actions.list({ include_reference_count: true });
    expect(last()).toMatchObject({
      method: "GET",
      path: `${project}/actions/`,
      query: { include_reference_count: "true" },
    });
    expectTypeOf(actions).toEqualTypeOf<Action[]>();
    expect(actions.map((a) => a.name)).toEqual(["Signed up"]);
    await posthog().actions.create({ name: "Signed up", steps: [{ event: "user signed up" }] });
    expect(last()).toMatchObject({ method: "POST", json: { name: "Signed up", steps: [{ event: "user signed up" }] } });
    expect((await posthog().actions.retrieve(42)).steps).toHaveLength(2);
    await posthog().actions.update(42, { description: "x" });
    expect(last()).toMatchObject({ method: "PATCH", path: `${project}/actions/42/`, json: { description: "x" } });
    await posthog().actions.delete(42);
    expect(last().json).toEqual({ deleted: true });
    await posthog().actions.restore(42);
    expect(last().json).toEqual({ deleted: false });
  });

  it("cohorts: list pages; the others name their operations", async () => {
    const page = await posthog().cohorts.list({ type: "static", search: "beta" });
    expect(last()).toMatchObject({ path: `${project}/cohorts/`, query: { type: "static", search: "beta" } });
    expect(page.results[0]?.is_static).toBe(true);
    expectTypeOf(posthog().cohorts.list()).toEqualTypeOf<PagePromise<Cohort>>();
    await posthog().cohorts.create({ name: "Beta testers", is_static: true });
    expect(last()).toMatchObject({ method: "POST", json: { name: "Beta testers", is_static: true } });
    expect((await posthog().cohorts.retrieve(5)).name).toBe("Power users");
    await posthog().cohorts.update(5, { name: "Power" });
    expect(last()).toMatchObject({ method: "PATCH", path: `${project}/cohorts/5/`, json: { name: "Power" } });
    await posthog().cohorts.delete(5);
    expect(last().json).toEqual({ deleted: true });
    await posthog().cohorts.restore(5);
    expect(last().json).toEqual({ deleted: false });
  });

  it("group types: GET .../groups_types/, a bare array", async () => {
    const types = await posthog().groupTypes.list();
    expect(last()).toMatchObject({ method: "GET", path: `${project}/groups_types/` });
    expectTypeOf(types).toEqualTypeOf<GroupType[]>();
    expect(types.map((t) => [t.group_type, t.group_type_index])).toEqual([
      ["company", 0],
      ["project", 1],
    ]);
  });
});

describe("the fast path", () => {
  // Promises made by one call (async_hooks): a count that does not depend on the machine's load.
  async function promisesOf(call: () => Promise<unknown>): Promise<number> {
    let promises = 0;
    const hook = createHook({
      init(_id, type) {
        promises += type === "PROMISE" ? 1 : 0;
      },
    }).enable();
    try {
      await call();
    } finally {
      hook.disable();
    }
    return promises;
  }

  /** The least count of a few runs: anything else the worker does meanwhile only adds. */
  async function fewest(call: () => Promise<unknown>): Promise<number> {
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      counts.push(await promisesOf(call));
    }
    return Math.min(...counts);
  }

  it("takes a call on a numeric id to its request as insights.retrieve does: not one promise more", async () => {
    const answer = JSON.stringify({ id: 3, name: "x", results: [] });
    const posthog = clientFor("https://us.posthog.com", {
      fetch: async () => new Response(answer, { headers: { "content-type": "application/json" } }),
    });
    const insight = await fewest(() => posthog.insights.retrieve(7));
    expect({
      "dashboards.retrieve": await fewest(() => posthog.dashboards.retrieve(3)),
      "dashboards.update": await fewest(() => posthog.dashboards.update(3, { name: "x" })),
      "actions.retrieve": await fewest(() => posthog.actions.retrieve(42)),
      "actions.update": await fewest(() => posthog.actions.update(42, { name: "x" })),
      "cohorts.retrieve": await fewest(() => posthog.cohorts.retrieve(5)),
      "cohorts.create": await fewest(() => posthog.cohorts.create({ name: "x" })),
      "insights.sharing.retrieve": await fewest(() => posthog.insights.sharing.retrieve(7)),
    }).toEqual({
      "dashboards.retrieve": insight,
      "dashboards.update": insight,
      "actions.retrieve": insight,
      "actions.update": insight,
      "cohorts.retrieve": insight,
      "cohorts.create": insight,
      "insights.sharing.retrieve": insight,
    });
  });
});
