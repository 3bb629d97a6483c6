// Parses `--rate-limit` into the client's `rateLimit` option. Pure: no I/O, no client.
import { UsageError } from "./errors.js";

/** One sliding window: at most `requests` in any `windowMs`. */
export interface Window {
  requests: number;
  windowMs: number;
}

/** The windows the CLI asks the client to pace to, per route class. */
export interface PacingWindows {
  insights: Window[];
  sharing: Window[];
}

const UNITS: Record<string, number> = { s: 1_000, sec: 1_000, min: 60_000, m: 60_000, h: 3_600_000 };

/**
 * PostHog's published windows for personal API keys (reference §4): insight and query routes
 * share 240/min and 1,200/h; sharing routes get 480/min and 4,800/h.
 *
 * @example
 * const windows = POSTHOG_WINDOWS.insights; // [{ requests: 240, windowMs: 60_000 }, ...]
 */
export const POSTHOG_WINDOWS: PacingWindows = {
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
 * `"off"` -> `false`; `"60/min,500/h"` -> those windows for insight routes, and for sharing routes
 * (which PostHog allows twice as much, so the user's tighter windows are safe there too).
 * `undefined` -> PostHog's windows.
 *
 * @example
 * parseRateLimit("60/min,500/h");
 * // { insights: [{ requests: 60, windowMs: 60000 }, { requests: 500, windowMs: 3600000 }], sharing: [...] }
 */
export function parseRateLimit(text: string | undefined): PacingWindows | false {
  if (text === undefined) {
    return POSTHOG_WINDOWS;
  }
  if (text.trim().toLowerCase() === "off") {
    return false;
  }
  const windows = text.split(",").map((part) => {
    const match = /^\s*(\d+)\s*\/\s*(\d*)\s*(s|sec|min|m|h)\s*$/.exec(part);
    const unit = match?.[3] === undefined ? undefined : UNITS[match[3]];
    const requests = Number(match?.[1]);
    const count = match?.[2] ? Number(match[2]) : 1;
    if (unit === undefined || !(requests > 0) || !(count > 0)) {
      throw new UsageError(
        `Invalid --rate-limit ${JSON.stringify(part.trim())}: ` +
          'use "off" or windows like 60/min,500/h (units s, min, h).',
      );
    }
    return { requests, windowMs: count * unit };
  });
  return { insights: windows, sharing: windows.map((window) => ({ ...window })) };
}
