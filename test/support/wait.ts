// Waiting on real I/O while timers are faked: setImmediate stays real, and the real clock is
// taken before any test fakes performance.now (the pacer's clock).
import { expect, vi } from "vitest";

const realNow = performance.now.bind(performance);

/** Spins the event loop until `cond` holds, up to `ms` of real time. */
export async function until(cond: () => boolean, what = "condition", ms = 5_000): Promise<void> {
  const start = realNow();
  while (!cond()) {
    if (realNow() - start > ms) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Lets real I/O run for `ms` of real time. */
export async function settle(ms = 30): Promise<void> {
  const start = realNow();
  while (realNow() - start < ms) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A spy on setTimeout, to see the waits the client arms while timers are faked. */
export interface TimerSpy {
  mock: { calls: unknown[][] };
}

/** Waits until a timer of about `ms` has been armed since call number `since` of `spy`. */
export function armed(spy: TimerSpy, since: number, ms: number): Promise<void> {
  return until(
    () => spy.mock.calls.slice(since).some(([, delay]) => Math.abs(Number(delay ?? 0) - ms) < 1),
    `a ${ms} ms wait`,
  );
}

/** What `expectWaits` watches: the requests a loopback server has received. */
export interface Counted {
  requests: unknown[];
}

/**
 * With fake timers on: starts `call`, then checks that request n+2 reaches `server` exactly
 * waits[n] ms of fake time after request n+1 (not 1 ms before, and right at it). Each wait is
 * recognised by the timer of its length that the client arms.
 */
export async function expectWaits<T>(server: Counted, call: () => Promise<T>, waits: number[]): Promise<T> {
  const timers = vi.spyOn(globalThis, "setTimeout");
  let since = 0;
  const result = call();
  result.catch(() => undefined);
  for (const [i, wait] of waits.entries()) {
    await until(() => server.requests.length === i + 1, `request ${i + 1}`);
    await armed(timers, since, wait);
    since = timers.mock.calls.length;
    await vi.advanceTimersByTimeAsync(wait - 1);
    await settle();
    expect(server.requests, `request ${i + 2} came before ${wait} ms`).toHaveLength(i + 1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => server.requests.length === i + 2, `request ${i + 2} after ${wait} ms`);
  }
  return result;
}
