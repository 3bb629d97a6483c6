// Pacing to PostHog's throttles: per route class, a FIFO of requests released as soon as every
// sliding window of the class has room. A leaf: it knows nothing of HTTP, transport or request.

/**
 * One throttle window: at most `requests` sends in any `windowMs` milliseconds.
 *
 * @example
 * const perMinute: Window = { requests: 240, windowMs: 60_000 };
 */
export interface Window {
  requests: number;
  windowMs: number;
}

/** The throttle families PostHog applies to this API's routes. */
export type RouteClass = "insights" | "sharing";

/** PostHog's published windows for personal API keys (reference §4). */
export const POSTHOG_WINDOWS: Readonly<Record<RouteClass, readonly Window[]>> = {
  insights: [
    { requests: 240, windowMs: 60_000 },
    { requests: 1_200, windowMs: 3_600_000 },
  ],
  sharing: [
    { requests: 480, windowMs: 60_000 },
    { requests: 4_800, windowMs: 3_600_000 },
  ],
};

/**
 * The server counts a request when it arrives, we count it when we hand it to `fetch`. Two
 * sends exactly `windowMs` apart can arrive less than `windowMs` apart when the older one
 * took longer on the way (a cold TLS connection, a queue at the load balancer: tens to a few
 * hundred milliseconds), and DRF would then count both. So a slot is reused this much after
 * it strictly frees: 1 % of the window, at most 1 s. It costs at most 1 % of throughput on
 * the minute window and 0.03 % on the hour, and a 429 costs far more (the whole class
 * pauses for whole seconds). Windows scaled far down (tests, the benchmark) get a margin
 * scaled with them.
 */
export function safetyMarginMs(windowMs: number): number {
  return Math.min(1_000, windowMs / 100);
}

/** The last `requests` send times of one window, oldest first. */
class SlidingLog {
  readonly #times: number[] = [];
  readonly #requests: number;
  readonly #holdMs: number;

  constructor(window: Window, marginMs: number) {
    this.#requests = window.requests;
    this.#holdMs = window.windowMs + marginMs;
  }

  /** When the next send fits: at once while fewer than `requests` were sent, else when the oldest leaves. */
  freeAt(): number {
    const times = this.#times;
    return times.length < this.#requests ? Number.NEGATIVE_INFINITY : (times[0] as number) + this.#holdMs;
  }

  record(at: number): void {
    if (this.#times.push(at) > this.#requests) {
      this.#times.shift();
    }
  }
}

/** Settings of a `Pacer`; everything but `windows` is for tests and the defaults are right otherwise. */
export interface PacerOptions {
  windows: Readonly<Record<RouteClass, readonly Window[]>>;
  onWait?: ((waitMs: number) => void) | undefined;
  /** Milliseconds since any fixed point; the same clock the server's throttle reads. */
  now?: () => number;
  /** The safety margin of a window (see `safetyMarginMs`). */
  marginMs?: (windowMs: number) => number;
}

/** One route class: its windows, its queue of waiting requests, and a server-ordered pause. */
class Lane {
  readonly #logs: SlidingLog[];
  readonly #now: () => number;
  readonly #onWait: ((waitMs: number) => void) | undefined;
  /** The waiting requests in arrival order, each as the function that lets it go. */
  readonly #queue: (() => void)[] = [];
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reportedAt = Number.NaN;

  constructor(windows: readonly Window[], options: PacerOptions) {
    const margin = options.marginMs ?? safetyMarginMs;
    this.#logs = windows.map((w) => new SlidingLog(w, margin(w.windowMs)));
    this.#now = options.now ?? Date.now;
    this.#onWait = options.onWait;
  }

  /** When the next send may go. It only ever moves later: sends are recorded, pauses only extended. */
  #readyAt(): number {
    return Math.max(this.#pausedUntil, ...this.#logs.map((log) => log.freeAt()));
  }

  take(signal: AbortSignal | undefined): Promise<void> | undefined {
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    // The fast path: nobody ahead and room in every window. No promise, no timer.
    if (this.#queue.length === 0) {
      const now = this.#now();
      if (this.#readyAt() <= now) {
        this.#record(now);
        return undefined;
      }
    }
    return new Promise<void>((resolve, reject) => {
      const abort = (): void => {
        // Leaves the queue: those behind keep their turn, and the request never counts.
        this.#queue.splice(this.#queue.indexOf(go), 1);
        if (this.#queue.length === 0) {
          this.#stop();
        }
        reject(signal?.reason);
      };
      const go = (): void => {
        signal?.removeEventListener("abort", abort);
        resolve();
      };
      signal?.addEventListener("abort", abort, { once: true });
      this.#queue.push(go);
      this.#drain();
    });
  }

  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }

  #record(at: number): void {
    for (const log of this.#logs) {
      log.record(at);
    }
  }

  /** Releases every waiter that fits now, in order; arms one timer for the first that does not. */
  #drain(): void {
    const now = this.#now();
    while (this.#queue.length > 0) {
      const at = this.#readyAt();
      if (at > now) {
        this.#arm(at, now);
        return;
      }
      this.#record(now);
      this.#queue.shift()?.();
    }
    this.#stop();
  }

  /** Nobody waits any more: drop the timer. */
  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#reportedAt = Number.NaN;
  }

  #arm(at: number, now: number): void {
    // The time a timer was armed for never moves earlier (see #readyAt): an armed timer is never late.
    if (this.#timer !== undefined) {
      return;
    }
    const waitMs = at - now;
    // A timer may fire a millisecond early by this clock: the drain then re-arms for the rest.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, Math.ceil(waitMs));
    // Reported once per wait, not again when a timer that fired early is re-armed.
    if (at !== this.#reportedAt) {
      this.#reportedAt = at;
      this.#onWait?.(waitMs);
    }
  }
}

/**
 * Holds each request back until PostHog's throttle would let it through, in arrival order
 * per route class.
 *
 * @example
 * const pacer = new Pacer({ windows: POSTHOG_WINDOWS });
 * const turn = pacer.take("insights", signal);
 * if (turn) await turn; // only when the request has to wait
 */
export class Pacer {
  readonly #lanes: Record<RouteClass, Lane>;

  constructor(options: PacerOptions) {
    this.#lanes = {
      insights: new Lane(options.windows.insights, options),
      sharing: new Lane(options.windows.sharing, options),
    };
  }

  /**
   * Takes a turn: `undefined` when the request may go now (its send is recorded), else a
   * promise that resolves when it may go, or rejects with `signal.reason` if the signal
   * aborts first (the request then never counts and holds nobody back).
   */
  take(routeClass: RouteClass, signal?: AbortSignal): Promise<void> | undefined {
    return this.#lanes[routeClass].take(signal);
  }

  /** Holds back every request of the class for `ms` (a 429 the server sent anyway). */
  pause(routeClass: RouteClass, ms: number): void {
    this.#lanes[routeClass].pause(ms);
  }
}

/**
 * The throttle family of a request URL: sharing routes have their own, larger windows; every
 * other route of this API (insights, `/query/`) shares the ClickHouse windows.
 *
 * @example
 * routeClassOf("https://us.posthog.com/api/projects/1/insights/7/sharing/"); // "sharing"
 */
export function routeClassOf(url: string): RouteClass {
  const path = url.split("?")[0] as string;
  return /\/sharing(\/|\/refresh\/?)?$/.test(path) ? "sharing" : "insights";
}
