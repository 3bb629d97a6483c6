// The errors this package throws, and the message of a failed response. Only errors: it never
// sends, waits or decides on retries (the wait a 429 names comes from retry.ts).
import type { components } from "../generated/schema.js";
import { isRecord } from "./guards.js";
import { where } from "./redact.js";
import { serverWaitMs } from "./retry.js";

/** PostHog's error body, as the spec declares it. */
type ErrorBody = components["schemas"]["Error"];

/**
 * Base class of every error this package throws.
 *
 * @example
 * try {
 *   await posthog.insights.retrieve(7);
 * } catch (err) {
 *   if (err instanceof PostHogError) console.error(err.message);
 * }
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
 * PostHog responded with a non-2xx status. Subclasses name the common statuses.
 *
 * @example
 * await posthog.insights.retrieve(7).catch((err: unknown) => {
 *   if (err instanceof APIError) console.log(err.status, err.code, err.detail);
 * });
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

  constructor(
    status: number,
    body: unknown,
    headers: Headers,
    message: string,
    redact: (text: string) => string = (text) => text,
  ) {
    super(redact(message));
    this.status = status;
    const { type, code, detail, attr } = isRecord(body) ? body : {};
    this.type = textOf(type) as ErrorBody["type"] | undefined;
    this.code = textOf(code);
    this.detail = textOf(detail) && redact(detail as string);
    this.attr = attr === null ? null : textOf(attr);
    this.headers = headers;
    this.body = body;
  }

  /**
   * Builds the error of the class that fits a failed response.
   *
   * @example
   * const body = { type: "invalid_request", code: "not_found", detail: "Not found.", attr: null };
   * const err = APIError.generate(404, body, new Headers(), { method: "GET", url: "https://us.posthog.com/api/" });
   */
  static generate(status: number, body: unknown, headers: Headers, target: RequestTarget): APIError {
    const ErrorClass = errorClassOf(status, body);
    return new ErrorClass(status, body, headers, describeFailure(status, body, headers, target), target.redact);
  }
}

/** The `APIError` subclass for a status. */
function errorClassOf(status: number, body: unknown): typeof APIError {
  if (status >= 500) {
    return InternalServerError;
  }
  if (status === 403) {
    // PostHog responds to missing or bad credentials on insight routes with 403, not 401.
    const notAuthenticated = isRecord(body) && /^(not_authenticated|authentication_failed)$/.test(String(body.code));
    return notAuthenticated ? AuthenticationError : PermissionDeniedError;
  }
  return ERROR_CLASSES[status] ?? APIError;
}

/**
 * HTTP 400: a field failed validation, or the body or query could not be parsed.
 *
 * @example
 * await posthog.insights.create({ name: "x".repeat(500) }).catch((err: unknown) => {
 *   if (err instanceof BadRequestError) console.error(err.attr, err.detail); // "name", "Ensure this field has..."
 * });
 */
export class BadRequestError extends APIError {
  override name = "BadRequestError";
}

/**
 * HTTP 401, or a 403 that PostHog uses for "not authenticated": the key is missing or invalid.
 *
 * @example
 * await posthog.insights.list().catch((err: unknown) => {
 *   if (err instanceof AuthenticationError) console.error("Check POSTHOG_PERSONAL_API_KEY");
 * });
 */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}

/**
 * HTTP 403: authenticated, but the key lacks a scope or access to the project or insight.
 *
 * @example
 * await posthog.insights.update(7, { name: "Renamed" }).catch((err: unknown) => {
 *   if (err instanceof PermissionDeniedError) console.error(err.detail); // "API key missing required scope..."
 * });
 */
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}

/**
 * HTTP 404: no such insight (or it is soft-deleted), project or query.
 *
 * @example
 * const insight = await posthog.insights.retrieve(7).catch((err: unknown) => {
 *   if (err instanceof NotFoundError) return null;
 *   throw err;
 * });
 */
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}

/**
 * HTTP 429. `retryAfterMs` is the wait the server asked for, from `Retry-After` or from
 * PostHog's "Expected available in N seconds" detail.
 *
 * @example
 * await posthog.insights.list().catch(async (err: unknown) => {
 *   if (err instanceof RateLimitError) await new Promise((resume) => setTimeout(resume, err.retryAfterMs ?? 1_000));
 * });
 */
export class RateLimitError extends APIError {
  override name = "RateLimitError";
  /**
   * Milliseconds to wait before trying again, when the server said; for a request the client
   * did not send because its turn under the `rateLimit` windows or a server-named pause comes
   * after its deadline, the time until that turn (`body` is then undefined).
   */
  readonly retryAfterMs: number | undefined;

  constructor(
    status: number,
    body: unknown,
    headers: Headers,
    message: string,
    redact?: (text: string) => string,
    retryAfterMs: number | undefined = serverWaitMs(headers, body),
  ) {
    super(status, body, headers, message, redact);
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * HTTP 5xx, after the retries.
 *
 * @example
 * await posthog.insights.list().catch((err: unknown) => {
 *   if (err instanceof InternalServerError) console.error(err.status);
 * });
 */
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

/**
 * The request got no HTTP response (DNS, refused connection, reset, TLS...), after the
 * retries. `cause` holds the underlying error.
 *
 * @example
 * await posthog.insights.list().catch((err: unknown) => {
 *   if (err instanceof APIConnectionError) console.error(err.message, err.cause);
 * });
 */
export class APIConnectionError extends PostHogError {
  override name = "APIConnectionError";
}

/**
 * An attempt ran past its `timeoutMs` (or `compute` past its deadline).
 *
 * @example
 * await posthog.insights.retrieve(7, {}, { timeoutMs: 5_000 }).catch((err: unknown) => {
 *   if (err instanceof APITimeoutError) return null;
 *   throw err;
 * });
 */
export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError";
}

/**
 * The caller's `signal` aborted the request.
 *
 * @example
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(), 1_000);
 * await posthog.insights.list({}, { signal: controller.signal }); // rejects with APIUserAbortError
 */
export class APIUserAbortError extends PostHogError {
  override name = "APIUserAbortError";
  constructor(message = "Aborted by the caller's signal.") {
    super(message);
  }
}

/**
 * `compute` saw the calculation fail. `errorMessage` is PostHog's reason, when it gave one.
 *
 * @example
 * await posthog.insights.compute(7).catch((err: unknown) => {
 *   if (err instanceof QueryError) console.error(err.queryId, err.errorMessage);
 * });
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

const ERROR_CLASSES: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  404: NotFoundError,
  429: RateLimitError,
};

function describeFailure(status: number, body: unknown, headers: Headers, target: RequestTarget): string {
  const head = `${where(target)} failed with HTTP ${status}`;
  const { detail, attr } = isRecord(body) ? body : {};
  if (textOf(detail)) {
    return `${head}: ${String(detail).slice(0, 300)}${textOf(attr) ? ` (field: ${attr})` : ""}`;
  }
  const location = status > 299 && status < 400 && headers.get("location");
  if (location) {
    return `${head}: the redirect to ${location} is not followed (only up to 5 on the configured host are)`;
  }
  const text = typeof body === "string" ? plainText(body) : "";
  if (!text) {
    return `${head} with an empty body`;
  }
  return `${head} (non-JSON ${headers.get("content-type")?.split(";")[0]} body: ${text.slice(0, 120)})`;
}

/** An HTML or text body as one line of plain text. */
function plainText(body: string): string {
  return body
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
