// Insight files on disk: `<key>.insight.yaml` (or `.insight.yml`; first line a schema pointer
// for editors), and a `<key>.sql` beside a SQL insight holding its HogQL text. Reads (UTF-8 only,
// every problem named with its file and line) and writes (atomically); what goes in a file is
// canonical.ts's business, whether it is valid validate.ts's.
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { LineCounter, parseDocument, stringify, type Document } from "yaml";
import type { InsightQuery } from "../types.js";
import { writeAtomic } from "./atomic.js";
import { canonicalFile, canonicalJson, type InsightFile, type Json } from "./canonical.js";
import { DirectoryError } from "./errors.js";
import { isKey } from "./slug.js";

/** Where editors find the insight-file JSON Schema (shipped in the package, generated from the spec). */
export const SCHEMA_URL = "https://unpkg.com/posthog-insights@0/generated/insight-file.schema.json";
const HEADER = `# yaml-language-server: $schema=${SCHEMA_URL}\n`;
const SUFFIX = ".insight.yaml";
/** The suffixes an insight file may have: the one pull writes, and the other common spelling. */
const SUFFIXES = [SUFFIX, ".insight.yml"] as const;
// YAML aliases a file may use before it is refused (a "billion laughs" file expands without end).
const MAX_ALIASES = 100;

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
 * The path of a key's insight file: the one it already has (`.insight.yml` stays so), else
 * `<key>.insight.yaml`.
 *
 * @example
 * insightPath("insights", "daily-signups"); // "insights/daily-signups.insight.yaml"
 */
export function insightPath(dir: string, key: string, existing?: string): string {
  return existing ?? join(dir, key + SUFFIX);
}

/**
 * Writes an insight's files when their text differs from what is on disk; removes a stale SQL
 * sidecar. Resolves to true when something changed. `existing` is the file's current path.
 *
 * @example
 * await writeInsightFile("insights", "daily-signups", file);
 */
