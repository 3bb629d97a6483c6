// Checks the ids that go into URL paths, before any request. A leaf: it parses and refuses,
// and never sends a request or resolves an id on the server.
import { PostHogError } from "./errors.js";
import { isPositiveInteger } from "./guards.js";

const safeDigits = (text: string): boolean => /^[1-9]\d*$/.test(text) && Number.isSafeInteger(Number(text));

/**
 * Checks a value bound for a path segment, before any request: `..`, `/`, `%2e` and the
 * like never reach a URL. A number must be a positive safe integer, taken in its decimal form
 * (never read as text: `Infinity` is not the short id "Infinity").
 */
function parseSegment(value: unknown, ok: (text: string) => boolean, what: string, expected: string): string {
  if (typeof value === "number" ? isPositiveInteger(value) : typeof value === "string" && ok(value)) {
    return String(value);
  }
  const shown = String(typeof value === "string" ? JSON.stringify(value) : value).slice(0, 40);
  throw new PostHogError(`Invalid ${what} ${shown}: expected ${expected}.`);
}

// The id in an insight's URL (`/insights/AaVQ8Ijw`): 8 to 12 letters and digits, at least one a letter.
const SHORT_ID = /^(?=[a-zA-Z\d]*[a-zA-Z])[a-zA-Z\d]{8,12}$/;

/**
 * An insight id or short id: the numeric id as a number, or the short id as a string (to be
 * resolved on the server). A short id is only ever a string: the number `Infinity` is no
 * short id "Infinity" (`parseSegment` takes a number only as a positive safe integer).
 */
export function parseInsightKey(id: unknown): number | string {
  // The common case, a numeric id, without a regular expression.
  if (isPositiveInteger(id)) {
    return id;
  }
  const text = parseSegment(
    id,
    (t) => safeDigits(t) || SHORT_ID.test(t),
    "insight id",
    "a positive integer or a short id (8 to 12 letters and digits)",
  );
  return safeDigits(text) ? Number(text) : text;
}

/** A project id: a positive safe integer (number or digits) or `"@current"`. */
export function parseProjectId(id: unknown): string {
  return parseSegment(id, (t) => t === "@current" || safeDigits(t), "project id", 'a positive integer or "@current"');
}

/** An async query id (`query_status.id`): one path segment of safe characters. */
export function parseQueryId(id: unknown): string {
  return parseSegment(id, (t) => /^[\w-]{1,200}$/.test(t), "query id", 'letters, digits, "_" or "-"');
}

/** The id of a dashboard, action or cohort: a positive safe integer, as a number or a string of digits. */
export function parseObjectId(id: unknown, what: string): number {
  return Number(parseSegment(id, safeDigits, what, "a positive integer"));
}
