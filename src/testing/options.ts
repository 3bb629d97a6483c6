// Options of the fake PostHog and their defaults. Types and checks only: no state, no I/O.
import type { Scope } from "./scopes.js";

/** One throttle window: at most `requests` requests per `windowMs`, per API key. */
export interface RateWindow {
  requests: number;
  windowMs: number;
}

/**
 * Rate limits of the fake: `false` (none), `true` (PostHog's own: 240/min and 1,200/h on
 * insight and query routes, 480/min and 4,800/h on sharing routes and on PostHog's default
 * class: dashboards, actions, cohorts and group types), an array of windows for insight and
 * query routes, or `{ insights, sharing, default }`. Sharing and default requests count in one
 * throttle, as PostHog's default throttles count them.
 */
export type RateLimitOption =
  | boolean
  | readonly RateWindow[]
  | { insights?: readonly RateWindow[]; sharing?: readonly RateWindow[]; default?: readonly RateWindow[] };

/**
 * A group type of the fake's project: its name (`"company"`), or the name with how the UI
 * calls it. Indexes are given in the order listed, from 0, at most 5 types.
 *
 * @example
 * const types: GroupTypeOption[] = ["company", { group_type: "project", name_plural: "Projects" }];
 */
export type GroupTypeOption =
  | string
  | { group_type: string; name_singular?: string | null; name_plural?: string | null };

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
  /** The project's group types (`GET .../groups_types/`), indexed from 0 in this order. @default [] */
  groupTypes?: readonly GroupTypeOption[];
  /**
   * Serve insights' deprecated `dashboards` ids only with `include_dashboards=true`, as servers
   * that set `INSIGHT_DASHBOARDS_OPT_IN_ENFORCED` do for personal API keys. @default false
   */
  enforceDashboardsOptIn?: boolean;
}

/** A group type as served. */
export interface FakeGroupType {
  group_type: string;
  group_type_index: number;
  name_singular: string | null;
  name_plural: string | null;
}

/** Options after defaults and checks. */
export interface FakeConfig {
  projectId: number;
  apiKey: string;
  scopes: "all" | readonly Scope[];
  limits: { insights: readonly RateWindow[]; sharing: readonly RateWindow[]; default: readonly RateWindow[] };
  computeSteps: number;
  api: "current" | "legacy";
  groupTypes: readonly FakeGroupType[];
  enforceDashboardsOptIn: boolean;
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
  default: [
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
  let limits: FakeConfig["limits"] = { insights: [], sharing: [], default: [] };
  if (rateLimit === true) {
    limits = POSTHOG_LIMITS;
  } else if (Array.isArray(rateLimit)) {
    limits = { insights: windows(rateLimit), sharing: [], default: [] };
  } else if (rateLimit && typeof rateLimit === "object") {
    const split = rateLimit as Exclude<RateLimitOption, boolean | readonly RateWindow[]>;
    limits = { insights: windows(split.insights), sharing: windows(split.sharing), default: windows(split.default) };
  }
  const groupTypes = resolveGroupTypes(options.groupTypes ?? []);
  const enforceDashboardsOptIn = options.enforceDashboardsOptIn ?? false;
  return { projectId, apiKey, scopes, limits, computeSteps, api, groupTypes, enforceDashboardsOptIn };
}

/** Group types with their indexes; PostHog allows five per project, each name once. */
function resolveGroupTypes(list: readonly GroupTypeOption[]): FakeGroupType[] {
  if (!Array.isArray(list) || list.length > 5) {
    throw new TypeError("Invalid groupTypes: a list of at most 5 group types.");
  }
  const types = list.map((option, group_type_index) => {
    const type = typeof option === "string" ? { group_type: option } : option;
    if (typeof type?.group_type !== "string" || type.group_type === "") {
      throw new TypeError(`Invalid group type ${JSON.stringify(option)}: a name, or { group_type, ... }.`);
    }
    return {
      group_type: type.group_type,
      group_type_index,
      name_singular: type.name_singular ?? null,
      name_plural: type.name_plural ?? null,
    };
  });
  if (new Set(types.map((t) => t.group_type)).size !== types.length) {
    throw new TypeError("Invalid groupTypes: a group type name is listed twice.");
  }
  return types;
}
