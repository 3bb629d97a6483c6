// Pacing through the client, against loopback servers that throttle as PostHog does, with fake
// timers: fake time moves only once every request sent has been answered, so the server sees
// each request at the (fake) moment the client let it go.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  APITimeoutError,
  APIUserAbortError,
  type ClientOptions,
  PostHogClient,
  PostHogConfigError,
  RateLimitError,
  type Window,
} from "../../src/index.js";
import { clientFor, TEST_KEY } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { json, serverPool } from "../support/server.js";
import { earliestSchedule, startThrottledServer, type ThrottledServer } from "../support/throttle.js";
import { armed, settle, until } from "../support/wait.js";

const insight = example("insight-trends");
const { serve, closeAll } = serverPool();
let throttled: ThrottledServer[] = [];

beforeEach(() => {
  // The pacer runs on performance.now(): faked with the timers.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"], now: 0 });
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await Promise.all(throttled.map((s) => s.close()));
  throttled = [];
  await closeAll();
});

async function throttledServer(windows: Window[]): Promise<ThrottledServer> {
  const server = await startThrottledServer({ insights: windows, sharing: windows }, (req, res) =>
    json(res, 200, { ...insight, id: Number(req.path.split("/")[5]) }),
  );
  throttled.push(server);
  return server;
}

/** A client on `origin` paced to `windows`, counting what it sends and what comes back. */
function pacedClient(origin: string, windows: Window[] | undefined, options: ClientOptions = {}) {
  const counts = { sent: 0, answered: 0 };
  const client = clientFor(origin, {
    timeoutMs: 600_000,
    rateLimit: windows && { windows: { insights: windows } },
    fetch: async (url, init) => {
      counts.sent++;
      try {
        return await fetch(url, init);
      } finally {
        counts.answered++;
      }
    },
    ...options,
  });
  return { client, counts };
}

/** Moves fake time from timer to timer, each time only once every request sent was answered, until `done`. */
async function drive(counts: { sent: number; answered: number }, done: () => boolean): Promise<void> {
  while (!done()) {
    await until(() => counts.answered === counts.sent, "the answers");
    await settle(5);
    if (!done() && counts.answered === counts.sent) {
      await vi.advanceTimersToNextTimerAsync();
    }
  }
}

function tracked<T>(promise: Promise<T>): { promise: Promise<T>; done: () => boolean } {
  let settled = false;
  const settle = (): void => {
    settled = true;
  };
  promise.then(settle, settle);
  return { promise, done: () => settled };
}

describe("a job through tight windows", () => {
  it("gets no 429 from a server enforcing the same windows, and ends within 5 % of the earliest time they allow", async () => {
    const windows = [
      { requests: 5, windowMs: 1_000 },
      { requests: 12, windowMs: 10_000 },
    ];
    const server = await throttledServer(windows);
    const { client, counts } = pacedClient(server.origin, windows);
    const job = tracked(Promise.all(Array.from({ length: 30 }, (_, i) => client.insights.retrieve(i + 1))));
    await drive(counts, job.done);
    const results = await job.promise;
    const earliest = earliestSchedule(new Array(30).fill(0), windows).at(-1) as number;
    expect(results).toHaveLength(30);
    expect(server.throttled()).toBe(0);
    expect(Date.now()).toBeGreaterThanOrEqual(earliest);
    expect(Date.now() / earliest).toBeLessThanOrEqual(1.05);
  });

  it("keeps a caller's sequential requests in order", async () => {
    const windows = [{ requests: 2, windowMs: 1_000 }];
    const server = await throttledServer(windows);
    const { client, counts } = pacedClient(server.origin, windows);
    const job = tracked(
      (async () => {
        for (let id = 1; id <= 6; id++) {
          await client.insights.retrieve(id);
        }
      })(),
    );
    await drive(counts, job.done);
    await job.promise;
    expect(server.requests.map((r) => r.path.split("/")[5])).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(server.throttled()).toBe(0);
  });

  it("lets concurrent callers go in the order they called", async () => {
    const windows = [{ requests: 2, windowMs: 1_000 }];
    const server = await throttledServer(windows);
    const { client, counts } = pacedClient(server.origin, windows);
    const job = tracked(Promise.all([1, 2, 3, 4, 5, 6, 7].map((id) => client.insights.retrieve(id))));
    await drive(counts, job.done);
    await job.promise;
    const at = (id: number): number =>
      server.arrivals[server.requests.findIndex((r) => r.path.endsWith(`/${id}/`))] ?? -1;
    expect([1, 2, 3, 4, 5, 6, 7].map(at)).toEqual([0, 0, 1_000, 1_000, 2_000, 2_000, 3_000]);
  });

  it("makes every retry take its turn too", async () => {
    const windows = [{ requests: 1, windowMs: 1_000 }];
    const server = await serve((_req, res, n) => (n === 0 ? json(res, 500, {}) : json(res, 200, insight)));
    const { client, counts } = pacedClient(server.origin, windows);
    const call = tracked(client.insights.retrieve(7));
    await drive(counts, call.done);
    await call.promise;
    expect(server.requests).toHaveLength(2);
    // The backoff (at most 500 ms) is shorter than the window: the retry waits for its turn.
    expect(Date.now()).toBe(1_000);
  });

  it("tells onWait how long requests wait", async () => {
    const onWait = vi.fn();
    const server = await throttledServer([{ requests: 1, windowMs: 1_000 }]);
    const { client, counts } = pacedClient(server.origin, undefined, {
      rateLimit: { windows: { insights: [{ requests: 1, windowMs: 1_000 }] }, onWait },
    });
    const job = tracked(Promise.all([client.insights.retrieve(1), client.insights.retrieve(2)]));
    await drive(counts, job.done);
    await job.promise;
    expect(onWait.mock.calls).toEqual([[1_000]]);
  });
});

