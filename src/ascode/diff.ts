// Field-level differences between two JSON values, by JSON path. Pure.
import { isDeepStrictEqual } from "node:util";
import type { Json } from "./canonical.js";

/**
 * One changed field: its path (`query.source.series[0].event`), and its value before and
 * after (absent when the field is added or removed).
 *
 * @example
 * const change: Change = { path: "name", before: "Signups", after: "Daily signups" };
 */
export interface Change {
  path: string;
  before?: Json;
  after?: Json;
}

/**
 * The changes that turn `before` into `after`: objects are compared key by key, arrays item by
 * item when their lengths match (else as a whole), anything else as a value.
 *
 * @example
 * diff({ name: "a", tags: ["x"] }, { name: "b", tags: ["x"] }); // [{ path: "name", before: "a", after: "b" }]
 */
export function diff(before: Json | undefined, after: Json | undefined, path = ""): Change[] {
  if (isDeepStrictEqual(before, after)) {
    return [];
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diff(before[key], after[key], join(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, index) => diff(item, after[index], `${path}[${index}]`));
  }
  const change: Change = { path: path || "$" };
  if (before !== undefined) {
    change.before = before;
  }
  if (after !== undefined) {
    change.after = after;
  }
  return [change];
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function join(path: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!path) {
    return segment;
  }
  return segment.startsWith("[") ? `${path}${segment}` : `${path}.${segment}`;
}
