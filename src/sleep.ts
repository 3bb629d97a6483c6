// Timers that a signal can cut short: the one helper behind every wait, per-attempt timeout and
// deadline. A leaf: it never sends a request, and leaves no timer or listener behind.
import { APIUserAbortError, PostHogError } from "./errors.js";

/** Waits `ms`, or rejects with `APIUserAbortError` (or our own abort's error) as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const abort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}

/** When each deadline's signal fires (performance.now() time), for requests that must know how long they may wait. */
const deadlines = new WeakMap<AbortSignal, number>();

/**
 * A signal that aborts with `timeoutError()` after `ms`, or with the caller's abort; `release`
 * disarms it. A class rather than closures: every attempt of every request makes one.
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #timeoutError: () => Error;

  /**
   * Arms a deadline of `ms` that also follows the caller's `signal`. With `known`, the time
   * it fires is remembered for `timeLeft()` on its signal.
   */
  constructor(ms: number, signal: AbortSignal | undefined, timeoutError: () => Error, known = false) {
    this.#caller = signal;
    this.#timeoutError = timeoutError;
    if (known) {
      deadlines.set(this.#controller.signal, performance.now() + ms);
    }
    if (signal?.aborted) {
      this.#controller.abort(abortReason(signal));
      return;
    }
    this.#timer = setTimeout(fire, ms, this);
    signal?.addEventListener("abort", this, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The caller aborted (the deadline listens as an event-listener object: no closure). */
  handleEvent(): void {
    clearTimeout(this.#timer);
    this.#controller.abort(abortReason(this.#caller));
  }

  /** Fires the timeout. @internal */
  timeOut(): void {
    this.#caller?.removeEventListener("abort", this);
    this.#controller.abort(this.#timeoutError());
  }

  /** Disarms the timer and stops following the caller. */
  release(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener("abort", this);
  }
}

function fire(deadline: Deadline): void {
  deadline.timeOut();
}

/**
 * How many milliseconds are left before `signal` aborts, when a `Deadline` made with `known`
 * said so; Infinity otherwise (a caller's own signal says nothing of when it will abort).
 */
export function timeLeft(signal: AbortSignal | undefined): number {
  const at = signal && deadlines.get(signal);
  return at === undefined ? Infinity : at - performance.now();
}

/** The error an aborted signal stands for: ours if we aborted it, else a user abort. */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  // Our own controllers abort with the error to report; a caller's reason is theirs.
  return reason instanceof PostHogError ? reason : new APIUserAbortError();
}
