// The pacing scheduler on its own, with fake timers: for any arrivals and windows it lets each
// request go exactly when the earliest in-order schedule allows, never past a window.
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  historyOf,
  LateTurn,
  Pacer,
  POSTHOG_WINDOWS,
  type RouteClass,
  remember,
  routeClassOf,
  type Window,
} from "../../src/pacing.js";
import { earliestSchedule } from "../support/throttle.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A pacer on the fake clock (its injectable one), with `windows` for the insights class. */
function pacer(windows: readonly Window[], onWait?: (ms: number) => void): Pacer {
  return new Pacer({ windows: { ...POSTHOG_WINDOWS, insights: windows }, onWait, now: () => Date.now() });
}

/** Takes a turn for a request that is answered the moment it goes; returns what `take` returned. */
function turn(p: Pacer, routeClass: RouteClass = "insights", signal?: AbortSignal): Promise<void> | undefined {
  const taken = p.take(routeClass, signal);
  if (taken === undefined) {
    p.settle(routeClass);
    return undefined;
  }
  return taken.then(() => p.settle(routeClass));
}

/**
 * Runs requests arriving at `arrivals` (ms, ascending) through `p`, each answered `latencyMs`
 * after it went; resolves to the time each went, by arrival.
 */
async function simulate(p: Pacer, arrivals: readonly number[], latencyMs = 0): Promise<number[]> {
  const went: number[] = [];
  const turns: Promise<void>[] = [];
  // Fake timers run a 0 ms timer set during a tick 1 ms later: answer at once instead.
  const answer = (): void => {
    if (latencyMs === 0) {
      p.settle("insights");
    } else {
      setTimeout(() => p.settle("insights"), latencyMs);
    }
  };
  for (const [i, arrival] of arrivals.entries()) {
    await vi.advanceTimersByTimeAsync(arrival - Date.now());
    const taken = p.take("insights");
    if (taken === undefined) {
      went[i] = Date.now();
      answer();
    } else {
      turns.push(
        taken.then(() => {
          went[i] = Date.now();
          answer();
        }),
      );
    }
  }
  await vi.runAllTimersAsync();
  await Promise.all(turns);
  return went;
}

const windowsArb = fc.array(
  fc.record({ requests: fc.integer({ min: 1, max: 6 }), windowMs: fc.integer({ min: 1, max: 200 }) }),
  { minLength: 1, maxLength: 3 },
);
const arrivalsArb = fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 40 }).map((gaps) => {
  let at = 0;
  return gaps.map((gap) => {
    at += gap;
    return at;
  });
});

