// Waiting on real I/O while timers are faked: setImmediate and performance.now stay real.

/** Spins the event loop until `cond` holds, up to `ms` of real time. */
export async function until(cond: () => boolean, what = "condition", ms = 5_000): Promise<void> {
  const start = performance.now();
  while (!cond()) {
    if (performance.now() - start > ms) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Lets real I/O run for `ms` of real time. */
export async function settle(ms = 30): Promise<void> {
  const start = performance.now();
  while (performance.now() - start < ms) {
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
