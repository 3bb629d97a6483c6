// Today's PostHog: the id in an insight's URL (a short id) is taken wherever an id is, and
// markViewed sends the bulk viewed route, falling back to the per-insight one on older hosts.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { NotFoundError, PostHogError } from "../../src/index.js";
import { clientFor } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { type Handler, json, serverPool, text } from "../support/server.js";

const { serve, closeAll } = serverPool();
afterEach(closeAll);

const BASE = "/api/projects/12345/insights";
const notFound = { type: "invalid_request", code: "not_found", detail: "Not found.", attr: null };

/** A host that knows one insight, id 42 with short id AaVQ8Ijw, and has the routes `viewed` says. */
function host(viewed: "bulk" | "per-insight"): Handler {
  return (req, res) => {
    if (req.path === `${BASE}/` && req.method === "GET") {
      const found = req.query.short_id === "AaVQ8Ijw";
      const results = found ? [{ ...example<object[]>("insight-basic-list")[0], id: 42, short_id: "AaVQ8Ijw" }] : [];
      return json(res, 200, { count: results.length, next: null, previous: null, results });
    }
    if (req.path === `${BASE}/viewed/` && viewed === "bulk") {
      return text(res, 201, "");
    }
    if (/\/insights\/\d+\/viewed\/$/.test(req.path) && viewed === "per-insight") {
      return text(res, 201, "");
    }
    if (/\/insights\/\d+\/(sharing\/)?$/.test(req.path)) {
      return json(
        res,
        200,
        req.path.endsWith("/sharing/") ? example("sharing-never-shared") : example("insight-trends"),
      );
    }
    return json(res, 404, notFound);
  };
}

const calls = (server: { requests: { method: string; url: string }[] }): string[] =>
  server.requests.map((r) => `${r.method} ${r.url}`);

