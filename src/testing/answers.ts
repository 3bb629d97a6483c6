// The answers the fake gives and PostHog's error bodies (drf-exceptions-hog). No state, no routing.

/** An answer before it becomes a `Response`: status, JSON or text body, headers. */
export interface Answer {
  status: number;
  /** A JSON value; undefined for no body. */
  json?: unknown;
  /** A text body with its content type (CSV). */
  text?: { body: string; type: string };
  headers?: Record<string, string>;
}

/** PostHog's error body. */
export interface ErrorBody {
  type: "validation_error" | "authentication_error" | "invalid_request" | "throttled_error" | "server_error";
  code: string;
  detail: string;
  attr: string | null;
}

export const json = (status: number, body: unknown): Answer => ({ status, json: body });

export const empty = (status: number): Answer => ({ status });

export const errorAnswer = (status: number, body: ErrorBody): Answer => ({ status, json: body });

export const notFound = (detail = "Not found."): Answer =>
  errorAnswer(404, { type: "invalid_request", code: "not_found", detail, attr: null });

export const forbidden = (detail: string): Answer =>
  errorAnswer(403, { type: "authentication_error", code: "permission_denied", detail, attr: null });

export const notAuthenticated = (): Answer =>
  errorAnswer(403, {
    type: "authentication_error",
    code: "not_authenticated",
    detail: "Authentication credentials were not provided.",
    attr: null,
  });

export const authenticationFailed = (
  detail = "Personal API key found in request Authorization header is invalid.",
): Answer => errorAnswer(403, { type: "authentication_error", code: "authentication_failed", detail, attr: null });

/** A field validation error: only the first one is reported, as PostHog does. */
export const invalid = (attr: string | null, code: string, detail: string): Answer =>
  errorAnswer(400, { type: "validation_error", code, detail, attr });

export const parseError = (detail: string): Answer =>
  errorAnswer(400, { type: "invalid_request", code: "parse_error", detail, attr: null });

/** DRF's throttled answer: the wait is only in `detail` (no Retry-After, as on PostHog). */
export const throttled = (seconds: number): Answer =>
  errorAnswer(429, {
    type: "throttled_error",
    code: "throttled",
    detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`,
    attr: null,
  });

export const serverError = (): Answer =>
  errorAnswer(500, { type: "server_error", code: "error", detail: "A server error occurred.", attr: null });

/** The default body of an injected failure with this status. */
export function defaultFailureBody(status: number): ErrorBody | undefined {
  switch (status) {
    case 400:
      return { type: "validation_error", code: "invalid_input", detail: "Invalid input.", attr: null };
    case 401:
    case 403:
      return (status === 401 ? notAuthenticated() : forbidden("You do not have permission to perform this action."))
        .json as ErrorBody;
    case 404:
      return notFound().json as ErrorBody;
    case 429:
      return throttled(1).json as ErrorBody;
    default:
      if (status >= 500) {
        return serverError().json as ErrorBody;
      }
      return undefined;
  }
}

/** The `Response` of an answer. */
export function toResponse(answer: Answer): Response {
  const headers = new Headers(answer.headers);
  let body: string | null = null;
  if (answer.text) {
    body = answer.text.body;
    headers.set("content-type", answer.text.type);
  } else if (answer.json !== undefined) {
    body = JSON.stringify(answer.json);
    headers.set("content-type", "application/json");
  }
  return new Response(body, { status: answer.status, headers });
}
