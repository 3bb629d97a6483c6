// Timers that a signal can cut short: the one helper behind every wait, per-attempt timeout and
// deadline. A leaf: it never sends a request, and leaves no timer or listener behind.
import { APIUserAbortError, PostHogError } from "./errors.js";

/**
 * Calls `onTimeout` after `ms`, or `onAbort` with the abort's error as soon as `signal` aborts
 * (at once if it already has), whichever comes first. The returned `release` cancels both.
 */
export function timerWithAbort(
  ms: number,
  signal: AbortSignal | undefined,
  onTimeout: () => void,
  onAbort: (error: Error) => void,
): () => void {
  if (signal?.aborted) {
    onAbort(abortReason(signal));
    return () => undefined;
  }
  const abort = (): void => {
    clearTimeout(timer);
    onAbort(abortReason(signal));
  };
  const timer = setTimeout(() => {
    signal?.removeEventListener("abort", abort);
    onTimeout();
  }, ms);
  signal?.addEventListener("abort", abort, { once: true });
  return () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  };
}

/** Waits `ms`, or rejects with `APIUserAbortError` (or our own abort's error) as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    timerWithAbort(ms, signal, resolve, reject);
  });
}

/** A signal that aborts with `timeoutError()` after `ms`, or with the caller's abort; `release` disarms it. */
export interface Deadline {
  signal: AbortSignal;
  release: () => void;
}

/** Arms a deadline of `ms` that also follows the caller's `signal`. */
export function deadline(ms: number, signal: AbortSignal | undefined, timeoutError: () => Error): Deadline {
  const controller = new AbortController();
  const release = timerWithAbort(
    ms,
    signal,
    () => controller.abort(timeoutError()),
    (error) => controller.abort(error),
  );
  return { signal: controller.signal, release };
}

/** The error an aborted signal stands for: ours if we aborted it, else a user abort. */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  // Our own controllers abort with the error to report; a caller's reason is theirs.
  return reason instanceof PostHogError ? reason : new APIUserAbortError();
}
