// Pacing to PostHog's throttles: per throttle bucket, a FIFO of requests released as soon as every
// sliding window of their route class has room, on a monotonic clock. A leaf: it knows nothing of
// HTTP, transport or request.
import { pathOf } from "./redact.js";

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

/**
 * The throttle families PostHog applies to this API's routes: `insights` (insight routes and
 * `/query/`, PostHog's ClickHouse throttles), `sharing` (sharing routes) and `default`
 * (the project, dashboards, actions, cohorts, group types: PostHog's default throttles).
 */
export type RouteClass = "insights" | "sharing" | "default";

/** PostHog's default throttles ("burst" and "sustained"), which sharing routes and the default class share. */
const DEFAULT_THROTTLES: readonly Window[] = [
  { requests: 480, windowMs: 60_000 },
  { requests: 4_800, windowMs: 3_600_000 },
];

/** PostHog's published windows for personal API keys (insights reference §4, dashboards reference §1.5). */
export const POSTHOG_WINDOWS: Readonly<Record<RouteClass, readonly Window[]>> = {
  insights: [
    { requests: 240, windowMs: 60_000 },
    { requests: 1_200, windowMs: 3_600_000 },
  ],
  sharing: DEFAULT_THROTTLES,
  default: DEFAULT_THROTTLES,
};

/** Every route class, in the order messages list them. */
export const ROUTE_CLASSES = Object.keys(POSTHOG_WINDOWS) as readonly RouteClass[];

/**
 * The server's counters. PostHog keys a throttle by its scope and the key: the sharing routes
 * and the default class both fall under the default scopes ("burst", "sustained"), so their
 * requests count together; the insight routes have scopes of their own.
 */
export type Bucket = "insights" | "default";

/**
 * The answers of a bucket's last requests, newest last: a ring that keeps `capacity` of them (the
 * largest window of the bucket) and grows only as requests come, so each answer costs O(1).
 */
class Ends {
  /** @internal The ends (read by `historyOf`). */
  readonly ring: number[] = [];
  readonly #capacity: number;
  /** @internal Where the next end goes: the array's end while it grows, then the oldest slot. */
  next = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(capacity, 1);
  }

  /** The `k`-th newest end (0 is the newest), or undefined when fewer are kept. */
  newest(k: number): number | undefined {
    const count = this.ring.length;
    if (k >= count) {
      return undefined;
    }
    const i = this.next - 1 - k;
    return this.ring[i < 0 ? i + count : i];
  }

  push(at: number): void {
    this.ring[this.next] = at;
    this.next = this.next + 1 === this.#capacity ? 0 : this.next + 1;
  }
}

/** Settings of a `Pacer`; everything but `windows` is for tests and the defaults are right otherwise. */
export interface PacerOptions {
  windows: Readonly<Record<RouteClass, readonly Window[]>>;
  onWait?: ((waitMs: number) => void) | undefined;
  /** A monotonic clock in milliseconds. @default performance.now */
  now?: () => number;
}

/**
 * A turn refused at once: the known wait (a server-named pause, or the windows) ends after the
 * request's deadline. The transport reports it as a `RateLimitError`.
 */
export class LateTurn {
  constructor(
    readonly routeClass: RouteClass,
    /** How long until the turn could come, at the least. */
    readonly waitMs: number,
    /** How long the request could still wait. */
    readonly leftMs: number,
  ) {}
}

/** A request waiting for its turn. */
interface Waiter {
  windows: readonly Window[];
  routeClass: RouteClass;
  /** By this time (pacer's clock) the request must have gone. */
  deadline: number;
  go: () => void;
  fail: (reason: unknown) => void;
}

/** Past ends of a bucket and its pause, as ages, so that another process can carry them on. */
export interface BucketHistory {
  /** How long ago each of the last requests was answered, oldest first. */
  endedMsAgo: number[];
  /** How long the bucket stays paused by a 429 (0: not paused). */
  pausedForMs: number;
}

/** One throttle bucket: its requests' ends, its queue of waiting requests, and a server-ordered pause. */
class Lane {
  /** @internal The bucket's answers, its clock and its pause: read and seeded by `historyOf` and `remember`. */
  readonly ends: Ends;
  readonly now: () => number;
  readonly #onWait: ((waitMs: number) => void) | undefined;
  /** The waiting requests in arrival order. */
  readonly #queue: Waiter[] = [];
  /** @internal */
  pausedUntil = -Infinity;
  /** Requests let go and not yet answered. */
  #underWay = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reportedAt = Number.NaN;

