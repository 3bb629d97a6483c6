// Field checks as Django REST Framework's serializer fields answer them (the first error only,
// as `{type, code, detail, attr}`), for the kinds' request bodies. Pure functions, no state.
import { type Answer, invalid } from "../answers.js";

/** A checked value, or PostHog's answer refusing it. */
export type Checked<T> = { ok: T } | { error: Answer };

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The request body as a dictionary, or DRF's refusal of anything else. */
export function objectBody(body: unknown): Checked<Record<string, unknown>> {
  if (body === undefined) {
    return { ok: {} };
  }
  if (!isObject(body)) {
    const type = Array.isArray(body) ? "list" : typeof body;
    return { error: invalid(null, "invalid_input", `Invalid data. Expected a dictionary, but got ${type}.`) };
  }
  return { ok: body };
}

/** A `CharField`: a string (numbers are taken as their text, as DRF does), at most `max` characters. */
export function charField(
  attr: string,
  value: unknown,
  { max, nullable = false, blank = true }: { max?: number; nullable?: boolean; blank?: boolean } = {},
): Checked<string | null> {
  if (value === null) {
    return nullable ? { ok: null } : { error: invalid(attr, "null", "This field may not be null.") };
  }
  if (typeof value !== "string" && typeof value !== "number") {
    return { error: invalid(attr, "invalid_input", "Not a valid string.") };
  }
  const text = String(value);
  if (!blank && text.trim() === "") {
    return { error: invalid(attr, "blank", "This field may not be blank.") };
  }
  if (max !== undefined && text.length > max) {
    return { error: invalid(attr, "max_length", `Ensure this field has no more than ${max} characters.`) };
  }
  return { ok: text };
}

const TRUE = new Set([true, "true", "True", "TRUE", "1", 1, "t", "T", "y", "Y", "yes", "Yes", "on", "On"]);
const FALSE = new Set([false, "false", "False", "FALSE", "0", 0, "f", "F", "n", "N", "no", "No", "off", "Off"]);

/** A `BooleanField`: booleans and DRF's accepted spellings (`"true"`, `"0"`, ...). */
export function booleanField(attr: string, value: unknown): Checked<boolean> {
  if (TRUE.has(value as string)) {
    return { ok: true };
  }
  if (FALSE.has(value as string)) {
    return { ok: false };
  }
  return { error: invalid(attr, "invalid_input", "Must be a valid boolean.") };
}

/** An `IntegerField`: an integer, or a string of digits. */
export function integerField(attr: string, value: unknown, nullable = false): Checked<number | null> {
  if (value === null && nullable) {
    return { ok: null };
  }
  const number = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (!Number.isSafeInteger(number)) {
    return { error: invalid(attr, "invalid_input", "A valid integer is required.") };
  }
  return { ok: number as number };
}

/** A `ChoiceField`. */
export function choiceField<C extends string | number | null>(
  attr: string,
  value: unknown,
  choices: readonly C[],
): Checked<C> {
  if (choices.includes(value as C)) {
    return { ok: value as C };
  }
  return { error: invalid(attr, "invalid_choice", `"${String(value)}" is not a valid choice.`) };
}

/** Tags as PostHog stores them: trimmed, lower-cased, de-duplicated. */
export function tagsField(attr: string, value: unknown): Checked<string[]> {
  if (!Array.isArray(value) || value.some((tag) => typeof tag !== "string")) {
    return { error: invalid(attr, "not_a_list", "Expected a list of strings.") };
  }
  return { ok: [...new Set((value as string[]).map((t) => t.trim().toLowerCase()).filter((t) => t !== ""))] };
}

/** A JSON dictionary field. */
export function dictField(
  attr: string,
  value: unknown,
  detail = "Value must be valid JSON.",
): Checked<Record<string, unknown>> {
  return isObject(value) ? { ok: value } : { error: invalid(attr, "invalid_input", detail) };
}
