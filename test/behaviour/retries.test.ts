// Retries and their real waits, checked with fake timers against loopback servers.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { APIConnectionError, APIError, InternalServerError, RateLimitError } from "../../src/index.js";
import { backoffMs } from "../../src/retry.js";
import { clientFor } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { json, serverPool, text } from "../support/server.js";
import { armed, expectWaits, settle } from "../support/wait.js";

const insight = example("insight-trends");
const created = example("insight-created");
const { serve, closeAll } = serverPool();

beforeEach(() => {
  // The pacer runs on performance.now(): faked with the timers.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
});
afterEach(async () => {
  // Spies first: restoring a setTimeout spy after useRealTimers would put the fake back.
  vi.restoreAllMocks();
  vi.useRealTimers();
  await closeAll();
});

describe("waits", () => {
  it("honours Retry-After in seconds", async () => {
    const server = await serve((_req, res, n) =>
      n === 0 ? json(res, 503, {}, { "retry-after": "3" }) : json(res, 200, insight),
    );
    const got = await expectWaits(server, () => clientFor(server.origin).insights.retrieve(7), [3000]);
    expect(got.id).toBe(7);
  });

  it("honours Retry-After as an HTTP date", async () => {
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const at = new Date("2026-01-01T00:00:07Z").toUTCString();
    const server = await serve((_req, res, n) =>
      n === 0 ? json(res, 429, example("error-throttled"), { "retry-after": at }) : json(res, 200, insight),
    );
    await expectWaits(server, () => clientFor(server.origin).insights.retrieve(7), [7000]);
  });

  it("reads PostHog's 'Expected available in N seconds' on a 429 without the header", async () => {
    const server = await serve((_req, res, n) =>
      n === 0 ? json(res, 429, example("error-throttled")) : json(res, 200, insight),
    );
    await expectWaits(server, () => clientFor(server.origin).insights.retrieve(7), [12_000]);
  });

  it("fails at once, with retryAfterMs, when told to wait more than 60 s", async () => {
    const server = await serve((_req, res) =>
      json(res, 429, {
        type: "throttled_error",
        code: "throttled",
        detail: "Request was throttled. Expected available in 3599 seconds.",
        attr: null,
      }),
    );
    const err = await clientFor(server.origin)
      .insights.retrieve(7)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBe(3_599_000);
    expect((err as RateLimitError).detail).toMatch(/3599 seconds/);
    expect(server.requests).toHaveLength(1);
  });

  it("backs off exponentially, the jitter within its bounds", async () => {
    const server = await serve((_req, res, n) => (n < 2 ? json(res, 502, {}) : json(res, 200, insight)));
    vi.spyOn(Math, "random").mockReturnValue(0);
    await expectWaits(server, () => clientFor(server.origin).insights.retrieve(7), [500, 1000]);
    const worst = await serve((_req, res, n) => (n < 2 ? text(res, 500, "") : json(res, 200, insight)));
    vi.spyOn(Math, "random").mockReturnValue(0.999_999);
    await expectWaits(worst, () => clientFor(worst.origin).insights.retrieve(7), [
      Math.ceil(500 * 0.75),
      Math.ceil(1000 * 0.75),
    ]);
  });

  it("gives up after maxRetries with the last error", async () => {
    const server = await serve((_req, res) =>
      json(res, 503, { type: "server_error", code: "error", detail: "A server error occurred.", attr: null }),
    );
    vi.spyOn(Math, "random").mockReturnValue(0);
    const err = await expectWaits(
      server,
      () =>
        clientFor(server.origin, { maxRetries: 2 })
          .insights.retrieve(7)
          .catch((e: unknown) => e),
      [500, 1000],
    );
    expect(err).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(3);
  });
});

describe("what is not retried", () => {
  it.each([400, 401, 403, 404])("%i is answered at once", async (status) => {
    const server = await serve((_req, res) => json(res, status, example("error-not-found")));
    const err = await clientFor(server.origin)
      .insights.retrieve(7)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(server.requests).toHaveLength(1);
  });

  it("a per-call maxRetries of 0 turns retries off", async () => {
    const server = await serve((_req, res) => json(res, 503, {}));
    await expect(clientFor(server.origin).insights.retrieve(7, {}, { maxRetries: 0 })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe("creates are never sent twice unless they provably did not arrive", () => {
  it("a create whose answer was lost is not repeated (the server counts one)", async () => {
    const server = await serve((req, res) => {
      if (req.method === "POST") {
        res.socket?.destroy();
      }
    });
    const err = await clientFor(server.origin)
      .insights.create({ name: "x" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    await settle(50);
    expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("a create answered 500 is not repeated", async () => {
    const server = await serve((_req, res) => json(res, 500, {}));
    await expect(clientFor(server.origin).insights.create({ name: "x" })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  it("a create throttled with 429 is retried", async () => {
    const server = await serve((_req, res, n) =>
      n === 0 ? json(res, 429, example("error-throttled"), { "retry-after": "1" }) : json(res, 201, created),
    );
    const got = await expectWaits(server, () => clientFor(server.origin).insights.create({ name: "x" }), [1000]);
    expect(got.id).toBe(8);
  });

  it("a create refused at connect is retried once the server is up", async () => {
    // Find a free port, leave it closed for the first attempt, listen during the backoff.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    vi.spyOn(Math, "random").mockReturnValue(0);
    const timers = vi.spyOn(globalThis, "setTimeout");
    const posthog = clientFor(`http://127.0.0.1:${port}`);
    const result = posthog.insights.create({ name: "x" });
    await armed(timers, 0, 500); // the connection was refused and the backoff armed
    const received: string[] = [];
    const late = createServer((req, res) => {
      received.push(req.method ?? "");
      req.resume();
      req.on("end", () => json(res, 201, created));
    });
    await new Promise<void>((r) => late.listen(port, "127.0.0.1", r));
    try {
      await vi.advanceTimersByTimeAsync(500);
      await expect(result).resolves.toMatchObject({ id: 8 });
      expect(received).toEqual(["POST"]);
    } finally {
      late.closeAllConnections();
      await new Promise<void>((r) => late.close(() => r()));
    }
  });
});

describe("backoffMs", () => {
  it("doubles from 500 ms up to 8 s, minus up to 25 % jitter", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(0, () => 1)).toBe(375);
  });
});