  constructor(capacity: number, now: () => number, onWait: ((waitMs: number) => void) | undefined) {
    this.ends = new Ends(capacity);
    this.now = now;
    this.#onWait = onWait;
  }

  /**
   * When a request with `ahead` others before it may go under `windows`: exact when every
   * end it depends on is known, else Infinity until an answer comes (`exact`), or the earliest
   * it can possibly be (not `exact`: an answer still to come ends no earlier than `now`).
   * Only a send moves the exact time later, and only an answer moves it from Infinity to a time.
   */
  #turnAt(windows: readonly Window[], ahead: number, now: number, exact: boolean): number {
    let at = this.pausedUntil;
    const unanswered = exact ? Infinity : now;
    for (const { requests, windowMs } of windows) {
      // The server counts requests under way; the oldest of the last `requests` must leave the window.
      const k = requests - this.#underWay - ahead - 1;
      const end = k < 0 ? unanswered : this.ends.newest(k);
      if (end !== undefined && end + windowMs > at) {
        at = end + windowMs;
      }
    }
    return at;
  }

  take(
    routeClass: RouteClass,
    windows: readonly Window[],
    signal: AbortSignal | undefined,
    leftMs: number,
  ): Promise<void> | undefined {
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    const now = this.now();
    // The fast path: nobody ahead and room in every window. No promise, no timer.
    if (this.#queue.length === 0 && this.#turnAt(windows, 0, now, true) <= now) {
      this.#underWay++;
      return undefined;
    }
    // Known to come after the deadline: refused now rather than after sitting until it.
    const waitMs = this.#turnAt(windows, this.#queue.length, now, false) - now;
    if (waitMs > leftMs) {
      return Promise.reject(new LateTurn(routeClass, waitMs, leftMs));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        windows,
        routeClass,
        deadline: now + leftMs,
        go: () => {
          signal?.removeEventListener("abort", abort);
          resolve();
        },
        fail: (reason) => {
          signal?.removeEventListener("abort", abort);
          this.#leave(waiter);
          reject(reason);
        },
      };
      // Leaves the queue: those behind keep their turn, and the request never counts.
      const abort = (): void => waiter.fail(signal?.reason);
      signal?.addEventListener("abort", abort, { once: true });
      this.#queue.push(waiter);
      this.#drain();
    });
  }

  #leave(waiter: Waiter): void {
    this.#queue.splice(this.#queue.indexOf(waiter), 1);
    if (this.#queue.length === 0) {
      this.#stop();
    }
  }

  /** Holds back every request of the bucket for `ms`; those whose deadline comes first fail now. */
  pause(ms: number): void {
    const now = this.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
    for (const waiter of [...this.#queue]) {
      if (waiter.deadline < this.pausedUntil) {
        const leftMs = waiter.deadline - now;
        waiter.fail(new LateTurn(waiter.routeClass, this.pausedUntil - now, leftMs));
      }
    }
    if (this.#queue.length > 0) {
      // The armed timer was for an earlier time: arm it anew.
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#drain();
    }
  }

  /** The answer (or the failure) of a request that was let go has come: its slot starts to free. */
  settle(): void {
    this.#underWay--;
    this.ends.push(this.now());
    if (this.#queue.length > 0) {
      this.#drain();
    }
  }

  /** Releases every waiter that fits now, in order; arms one timer for the first that does not. */
  #drain(): void {
    const now = this.now();
    for (let head = this.#queue[0]; head !== undefined; head = this.#queue[0]) {
      const at = this.#turnAt(head.windows, 0, now, true);
      if (at > now) {
        this.#arm(at, now);
        return;
      }
      this.#underWay++;
      this.#queue.shift();
      head.go();
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
    // The time a timer was armed for never moves earlier (see #turnAt): an armed timer is never late.
    // Until an answer comes there is no time to wait for: the answer drains the queue.
    if (this.#timer !== undefined || at === Infinity) {
      return;
    }
    const waitMs = at - now;
    // Node's timers count whole milliseconds and may fire a little early by this clock: the
    // drain then re-arms for the rest.
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
 * per throttle bucket.
 *
 * @example
 * const pacer = new Pacer({ windows: POSTHOG_WINDOWS });
 * const turn = pacer.take("insights", signal, 60_000);
 * if (turn) await turn; // only when the request has to wait
 * try {
 *   await fetch(url);
 * } finally {
 *   pacer.settle("insights");
 * }
 */
export class Pacer {
  readonly #windows: Readonly<Record<RouteClass, readonly Window[]>>;
  /** @internal The lane of each route class: one per throttle bucket, sharing's is default's. */
  readonly lanes: Record<RouteClass, Lane>;

  constructor(options: PacerOptions) {
    const now = options.now ?? (() => performance.now());
    const { windows, onWait } = options;
    this.#windows = windows;
    // A bucket keeps as many ends as its largest window counts.
    const capacity = (...classes: RouteClass[]): number =>
      Math.max(0, ...classes.flatMap((c) => windows[c].map((w) => w.requests)));
    const defaults = new Lane(capacity("sharing", "default"), now, onWait);
    this.lanes = { insights: new Lane(capacity("insights"), now, onWait), sharing: defaults, default: defaults };
  }

  /**
   * Takes a turn: `undefined` when the request may go now, else a promise that resolves when
   * it may go. It rejects with `signal.reason` if the signal aborts first (the request then
   * never counts and holds nobody back), and at once with a `LateTurn` when the turn is known
   * to come more than `leftMs` from now. A turn taken is under way until `settle`.
   */
  take(routeClass: RouteClass, signal?: AbortSignal, leftMs = Infinity): Promise<void> | undefined {
    return this.lanes[routeClass].take(routeClass, this.#windows[routeClass], signal, leftMs);
  }

  /** A request that took its turn got its answer, or failed: call once per turn taken. */
  settle(routeClass: RouteClass): void {
    this.lanes[routeClass].settle();
  }

  /** Holds back every request of the class's bucket for `ms` (a 429 the server sent anyway). */
  pause(routeClass: RouteClass, ms: number): void {
    this.lanes[routeClass].pause(ms);
  }
}

const BUCKETS: readonly Bucket[] = ["insights", "default"];

/**
 * What each bucket of `pacer` remembers, as ages: for carrying the windows over to another
 * process (the CLI's next run). Requests still under way are not in it. Outside the class so
 * that the library entry, which never needs it, does not carry it.
 *
 * @example
 * const pacer = new Pacer({ windows: POSTHOG_WINDOWS });
 * const history = historyOf(pacer); // { insights: { endedMsAgo: [...], pausedForMs: 0 }, default: ... }
 */
export function historyOf(pacer: Pacer): Record<Bucket, BucketHistory> {
  const history = {} as Record<Bucket, BucketHistory>;
  for (const bucket of BUCKETS) {
    const { ends, now, pausedUntil } = pacer.lanes[bucket];
    const at = now();
    const oldestFirst = [...ends.ring.slice(ends.next), ...ends.ring.slice(0, ends.next)];
    history[bucket] = {
      endedMsAgo: oldestFirst.map((end) => at - end),
      pausedForMs: Math.max(0, pausedUntil - at),
    };
  }
  return history;
}

/**
 * Takes on what another process's `historyOf` gave, aged by the time since.
 *
 * @example
 * const pacer = new Pacer({ windows: POSTHOG_WINDOWS });
 * remember(pacer, { insights: { endedMsAgo: [1_000, 10], pausedForMs: 0 } });
 */
export function remember(pacer: Pacer, history: Partial<Record<Bucket, BucketHistory>>): void {
  for (const bucket of BUCKETS) {
    const past = history[bucket];
    const lane = pacer.lanes[bucket];
    const at = lane.now();
    for (const ago of past?.endedMsAgo ?? []) {
      lane.ends.push(at - Math.max(0, ago));
    }
    if (past && past.pausedForMs > 0) {
      lane.pausedUntil = Math.max(lane.pausedUntil, at + past.pausedForMs);
    }
  }
}

// What PostHog's default throttles cover: the project itself, and these resources by the first
// segment after it.
const DEFAULT_CLASS =
  /^\/api\/(?:projects|environments)\/[^/]+\/(?:$|(?:dashboards|actions|cohorts|groups_types)(?:\/|$))/;

/**
 * The throttle family of a request URL, from its path alone (so routes work before the spec
 * knows them): sharing routes; the project, dashboards, actions, cohorts and group types
 * (PostHog's default throttles); every other route of this API (insights, `/query/`) in the
 * insights class.
 *
 * @example
 * routeClassOf("https://us.posthog.com/api/projects/1/insights/7/sharing/"); // "sharing"
 * routeClassOf("https://us.posthog.com/api/projects/1/dashboards/3/"); // "default"
 */
export function routeClassOf(url: string): RouteClass {
  const path = pathOf(url);
  if (/\/sharing(\/|\/refresh\/?)?$/.test(path)) {
    return "sharing";
  }
  return DEFAULT_CLASS.test(path) ? "default" : "insights";
}
