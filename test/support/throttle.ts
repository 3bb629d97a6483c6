// A loopback PostHog that throttles as PostHog does (DRF's SimpleRateThrottle): per window a
// sliding log of the requests it let through; a request any window refuses gets a 429 whose
// detail names the longest wait, in whole seconds rounded up. Also the earliest schedule the
// windows allow, to hold a client's timing against.
import type { ServerResponse } from "node:http";
import { routeClassOf, type RouteClass, type Window } from "../../src/pacing.js";
import { json, type Received, startServer, type TestServer } from "./server.js";

/** One DRF throttle: the times of the requests it allowed, newest last, none older than its window. */
class DrfThrottle {
  readonly #history: number[] = [];
  constructor(readonly window: Window) {}

  /** DRF's `allow_request`: drops what left the window, refuses at `requests`, else records `now`. */
  allow(now: number): boolean {
    const history = this.#history;
    while (history.length > 0 && (history[0] as number) <= now - this.window.windowMs) {
      history.shift();
    }
    if (history.length >= this.window.requests) {
      return false;
    }
    history.push(now);
    return true;
  }

  /** DRF's `wait()` once refused: until the oldest allowed request leaves the window. */
  waitMs(now: number): number {
    return this.window.windowMs - (now - (this.#history[0] as number));
  }
}

/** PostHog's 429 body, as exceptions_hog renders DRF's `Throttled`. */
export function throttledBody(waitMs: number): Record<string, unknown> {
  const seconds = Math.ceil(waitMs / 1000);
  return {
    type: "throttled_error",
    code: "throttled",
    detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`,
    attr: null,
  };
}

export interface ThrottledServer extends TestServer {
  /** Arrival time (`Date.now()`, faked in tests) of every request, in arrival order. */
  arrivals: number[];
  /** How many requests got a 429. */
  throttled(): number;
  /** Counts `n` requests of `routeClass` from somewhere else (another process on the same key) at `now`. */
  consume(routeClass: RouteClass, n: number): void;
}

/**
 * Starts a server that throttles each route class with `windows` (every class DRF's way:
 * all of a class's throttles are checked; one that allows records the request even when
 * another refuses it) and answers allowed requests with `answer`. As PostHog keys a throttle by
 * its scope, sharing routes and the default class (dashboards, actions, cohorts, group types)
 * count in the same throttles, the `sharing` windows.
 */
export async function startThrottledServer(
  windows: { insights: readonly Window[]; sharing: readonly Window[] },
  answer: (req: Received, res: ServerResponse) => void,
): Promise<ThrottledServer> {
  const defaultScopes = windows.sharing.map((w) => new DrfThrottle(w));
  const throttles: Record<RouteClass, DrfThrottle[]> = {
    insights: windows.insights.map((w) => new DrfThrottle(w)),
    sharing: defaultScopes,
    default: defaultScopes,
  };
  const arrivals: number[] = [];
  let throttled = 0;
  const check = (routeClass: RouteClass, now: number): number | undefined => {
    const waits: number[] = [];
    for (const throttle of throttles[routeClass]) {
      if (!throttle.allow(now)) {
        waits.push(throttle.waitMs(now));
      }
    }
    return waits.length === 0 ? undefined : Math.max(...waits);
  };
  const server = await startServer((req, res) => {
    const now = Date.now();
    arrivals.push(now);
    const wait = check(routeClassOf(req.path), now);
    if (wait === undefined) {
      answer(req, res);
      return;
    }
    throttled++;
    json(res, 429, throttledBody(wait));
  });
  return {
    ...server,
    arrivals,
    throttled: () => throttled,
    consume(routeClass, n) {
      for (let i = 0; i < n; i++) {
        check(routeClass, Date.now());
      }
    },
  };
}

/**
 * The earliest in-order send times the windows allow for requests arriving at `arrivals`
 * (ascending), each answered `latencyMs` after it is sent and counted from its answer.
 */
export function earliestSchedule(arrivals: readonly number[], windows: readonly Window[], latencyMs = 0): number[] {
  const out: number[] = [];
  for (const [i, arrival] of arrivals.entries()) {
    let at = Math.max(arrival, out[i - 1] ?? 0);
    for (const w of windows) {
      const oldest = out[i - w.requests];
      if (oldest !== undefined) {
        at = Math.max(at, oldest + latencyMs + w.windowMs);
      }
    }
    out.push(at);
  }
  return out;
}
