// Per-attempt timeouts and the caller's signal, with real timers against loopback servers.
import { afterEach, describe, expect, it, vi } from "vitest";
import { APIConnectionError, APITimeoutError, APIUserAbortError } from "../../src/index.js";
import { clientFor } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { json, serverPool, type Handler } from "../support/server.js";

const insight = example("insight-trends");
const { serve, closeAll } = serverPool();
afterEach(closeAll);

const hang: Handler = () => undefined;

/** Tracks the timers armed through the global setTimeout (the client's), not Node's own. */
function trackTimers(): Set<unknown> {
  const pending = new Set<unknown>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  vi.spyOn(globalThis, "setTimeout").mockImplementation(((
    fn: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const handle = realSet(() => {
      pending.delete(handle);
      fn(...args);
    }, ms);
    pending.add(handle);
    return handle;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, "clearTimeout").mockImplementation(((handle: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(handle);
    realClear(handle);
  }) as typeof clearTimeout);
  return pending;
}

describe("timeouts", () => {
  it("an attempt past timeoutMs is an APITimeoutError", async () => {
    const server = await serve(hang);
    // The server never answers: only the timeout can end this call.
    const err = await clientFor(server.origin, { timeoutMs: 100, maxRetries: 0 })
      .insights.retrieve(7)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APITimeoutError);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect((err as Error).message).toBe("GET /api/projects/12345/insights/7/ timed out after 100 ms.");
  });

  it("covers the body too: a stalled body times out", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"id": 7,');
    });
    await expect(
      clientFor(server.origin, { maxRetries: 0 }).insights.retrieve(7, {}, { timeoutMs: 150 }),
    ).rejects.toBeInstanceOf(APITimeoutError);
  });

  it("a timed-out GET is retried, a timed-out create is not", async () => {
    const get = await serve((_req, res, n) => (n === 0 ? undefined : json(res, 200, insight)));
    await expect(
      clientFor(get.origin, { timeoutMs: 1_000, maxRetries: 1 }).insights.retrieve(7),
    ).resolves.toMatchObject({
      id: 7,
    });
    expect(get.requests).toHaveLength(2);
    const post = await serve(hang);
    // Counted as sent, not as received: a loaded server may not have read the request within 100 ms.
    let sent = 0;
    const counting = (input: string, init: RequestInit): Promise<Response> => {
      sent++;
      return fetch(input, init);
    };
    await expect(
      clientFor(post.origin, { timeoutMs: 100, maxRetries: 2, fetch: counting }).insights.create({ name: "x" }),
    ).rejects.toBeInstanceOf(APITimeoutError);
    expect(sent).toBe(1);
  });
});

describe("the caller's signal", () => {
  it("aborts at once with APIUserAbortError, without retries", async () => {
    const controller = new AbortController();
    // The server never answers; the caller gives up once the request has arrived, so only the abort ends the call.
    const server = await serve(() => void setTimeout(() => controller.abort(), 20));
    const call = clientFor(server.origin, { maxRetries: 2 }).insights.retrieve(7, {}, { signal: controller.signal });
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });

  it("aborts a backoff wait at once", async () => {
    const controller = new AbortController();
    // The server asks for 30 s, as long as the test timeout; the caller gives up during that wait:
    // only the abort ends it.
    const server = await serve((_req, res) => {
      json(res, 503, {}, { "retry-after": "30" });
      setTimeout(() => controller.abort(new Error("user changed their mind")), 50);
    });
    const call = clientFor(server.origin).insights.retrieve(7, {}, { signal: controller.signal });
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const server = await serve(hang);
    await expect(clientFor(server.origin).insights.list({}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      APIUserAbortError,
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe("no timer is left behind", () => {
  it("after successes, failures, retries and aborts", async () => {
    const pending = trackTimers();
    const ok = await serve((_req, res) => json(res, 200, insight));
    const flaky = await serve((_req, res, n) =>
      n === 0 ? json(res, 503, {}, { "retry-after": "0" }) : json(res, 200, insight),
    );
    const slow = await serve(hang);
    const posthog = clientFor(ok.origin);
    await posthog.insights.retrieve(7);
    await posthog.insights.retrieve(7, { format: "csv" }).catch(() => undefined);
    await clientFor(flaky.origin).insights.retrieve(7);
    await posthog.raw.GET("/api/projects/{project_id}/insights/{id}/", {
      params: { path: { project_id: "1", id: 7 } },
    });
    const controller = new AbortController();
    const aborted = clientFor(slow.origin)
      .insights.retrieve(7, {}, { signal: controller.signal })
      .catch(() => undefined);
    controller.abort();
    await aborted;
    await clientFor(slow.origin, { timeoutMs: 50, maxRetries: 0 })
      .insights.retrieve(7)
      .catch(() => undefined);
    vi.restoreAllMocks();
    expect(pending.size).toBe(0);
  });
});
