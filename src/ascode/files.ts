// Insight files on disk: `<key>.insight.yaml` (first line a schema pointer for editors), and a
// `<key>.sql` beside a SQL insight holding its HogQL text. Reads and writes (atomically) only;
// what goes in a file is canonical.ts's business.
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { LineCounter, parseDocument, stringify, type Document } from "yaml";
import type { InsightQuery } from "../types.js";
import { writeAtomic } from "./atomic.js";
import { canonicalFile, canonicalJson, type InsightFile, type Json } from "./canonical.js";
import { isKey } from "./slug.js";

/** Where editors find the insight-file JSON Schema (shipped in the package, generated from the spec). */
export const SCHEMA_URL = "https://unpkg.com/posthog-insights@0/generated/insight-file.schema.json";
const HEADER = `# yaml-language-server: $schema=${SCHEMA_URL}\n`;
const SUFFIX = ".insight.yaml";

/** A file read from disk, with what validation needs to point at lines. */
export interface LoadedFile {
  key: string;
  path: string;
  /** The file as written, the SQL sidecar merged in. */
  raw: unknown;
  /** The canonical file. */
  file: InsightFile;
  /** The parsed YAML document and its line counter, to map a JSON path to a line. */
  document: Document;
  lines: LineCounter;
  /** The SQL sidecar's path, when there is one. */
  sqlPath?: string;
}

/** A file that could not be read: its path, line (1-based, when known) and what is wrong. */
export interface FileProblem {
  path: string;
  line?: number;
  message: string;
}

/** The SQL text of a SQL insight's query, where a sidecar can hold it. */
function sqlHolder(query: Json | undefined): { [key: string]: Json } | undefined {
  if (query === null || typeof query !== "object" || Array.isArray(query)) {
    return undefined;
  }
  const source = query.source;
  if (
    (query.kind === "DataVisualizationNode" || query.kind === "DataTableNode") &&
    source !== null &&
    typeof source === "object" &&
    !Array.isArray(source) &&
    source.kind === "HogQLQuery"
  ) {
    return source;
  }
  return undefined;
}

/**
 * The text of an insight file and of its SQL sidecar (for a SQL insight), byte for byte as
 * written: schema pointer, then the canonical YAML.
 *
 * @example
 * const { yaml, sql } = renderFile({
 *   name: "Revenue",
 *   query: { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: "select 1" } },
 * });
 */
export function renderFile(file: InsightFile): { yaml: string; sql?: string } {
  const body = canonicalJson(file) as { [key: string]: Json };
  const holder = sqlHolder(body.query);
  let sql: string | undefined;
  if (holder && typeof holder.query === "string") {
    sql = `${holder.query}\n`;
    delete holder.query;
  }
  const yaml = HEADER + stringify(body, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
  return sql === undefined ? { yaml } : { yaml, sql };
}

/**
 * Writes an insight's files when their text differs from what is on disk; removes a stale SQL
 * sidecar. Resolves to true when something changed.
 *
 * @example
 * await writeFile("insights", "daily-signups", file);
 */
export async function writeInsightFile(dir: string, key: string, file: InsightFile): Promise<boolean> {
  const { yaml, sql } = renderFile(file);
  let changed = await writeIfChanged(join(dir, key + SUFFIX), yaml);
  const sqlPath = join(dir, `${key}.sql`);
  if (sql === undefined) {
    const existing = await readOptional(sqlPath);
    if (existing !== undefined) {
      await rm(sqlPath);
      changed = true;
    }
  } else if (await writeIfChanged(sqlPath, sql)) {
    changed = true;
  }
  return changed;
}

/**
 * Removes an insight's files (the YAML and any SQL sidecar).
 *
 * @example
 * await removeInsightFile("insights", "old-insight");
 */
export async function removeInsightFile(dir: string, key: string): Promise<void> {
  await rm(join(dir, key + SUFFIX), { force: true });
  await rm(join(dir, `${key}.sql`), { force: true });
}

async function writeIfChanged(path: string, text: string): Promise<boolean> {
  if ((await readOptional(path)) === text) {
    return false;
  }
  await writeAtomic(path, text);
  return true;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") {
      return undefined;
    }
    throw err;
  }
}

/**
 * Reads every `*.insight.yaml` of `dir` (a missing directory has none). Files that cannot be
 * parsed are returned as problems, with their line.
 *
 * @example
 * const { files, problems } = await readInsightDir("insights");
 */
export async function readInsightDir(
  dir: string,
): Promise<{ files: Map<string, LoadedFile>; problems: FileProblem[] }> {
  const files = new Map<string, LoadedFile>();
  const problems: FileProblem[] = [];
  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(SUFFIX)).sort();
  } catch (err) {
    if ((err as { code?: string }).code !== "ENOENT") {
      throw err;
    }
  }
  for (const name of names) {
    const key = name.slice(0, -SUFFIX.length);
    const path = join(dir, name);
    if (!isKey(key)) {
      problems.push({ path, message: "file name: use lower-case letters, digits and dashes before .insight.yaml" });
      continue;
    }
    const lines = new LineCounter();
    const document = parseDocument(await readFile(path, "utf8"), { lineCounter: lines, prettyErrors: false });
    const error = document.errors[0];
    if (error) {
      const line = lines.linePos(error.pos[0]).line;
      problems.push({ path, line, message: error.message.split("\n")[0] ?? "invalid YAML" });
      continue;
    }
    const raw: unknown = document.toJS();
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      problems.push({
        path,
        line: 1,
        message: "the file must hold a mapping (name, description, favorited, tags, query)",
      });
      continue;
    }
    const loaded: LoadedFile = { key, path, raw, file: {}, document, lines };
    const sqlPath = join(dir, `${key}.sql`);
    const sql = await readOptional(sqlPath);
    const holder = sqlHolder((raw as { query?: Json }).query);
    if (sql !== undefined && holder) {
      holder.query = sql.endsWith("\n") ? sql.slice(0, -1) : sql;
      loaded.sqlPath = sqlPath;
    }
    const record = raw as Record<string, unknown>;
    loaded.file = canonicalFile({
      name: typeof record.name === "string" ? record.name : undefined,
      description: typeof record.description === "string" ? record.description : undefined,
      favorited: record.favorited === true,
      tags: Array.isArray(record.tags) ? record.tags.map(String) : undefined,
      query: (record.query ?? undefined) as InsightQuery | undefined,
    } as InsightFile);
    files.set(key, loaded);
  }
  return { files, problems };
}

/**
 * The 1-based line of the node at `path` in a loaded file (the nearest existing parent when the
 * node itself is missing).
 *
 * @example
 * lineOf(loaded, ["query", "source", "series", 0, "event"]); // 9
 */
export function lineOf(loaded: LoadedFile, path: (string | number)[]): number {
  for (let length = path.length; length >= 0; length--) {
    const node = loaded.document.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      return loaded.lines.linePos(node.range[0]).line;
    }
    const pair = length > 0 ? findKeyLine(loaded, path.slice(0, length)) : undefined;
    if (pair !== undefined) {
      return pair;
    }
  }
  return 1;
}

function findKeyLine(loaded: LoadedFile, path: (string | number)[]): number | undefined {
  const parent = loaded.document.getIn(path.slice(0, -1), true) as
    | { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] }
    | undefined;
  const last = path.at(-1);
  const item = parent?.items?.find((pair) => pair.key?.value === last);
  return item?.key?.range ? loaded.lines.linePos(item.key.range[0]).line : undefined;
}
