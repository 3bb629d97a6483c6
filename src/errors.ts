import type { components } from "../generated/schema.js";

/** PostHog's error body, as the spec declares it. */
type ErrorBody = components["schemas"]["Error"];

/**
 * Base class of every error this package throws.
 *
 * @example
 * try { await posthog.insights.retrieve(7); }
 * catch (err) { if (err instanceof PostHogError) console.error(err.message); }
 */
export class PostHogError extends Error {
  override name = "PostHogError";
}

/**
 * Bad or missing configuration, thrown by the `PostHogClient` constructor.
 *
 * @example
 * new PostHogClient({ apiKey: "" }); // throws PostHogConfigError
 */
export class PostHogConfigError extends PostHogError {
  override name = "PostHogConfigError";
}

/** Where a failed request went, for messages: never carries credentials. */
export interface RequestTarget {
  method: string;
  url: string;
  /** Removes secrets from text the server sent back before it goes into a message. */
  redact?: (text: string) => string;
}

/**
 * PostHog answered with a non-2xx status. Subclasses name the common statuses.
 *
 * @example
 * catch (err) { if (err instanceof APIError) console.log(err.status, err.code, err.detail); }
 */
export class APIError extends PostHogError {
  override name = "APIError";
  /** HTTP status. */
  readonly status: number;
  /** PostHog's error family (`validation_error`, `authentication_error`, ...), when the body had one. */
  readonly type: ErrorBody["type"] | undefined;
  /** PostHog's error code (`not_found`, `max_length`, `throttled`, ...). */
  readonly code: string | undefined;
  /** PostHog's human-readable message. */
  readonly detail: string | undefined;
  /** The offending field, for validation errors. */
  readonly attr: string | null | undefined;
  /** Response headers. */
  readonly headers: Headers;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;

  constructor(status: number, body: unknown, headers: Headers, message: string, redact: (text: string) => string = (text) => text) {
    super(redact(message));
    this.status = status;
    this.headers = headers;
    this.body = body;
    const fields = isRecord(body) ? body : {};
    this.type = typeof fields.type === "string" ? (fields.type as ErrorBody["type"]) : undefined;
    this.code = typeof fields.code === "string" ? fields.code : undefined;
    this.detail = typeof fields.detail === "string" ? redact(fields.detail) : undefined;
    this.attr = typeof fields.attr === "string" || fields.attr === null ? fields.attr : undefined;
  }

  /**
   * Builds the error class that fits a failed answer.
   *
   * @example
   * APIError.generate(404, { type: "invalid_request", code: "not_found", detail: "Not found.", attr: null }, new Headers(), { method: "GET", url });
   */
  static generate(status: number, body: unknown, headers: Headers, target: RequestTarget): APIError {
    const message = describeFailure(status, body, headers, target);
    const args = [status, body, headers, message, target.redact] as const;
    if (status === 400) return new BadRequestError(...args);
    if (status === 401) return new AuthenticationError(...args);
    if (status === 403) {
      // PostHog answers missing or bad credentials on insight routes with 403, not 401.
      const code = isRecord(body) ? body.code : undefined;
      const notAuthenticated =
        isRecord(body) && body.type === "authentication_error" && (code === "not_authenticated" || code === "authentication_failed");
      return notAuthenticated
        ? new AuthenticationError(...args)
        : new PermissionDeniedError(...args);
    }
    if (status === 404) return new NotFoundError(...args);
    if (status === 429) return new RateLimitError(...args);
    if (status >= 500) return new InternalServerError(...args);
    return new APIError(...args);
  }
}

/** HTTP 400: a field failed validation, or the body or query could not be parsed. */
export class BadRequestError extends APIError {
  override name = "BadRequestError";
}

/** HTTP 401, or a 403 that PostHog uses for "not authenticated": the key is missing or invalid. */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}

/** HTTP 403: authenticated, but the key lacks a scope or access to the project or insight. */
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}

