// Offline validation of each file against its kind's JSON Schema (generated from the spec,
// shipped in the package): one line per real problem, naming its file, line and field. A union
// reports the branch the value chose (by its `kind`, `type` or JSON type), not every branch it
// failed; a query kind one or two edits from a known one is an error with "did you mean";
// another unknown kind is accepted (PostHog may be newer than this package) with a warning.
import { readFileSync } from "node:fs";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
// Each kind's file schema compiled by ajv at build time (scripts/file-validators.ts) from
// `prepareSchema(loadFileSchema(...))`, as standalone code: the CLI starts without compiling schemas.
import { action, cohort, dashboard, insight } from "virtual:file-validators";
import { lineOf, type FileProblem, type LoadedFile } from "./files.js";
import type { KindName } from "./kind-names.js";
import { kindNamed } from "./kinds/index.js";
import type { Schema } from "./schema-transform.js";
import { nearest } from "./suggest.js";

export { prepareSchema } from "./schema-transform.js";

/**
 * A file JSON Schema of the package (`insight-file.schema.json`...), read from the package
 * (src/ascode/ or dist/ alike).
 *
 * @example
 * const schema = loadFileSchema("dashboard-file.schema.json");
 */
export function loadFileSchema(name: string): object {
  const file = `generated/${name}`;
  for (const prefix of ["../../", "../"]) {
    try {
      return JSON.parse(readFileSync(new URL(prefix + file, import.meta.url), "utf8")) as object;
    } catch {
      // not in this layout: try the next
    }
  }
  throw new Error(`${file} is missing from the package: reinstall posthog-insights.`);
}

/**
 * The insight-file JSON Schema.
 *
 * @example
 * const schema = loadInsightFileSchema();
 */
export function loadInsightFileSchema(): object {
  return loadFileSchema("insight-file.schema.json");
}

interface Checker {
  validate: ValidateFunction;
  /** Every node kind the schema names (none for files without query nodes). */
  kinds: Set<string>;
}

const VALIDATORS: Record<KindName, ValidateFunction> = { insight, dashboard, action, cohort };
const checkers = new Map<KindName, Checker>();

function checkerOf(name: KindName): Checker {
  let checker = checkers.get(name);
  if (!checker) {
    // Only insight files hold query nodes, whose kinds "did you mean" and the warnings know.
    const kinds = name === "insight" ? kindsOf(loadFileSchema(kindNamed(name).schemaFile)) : new Set<string>();
    checker = { validate: VALIDATORS[name], kinds };
    checkers.set(name, checker);
  }
  return checker;
}

/**
 * Every node kind the insight-file schema names.
 *
 * @example
 * insightKinds().has("TrendsQuery"); // true
 */
export function insightKinds(): ReadonlySet<string> {
  return checkerOf("insight").kinds;
}

/** What validating one file found: errors stop a push; warnings are said and let through. */
export interface Validation {
  problems: FileProblem[];
  warnings: FileProblem[];
}

/**
 * The problems of one loaded file against the schema, each with its line, and its warnings.
 *
 * @example
 * const { problems, warnings } = validateLoaded(loaded);
 */
export function validateLoaded(loaded: LoadedFile): Validation {
  const { validate, kinds } = checkerOf(loaded.kind);
  const sidecar = kindNamed(loaded.kind).sidecar;
  const sidecarField = sidecar ? [...sidecar.path, sidecar.property].join(".") : undefined;
  const problems: FileProblem[] = [];
  const warnings: FileProblem[] = [];
  const kindPaths = new Set<string>();
  const where = (path: (string | number)[]): Pick<FileProblem, "path" | "line"> => {
    const inSidecar = loaded.sidecarPath !== undefined && path.join(".") === sidecarField;
    return inSidecar && loaded.sidecarPath
      ? { path: loaded.sidecarPath, line: 1 }
      : { path: loaded.path, line: lineOf(loaded, path) };
  };
  // Only a kind whose files hold query nodes has kinds to know (a dashboard's have none).
  for (const { path, kind } of kinds.size > 0 ? unknownKinds(loaded.raw, [], kinds) : []) {
    const field = fieldName(path);
    kindPaths.add(`/${path.join("/")}`);
    const suggestion = nearest(kind, kinds);
    if (suggestion) {
      problems.push({
        ...where(path),
        message: `${field}: ${JSON.stringify(kind)} is not a kind PostHog knows: did you mean ${JSON.stringify(suggestion)}?`,
      });
    } else {
      warnings.push({
        ...where(path),
        message: `${field}: unknown kind ${JSON.stringify(kind)} (newer than this posthog-insights?): not checked here, PostHog checks it on push`,
      });
    }
  }
  if (!validate(loaded.raw)) {
    for (const error of mostSpecific(validate.errors ?? [])) {
      if (kindPaths.has(error.instancePath)) {
        continue;
      }
      const path = pathOf(error);
      problems.push({ ...where(path), message: `${fieldName(path)}: ${describe(error)}` });
    }
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { problems, warnings };
}

/** Every object with a string `kind` the schema does not name, with its path. */
function unknownKinds(
  value: unknown,
  path: (string | number)[],
  kinds: Set<string>,
): { path: (string | number)[]; kind: string }[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => unknownKinds(item, [...path, index], kinds));
  }
  if (value === null || typeof value !== "object") {
    return [];
  }
  const record = value as Record<string, unknown>;
  const found: { path: (string | number)[]; kind: string }[] = [];
  if (typeof record.kind === "string" && !kinds.has(record.kind)) {
    found.push({ path: [...path, "kind"], kind: record.kind });
  }
  for (const [key, item] of Object.entries(record)) {
    found.push(...unknownKinds(item, [...path, key], kinds));
  }
  return found;
}

