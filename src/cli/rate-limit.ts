// Parses `--rate-limit` into the client's `rateLimit` windows. Pure: no I/O, no client.
import { POSTHOG_WINDOWS, ROUTE_CLASSES, type RouteClass, type Window } from "../pacing.js";
import { UsageError } from "./errors.js";

export { POSTHOG_WINDOWS };
export type { Window };

/** The windows the CLI asks the client to pace to, per route class. */
export type PacingWindows = Record<RouteClass, Window[]>;

const UNITS: Record<string, number> = { s: 1_000, sec: 1_000, min: 60_000, m: 60_000, h: 3_600_000 };

/**
 * `"off"` -> `false`; `"60/min,500/h"` -> those windows for every route class (PostHog allows the
 * sharing and default classes twice as much as insight routes, so the user's windows are safe
 * there too); `"insights=60/min,500/h;default=240/min"` -> those windows for the classes named,
 * PostHog's for the others. `undefined` -> PostHog's windows.
 *
 * @example
 * parseRateLimit("60/min,500/h");
 * // { insights: [{ requests: 60, windowMs: 60000 }, { requests: 500, windowMs: 3600000 }], sharing: [...], default: [...] }
 * parseRateLimit("default=100/min");
 * // { insights: PostHog's, sharing: PostHog's, default: [{ requests: 100, windowMs: 60000 }] }
 */
export function parseRateLimit(text: string | undefined): PacingWindows | false {
  const posthog = (): PacingWindows => ({
    insights: [...POSTHOG_WINDOWS.insights],
    sharing: [...POSTHOG_WINDOWS.sharing],
    default: [...POSTHOG_WINDOWS.default],
  });
  if (text === undefined) {
    return posthog();
  }
  if (text.trim().toLowerCase() === "off") {
    return false;
  }
  if (!text.includes("=")) {
    const windows = parseWindows(text);
    return { insights: windows, sharing: windows.map((w) => ({ ...w })), default: windows.map((w) => ({ ...w })) };
  }
  const result = posthog();
  for (const part of text.split(";")) {
    const [name = "", windows = ""] = part.split("=", 2).map((s) => s.trim());
    if (!(ROUTE_CLASSES as readonly string[]).includes(name)) {
      throw new UsageError(
        `Invalid --rate-limit class ${JSON.stringify(name)}: use ${ROUTE_CLASSES.join(", ")} ` +
          '(as in "insights=60/min,500/h;default=240/min").',
      );
    }
    result[name as RouteClass] = parseWindows(windows);
  }
  return result;
}

/** `"60/min,500/h"` -> its windows. */
function parseWindows(text: string): Window[] {
  return text.split(",").map((part) => {
    const match = /^\s*(\d+)\s*\/\s*(\d*)\s*(s|sec|min|m|h)\s*$/.exec(part);
    const unit = match?.[3] === undefined ? undefined : UNITS[match[3]];
    const requests = Number(match?.[1]);
    const count = match?.[2] ? Number(match[2]) : 1;
    if (unit === undefined || !(requests > 0) || !(count > 0)) {
      throw new UsageError(
        `Invalid --rate-limit ${JSON.stringify(part.trim())}: ` +
          'use "off" or windows like 60/min,500/h (units s, min, h), optionally per class as in "insights=60/min;default=240/min".',
      );
    }
    return { requests, windowMs: count * unit };
  });
}
