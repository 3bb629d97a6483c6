import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PostHogError } from "../../src/index.js";
import { clientFor } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { json, startServer, type TestServer } from "../support/server.js";

const insight = example<Record<string, unknown>>("insight-trends");
let server: TestServer;
let elsewhere: TestServer;

/** 3 pages of 2 insights, linked by absolute `next` URLs as DRF writes them. */
function insightsPage(origin: string, offset: number, limit: number, nextOrigin = origin) {
  const total = 6;
  const results = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({
    ...insight,
    id: offset + i + 1,
  }));
  const next =
    offset + limit < total
      ? `${nextOrigin}/api/projects/12345/insights/?limit=${limit}&offset=${offset + limit}&order=name`
      : null;
  const previous =
    offset > 0 ? `${origin}/api/projects/12345/insights/?limit=${limit}&offset=${Math.max(0, offset - limit)}` : null;
  return { count: total, next, previous, results };
}

// A fresh pair of servers per test: no request count carries over from another test.
beforeEach(async () => {
  elsewhere = await startServer((_req, res) => json(res, 200, { count: 0, next: null, previous: null, results: [] }));
  server = await startServer((req, res) => {
    const offset = Number(req.query.offset ?? 0);
    const limit = Number(req.query.limit ?? 100);
    if (req.path === "/api/projects/12345/insights/") {
      if (req.query.search === "evil") {
        return json(res, 200, insightsPage(server.origin, offset, limit, elsewhere.origin));
      }
      if (req.query.search === "otherpath") {
        return json(res, 200, {
          ...insightsPage(server.origin, offset, limit),
          next: `${server.origin}/api/projects/12345/dashboards/?offset=2`,
        });
      }
      return json(res, 200, insightsPage(server.origin, offset, limit));
    }
    if (req.path === "/api/projects/12345/insights/activity/") {
      const page = Number(req.query.page ?? 1);
      const size = Number(req.query.limit ?? 10);
      const total = 5;
      const entries = example<{ results: unknown[] }>("activity-page").results;
      const results = Array.from({ length: Math.max(0, Math.min(size, total - (page - 1) * size)) }, (_, i) => ({
        ...(entries[0] as object),
        item_id: String((page - 1) * size + i + 1),
      }));
      const next =
        page * size < total
          ? `${server.origin}/api/projects/12345/insights/activity/?page=${page + 1}&limit=${size}`
          : null;
      return json(res, 200, { results, next, previous: null, total_count: total });
    }
    return json(res, 404, { type: "invalid_request", code: "not_found", detail: "Not found.", attr: null });
  });
});
afterEach(async () => {
  await server.close();
  await elsewhere.close();
});

describe("insight pagination", () => {
  it("iterates three pages by following next, keeping the query it carries", async () => {
    const ids: number[] = [];
    for await (const item of clientFor(server.origin).insights.list({ limit: 2 })) {
      ids.push(item.id);
    }
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(server.requests.map((r) => r.query)).toEqual([
      { limit: "2" },
      { limit: "2", offset: "2", order: "name" },
      { limit: "2", offset: "4", order: "name" },
    ]);
  });

  it("is lazy: breaking after the first item fetches one page only", async () => {
    const pages = clientFor(server.origin).insights.list({ limit: 2 });
    expect(server.requests).toHaveLength(0);
    for await (const item of pages) {
      expect(item.id).toBe(1);
      break;
    }
    expect(server.requests).toHaveLength(1);
  });

  it("await gives the first page, with getNextPage and hasNextPage", async () => {
    const first = await clientFor(server.origin).insights.list({ limit: 4 });
    expect(first.count).toBe(6);
    expect(first.results).toHaveLength(4);
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.results.map((i) => i.id)).toEqual([5, 6]);
    expect(second.hasNextPage()).toBe(false);
    await expect(second.getNextPage()).rejects.toBeInstanceOf(PostHogError);
  });

  it("toArray({ maxItems }) stops early and fetches no further page", async () => {
    const items = await clientFor(server.origin).insights.list({ limit: 2 }).toArray({ maxItems: 3 });
    expect(items.map((i) => i.id)).toEqual([1, 2, 3]);
    expect(server.requests).toHaveLength(2);
  });

  it("toArray() collects every page", async () => {
    expect(await clientFor(server.origin).insights.list({ limit: 2 }).toArray()).toHaveLength(6);
  });

  it("toArray({ maxItems: 0 }) is empty", async () => {
    expect(await clientFor(server.origin).insights.list().toArray({ maxItems: 0 })).toEqual([]);
  });

  it("toArray refuses a negative maxItems", async () => {
    await expect(clientFor(server.origin).insights.list().toArray({ maxItems: -1 })).rejects.toBeInstanceOf(
      PostHogError,
    );
  });

  it("a page without a results array is a PostHogError, whether awaited or iterated", async () => {
    const odd = await startServer((_req, res) => json(res, 200, { count: 3, next: null, previous: null }));
    try {
      const posthog = clientFor(odd.origin);
      const message = "The listing at /api/projects/12345/insights/ answered without a results array.";
      await expect(posthog.insights.list()).rejects.toThrow(message);
      await expect(posthog.insights.list().toArray()).rejects.toBeInstanceOf(PostHogError);
    } finally {
      await odd.close();
    }
  });

  it("a next on another origin stops with PostHogError, and that origin receives nothing", async () => {
    const pages = clientFor(server.origin).insights.list({ limit: 2, search: "evil" });
    const seen: number[] = [];
    const error = await (async () => {
      for await (const item of pages) {
        seen.push(item.id);
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual([1, 2]);
    expect(error).toBeInstanceOf(PostHogError);
    expect((error as Error).message).toMatch(/Refusing to follow/);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("a next on another path of the same origin is refused too", async () => {
    const first = await clientFor(server.origin).insights.list({ limit: 2, search: "otherpath" });
    await expect(first.getNextPage()).rejects.toThrow(/Refusing to follow/);
    expect(server.requests).toHaveLength(1);
  });
});

describe("activity pagination", () => {
  it("pages by page/limit with total_count", async () => {
    const first = await clientFor(server.origin).insights.allActivity({ limit: 2 });
    expect(first.total_count).toBe(5);
    const all = await clientFor(server.origin).insights.allActivity({ limit: 2 }).toArray();
    expect(all.map((e) => e.item_id)).toEqual(["1", "2", "3", "4", "5"]);
    expect(server.requests.slice(1).map((r) => r.query)).toEqual([
      { limit: "2" },
      { page: "2", limit: "2" },
      { page: "3", limit: "2" },
    ]);
  });

  it("rejects a bad insight id lazily, without a request", async () => {
    const pages = clientFor(server.origin).insights.activity("../7");
    await expect(pages).rejects.toBeInstanceOf(PostHogError);
    await expect(pages.catch(() => "caught")).resolves.toBe("caught");
    await expect(pages.finally(() => undefined)).rejects.toBeInstanceOf(PostHogError);
    expect(server.requests).toHaveLength(0);
  });
});