describe("the schedule", () => {
  it("is exactly the earliest in-order schedule the windows allow, for any arrivals and windows", async () => {
    await fc.assert(
      fc.asyncProperty(windowsArb, arrivalsArb, async (windows, arrivals) => {
        vi.setSystemTime(0);
        const went = await simulate(pacer(windows), arrivals);
        expect(went).toEqual(earliestSchedule(arrivals, windows));
      }),
      { numRuns: 150 },
    );
  });

  it("never lets more than `requests` go within any `windowMs`, counted as a sliding log counts", async () => {
    await fc.assert(
      fc.asyncProperty(windowsArb, arrivalsArb, async (windows, arrivals) => {
        vi.setSystemTime(0);
        const went = await simulate(pacer(windows), arrivals);
        for (const w of windows) {
          for (const at of went) {
            // DRF keeps the sends newer than now - windowMs; the one at `at` is among them.
            expect(went.filter((t) => t > at - w.windowMs && t <= at).length).toBeLessThanOrEqual(w.requests);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("counts a request from its answer: a slot frees a window after the answer came", async () => {
    const windows = [{ requests: 2, windowMs: 100 }];
    const went = await simulate(pacer(windows), [0, 0, 0, 0, 0], 30);
    expect(went).toEqual([0, 0, 130, 130, 260]);
  });

  it("with slow answers, is the earliest schedule counted from the answers, for any arrivals and windows", async () => {
    await fc.assert(
      fc.asyncProperty(windowsArb, arrivalsArb, fc.integer({ min: 1, max: 80 }), async (windows, arrivals, latency) => {
        vi.setSystemTime(0);
        const went = await simulate(pacer(windows), arrivals, latency);
        expect(went).toEqual(earliestSchedule(arrivals, windows, latency));
      }),
      { numRuns: 100 },
    );
  });

  it("holds a slot while its request is under way, however long that takes", async () => {
    const p = pacer([{ requests: 1, windowMs: 100 }]);
    expect(p.take("insights")).toBeUndefined();
    let went = -1;
    void p.take("insights")?.then(() => {
      went = Date.now();
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(went).toBe(-1);
    expect(vi.getTimerCount()).toBe(0);
    p.settle("insights");
    await vi.advanceTimersByTimeAsync(100);
    expect(went).toBe(5_100);
  });

  it("keeps each class to its own windows", async () => {
    const p = new Pacer({
      windows: {
        ...POSTHOG_WINDOWS,
        insights: [{ requests: 1, windowMs: 50 }],
        sharing: [{ requests: 1, windowMs: 10 }],
      },
      now: () => Date.now(),
    });
    expect(turn(p, "insights")).toBeUndefined();
    expect(turn(p, "sharing")).toBeUndefined();
    const insights = turn(p, "insights");
    const sharing = turn(p, "sharing");
    let done = "";
    void insights?.then(() => {
      done += "i";
    });
    void sharing?.then(() => {
      done += "s";
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(done).toBe("s");
    await vi.advanceTimersByTimeAsync(40);
    expect(done).toBe("si");
  });
});

describe("the fast path", () => {
  it("answers synchronously, with no promise and no timer, while there is room", () => {
    const timers = vi.spyOn(globalThis, "setTimeout");
    const p = pacer([{ requests: 3, windowMs: 1000 }]);
    expect([turn(p, "insights"), turn(p, "insights"), turn(p, "insights")]).toEqual([undefined, undefined, undefined]);
    expect(timers).not.toHaveBeenCalled();
    timers.mockRestore();
  });

  it("is not taken while others wait, so a newcomer cannot overtake them", async () => {
    const p = pacer([{ requests: 1, windowMs: 100 }]);
    expect(turn(p, "insights")).toBeUndefined();
    const order: string[] = [];
    void turn(p, "insights")?.then(() => order.push("first"));
    await vi.advanceTimersByTimeAsync(100);
    // The first waiter went at 100; the next arrival must wait a window behind it.
    expect(order).toEqual(["first"]);
    expect(turn(p, "insights")).toBeInstanceOf(Promise);
  });
});

describe("onWait", () => {
  it("reports how long the class waits, once per wait", async () => {
    const onWait = vi.fn();
    const p = pacer([{ requests: 2, windowMs: 1000 }], onWait);
    await vi.advanceTimersByTimeAsync(250);
    expect(turn(p, "insights")).toBeUndefined();
    expect(turn(p, "insights")).toBeUndefined();
    expect(onWait).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    const a = turn(p, "insights");
    const b = turn(p, "insights");
    expect(onWait.mock.calls).toEqual([[900]]);
    await vi.runAllTimersAsync();
    await Promise.all([a, b]);
    expect(onWait.mock.calls).toEqual([[900]]);
  });
});

describe("pause", () => {
  it("holds back every request of the class until the pause ends, then lets them go in order", async () => {
    const p = pacer([{ requests: 100, windowMs: 1000 }]);
    p.pause("insights", 5000);
    const order: number[] = [];
    const turns = [0, 1, 2].map((i) => turn(p, "insights")?.then(() => order.push(i)));
    await vi.advanceTimersByTimeAsync(4999);
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(turns);
    expect(order).toEqual([0, 1, 2]);
    expect(turn(p, "insights")).toBeUndefined();
  });

  it("extends a wait already under way, and never shortens one", async () => {
    const p = pacer([{ requests: 1, windowMs: 1000 }]);
    expect(turn(p, "insights")).toBeUndefined();
    let went = -1;
    void turn(p, "insights")?.then(() => {
      went = Date.now();
    });
    await vi.advanceTimersByTimeAsync(500);
    p.pause("insights", 2000);
    p.pause("insights", 10);
    await vi.runAllTimersAsync();
    expect(went).toBe(2500);
  });

  it("leaves the other class alone", () => {
    const p = pacer([{ requests: 100, windowMs: 1000 }]);
    p.pause("insights", 5000);
    expect(turn(p, "sharing")).toBeUndefined();
  });
});

describe("abort while waiting", () => {
  it("rejects with the signal's reason, and the request never counts", async () => {
    const p = pacer([{ requests: 1, windowMs: 1000 }]);
    expect(turn(p, "insights")).toBeUndefined();
    const controller = new AbortController();
    const waiting = turn(p, "insights", controller.signal);
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await vi.advanceTimersByTimeAsync(1000);
    // The aborted one took no slot: the next goes as soon as the first send leaves the window.
    expect(turn(p, "insights")).toBeUndefined();
  });

  it("does not hold back those behind it", async () => {
    const p = pacer([{ requests: 1, windowMs: 1000 }]);
    expect(turn(p, "insights")).toBeUndefined();
    const controller = new AbortController();
    const first = turn(p, "insights", controller.signal);
    first?.catch(() => undefined);
    let went = -1;
    void turn(p, "insights")?.then(() => {
      went = Date.now();
    });
    controller.abort();
    await vi.runAllTimersAsync();
    expect(went).toBe(1000);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const p = pacer([{ requests: 1, windowMs: 1000 }]);
    await expect(turn(p, "insights", AbortSignal.abort("gone"))).rejects.toBe("gone");
    expect(turn(p, "insights")).toBeUndefined();
  });

  it("leaves no timer behind once every waiter left", async () => {
    const p = pacer([{ requests: 1, windowMs: 1000 }]);
    expect(turn(p, "insights")).toBeUndefined();
    const controller = new AbortController();
    turn(p, "insights", controller.signal)?.catch(() => undefined);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("memory", () => {
  it("keeps the last million answers of a 10^6 window in a ring, overwriting the oldest past that", () => {
    const p = pacer([{ requests: 1_000_000, windowMs: 3_600_000 }]);
    for (let i = 0; i < 1_200_000; i++) {
      void p.take("insights");
      p.settle("insights");
    }
    // Past the window's size, the ring overwrites its oldest: still exact.
    expect(historyOf(p).insights.endedMsAgo).toHaveLength(1_000_000);
  });

  it("keeps pacing right after many times the window's size of sends", async () => {
    const windows = [{ requests: 3, windowMs: 10 }];
    const arrivals = Array.from({ length: 200 }, (_, i) => i);
    const went = await simulate(pacer(windows), arrivals);
    expect(went).toEqual(earliestSchedule(arrivals, windows));
  });
});

describe("defaults", () => {
  it("are PostHog's published windows", () => {
    expect(POSTHOG_WINDOWS).toEqual({
      insights: [
        { requests: 240, windowMs: 60_000 },
        { requests: 1_200, windowMs: 3_600_000 },
      ],
      sharing: [
        { requests: 480, windowMs: 60_000 },
        { requests: 4_800, windowMs: 3_600_000 },
      ],
      default: [
        { requests: 480, windowMs: 60_000 },
        { requests: 4_800, windowMs: 3_600_000 },
      ],
    });
  });
});

describe("route classes", () => {
  it("puts sharing routes in their own class; the project, dashboards, actions, cohorts and group types in the default class; the rest in the insights class", () => {
    const base = "https://us.posthog.com/api/projects/1";
    expect(
      [
        `${base}/insights/7/sharing/`,
        `${base}/insights/7/sharing`,
        `${base}/insights/7/sharing/refresh/`,
        `${base}/insights/`,
        `${base}/insights/7/?search=/sharing/`,
        `${base}/query/abc/`,
        `${base}/insights/viewed/`,
        `${base}/dashboards/`,
        `${base}/dashboards/3/?refresh=blocking`,
        `${base}/dashboards/3/sharing/`,
        `${base}/actions/5/`,
        `${base}/cohorts/`,
        `${base}/groups_types/`,
        "https://eu.posthog.com/api/environments/2/cohorts/9/",
        "/api/projects/1/actions/",
        `${base}/insights/?search=/dashboards/`,
        `${base}/dashboardsx/`,
        `${base}/`,
        "https://eu.posthog.com/api/environments/@current/",
      ].map(routeClassOf),
    ).toEqual([
      "sharing",
      "sharing",
      "sharing",
      "insights",
      "insights",
      "insights",
      "insights",
      "default",
      "default",
      "sharing",
      "default",
      "default",
      "default",
      "default",
      "default",
      "insights",
      "insights",
      "default",
      "default",
    ]);
  });

  it("counts sharing and default requests in each other's windows, as PostHog's one default throttle does", async () => {
    const p = new Pacer({
      windows: {
        ...POSTHOG_WINDOWS,
        sharing: [{ requests: 2, windowMs: 100 }],
        default: [{ requests: 2, windowMs: 100 }],
      },
      now: () => Date.now(),
    });
    expect(turn(p, "sharing")).toBeUndefined();
    expect(turn(p, "default")).toBeUndefined();
    let went = -1;
    void turn(p, "default")?.then(() => {
      went = Date.now();
    });
    // The insights class has its own throttle.
    expect(turn(p, "insights")).toBeUndefined();
    await vi.runAllTimersAsync();
    expect(went).toBe(100);
  });
});

describe("a turn known to come after the deadline", () => {
  it("is refused at once with a LateTurn naming the class, the wait and the time left", async () => {
    const p = pacer([{ requests: 1, windowMs: 1_000 }]);
    expect(turn(p, "insights")).toBeUndefined();
    await vi.advanceTimersByTimeAsync(200);
    const late = p.take("insights", undefined, 500);
    await expect(late).rejects.toEqual(new LateTurn("insights", 800, 500));
    expect(vi.getTimerCount()).toBe(0);
    // Within the deadline, it waits.
    expect(p.take("insights", undefined, 800)).toBeInstanceOf(Promise);
  });

  it("counts the requests ahead of it: their answers end no earlier than now", async () => {
    const p = pacer([{ requests: 2, windowMs: 1_000 }]);
    expect(p.take("insights")).toBeUndefined();
    expect(p.take("insights")).toBeUndefined();
    // Two under way: the third cannot go before a window after one of them is answered.
    await expect(p.take("insights", undefined, 999)).rejects.toBeInstanceOf(LateTurn);
    const third = p.take("insights", undefined, 1_000);
    expect(third).toBeInstanceOf(Promise);
    third?.catch(() => undefined);
  });

  it("after a pause, is refused for every request whose deadline comes first, including those already waiting", async () => {
    const p = pacer([{ requests: 1, windowMs: 1_000 }]);
    expect(turn(p, "insights")).toBeUndefined();
    const short = p.take("insights", undefined, 2_000);
    const long = p.take("insights", undefined, 100_000);
    p.pause("insights", 60_000);
    await expect(short).rejects.toEqual(new LateTurn("insights", 60_000, 2_000));
    await expect(p.take("insights", undefined, 59_999)).rejects.toBeInstanceOf(LateTurn);
    let went = -1;
    void long?.then(() => {
      went = Date.now();
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(went).toBe(60_000);
  });
});

describe("the clock", () => {
  it("is monotonic: the wall clock moved back an hour, then forward a day, makes neither a stall nor a burst", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"], now: Date.UTC(2026, 0, 1) });
    // The default clock: performance.now(), which setSystemTime does not move.
    const p = new Pacer({ windows: { ...POSTHOG_WINDOWS, insights: [{ requests: 2, windowMs: 1_000 }] } });
    const went: number[] = [];
    const start = performance.now();
    const mark = (): void => {
      went.push(performance.now() - start);
    };
    const go = (): Promise<void> | undefined => {
      const taken = turn(p, "insights");
      if (taken === undefined) {
        mark();
        return undefined;
      }
      return taken.then(mark);
    };
    await go();
    await go();
    const third = go();
    vi.setSystemTime(Date.now() - 3_600_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await third;
    // No stall: the third went a window after the first, though the wall clock went back an hour.
    expect(went).toEqual([0, 0, 1_000]);
    vi.setSystemTime(Date.now() + 86_400_000);
    const fourth = go();
    const fifth = go();
    // No burst: a day of wall clock freed nothing. The fourth goes (the second's window is over),
    // the fifth waits a window behind the third.
    expect(went).toEqual([0, 0, 1_000, 1_000]);
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all([fourth, fifth]);
    expect(went).toEqual([0, 0, 1_000, 1_000, 2_000]);
  });
});

describe("history", () => {
  it("carries the windows and a pause over to another pacer, aged by the time between", async () => {
    const windows = [{ requests: 2, windowMs: 1_000 }];
    const before = pacer(windows);
    expect(turn(before, "insights")).toBeUndefined();
    await vi.advanceTimersByTimeAsync(300);
    expect(turn(before, "insights")).toBeUndefined();
    before.pause("sharing", 5_000);
    const history = historyOf(before);
    expect(history.insights).toEqual({ endedMsAgo: [300, 0], pausedForMs: 0 });
    expect(history.default).toEqual({ endedMsAgo: [], pausedForMs: 5_000 });
    // The next process starts 100 ms later.
    await vi.advanceTimersByTimeAsync(100);
    const after = pacer(windows);
    remember(after, {
      insights: { endedMsAgo: history.insights.endedMsAgo.map((ago) => ago + 100), pausedForMs: 0 },
      default: { endedMsAgo: [], pausedForMs: 4_900 },
    });
    let went = -1;
    void turn(after, "insights")?.then(() => {
      went = Date.now();
    });
    await vi.advanceTimersByTimeAsync(1_000);
    // The first of the two earlier requests leaves its window 1,000 ms after it was answered.
    expect(went).toBe(1_000);
    expect(turn(after, "default")).toBeInstanceOf(Promise);
  });
});
