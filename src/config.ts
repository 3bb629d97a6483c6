// Client configuration: defaults from options and the environment, and refusal of what is unsafe.
// It only checks and resolves; it never sends a request.
import { PostHogConfigError } from "./errors.js";
import { parseProjectId } from "./ids.js";
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
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;

function fail(message: string): never {
  throw new PostHogConfigError(message);
}

/** Applies defaults from options and the environment, and refuses what cannot work or is unsafe. */
export function resolveConfig(options: ClientOptions = {}): ResolvedConfig {
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
  };
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