describe("a 429 that arrives anyway", () => {
  it("holds back the other callers of the class for the time the server named", async () => {
    const windows = [{ requests: 3, windowMs: 10_000 }];
    const server = await throttledServer(windows);
    server.consume("insights", 3); // another process on the same key used the window up
    const { client } = pacedClient(server.origin, windows);
    const timers = vi.spyOn(globalThis, "setTimeout");
    const first = client.insights.retrieve(1);
    // The first call got its 429 ("Expected available in 10 seconds") and sleeps before retrying.
    await armed(timers, 0, 10_000);
    const second = client.insights.retrieve(2);
    await settle();
    await vi.advanceTimersByTimeAsync(9_999);
    await settle();
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => server.requests.length === 3, "both calls");
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    expect(server.throttled()).toBe(1);
    expect(server.arrivals).toEqual([0, 10_000, 10_000]);
  });
});

describe("waiting for a turn", () => {
  it("stops at once when the caller aborts, and the request never reaches the server", async () => {
    const windows = [{ requests: 1, windowMs: 1_000 }];
    const server = await throttledServer(windows);
    const { client, counts } = pacedClient(server.origin, windows);
    const controller = new AbortController();
    const job = tracked(
      Promise.allSettled([
        client.insights.retrieve(1),
        client.insights.retrieve(2, {}, { signal: controller.signal }),
        client.insights.retrieve(3),
      ]),
    );
    await until(() => server.requests.length === 1, "the first call");
    controller.abort();
    await drive(counts, job.done);
    const [, aborted, third] = await job.promise;
    expect(aborted.status === "rejected" && aborted.reason).toBeInstanceOf(APIUserAbortError);
    expect(third.status).toBe("fulfilled");
    expect(server.requests.map((r) => r.path.split("/")[5])).toEqual(["1", "3"]);
    // The aborted call took no turn: the third went as soon as the first left the window.
    expect(server.arrivals).toEqual([0, 1_000]);
  });

  it("fails at once with a RateLimitError when the windows free its turn after its timeoutMs", async () => {
    const windows = [{ requests: 1, windowMs: 1_000 }];
    const server = await throttledServer(windows);
    const { client } = pacedClient(server.origin, windows);
    await client.insights.retrieve(1);
    const err = await client.insights.retrieve(2, {}, { timeoutMs: 500 }).catch((e: unknown) => e);
    // No fake time passed: it did not sit until its timeout.
    expect(Date.now()).toBe(0);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBe(1_000);
    expect((err as RateLimitError).body).toBeUndefined();
    expect((err as Error).message).toBe(
      "GET /api/projects/12345/insights/2/ was not sent: its turn under the insights rate limit comes in 1 s, " +
        "after its deadline (1 s left).",
    );
    // One whose timeout allows the wait waits, as before.
    const waited = tracked(client.insights.retrieve(3, {}, { timeoutMs: 1_500 }));
    await vi.advanceTimersByTimeAsync(1_000);
    await until(waited.done, "the call that could wait");
    await expect(waited.promise).resolves.toMatchObject({ id: 3 });
    expect(server.requests.map((r) => r.path.split("/")[5])).toEqual(["1", "3"]);
  });

  it("times out after the attempt's timeoutMs when the wait was not known, and the request never reaches the server", async () => {
    const windows = [{ requests: 1, windowMs: 100 }];
    // The first answer is held back: until it comes, the second request's turn has no known time.
    let answerFirst: () => void = () => undefined;
    const server = await serve((req, res) => {
      if (req.path.endsWith("/1/")) {
        answerFirst = () => json(res, 200, insight);
      } else {
        json(res, 200, insight);
      }
    });
    const { client } = pacedClient(server.origin, windows);
    const first = client.insights.retrieve(1);
    await until(() => server.requests.length === 1, "the first call");
    const waiting = client.insights.retrieve(2, {}, { timeoutMs: 500 });
    waiting.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(500);
    await expect(waiting).rejects.toThrow(APITimeoutError);
    await expect(waiting).rejects.toThrow(/timed out after 500 ms waiting for its turn/);
    answerFirst();
    await first;
    await vi.advanceTimersByTimeAsync(2_000);
    await settle();
    expect(server.requests).toHaveLength(1);
  });
});

