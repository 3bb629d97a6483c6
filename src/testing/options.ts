// Options of the fake PostHog and their defaults. Types and checks only: no state, no I/O.
import type { Scope } from "./scopes.js";

/** One throttle window: at most `requests` requests per `windowMs`, per API key. */
export interface RateWindow {
  requests: number;
  windowMs: number;
}

/**
 * Rate limits of the fake: `false` (none), `true` (PostHog's own: 240/min and 1,200/h on
 * insight and query routes, 480/min and 4,800/h on sharing routes), an array of windows for
 * insight and query routes, or `{ insights, sharing }`.
 */
export type RateLimitOption =
  | boolean
  | readonly RateWindow[]
  | { insights?: readonly RateWindow[]; sharing?: readonly RateWindow[] };

/**
 * Options of `createFakePostHog()`. Every field is optional.
 *
 * @example
 * const fake = createFakePostHog({ projectId: 42, scopes: ["insight:read"], computeSteps: 0 });
 */
export interface FakePostHogOptions {
  /** The project the fake serves; it also answers to `"@current"`. @default 1 */
  projectId?: number;
  /** The personal API key it accepts; other keys get PostHog's 403. @default "phx_fake_key" */
  apiKey?: string;
  /** `"all"` (an unscoped key) or the key's scopes, such as `["insight:read"]`. @default "all" */
  scopes?: "all" | readonly Scope[];
  /** Throttling as PostHog does it (sliding log per key). @default false */
  rateLimit?: RateLimitOption;
  /** How many polls of an async calculation answer 202 before the 200. @default 2 */
  computeSteps?: number;
  /** `"current"`: today's PostHog Cloud routes; `"legacy"`: the per-insight viewed route. @default "current" */
  api?: "current" | "legacy";
}

/** Options after defaults and checks. */
export interface FakeConfig {
  projectId: number;
  apiKey: string;
  scopes: "all" | readonly Scope[];
  limits: { insights: readonly RateWindow[]; sharing: readonly RateWindow[] };
  computeSteps: number;
  api: "current" | "legacy";
}

const POSTHOG_LIMITS = {
  insights: [
    { requests: 240, windowMs: 60_000 },
    { requests: 1200, windowMs: 3_600_000 },
  ],
  sharing: [
    { requests: 480, windowMs: 60_000 },
    { requests: 4800, windowMs: 3_600_000 },
  ],
};

function windows(value: readonly RateWindow[] | undefined): readonly RateWindow[] {
  for (const w of value ?? []) {
    if (!(Number.isInteger(w.requests) && w.requests > 0 && w.windowMs > 0)) {
      throw new TypeError(`Invalid rate limit window ${JSON.stringify(w)}: requests >= 1 and windowMs > 0.`);
    }
  }
  return value ?? [];
}

/** Applies defaults and refuses options that cannot work. */
export function resolveFakeConfig(options: FakePostHogOptions = {}): FakeConfig {
  const { projectId = 1, apiKey = "phx_fake_key", scopes = "all", rateLimit = false, computeSteps = 2 } = options;
  const api = options.api ?? "current";
  if (!(Number.isSafeInteger(projectId) && projectId > 0)) {
    throw new TypeError(`Invalid projectId ${projectId}: a positive integer.`);
  }
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new TypeError("Invalid apiKey: printable ASCII without spaces.");
  }
  if (!(Number.isInteger(computeSteps) && computeSteps >= 0)) {
    throw new TypeError(`Invalid computeSteps ${computeSteps}: an integer >= 0.`);
  }
  if (api !== "current" && api !== "legacy") {
    throw new TypeError(`Invalid api ${JSON.stringify(api)}: "current" or "legacy".`);
  }
  if (scopes !== "all" && !Array.isArray(scopes)) {
    throw new TypeError('Invalid scopes: "all" or a list of scopes.');
  }
  let limits: FakeConfig["limits"] = { insights: [], sharing: [] };
  if (rateLimit === true) {
    limits = POSTHOG_LIMITS;
  } else if (Array.isArray(rateLimit)) {
    limits = { insights: windows(rateLimit), sharing: [] };
  } else if (rateLimit && typeof rateLimit === "object") {
    const split = rateLimit as { insights?: readonly RateWindow[]; sharing?: readonly RateWindow[] };
    limits = { insights: windows(split.insights), sharing: windows(split.sharing) };
  }
  return { projectId, apiKey, scopes, limits, computeSteps, api };
}
