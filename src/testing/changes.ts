// What an insight update logs as `detail.changes`, as PostHog's `changes_between` finds them
// (posthog/models/activity_logging/activity_log.py): its fields in the model's order (tags first,
// a reverse relation), the fields PostHog excludes left out (`saved`, `order`, timestamps...),
// tags compared sorted, and a field going from or to empty logged as `created` or `deleted`.
// Pure: it never touches the store.
import type { ActivityChange } from "./store.js";

/** The fields an update can change, in the order PostHog's model lists them. */
const FIELDS = ["tags", "name", "derived_name", "description", "filters", "query", "deleted", "favorited"] as const;

type Tracked = { [F in (typeof FIELDS)[number]]: unknown };

// Django's `Field.empty_values`: None, "", [], (), {}. Tags are a relation, never "empty".
function isEmpty(field: string, value: unknown): boolean {
  if (value === null || value === undefined) {
    return true;
  }
  if (field === "tags") {
    return false;
  }
  if (value === "" || (Array.isArray(value) && value.length === 0)) {
    return true;
  }
  return typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** JSON equality, whatever the key order (PostHog compares dicts with `==`). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (
    typeof a !== "object" ||
    typeof b !== "object" ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    return false;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((key) => key in y && sameJson(x[key], y[key]));
}

const comparable = (field: string, value: unknown): unknown =>
  field === "tags" && Array.isArray(value) ? [...value].map(String).sort() : value;

/**
 * The changes between an insight's fields before and after an update.
 *
 * @example
 * const fields = { tags: [], name: "A", derived_name: null, description: null };
 * const rest = { filters: {}, query: null, deleted: false, favorited: false };
 * changesBetween({ ...fields, ...rest }, { ...fields, ...rest, name: "B" });
 * // [{ type: "Insight", action: "changed", field: "name", before: "A", after: "B" }]
 */
export function changesBetween(before: Tracked, after: Tracked): ActivityChange[] {
  const changes: ActivityChange[] = [];
  for (const field of FIELDS) {
    const left = comparable(field, before[field]);
    const right = comparable(field, after[field]);
    const leftEmpty = isEmpty(field, left);
    const rightEmpty = isEmpty(field, right);
    if (leftEmpty && rightEmpty) {
      continue;
    }
    const copy = (value: unknown) => (value === undefined ? null : structuredClone(value));
    if (leftEmpty) {
      changes.push({ type: "Insight", action: "created", field, before: null, after: copy(right) });
    } else if (rightEmpty) {
      changes.push({ type: "Insight", action: "deleted", field, before: copy(left), after: null });
    } else if (!sameJson(left, right)) {
      changes.push({ type: "Insight", action: "changed", field, before: copy(left), after: copy(right) });
    }
  }
  return changes;
}