describe("a long throttle the server named", () => {
  const hour = {
    type: "throttled_error",
    code: "throttled",
    detail: "Request was throttled. Expected available in 3600 seconds.",
    attr: null,
  };

  it("fails every later call of the class at once with RateLimitError, not with a timeout after sitting", async () => {
    const server = await serve((req, res, n) =>
      n === 0 ? json(res, 429, hour) : json(res, 200, req.path.includes("sharing") ? {} : insight),
    );
    const { client } = pacedClient(server.origin, undefined, { timeoutMs: 60_000 });
    await expect(client.insights.retrieve(1)).rejects.toMatchObject({ retryAfterMs: 3_600_000 });
    const later = await Promise.allSettled([client.insights.retrieve(2), client.insights.list()]);
    expect(Date.now()).toBe(0);
    for (const result of later) {
      const err = result.status === "rejected" ? result.reason : undefined;
      expect(err).toBeInstanceOf(RateLimitError);
      expect((err as RateLimitError).retryAfterMs).toBe(3_600_000);
      expect((err as Error).message).toMatch(
        /under the insights rate limit comes in 3600 s, after its deadline \(60 s left\)/,
      );
    }
    // The other bucket is not paused.
    await client.insights.sharing.retrieve(7);
    expect(server.requests.map((r) => r.path)).toEqual([
      "/api/projects/12345/insights/1/",
      "/api/projects/12345/insights/7/sharing/",
    ]);
  });

  it("fails the calls already waiting whose deadline comes before the pause ends", async () => {
    const windows = [{ requests: 1, windowMs: 1_000 }];
    const server = await serve((_req, res, n) => (n === 1 ? json(res, 429, hour) : json(res, 200, insight)));
    const { client } = pacedClient(server.origin, windows, { timeoutMs: 60_000 });
    await client.insights.retrieve(1);
    // Waits a window for its turn, then gets the 429 that names an hour.
    const second = client.insights.retrieve(2);
    const third = client.insights.retrieve(3);
    second.catch(() => undefined);
    third.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => server.requests.length === 2, "the second call");
    await expect(second).rejects.toBeInstanceOf(RateLimitError);
    // The third was queued behind it: it fails as soon as the pause is known.
    await expect(third).rejects.toBeInstanceOf(RateLimitError);
    await expect(third).rejects.toThrow(/was not sent/);
    expect(Date.now()).toBeLessThan(2_000);
    expect(server.requests).toHaveLength(2);
  });

  it("fails compute() at once when the pause outlasts the computation's deadline", async () => {
    const server = await serve((_req, res, n) => (n === 0 ? json(res, 429, hour) : json(res, 200, insight)));
    const { client } = pacedClient(server.origin, undefined);
    await expect(client.insights.retrieve(1)).rejects.toBeInstanceOf(RateLimitError);
    const err = await client.insights.compute(7, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as Error).message).toMatch(/after its deadline \(10 s left\)/);
    expect(Date.now()).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it("fails compute() at once when a 429 during the polls names a wait past its deadline", async () => {
    const running = { ...insight, query_status: { id: "q1", complete: false, error: false } };
    const halfMinute = { ...hour, detail: "Request was throttled. Expected available in 30 seconds." };
    const server = await serve((req, res) => {
      if (req.path.includes("/query/")) {
        json(res, 429, halfMinute);
      } else {
        json(res, 200, running);
      }
    });
    const { client, counts } = pacedClient(server.origin, undefined);
    const computing = tracked(client.insights.compute(7, { timeoutMs: 10_000, pollIntervalMs: 100 }));
    await drive(counts, computing.done);
    const err = await computing.promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBe(30_000);
    // It did not sleep the 30 s it could not afford.
    expect(Date.now()).toBeLessThan(1_000);
  });
});