/** Every string a `kind` property of the schema may hold (enums, consts, and the unknown-kind exclusions). */
function kindsOf(schema: unknown): Set<string> {
  const kinds = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (value === null || typeof value !== "object") {
      return;
    }
    const node = value as Record<string, unknown>;
    const kind = (node.properties as Record<string, unknown> | undefined)?.kind as
      | { enum?: unknown[]; const?: unknown; not?: { enum?: unknown[] } }
      | undefined;
    for (const candidate of [...(kind?.enum ?? []), kind?.const, ...(kind?.not?.enum ?? [])]) {
      if (typeof candidate === "string") {
        kinds.add(candidate);
      }
    }
    Object.values(node).forEach(walk);
  };
  walk(schema);
  return kinds;
}

/** Keeps the deepest error per location, and drops summaries ("must match then") of deeper ones. */
function mostSpecific(errors: ErrorObject[]): ErrorObject[] {
  const summaries = new Set(["oneOf", "anyOf", "if", "allOf", "not"]);
  const seen = new Set<string>();
  const out: ErrorObject[] = [];
  for (const error of errors) {
    if (
      summaries.has(error.keyword) &&
      errors.some(
        (other) =>
          other !== error && !summaries.has(other.keyword) && other.instancePath.startsWith(error.instancePath),
      )
    ) {
      continue;
    }
    const id = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(error);
    }
  }
  return out;
}

function pathOf(error: ErrorObject): (string | number)[] {
  const path: (string | number)[] = error.instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  if (error.keyword === "additionalProperties") {
    path.push(String((error.params as { additionalProperty?: unknown }).additionalProperty));
  }
  if (error.keyword === "required") {
    path.push(String((error.params as { missingProperty?: unknown }).missingProperty));
  }
  return path;
}

function fieldName(path: (string | number)[]): string {
  if (path.length === 0) {
    return "(file)";
  }
  let name = "";
  for (const part of path) {
    if (typeof part === "number") {
      name += `[${part}]`;
    } else {
      name += name === "" ? part : `.${part}`;
    }
  }
  return name;
}

function describe(error: ErrorObject): string {
  if (error.keyword === "additionalProperties") {
    const field = String((error.params as { additionalProperty?: unknown }).additionalProperty);
    const known = Object.keys(((error.parentSchema as Schema | undefined)?.properties as Schema | undefined) ?? {});
    const suggestion = nearest(field, known);
    return suggestion
      ? `not a field here: did you mean ${JSON.stringify(suggestion)}?`
      : "not a field here (check its spelling)";
  }
  if (error.keyword === "required") {
    return "required";
  }
  if (error.keyword === "pattern") {
    const title = (error.parentSchema as Schema | undefined)?.title;
    return `${JSON.stringify(error.data)} is not ${typeof title === "string" ? title : `in the form ${String((error.params as { pattern?: unknown }).pattern)}`}`;
  }
  if (error.keyword === "enum") {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    const shown = allowed.slice(0, 8).map((value) => JSON.stringify(value));
    const list = `${shown.join(", ")}${allowed.length > 8 ? `, ... (${allowed.length} values)` : ""}`;
    const suggestion =
      typeof error.data === "string"
        ? nearest(
            error.data,
            allowed.filter((value): value is string => typeof value === "string"),
          )
        : undefined;
    return `${JSON.stringify(error.data)} is not allowed: ${suggestion ? `did you mean ${JSON.stringify(suggestion)}? (` : ""}one of ${list}${suggestion ? ")" : ""}`;
  }
  if (error.keyword === "type") {
    const types = String((error.params as { type?: unknown }).type ?? "")
      .split(",")
      .filter((type) => type !== "integer" || !String((error.params as { type?: unknown }).type).includes("number"));
    const last = types.pop();
    return `must be ${types.length > 0 ? `${types.join(", ")} or ${last}` : last}, not ${JSON.stringify(error.data)}`;
  }
  return error.message ?? "invalid";
}
