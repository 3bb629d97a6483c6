// Client configuration: defaults from options and the environment, and refusal of what is unsafe.
// It only checks and resolves; it never sends a request.
import { PostHogConfigError } from "./errors.js";
import { parseProjectId } from "./ids.js";
import { isPositiveInteger, isRecord } from "./guards.js";
import { type Pacer, POSTHOG_WINDOWS, ROUTE_CLASSES, type RouteClass, type Window } from "./pacing.js";

/** The `fetch` the client calls: the platform's, or one the user configured. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Named PostHog Cloud regions. */
const REGIONS: Record<string, string> = {
  us: "https://us.posthog.com",
  eu: "https://eu.posthog.com",
};

/**
 * Options of `new PostHogClient(options)`. Every field is optional.
 *
 * @example
 * const options: ClientOptions = { host: "eu", projectId: 12345, timeoutMs: 30_000 };
 */
export interface ClientOptions {
  /** Personal API key (`phx_...`). @default process.env.POSTHOG_PERSONAL_API_KEY */
  apiKey?: string | undefined;
  /** `"us"`, `"eu"`, or the origin of a self-hosted instance. @default process.env.POSTHOG_HOST, else "us" */
  host?: string | undefined;
  /** Project id or `"@current"`. @default process.env.POSTHOG_PROJECT_ID, else "@current" */
  projectId?: number | string | undefined;
  /** Per-attempt timeout in milliseconds. @default 60_000 */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt. @default 2 */
  maxRetries?: number | undefined;
  /** A `fetch` to use instead of the global one (tests, proxies, edge runtimes). */
  fetch?: FetchLike | undefined;
  /** Extra headers on every request. `Authorization` is refused: use `apiKey`. */
  headers?: Record<string, string> | undefined;
  /** Pacing to PostHog's throttles; `false` turns it off. @default PostHog's published windows */
  rateLimit?: RateLimitOptions | false | undefined;
}

/**
 * The `rateLimit` client option: the throttle windows to pace each route class to, and a
 * callback told how long requests wait. A class left out keeps PostHog's windows; `[]` leaves
 * it unpaced.
 *
 * @example
 * const rateLimit: RateLimitOptions = {
 *   windows: { insights: [{ requests: 120, windowMs: 60_000 }] }, // half the minute budget
 *   onWait: (ms) => console.error(`rate limit: waiting ${Math.ceil(ms / 1000)} s`),
 * };
 */
export interface RateLimitOptions {
  /**
   * Windows per route class: `insights` (insight routes and `/query/`), `sharing`, and
   * `default` (the project, dashboards, actions, cohorts, group types). Sharing and `default`
   * requests count together in each other's windows, as PostHog counts them in one throttle.
   */
  windows?:
    | { insights?: Window[] | undefined; sharing?: Window[] | undefined; default?: Window[] | undefined }
    | undefined;
  /** Called when requests start waiting for their turn, with how long until the next one goes. */
  onWait?: ((waitMs: number) => void) | undefined;
}

/**
 * What the CLI passes besides the public options: a pacer it made and carries across runs
 * (the windows in `rateLimit` must be its own). Not part of the public surface.
 */
export interface InternalClientOptions extends ClientOptions {
  pacer?: Pacer | undefined;
}

/** Pacing settings after defaults and checks. */
export interface ResolvedRateLimit {
  windows: Record<RouteClass, readonly Window[]>;
  onWait: ((waitMs: number) => void) | undefined;
}

/** Configuration after defaults and checks. */
export interface ResolvedConfig {
  apiKey: string;
  origin: string;
  projectId: string;
  timeoutMs: number;
  maxRetries: number;
  fetch: FetchLike | undefined;
  headers: Record<string, string>;
  rateLimit: ResolvedRateLimit | undefined;
  /** The CLI's pacer, when it passed one; with `rateLimit` off it is not used. */
  pacer: Pacer | undefined;
}

function env(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return value === "" ? undefined : value;
}

// Control characters would let a value split or inject HTTP headers.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;

function fail(message: string): never {
  throw new PostHogConfigError(message);
}

