// The type guards shared by every module that reads untrusted values (options, response bodies).
// A leaf: imports nothing.

/** A positive safe integer: an id, a count (not `Infinity`, `NaN`, `1.5` or `2 ** 53`). */
export function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

/** Narrows to a plain object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
