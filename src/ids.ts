import { PostHogError } from "./errors.js";

/** A project id: a positive integer (number or digits), or `"@current"`. */
export type ProjectId = number | string;

const DIGITS = /^[1-9][0-9]*$/;

/**
 * Checks an insight id before it goes into a path: a positive safe integer, as a number
 * or a string of digits. Anything else (`..`, `/`, `%2e`, `7abc`) rejects before any request.
 */
export function insightId(id: unknown): number {
  const value = typeof id === "string" && DIGITS.test(id) ? Number(id) : id;
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
  throw new PostHogError(`Invalid insight id ${describe(id)}: expected a positive integer.`);
}

/** Checks a project id: a positive safe integer (number or digits) or `"@current"`. */
export function projectId(id: unknown): string {
  if (id === "@current") return id;
  const value = typeof id === "string" && DIGITS.test(id) ? Number(id) : id;
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  throw new PostHogError(`Invalid project id ${describe(id)}: expected a positive integer or "@current".`);
}

/** Checks an async query id (`query_status.id`): one path segment of safe characters. */
export function queryId(id: unknown): string {
  if (typeof id === "string" && /^[A-Za-z0-9_-]{1,200}$/.test(id)) return id;
  throw new PostHogError(`Invalid query id ${describe(id)}: expected letters, digits, "_" or "-".`);
}

function describe(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