/** Applies defaults from options and the environment, and refuses what cannot work or is unsafe. */
export function resolveConfig(options: InternalClientOptions = {}): ResolvedConfig {
  const apiKey = options.apiKey ?? env("POSTHOG_PERSONAL_API_KEY");
  if (!apiKey?.trim()) {
    fail("No API key: pass `apiKey` or set POSTHOG_PERSONAL_API_KEY (phx_...).");
  }
  // Never quote the key: this message may end up in logs.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    fail("The API key has whitespace, control or non-ASCII characters.");
  }

  let projectIdValue: string;
  try {
    projectIdValue = parseProjectId(options.projectId ?? env("POSTHOG_PROJECT_ID") ?? "@current");
  } catch (err) {
    fail((err as Error).message);
  }
  const { timeoutMs = 60_000, maxRetries = 2, fetch, headers = {} } = options;
  if (!(timeoutMs > 0 && timeoutMs < 2 ** 31)) {
    fail(`Invalid timeoutMs ${timeoutMs}.`);
  }
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 10)) {
    fail(`Invalid maxRetries ${maxRetries}: 0 to 10.`);
  }
  if (fetch !== undefined && typeof fetch !== "function") {
    fail("fetch must be a function.");
  }
  return {
    apiKey,
    origin: resolveOrigin(options.host ?? env("POSTHOG_HOST") ?? "us"),
    projectId: projectIdValue,
    timeoutMs,
    maxRetries,
    fetch,
    headers: checkHeaders(headers, PostHogConfigError),
    rateLimit: resolveRateLimit(options.rateLimit),
    pacer: options.pacer,
  };
}

// setTimeout's ceiling: a longer window could not be waited out.
const MAX_WINDOW_MS = 2 ** 31 - 1;

function resolveRateLimit(option: ClientOptions["rateLimit"]): ResolvedRateLimit | undefined {
  if (option === false) {
    return undefined;
  }
  const shape = "rateLimit must be false or { windows?: { insights?, sharing?, default? }, onWait? }";
  if (option !== undefined && !isRecord(option)) {
    fail(`${shape}, not ${JSON.stringify(option)}.`);
  }
  const { windows = {}, onWait }: RateLimitOptions = option ?? {};
  if (onWait !== undefined && typeof onWait !== "function") {
    fail("rateLimit.onWait must be a function.");
  }
  if (!isRecord(windows)) {
    fail(`${shape}: windows must be an object keyed by route class.`);
  }
  const resolved = { ...POSTHOG_WINDOWS };
  for (const [name, list] of Object.entries(windows)) {
    if (!Object.hasOwn(POSTHOG_WINDOWS, name)) {
      fail(`rateLimit.windows.${name} is not a route class: use ${ROUTE_CLASSES.map((c) => `"${c}"`).join(", ")}.`);
    }
    if (list !== undefined) {
      resolved[name as RouteClass] = checkWindows(list, `rateLimit.windows.${name}`);
    }
  }
  return { windows: resolved, onWait };
}

function checkWindows(list: unknown, where: string): Window[] {
  if (!Array.isArray(list)) {
    fail(`${where} must be an array of { requests, windowMs }.`);
  }
  return list.map((item: unknown, i) => {
    const { requests, windowMs } = (item ?? {}) as Partial<Record<keyof Window, unknown>>;
    if (!isPositiveInteger(requests)) {
      fail(`${where}[${i}].requests must be a positive integer, not ${JSON.stringify(requests)}.`);
    }
    if (!(typeof windowMs === "number" && windowMs > 0 && windowMs <= MAX_WINDOW_MS)) {
      fail(`${where}[${i}].windowMs must be a number of milliseconds above 0, up to 2^31 - 1.`);
    }
    return { requests, windowMs };
  });
}

/** Refuses an Authorization header (the key has its own option) and header injection. */
export function checkHeaders(
  headers: Record<string, string>,
  ErrorClass: new (message: string) => Error,
): Record<string, string> {
  for (const name in headers) {
    if (name.toLowerCase() === "authorization") {
      throw new ErrorClass("Pass the key as `apiKey`, not an Authorization header.");
    }
    if (CONTROL.test(name + headers[name])) {
      throw new ErrorClass(`Header ${JSON.stringify(name.replace(CONTROL, "?"))} has control characters.`);
    }
  }
  return headers;
}

function resolveOrigin(host: string): string {
  const region = REGIONS[host.toLowerCase()];
  if (region) {
    return region;
  }
  let url: URL | undefined;
  try {
    url = new URL(host);
  } catch {
    // reported below
  }
  const bad = `Invalid host ${JSON.stringify(host)}: `;
  if (!url || !/^https?:$/.test(url.protocol)) {
    fail(`${bad}use "us", "eu" or an http(s) origin.`);
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== "/") {
    fail(`${bad}give only the origin.`);
  }
  if (url.protocol === "http:" && !/^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname)) {
    fail(`Refusing http:// to ${url.hostname}: the key would cross the network in clear text.`);
  }
  return url.origin;
}
