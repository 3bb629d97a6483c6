import { APIUserAbortError, PostHogError } from "./errors.js";

/** Waits `ms`, or rejects with `APIUserAbortError` as soon as `signal` aborts; leaves no timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) {
    return Promise.reject(abortReason(signal));
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The error an aborted signal stands for: ours if we aborted it, else a user abort. */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  // Our own controllers abort with the error to report; a caller's reason is theirs.
  return reason instanceof PostHogError ? reason : new APIUserAbortError();
}