/** HTTP 404: no such insight (or it is soft-deleted), project or query. */
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}

/**
 * HTTP 429. `retryAfterMs` is the wait the server asked for, from `Retry-After` or from
 * PostHog's "Expected available in N seconds" detail.
 *
 * @example
 * catch (err) { if (err instanceof RateLimitError) await sleep(err.retryAfterMs ?? 1000); }
 */
export class RateLimitError extends APIError {
  override name = "RateLimitError";
  /** Milliseconds to wait before trying again, when the server said. */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, body: unknown, headers: Headers, message: string, redact?: (text: string) => string) {
    super(status, body, headers, message, redact);
    this.retryAfterMs = serverWaitMs(headers, body);
  }
}

/** HTTP 5xx. */
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

/**
 * The request got no HTTP answer (DNS, refused connection, reset, TLS...). `cause` holds
 * the underlying error.
 */
export class APIConnectionError extends PostHogError {
  override name = "APIConnectionError";
}

/** An attempt ran past its `timeoutMs` (or `compute` past its deadline). */
export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError";
}

/** The caller's `signal` aborted the request. */
export class APIUserAbortError extends PostHogError {
  override name = "APIUserAbortError";
  constructor(message = "The request was aborted by the caller's signal.") {
    super(message);
  }
}

/**
 * `compute` saw the calculation fail. `errorMessage` is PostHog's reason, when it gave one.
 *
 * @example
 * catch (err) { if (err instanceof QueryError) console.error(err.queryId, err.errorMessage); }
 */
export class QueryError extends PostHogError {
  override name = "QueryError";
  /** The id of the failed calculation. */
  readonly queryId: string;
  /** PostHog's `error_message`, if any. */
  readonly errorMessage: string | undefined;

  constructor(queryId: string, errorMessage: string | undefined) {
    super(`Insight calculation ${queryId} failed${errorMessage ? `: ${errorMessage}` : " without a message"}.`);
    this.queryId = queryId;
    this.errorMessage = errorMessage;
  }
}

/** PostHog's 429 detail carries the wait: "Request was throttled. Expected available in 12 seconds." */
const THROTTLE_DETAIL = /Expected available in (\d+(?:\.\d+)?) seconds?/i;

/**
 * The wait a server asked for, in milliseconds: `Retry-After` (seconds or an HTTP date),
 * else PostHog's throttle detail. `undefined` when it said nothing usable.
 */
export function serverWaitMs(headers: Headers, body: unknown): number | undefined {
  const header = headers.get("retry-after");
  if (header !== null) {
    const trimmed = header.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  const detail = isRecord(body) ? body.detail : typeof body === "string" ? body : undefined;
  if (typeof detail === "string") {
    const match = THROTTLE_DETAIL.exec(detail);
    if (match?.[1]) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}

/** The path of a URL, for messages: no origin, no query string. */
export function pathOf(url: string | undefined): string {
  if (!url) return "";
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function describeFailure(status: number, body: unknown, headers: Headers, target: RequestTarget): string {
  const head = `${target.method} ${pathOf(target.url)} failed with HTTP ${status}`;
  if (isRecord(body) && typeof body.detail === "string") {
    const attr = typeof body.attr === "string" ? ` (field: ${body.attr})` : "";
    return `${head}: ${truncate(body.detail)}${attr}`;
  }
  if (status >= 300 && status < 400) {
    const location = headers.get("location");
    return `${head}: redirected to ${location ?? "an unknown location"}, which is not followed because it leaves the configured host (the API key must not go there). Set \`host\` to the origin PostHog redirects to.`;
  }
  if (typeof body === "string" && body.trim()) {
    const text = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    const type = headers.get("content-type")?.split(";")[0] ?? "unknown type";
    return `${head} (non-JSON ${type} body: ${truncate(text, 120)})`;
  }
  return `${head} with an empty body`;
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Narrows to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
