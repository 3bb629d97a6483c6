// The type guard shared by every module that reads untrusted values (options, response bodies).
// A leaf: imports nothing.

/** Narrows to a plain object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