describe("the default route class", () => {
  it("paces dashboards, actions, cohorts and group types in PostHog's default throttle, with sharing, apart from insights", async () => {
    const arrivals: Record<string, number> = {};
    const server = await serve((req, res) => {
      arrivals[`${req.method} ${req.path.replace("/api/projects/12345", "")}`] = Date.now();
      json(res, 200, req.path.endsWith("/groups_types/") ? [] : { ...insight, id: 1 });
    });
    const one = [{ requests: 1, windowMs: 1_000 }];
    const { client, counts } = pacedClient(server.origin, undefined, {
      rateLimit: { windows: { insights: [{ requests: 10, windowMs: 1_000 }], sharing: one, default: one } },
    });
    const job = tracked(
      Promise.all([
        client.dashboards.retrieve(1),
        client.actions.update(2, { name: "Signed up" }),
        client.cohorts.retrieve(3),
        client.groupTypes.list(),
        client.insights.sharing.retrieve(7),
        client.insights.retrieve(7),
        client.insights.retrieve(8),
      ]),
    );
    await drive(counts, job.done);
    await job.promise;
    // One request a second in the default throttle, in call order; the insights go at once.
    expect(arrivals).toEqual({
      "GET /dashboards/1/": 0,
      "PATCH /actions/2/": 1_000,
      "GET /cohorts/3/": 2_000,
      "GET /groups_types/": 3_000,
      "GET /insights/7/sharing/": 4_000,
      "GET /insights/7/": 0,
      "GET /insights/8/": 0,
    });
  });
});

describe("the rateLimit option", () => {
  it("when on, lets only what the windows allow go at once", async () => {
    const server = await serve((_req, res) => json(res, 200, insight));
    const { client, counts } = pacedClient(server.origin, [{ requests: 2, windowMs: 1_000 }]);
    const job = tracked(Promise.all([1, 2, 3, 4].map((id) => client.insights.retrieve(id))));
    await until(() => server.requests.length === 2, "two calls");
    await settle();
    expect(server.requests).toHaveLength(2);
    await drive(counts, job.done);
    await expect(job.promise).resolves.toHaveLength(4);
  });

  it("sends everything at once when false", async () => {
    const server = await throttledServer([{ requests: 2, windowMs: 1_000 }]);
    const client = clientFor(server.origin, { rateLimit: false, maxRetries: 0 });
    const calls = Promise.allSettled([1, 2, 3, 4, 5].map((id) => client.insights.retrieve(id)));
    // All five go with no (fake) time passing; the server refuses what its window cannot take.
    await until(() => server.requests.length === 5, "every call");
    await calls;
    expect(server.arrivals).toEqual([0, 0, 0, 0, 0]);
    expect(server.throttled()).toBe(3);
  });

  it.each([
    [true, /rateLimit must be false or/],
    ["fast", /rateLimit must be false or/],
    [{ windows: [] }, /windows must be an object/],
    [{ windows: { query: [] } }, /rateLimit.windows.query is not a route class/],
    [{ windows: { insights: {} } }, /rateLimit.windows.insights must be an array/],
    [
      { windows: { insights: [{ requests: 0, windowMs: 1_000 }] } },
      /insights\[0\].requests must be a positive integer/,
    ],
    [
      { windows: { sharing: [{ requests: 1.5, windowMs: 1_000 }] } },
      /sharing\[0\].requests must be a positive integer/,
    ],
    [{ windows: { insights: [{ requests: 1, windowMs: -1 }] } }, /insights\[0\].windowMs must be a number/],
    [{ windows: { insights: [{ requests: 1, windowMs: Number.POSITIVE_INFINITY }] } }, /windowMs must be a number/],
    [{ windows: { insights: [null] } }, /requests must be a positive integer/],
    [{ onWait: "log" }, /rateLimit.onWait must be a function/],
  ])("refuses rateLimit %j", (rateLimit, message) => {
    // Values a JavaScript caller could pass, which the types would refuse.
    const options: Record<string, unknown> = { apiKey: TEST_KEY, host: "http://127.0.0.1:9", rateLimit };
    expect(() => new PostHogClient(options as ClientOptions)).toThrow(PostHogConfigError);
    expect(() => new PostHogClient(options as ClientOptions)).toThrow(message);
  });

  it.each<[ClientOptions["rateLimit"]]>([
    [false],
    [{}],
    [{ windows: { sharing: [] } }],
    [{ windows: { insights: [{ requests: 10, windowMs: 1 }] }, onWait: () => undefined }],
  ])("accepts rateLimit %j", (rateLimit) => {
    expect(() => clientFor("http://127.0.0.1:9", { rateLimit })).not.toThrow();
  });
});
