// Offline validation of insight files against the insight-file JSON Schema (generated from the
// spec, shipped in the package): each problem names its file, line and field. No network.
import { readFileSync } from "node:fs";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
// The schema compiled by ajv at build time (scripts/insight-file-validator.ts), as standalone
// code: the CLI starts without compiling schemas.
import precompiled from "virtual:insight-file-validator";
import { readInsightDir, lineOf, type FileProblem, type LoadedFile } from "./files.js";

const SCHEMA_FILE = "generated/insight-file.schema.json";

/**
 * The insight-file JSON Schema, read from the package (src/ascode/ or dist/ alike).
 *
 * @example
 * const schema = loadInsightFileSchema();
 */
export function loadInsightFileSchema(): object {
  for (const prefix of ["../../", "../"]) {
    try {
      return JSON.parse(readFileSync(new URL(prefix + SCHEMA_FILE, import.meta.url), "utf8")) as object;
    } catch {
      // not in this layout: try the next
    }
  }
  throw new Error(`${SCHEMA_FILE} is missing from the package: reinstall posthog-insights.`);
}

function validator(): ValidateFunction {
  return precompiled;
}

/**
 * The problems of one loaded file against the schema, each with its line.
 *
 * @example
 * const problems = validateLoaded(loaded);
 */
export function validateLoaded(loaded: LoadedFile): FileProblem[] {
  const validate = validator();
  if (validate(loaded.raw)) {
    return [];
  }
  const errors = mostSpecific(validate.errors ?? []);
  return errors.map((error) => {
    const path = error.instancePath
      .split("/")
      .slice(1)
      .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
      .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    const field = fieldName(path, error);
    const inSql = loaded.sqlPath !== undefined && path.join(".") === "query.source.query";
    const problem: FileProblem = {
      path: inSql && loaded.sqlPath ? loaded.sqlPath : loaded.path,
      line: inSql ? 1 : lineOf(loaded, path),
      message: `${field}: ${describe(error)}`,
    };
    return problem;
  });
}

/** Keeps the deepest error per location, and drops ones that only repeat a deeper one. */
function mostSpecific(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  const out: ErrorObject[] = [];
  const sorted = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length);
  for (const error of sorted) {
    if (error.keyword === "oneOf" || error.keyword === "anyOf" || error.keyword === "if") {
      if (
        sorted.some(
          (other) =>
            other !== error && other.instancePath.startsWith(error.instancePath) && other.keyword !== error.keyword,
        )
      ) {
        continue;
      }
    }
    const id = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(error);
    }
  }
  return out.sort((a, b) => (a.instancePath < b.instancePath ? -1 : Number(a.instancePath > b.instancePath)));
}

function fieldName(path: (string | number)[], error: ErrorObject): string {
  const parts = [...path];
  if (error.keyword === "additionalProperties") {
    parts.push(String((error.params as { additionalProperty?: unknown }).additionalProperty));
  }
  if (error.keyword === "required") {
    parts.push(String((error.params as { missingProperty?: unknown }).missingProperty));
  }
  if (parts.length === 0) {
    return "(file)";
  }
  let name = "";
  for (const part of parts) {
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
    return "not a field here (check its spelling)";
  }
  if (error.keyword === "required") {
    return "required";
  }
  if (error.keyword === "enum") {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    const shown = allowed.slice(0, 8).map((value) => JSON.stringify(value));
    return `must be one of ${shown.join(", ")}${allowed.length > 8 ? `, ... (${allowed.length} values)` : ""}`;
  }
  return error.message ?? "invalid";
}

/**
 * Validates every insight file of `dir`: unreadable YAML and schema errors alike.
 *
 * @example
 * const problems = await validateDir("insights");
 * for (const p of problems) console.error(`${p.path}:${p.line}: ${p.message}`);
 */
export async function validateDir(dir: string): Promise<{ count: number; problems: FileProblem[] }> {
  const { files, problems } = await readInsightDir(dir);
  const count = files.size + problems.length;
  for (const loaded of files.values()) {
    problems.push(...validateLoaded(loaded));
  }
  return { count, problems };
}
