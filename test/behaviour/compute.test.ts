import { afterEach, describe, expect, it, vi } from "vitest";
import { APITimeoutError, APIUserAbortError, NotFoundError, PostHogError, QueryError } from "../../src/index.js";
import { clientFor } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { json, serverPool, text, type Handler, type TestServer } from "../support/server.js";
import { expectWaits, until } from "../support/wait.js";

const pending = example("insight-trends-async");
const computed = example("insight-trends-computed");
const running = example("query-status-running");
const complete = example("query-status-complete");
const failed = example("query-status-failed");
const QUERY_PATH = "/api/projects/12345/query/cache_7f3c1e0b2a9d4c8e6f5a1b2c3d4e5f60/";

const pool = serverPool();
function serve(polls: (res: Parameters<Handler>[1], n: number) => void, first: unknown = pending): Promise<TestServer> {
  let poll = 0;
  return pool.serve((req, res) => {
    if (req.path === QUERY_PATH && req.method === "DELETE") {
      return json(res, 200, example("query-cancelled"));
    }
    if (req.path === QUERY_PATH) {
      return polls(res, poll++);
    }
    if (req.query.refresh === "force_cache") {
      return json(res, 200, computed);
    }
    return json(res, 200, first);
  });
}
afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await pool.closeAll();
});

const steps = (s: TestServer) =>
  s.requests.map((r) => `${r.method} ${r.path}${r.query.refresh ? `?refresh=${r.query.refresh}` : ""}`);

describe("compute", () => {
  it("with a kind, resolves to the insight when its query is of that kind", async () => {
    const server = await serve(() => undefined, computed);
    const insight = await clientFor(server.origin).insights.compute(7, { kind: "TrendsQuery" });
    expect(insight.result).toEqual(computed.result);
  });

  it("with a kind, rejects with a PostHogError when the query is of another kind", async () => {
    const server = await serve(() => undefined, computed);
    await expect(clientFor(server.origin).insights.compute(7, { kind: "FunnelsQuery" })).rejects.toThrow(
      /TrendsQuery query, not FunnelsQuery/,
    );
  });

  it("starts an async refresh, polls through 202, 202, 200, then returns the insight with its result", async () => {
    const server = await serve((res, n) => json(res, n < 2 ? 202 : 200, n < 2 ? running : complete));
    const insight = await clientFor(server.origin).insights.compute(7, { pollIntervalMs: 5 });
    expect(insight.result).toEqual(computed.result);
    expect(steps(server)).toEqual([
      "GET /api/projects/12345/insights/7/?refresh=async",
      `GET ${QUERY_PATH}`,
      `GET ${QUERY_PATH}`,
      `GET ${QUERY_PATH}`,
      "GET /api/projects/12345/insights/7/?refresh=force_cache",
    ]);
  });

  it("polls at a growing interval", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const server = await serve((res, n) => json(res, n < 3 ? 202 : 200, n < 3 ? running : complete));
    const result = expectWaits(server, () => clientFor(server.origin).insights.compute(7), [500, 750, 1125, 1687.5]);
    await expect(result).resolves.toMatchObject({ id: 7 });
  });

  it("returns at once when the first answer already has a fresh result", async () => {
    const server = await serve(() => undefined, computed);
    const insight = await clientFor(server.origin).insights.compute(7, { refresh: "lazy_async" });
    expect(insight.result).not.toBeNull();
    expect(steps(server)).toEqual(["GET /api/projects/12345/insights/7/?refresh=lazy_async"]);
  });

  it("a failed calculation is a QueryError with PostHog's message", async () => {
    const server = await serve((res) => json(res, 400, failed));
    const err = await clientFor(server.origin)
      .insights.compute(7, { pollIntervalMs: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryError);
    expect(err).toMatchObject({
      queryId: "cache_7f3c1e0b2a9d4c8e6f5a1b2c3d4e5f60",
      errorMessage: "Unable to resolve field: propertiez",
    });
    expect((err as Error).message).toContain("Unable to resolve field: propertiez");
  });

  it("a 200 carrying error: true, or a 500, is a QueryError too", async () => {
    const limited = {
      query_status: { ...(complete.query_status as object), error: true, error_message: "concurrency_limit_exceeded" },
    };
    const s1 = await serve((res) => json(res, 200, limited));
    await expect(clientFor(s1.origin).insights.compute(7, { pollIntervalMs: 5 })).rejects.toMatchObject({
      errorMessage: "concurrency_limit_exceeded",
    });
    const s2 = await serve((res) => text(res, 500, ""));
    const err = await clientFor(s2.origin, { maxRetries: 0 })
      .insights.compute(7, { pollIntervalMs: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryError);
    expect((err as QueryError).errorMessage).toBeUndefined();
    const s3 = await serve(() => undefined, {
      ...pending,
      query_status: { ...(pending.query_status as object), error: true, complete: true, error_message: "boom" },
    });
    await expect(clientFor(s3.origin).insights.compute(7)).rejects.toMatchObject({
      name: "QueryError",
      errorMessage: "boom",
    });
  });

  it("an expired status (404) is a NotFoundError", async () => {
    const server = await serve((res) => json(res, 404, example("error-not-found")));
    await expect(clientFor(server.origin).insights.compute(7, { pollIntervalMs: 5 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("on abort, cancels the calculation on the server first, then rejects with APIUserAbortError", async () => {
    const server = await serve((res) => json(res, 202, running));
    const controller = new AbortController();
    const result = clientFor(server.origin).insights.compute(7, { pollIntervalMs: 5, signal: controller.signal });
    await until(() => server.requests.length >= 3, "a few polls");
    controller.abort();
    await expect(result).rejects.toBeInstanceOf(APIUserAbortError);
    expect(steps(server).at(-1)).toBe(`DELETE ${QUERY_PATH}`);
  });

  it("past its deadline, cancels the calculation first, then rejects with APITimeoutError", async () => {
    const server = await serve((res) => json(res, 202, running));
    const err = await clientFor(server.origin)
      .insights.compute(7, { pollIntervalMs: 5, timeoutMs: 1_500 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APITimeoutError);
    expect((err as Error).message).toMatch(/did not finish within 1500 ms/);
    expect(steps(server).at(-1)).toBe(`DELETE ${QUERY_PATH}`);
  });

  it("an abort before the calculation is known sends no cancel", async () => {
    const server = await serve(() => undefined);
    await expect(clientFor(server.origin).insights.compute(7, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      APIUserAbortError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("refuses refresh modes that do not calculate asynchronously, and bad ids, before any request", async () => {
    const server = await serve(() => undefined);
    const posthog = clientFor(server.origin);
    await expect(posthog.insights.compute(7, { refresh: "blocking" as "async" })).rejects.toBeInstanceOf(PostHogError);
    await expect(posthog.insights.compute("7/../8")).rejects.toBeInstanceOf(PostHogError);
    await expect(posthog.insights.compute(7, { timeoutMs: 0 })).rejects.toThrow(/Invalid compute\(\) options/);
    expect(server.requests).toHaveLength(0);
  });
});
