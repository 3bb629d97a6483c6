// Throttling as Django REST Framework's SimpleRateThrottle does it: a sliding log of request
// times per (throttle, key), checked after authentication and permissions. State only.
import type { RateWindow } from "./options.js";

/**
 * The throttle a route class counts in. PostHog keys a throttle by its scope and the key: sharing
 * routes and the default class (dashboards, actions, cohorts, group types) both fall under the
 * default throttles' scopes ("burst", "sustained"), so their requests count together, each class
 * checked against its own windows as DRF checks each throttle's rate; insight routes have scopes
 * of their own. The client's pacer counts them the same way.
 */
const SCOPE_OF: Readonly<Record<string, string>> = { sharing: "default" };

/** The sliding logs of one fake. */
export class Throttle {
  // `${scope}:${windowIndex}:${key}` -> request times, newest first (DRF's history order).
  readonly #history = new Map<string, number[]>();

  /**
   * Records a request of `key` in `bucket` and returns undefined, or the whole seconds to wait
   * when one of the windows is full. Like DRF, every window that allows the request records
   * it, even when another window throttles; the wait is the longest.
   */
  check(bucket: string, key: string, windows: readonly RateWindow[], now = Date.now()): number | undefined {
    const waits: number[] = [];
    windows.forEach((window, index) => {
      const id = `${SCOPE_OF[bucket] ?? bucket}:${index}:${key}`;
      const history = this.#history.get(id) ?? [];
      while (history.length > 0 && (history.at(-1) ?? 0) <= now - window.windowMs) {
        history.pop();
      }
      if (history.length >= window.requests) {
        const oldest = history.at(-1) ?? now;
        const remaining = window.windowMs - (now - oldest);
        const available = window.requests - history.length + 1;
        waits.push(available > 0 ? remaining / available : remaining);
      } else {
        history.unshift(now);
      }
      this.#history.set(id, history);
    });
    if (waits.length === 0) {
      return undefined;
    }
    // DRF rounds the wait up to whole seconds in the message.
    return Math.max(1, Math.ceil(Math.max(...waits) / 1000));
  }

  reset(): void {
    this.#history.clear();
  }
}
