import { PostHogConfigError } from "./errors.js";
import { projectId } from "./ids.js";
import type { FetchLike } from "./transport.js";

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
}

function env(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return value === "" ? undefined : value;
}

// Control characters would let a value split or inject HTTP headers.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Applies defaults from options and the environment, and refuses what cannot work or is unsafe. */
export function resolveConfig(options: ClientOptions = {}): ResolvedConfig {
  const apiKey = options.apiKey ?? env("POSTHOG_PERSONAL_API_KEY");
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new PostHogConfigError(
      "No PostHog API key: pass `apiKey` or set POSTHOG_PERSONAL_API_KEY to a personal API key (phx_...).",
    );
  }
  if (CONTROL.test(apiKey) || apiKey !== apiKey.trim() || /[^\x21-\x7e]/.test(apiKey)) {
    throw new PostHogConfigError("The PostHog API key contains whitespace, control or non-ASCII characters; check how it was copied.");
  }

  const origin = resolveOrigin(options.host ?? env("POSTHOG_HOST") ?? "us");

  let project: string;
  try {
    project = projectId(options.projectId ?? env("POSTHOG_PROJECT_ID") ?? "@current");
  } catch (err) {
    throw new PostHogConfigError((err as Error).message);
  }

  const timeoutMs = options.timeoutMs ?? 60_000;
  if (!(typeof timeoutMs === "number" && timeoutMs > 0 && timeoutMs <= 2_147_483_647)) {
    throw new PostHogConfigError(`timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}.`);
  }
  const maxRetries = options.maxRetries ?? 2;
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 10)) {
    throw new PostHogConfigError(`maxRetries must be an integer from 0 to 10, got ${String(maxRetries)}.`);
  }

  const headers = checkHeaders(options.headers ?? {}, PostHogConfigError);
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new PostHogConfigError("fetch must be a function.");
  }
  return { apiKey, origin, projectId: project, timeoutMs, maxRetries, fetch: options.fetch, headers };
}

/** Refuses an Authorization header (the key has its own option) and header injection. */
export function checkHeaders(
  headers: Record<string, string>,
  ErrorClass: new (message: string) => Error,
): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === "authorization") {
      throw new ErrorClass("Do not set an Authorization header: pass the personal API key as `apiKey`.");
    }
    if (CONTROL.test(name) || CONTROL.test(String(value))) {
      throw new ErrorClass(`Header ${JSON.stringify(name.replace(CONTROL, "?"))} contains control characters.`);
    }
  }
  return headers;
}

function resolveOrigin(host: string): string {
  const region = REGIONS[host.toLowerCase()];
  if (region) return region;
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new PostHogConfigError(`Invalid host ${JSON.stringify(host)}: use "us", "eu" or an origin such as "https://posthog.example.com".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new PostHogConfigError(`Invalid host ${JSON.stringify(host)}: only http(s) origins are supported.`);
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
    throw new PostHogConfigError(
      `Invalid host ${JSON.stringify(url.origin + url.pathname)}: give only the origin (scheme, host and port), such as "https://posthog.example.com".`,
    );
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new PostHogConfigError(
      `Refusing plain http:// to ${url.hostname}: the API key would cross the network in clear text. Use https://, or http:// only for localhost.`,
    );
  }
  return url.origin;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}