describe("short ids", () => {
  it("are resolved with one list call by short_id, then the numeric route is used", async () => {
    const server = await serve(host("bulk"));
    const posthog = clientFor(server.origin);
    await expect(posthog.insights.retrieve("AaVQ8Ijw")).resolves.toMatchObject({ id: expect.any(Number) });
    expect(calls(server)).toEqual([`GET ${BASE}/?short_id=AaVQ8Ijw&basic=true&limit=1`, `GET ${BASE}/42/`]);
  });

  it("are remembered per client: the next calls, sharing included, go straight to the numeric id", async () => {
    const server = await serve(host("bulk"));
    const posthog = clientFor(server.origin);
    await posthog.insights.retrieve("AaVQ8Ijw");
    await posthog.insights.update("AaVQ8Ijw", { name: "x" });
    await posthog.insights.sharing.retrieve("AaVQ8Ijw");
    expect(calls(server).filter((c) => c.includes("short_id"))).toHaveLength(1);
    expect(calls(server).slice(1)).toEqual([`GET ${BASE}/42/`, `PATCH ${BASE}/42/`, `GET ${BASE}/42/sharing/`]);
  });

  it("looked up at the same time share one request", async () => {
    const server = await serve(host("bulk"));
    const posthog = clientFor(server.origin);
    await Promise.all([posthog.insights.retrieve("AaVQ8Ijw"), posthog.insights.retrieve("AaVQ8Ijw")]);
    expect(calls(server).filter((c) => c.includes("short_id"))).toHaveLength(1);
  });

  it("that match nothing reject with a NotFoundError naming the short id, and are asked again next time", async () => {
    const server = await serve(host("bulk"));
    const posthog = clientFor(server.origin);
    const err = await posthog.insights.delete("ZzZz9999").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toContain('"ZzZz9999"');
    await expect(posthog.insights.retrieve("ZzZz9999")).rejects.toBeInstanceOf(NotFoundError);
    expect(calls(server)).toEqual([
      `GET ${BASE}/?short_id=ZzZz9999&basic=true&limit=1`,
      `GET ${BASE}/?short_id=ZzZz9999&basic=true&limit=1`,
    ]);
  });

  it("looked up on a host that answers without a results array reject with a PostHogError saying so", async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const err = await clientFor(server.origin)
      .insights.retrieve("AaVQ8Ijw")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostHogError);
    expect((err as Error).message).toBe(`The listing at ${BASE}/ answered without a results array.`);
  });

  it("are told apart from ids: digits are an id, 8 to 12 letters and digits with a letter are a short id", async () => {
    const server = await serve(host("bulk"));
    const posthog = clientFor(server.origin);
    await posthog.insights.retrieve("12345678");
    expect(calls(server)).toEqual([`GET ${BASE}/12345678/`]);
    for (const bad of ["AaVQ8Ij", "AaVQ8IjwAaVQ8", "AaVQ-8Ijw", "../AaVQ8Ijw", "%2e%2eAaVQ8Ijw", "AaVQ8Ijw/"]) {
      await expect(posthog.insights.retrieve(bad), bad).rejects.toBeInstanceOf(PostHogError);
    }
    // A number is an id or nothing: Infinity reads "Infinity", 8 letters, but is no short id.
    for (const bad of [Number.POSITIVE_INFINITY, 1.5, 0, -3, 2 ** 53]) {
      await expect(posthog.insights.retrieve(bad), String(bad)).rejects.toBeInstanceOf(PostHogError);
    }
    expect(server.requests).toHaveLength(1);
  });

  it("whatever the string, is either refused before any request or sent as one safe value", async () => {
    const server = await serve(host("bulk"));
    const posthog = clientFor(server.origin, { maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 16 }), async (id) => {
        const before = server.requests.length;
        const outcome = await posthog.insights.retrieve(id).then(
          () => "ok",
          (e: unknown) => e,
        );
        const sent = server.requests.slice(before);
        if (sent.length === 0) {
          expect(outcome).toBeInstanceOf(PostHogError);
          return;
        }
        // Sent: the id was digits (one call) or a short id (a lookup by short_id, as a query value).
        const first = sent[0]?.url ?? "";
        expect(first === `${BASE}/${id}/` || first.startsWith(`${BASE}/?short_id=${id}&`)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe("markViewed", () => {
  it("sends every id in one bulk call, short ids resolved, and nothing for an empty list", async () => {
    const server = await serve(host("bulk"));
    const posthog = clientFor(server.origin);
    await posthog.insights.markViewed([]);
    expect(server.requests).toHaveLength(0);
    await expect(posthog.insights.markViewed([7, "8", "AaVQ8Ijw"])).resolves.toBeUndefined();
    const bulk = server.requests.filter((r) => r.path === `${BASE}/viewed/`);
    expect(bulk.map((r) => r.json)).toEqual([{ insight_ids: [7, 8, 42] }]);
  });

  it("splits more than 2,500 ids into calls of at most 2,500", async () => {
    const server = await serve(host("bulk"));
    const ids = Array.from({ length: 2_600 }, (_, i) => i + 1);
    await clientFor(server.origin).insights.markViewed(ids);
    const sizes = server.requests.map((r) => (r.json as { insight_ids: number[] }).insight_ids.length);
    expect(sizes).toEqual([2_500, 100]);
  });

  it("falls back to the per-insight route on a host without the bulk one, and remembers it", async () => {
    const server = await serve(host("per-insight"));
    const posthog = clientFor(server.origin);
    await posthog.insights.markViewed([7, 8]);
    await posthog.insights.markViewed(9);
    expect(calls(server)).toEqual([
      `POST ${BASE}/viewed/`,
      `POST ${BASE}/7/viewed/`,
      `POST ${BASE}/8/viewed/`,
      `POST ${BASE}/9/viewed/`,
    ]);
  });

  it("falls back on 405 too", async () => {
    const server = await serve((req, res) =>
      req.path === `${BASE}/viewed/` ? json(res, 405, { detail: 'Method "POST" not allowed.' }) : text(res, 201, ""),
    );
    await clientFor(server.origin).insights.markViewed(7);
    expect(calls(server)).toEqual([`POST ${BASE}/viewed/`, `POST ${BASE}/7/viewed/`]);
  });

  it("once the bulk route has worked, a 404 from it is the caller's error, not a reason to fall back", async () => {
    let bulkGone = false;
    const server = await serve((req, res) =>
      bulkGone ? json(res, 404, notFound) : text(res, 201, req.path === `${BASE}/viewed/` ? "" : "unexpected"),
    );
    const posthog = clientFor(server.origin);
    await posthog.insights.markViewed(7);
    bulkGone = true;
    await expect(posthog.insights.markViewed(7)).rejects.toBeInstanceOf(NotFoundError);
    expect(calls(server)).toEqual([`POST ${BASE}/viewed/`, `POST ${BASE}/viewed/`]);
  });

  it("does not pin the per-insight route when it fails too (a wrong project answers 404 to both)", async () => {
    const server = await serve((_req, res) => json(res, 404, notFound));
    const posthog = clientFor(server.origin);
    await expect(posthog.insights.markViewed(7)).rejects.toBeInstanceOf(NotFoundError);
    await expect(posthog.insights.markViewed(7)).rejects.toBeInstanceOf(NotFoundError);
    expect(calls(server)).toEqual([
      `POST ${BASE}/viewed/`,
      `POST ${BASE}/7/viewed/`,
      `POST ${BASE}/viewed/`,
      `POST ${BASE}/7/viewed/`,
    ]);
  });
});
