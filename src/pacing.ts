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
 * The ends of the last `requests` requests of one window, oldest first, and how many are still
 * under way. The server counts a request when it arrives, somewhere between our send and the
 * answer; counting it at our send lets two requests that left a window apart arrive closer
 * than that (the older one was slower on the way) and get a 429, which pauses the whole class
 * for seconds. Counting it at its answer is never early: a request under way holds its slot,
 * and the slot frees a window after the answer came.
 */
class SlidingLog {
  readonly #ends: number[] = [];
  readonly #window: Window;

  constructor(window: Window) {
    this.#window = window;
  }

  /** When the next send fits, with `underWay` requests sent and not yet answered; Infinity until one is. */
  freeAt(underWay: number): number {
    const { requests, windowMs } = this.#window;
    // The oldest request that must have left the window before one more fits.
    const leaving = underWay + this.#ends.length - requests;
    if (leaving < 0) {
      return Number.NEGATIVE_INFINITY;
    }
    const end = this.#ends[leaving];
    return end === undefined ? Number.POSITIVE_INFINITY : end + windowMs;
  }

  /** A request was answered (or failed) at `at`; ends come in time order, so the log stays sorted. */
  record(at: number): void {
    if (this.#ends.push(at) > this.#window.requests) {
      this.#ends.shift();
    }
  }
}

/** Settings of a `Pacer`; everything but `windows` is for tests and the defaults are right otherwise. */
export interface PacerOptions {
  windows: Readonly<Record<RouteClass, readonly Window[]>>;
  onWait?: ((waitMs: number) => void) | undefined;
  /** Milliseconds since any fixed point. */
  now?: () => number;
}

/** One route class: its windows, its queue of waiting requests, and a server-ordered pause. */
class Lane {
  readonly #logs: SlidingLog[];
  readonly #now: () => number;
  readonly #onWait: ((waitMs: number) => void) | undefined;
  /** The waiting requests in arrival order, each as the function that lets it go. */
  readonly #queue: (() => void)[] = [];
  #pausedUntil = Number.NEGATIVE_INFINITY;
  /** Requests let go and not yet answered. */
  #underWay = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reportedAt = Number.NaN;

  constructor(windows: readonly Window[], options: PacerOptions) {
    this.#logs = windows.map((w) => new SlidingLog(w));
    this.#now = options.now ?? Date.now;
    this.#onWait = options.onWait;
  }

  /**
   * When the next send may go; Infinity until an answer comes. Only a send moves it later, and
   * only an answer moves it from Infinity to a time: an answer replaces one request under way
   * with the newest end, which leaves the oldest end that matters where it was.
   */
  #readyAt(): number {
    return Math.max(this.#pausedUntil, ...this.#logs.map((log) => log.freeAt(this.#underWay)));
  }

  take(signal: AbortSignal | undefined): Promise<void> | undefined {
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    // The fast path: nobody ahead and room in every window. No promise, no timer.
    if (this.#queue.length === 0) {
      const now = this.#now();
      if (this.#readyAt() <= now) {
        this.#underWay++;
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

  /** The answer (or the failure) of a request that was let go has come: its slot starts to free. */
  settle(): void {
    this.#underWay--;
    const now = this.#now();
    for (const log of this.#logs) {
      log.record(now);
    }
    if (this.#queue.length > 0) {
      this.#drain();
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
      this.#underWay++;
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
    // Until an answer comes there is no time to wait for: the answer drains the queue.
    if (this.#timer !== undefined || at === Number.POSITIVE_INFINITY) {
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
 * try {
 *   await fetch(url);
 * } finally {
 *   pacer.settle("insights");
 * }
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
   * Takes a turn: `undefined` when the request may go now, else a promise that resolves when
   * it may go, or rejects with `signal.reason` if the signal aborts first (the request then
   * never counts and holds nobody back). A turn taken is under way until `settle`.
   */
  take(routeClass: RouteClass, signal?: AbortSignal): Promise<void> | undefined {
    return this.#lanes[routeClass].take(signal);
  }

  /** A request that took its turn got its answer, or failed: call once per turn taken. */
  settle(routeClass: RouteClass): void {
    this.#lanes[routeClass].settle();
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