export async function writeInsightFile(
  dir: string,
  key: string,
  file: InsightFile,
  existing?: string,
): Promise<boolean> {
  const { yaml, sql } = renderFile(file);
  let changed = await writeIfChanged(insightPath(dir, key, existing), yaml);
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
  for (const suffix of SUFFIXES) {
    await rm(join(dir, key + suffix), { force: true });
  }
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

/** What reading a directory found. */
export interface DirContents {
  /** The files that parsed, by key. */
  files: Map<string, LoadedFile>;
  /** What could not be read, one per problem, with file and line. */
  problems: FileProblem[];
  /** Keys whose file exists but cannot be read (pull must never overwrite them). */
  unreadable: Map<string, string>;
}

/**
 * Checks that `dir` is a directory: a missing one (`missing: "error"`) or a file is a
 * `DirectoryError`, so that a typo in CI never passes for "no insights". Resolves to whether
 * it exists.
 *
 * @example
 * await checkDir("insights", "error");
 */
export async function checkDir(dir: string, missing: "error" | "ok"): Promise<boolean> {
  const info = await stat(dir).catch((err: { code?: string }) => {
    if (err.code === "ENOENT" || err.code === "ENOTDIR") {
      return undefined;
    }
    throw err;
  });
  if (info === undefined) {
    if (missing === "ok") {
      return false;
    }
    throw new DirectoryError(dir, `${dir} does not exist: check the path (pull creates it).`);
  }
  if (!info.isDirectory()) {
    throw new DirectoryError(dir, `${dir} is a file, not a directory of insight files: give its directory.`);
  }
  return true;
}

/**
 * Reads every `*.insight.yaml` and `*.insight.yml` of `dir`. Files that cannot be read (not
 * UTF-8, not YAML, a missing SQL sidecar, two files for one key) are returned as problems, with
 * their line. The directory must exist (see `checkDir`).
 *
 * @example
 * const { files, problems } = await readInsightDir("insights");
 */
export async function readInsightDir(dir: string): Promise<DirContents> {
  const files = new Map<string, LoadedFile>();
  const problems: FileProblem[] = [];
  const unreadable = new Map<string, string>();
  const names = (await readdir(dir)).filter((name) => SUFFIXES.some((suffix) => name.endsWith(suffix))).sort();
  const seen = new Map<string, string>();
  for (const name of names) {
    const suffix = SUFFIXES.find((candidate) => name.endsWith(candidate)) ?? SUFFIX;
    const key = name.slice(0, -suffix.length);
    const path = join(dir, name);
    const fail = (problem: FileProblem): void => {
      problems.push(problem);
      unreadable.set(key, path);
    };
    if (!isKey(key)) {
      fail({ path, message: `file name: use lower-case letters, digits and dashes before ${suffix}` });
      continue;
    }
    const other = seen.get(key);
    if (other !== undefined) {
      fail({ path, message: `two files for the key ${key}: ${basename(other)} and ${name}; keep one` });
      continue;
    }
    seen.set(key, path);
    const read = await readLoaded(dir, key, path);
    if ("message" in read) {
      fail(read);
    } else {
      files.set(key, read);
    }
  }
  return { files, problems, unreadable };
}

/** One insight file (and its sidecar), or the problem that stops it being read. */
async function readLoaded(dir: string, key: string, path: string): Promise<LoadedFile | FileProblem> {
  const bytes = await readFile(path);
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    return {
      path,
      line: lineAtByte(bytes, bad),
      message: `not UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16)} at offset ${bad}, Latin-1 perhaps): save the file as UTF-8`,
    };
  }
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    return { path, line: lines.linePos(error.pos[0]).line, message: error.message.split("\n")[0] ?? "invalid YAML" };
  }
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    const aliases = /alias/i.test((err as Error).message);
    return {
      path,
      line: 1,
      message: aliases
        ? `more than ${MAX_ALIASES} YAML alias expansions (a guard against files that expand without end): write the values out`
        : `cannot be read as YAML: ${(err as Error).message}`,
    };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { path, line: 1, message: "the file must hold a mapping (name, description, favorited, tags, query)" };
  }
  const loaded: LoadedFile = { key, path, raw, file: {}, document, lines };
  const sqlPath = join(dir, `${key}.sql`);
  const holder = sqlHolder((raw as { query?: Json }).query);
  if (holder) {
    const sql = await readOptionalUtf8(sqlPath);
    if (typeof sql === "object") {
      return { path: sqlPath, line: sql.line, message: sql.message };
    }
    const inline = holder.query !== undefined;
    if (sql !== undefined && inline) {
      return {
        path,
        line: lineOf(loaded, ["query", "source", "query"]),
        message: `query.source.query: the SQL is both here and in ${basename(sqlPath)}: keep one`,
      };
    }
    if (sql === undefined && !inline) {
      return {
        path,
        line: lineOf(loaded, ["query", "source"]),
        message: `query.source.query: missing: expected the SQL in ${sqlPath} (or inline here)`,
      };
    }
    if (sql !== undefined) {
      holder.query = sql.endsWith("\n") ? sql.slice(0, -1) : sql;
      loaded.sqlPath = sqlPath;
    }
  }
  const record = raw as Record<string, unknown>;
  loaded.file = canonicalFile({
    name: typeof record.name === "string" ? record.name : undefined,
    description: typeof record.description === "string" ? record.description : undefined,
    favorited: record.favorited === true,
    tags: Array.isArray(record.tags) ? record.tags.map(String) : undefined,
    query: (record.query ?? undefined) as InsightQuery | undefined,
  } as InsightFile);
  return loaded;
}

/** A sidecar's text, undefined when there is none, or its problem when it is not UTF-8. */
async function readOptionalUtf8(path: string): Promise<string | undefined | { line: number; message: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") {
      return undefined;
    }
    throw err;
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    return { line: lineAtByte(bytes, bad), message: "not UTF-8 (Latin-1 perhaps): save the file as UTF-8" };
  }
  return bytes.toString("utf8").replace(/^\uFEFF/, "");
}

/**
 * The offset of the first byte that is not part of valid UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or -1.
 *
 * @example
 * firstInvalidUtf8(Buffer.from([0x63, 0x61, 0x66, 0xe9])); // 3 ("café" in Latin-1)
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) {
        return i;
      }
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return i;
    }
    i += need + 1;
  }
  return -1;
}

function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
    }
  }
  return line;
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
