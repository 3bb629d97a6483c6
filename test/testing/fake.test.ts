// The fake PostHog's behaviour, through the real client and through raw fetch.
import { afterEach, describe, expect, it } from "vitest";
import { NotFoundError, PermissionDeniedError, RateLimitError } from "../../src/index.js";
import { createFakePostHog } from "../../src/testing/index.js";

const trends = {
  kind: "InsightVizNode" as const,
  source: {
    kind: "TrendsQuery" as const,
    series: [
      { kind: "EventsNode" as const, event: "$pageview" },
      { kind: "EventsNode" as const, event: "signed up" },
    ],
  },
};

const fake = createFakePostHog();
afterEach(() => fake.reset());

function raw(path: string, init: RequestInit = {}, key = fake.apiKey): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${key}`);
  if (init.body) {
    headers.set("content-type", "application/json");
  }
  return fake.fetch(`${fake.origin}/api/projects/${fake.projectId}${path}`, { ...init, headers });
}

describe("createFakePostHog", () => {
  it("assigns an id and an 8-character short id on create, answering 201", async () => {
    const response = await raw("/insights/", { method: "POST", body: JSON.stringify({ name: "A" }) });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: number; short_id: string };
    expect(body.id).toBe(1);
    expect(body.short_id).toMatch(/^[A-Za-z0-9]{8}$/);
  });

  it("remembers what was created: the next list has it", async () => {
    const posthog = fake.client();
    const created = await posthog.insights.create({ name: "Signups", query: trends });
    const page = await posthog.insights.list();
    expect(page.results.map((i) => i.id)).toEqual([created.id]);
    expect(fake.insights[0]).toMatchObject({ name: "Signups", query: trends });
  });

  it.each([
    ["a bare insight node", { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview" }] }],
    ["a bare SQL node", { kind: "HogQLQuery", query: "select 1" }],
    ["a persons table", { kind: "DataTableNode", source: { kind: "PersonsNode", search: "@example.com" } }],
    ["a web stats insight", { kind: "InsightVizNode", source: { kind: "WebStatsTableQuery", breakdownBy: "Page" } }],
    [
      "a series group",
      {
        kind: "InsightVizNode",
        source: {
          kind: "TrendsQuery",
          series: [{ kind: "GroupNode", operator: "OR", nodes: [{ kind: "EventsNode", event: "$pageview" }] }],
        },
      },
    ],
  ])("accepts %s, as PostHog's whole query union does", async (_, query) => {
    const response = await raw("/insights/", { method: "POST", body: JSON.stringify({ query }) });
    expect(response.status).toBe(201);
  });

  it("refuses a node kind PostHog does not have, and a bare node missing what it needs", async () => {
    const unknown = await raw("/insights/", {
      method: "POST",
      body: JSON.stringify({ query: { kind: "TrendsNode" } }),
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: "parse_error" });
    const bare = await raw("/insights/", {
      method: "POST",
      body: JSON.stringify({ query: { kind: "RetentionQuery" } }),
    });
    expect(bare.status).toBe(400);
    expect(JSON.stringify(await bare.json())).toContain("retentionFilter: Field required");
  });

  it("patches only the given fields", async () => {
    const posthog = fake.client();
    const created = await posthog.insights.create({ name: "A", description: "keep" });
    const updated = await posthog.insights.update(created.id, { name: "B" });
    expect(updated).toMatchObject({ name: "B", description: "keep" });
  });

  it("soft-deletes: gone from retrieve and lists, still in fake.insights", async () => {
    const posthog = fake.client();
    const created = await posthog.insights.create({ name: "A" });
    await posthog.insights.delete(created.id);
    await expect(posthog.insights.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await posthog.insights.list()).count).toBe(0);
    expect(fake.insights[0]?.deleted).toBe(true);
  });

  it("answers a real DELETE with 405 and no body", async () => {
    const response = await raw("/insights/1/", { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(await response.text()).toBe("");
  });

  it("finds an insight by its short id in the path", async () => {
    const created = await fake.client().insights.create({ name: "A" });
    const response = await raw(`/insights/${created.short_id}/`);
    expect(((await response.json()) as { id: number }).id).toBe(created.id);
  });

  it("pages with absolute next links on its own origin", async () => {
    const posthog = fake.client();
    for (let i = 0; i < 5; i++) {
      await posthog.insights.create({ name: `I${i}` });
    }
    const page = await posthog.insights.list({ limit: 2 });
    expect(page.next).toBe(`${fake.origin}/api/projects/1/insights/?limit=2&offset=2`);
    const names: (string | null)[] = [];
    for await (const insight of posthog.insights.list({ limit: 2 })) {
      names.push(insight.name);
    }
    expect(names).toEqual(["I0", "I1", "I2", "I3", "I4"]);
  });

  it("records every request with its status", async () => {
    await fake.client().insights.create({ name: "A" });
    expect(fake.requests).toEqual([
      { method: "POST", path: "/api/projects/1/insights/", query: {}, body: { name: "A" }, status: 201 },
    ]);
  });

  it("injects a failure with fail(), then serves normally", async () => {
    fake.fail({ method: "POST", path: "/insights/", status: 429 });
    const posthog = fake.client({ maxRetries: 0 });
    await expect(posthog.insights.create({ name: "A" })).rejects.toBeInstanceOf(RateLimitError);
    await expect(posthog.insights.create({ name: "A" })).resolves.toMatchObject({ id: 1 });
  });

  it("refuses a key without the scope, as PostHog words it", async () => {
    const scoped = createFakePostHog({ scopes: ["insight:read"] });
    await expect(scoped.client().insights.create({ name: "A" })).rejects.toMatchObject({
      status: 403,
      detail: "API key missing required scope 'insight:write'",
    });
    await expect(scoped.client().insights.create({})).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it("lists the insights viewed lately through the client's trending()", async () => {
    const posthog = fake.client();
    const a = await posthog.insights.create({ name: "A" });
    const trending = await posthog.insights.trending({ days: 7 });
    expect(trending.map((i) => [i.id, i.view_count])).toEqual([[a.id, 1]]);
  });

  it("computes through async refresh and /query/ polling", async () => {
    const posthog = fake.client();
    const created = await posthog.insights.create({ name: "A", query: trends });
    const computed = await posthog.insights.compute(created.id, { pollIntervalMs: 1 });
    expect(computed.result).toHaveLength(2);
  });
});

describe("the client's short ids and markViewed", () => {
  it.each(["current", "legacy"] as const)("work against a %s host", async (api) => {
    const fake = createFakePostHog({ api });
    const posthog = fake.client();
    const created = await posthog.insights.create({ name: "A", query: trends });
    await expect(posthog.insights.retrieve(created.short_id)).resolves.toMatchObject({ id: created.id });
    await posthog.insights.markViewed([created.id, created.short_id]);
    expect((await posthog.insights.lastViewed()).map((i) => i.id)).toEqual([created.id]);
    const viewed = fake.requests.filter((r) => r.path.endsWith("/viewed/")).map((r) => r.path.split("/insights/")[1]);
    expect(viewed).toEqual(
      api === "current" ? ["viewed/"] : ["viewed/", `${created.id}/viewed/`, `${created.id}/viewed/`],
    );
  });
});

describe("@current and the project", () => {
  it("answers the client's @current (sent as %40current) like its own number, and says which number it is", async () => {
    const fake = createFakePostHog({ projectId: 42 });
    const current = fake.client({ projectId: "@current" });
    const created = await current.insights.create({ name: "A", query: trends });
    expect(fake.requests.at(-1)?.path).toBe("/api/projects/%40current/insights/");
    await expect(current.insights.retrieve(created.id)).resolves.toMatchObject({ name: "A" });
    const { data } = await current.raw.GET("/api/projects/{project_id}/", {
      params: { path: { project_id: "@current" } },
    });
    expect(data?.id).toBe(42);
    await expect(fake.client({ projectId: 41 }).insights.list()).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses the project read to a key without project:read, as PostHog words it", async () => {
    const fake = createFakePostHog({ scopes: ["insight:read"] });
    const { response, error } = await fake
      .client()
      .raw.GET("/api/projects/{project_id}/", { params: { path: { project_id: "@current" } } });
    expect(response.status).toBe(403);
    expect(error).toMatchObject({ detail: "API key missing required scope 'project:read'" });
  });
});

describe("intercept", () => {
  it("runs its work before the fake answers the matching request, once, and never on the requests that work makes", async () => {
    const fake = createFakePostHog();
    const posthog = fake.client();
    const created = await posthog.insights.create({ name: "A", query: trends });
    fake.intercept({
      method: "PATCH",
      path: `/insights/${created.id}/`,
      run: () => posthog.insights.update(created.id, { description: "edited in the UI" }),
    });
    const updated = await posthog.insights.update(created.id, { name: "B" });
    // The UI's edit landed first; the PATCH under test merged over it.
    expect(updated).toMatchObject({ name: "B", description: "edited in the UI" });
    expect(fake.requests.slice(-2).map((r) => (r.body as { name?: string }).name ?? "ui")).toEqual(["B", "ui"]);
    await posthog.insights.update(created.id, { name: "C" });
    expect(fake.requests).toHaveLength(4);
    expect(() => fake.intercept({ run: () => {}, times: 0 })).toThrow(TypeError);
  });
});
