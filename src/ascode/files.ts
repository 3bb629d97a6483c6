// Object files on disk, for every kind: `<key>.<kind>.yaml` anywhere under the directory
// (subfolders too; first line a schema pointer for editors), and a kind's sidecar beside its
// file (a SQL insight's `<key>.sql`). Reads (UTF-8 only, every problem named with its file and
// line) and writes (atomically); what goes in a file is the kind's business, whether it is valid
// validate.ts's. Knows kinds only through the interface it is handed.
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { LineCounter, parseDocument, stringify, type Document } from "yaml";
import { writeAtomic } from "./atomic.js";
import type { Json } from "./canonical.js";
import { DirectoryError } from "./errors.js";
import type { AnyKind } from "./kind.js";
import type { KindName } from "./kind-names.js";
import { isKey } from "./slug.js";

/** Where editors find the file JSON Schemas (shipped in the package, generated from the spec). */
const SCHEMA_BASE = "https://unpkg.com/posthog-insights@0/generated/";
// YAML aliases a file may use before it is refused (a "billion laughs" file expands without end).
const MAX_ALIASES = 100;
// Folders never read: the state's own, hidden ones, and installed packages.
const SKIPPED = (name: string): boolean => name.startsWith(".") || name === "node_modules";

/**
 * The first line of a kind's files: the schema pointer editors follow.
 *
 * @example
 * schemaHeader(dashboardKind); // "# yaml-language-server: $schema=https://unpkg.com/.../dashboard-file.schema.json\n"
 */
export function schemaHeader(kind: Pick<AnyKind, "schemaFile">): string {
  return `# yaml-language-server: $schema=${SCHEMA_BASE}${kind.schemaFile}\n`;
}

/** A file read from disk, with what validation needs to point at lines. */
export interface LoadedFile {
  kind: KindName;
  key: string;
  path: string;
  /** The file as written, the sidecar merged in. */
  raw: unknown;
  /** The canonical file. */
  file: object;
  /** The parsed YAML document and its line counter, to map a JSON path to a line. */
  document: Document;
  lines: LineCounter;
  /** The sidecar's path, when there is one. */
  sidecarPath?: string;
}

/** A file that could not be read: its path, line (1-based, when known) and what is wrong. */
export interface FileProblem {
  path: string;
  line?: number;
  message: string;
}

/**
 * The text of a file and of its sidecar (a SQL insight's), byte for byte as written: schema
 * pointer, then the YAML.
 *
 * @example
 * const { yaml, sidecar } = renderFile(insightKind, {
 *   name: "Revenue",
 *   query: { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: "select 1" } },
 * });
 */
export function renderFile(kind: AnyKind, file: object): { yaml: string; sidecar?: string } {
  const body = structuredClone(kind.document(file)) as { [key: string]: Json };
  const holder = kind.sidecar?.holder(body);
  let sidecar: string | undefined;
  const property = kind.sidecar?.property;
  if (holder && property !== undefined && typeof holder[property] === "string") {
    sidecar = `${holder[property]}\n`;
    delete holder[property];
  }
  const yaml = schemaHeader(kind) + stringify(body, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
  return sidecar === undefined ? { yaml } : { yaml, sidecar };
}

/**
 * The path of a key's file: the one it already has (in a subfolder, or `.insight.yml`, it stays
 * so), else `<key><suffix>` at the top of the directory.
 *
 * @example
 * objectPath(insightKind, "insights", "daily-signups"); // "insights/daily-signups.insight.yaml"
 */
export function objectPath(kind: AnyKind, dir: string, key: string, existing?: string): string {
  return existing ?? join(dir, key + (kind.suffixes[0] ?? ""));
}

/** A file's sidecar path: beside it, `<key><extension>`. */
function sidecarOf(kind: AnyKind, path: string, key: string): string | undefined {
  return kind.sidecar ? join(dirname(path), key + kind.sidecar.extension) : undefined;
}

/**
 * Writes an object's file (and sidecar) when their text differs from what is on disk; removes a
 * stale sidecar. Resolves to true when something changed. `existing` is the file's current path.
 *
 * @example
 * await writeObjectFile(insightKind, "insights", "daily-signups", file);
 */
export async function writeObjectFile(
  kind: AnyKind,
  dir: string,
  key: string,
  file: object,
  existing?: string,
): Promise<boolean> {
  const { yaml, sidecar } = renderFile(kind, file);
  const path = objectPath(kind, dir, key, existing);
  let changed = await writeIfChanged(path, yaml);
  const sidecarPath = sidecarOf(kind, path, key);
  if (sidecarPath === undefined) {
    return changed;
  }
  if (sidecar === undefined) {
    if ((await readOptional(sidecarPath)) !== undefined) {
      await rm(sidecarPath);
      changed = true;
    }
  } else if (await writeIfChanged(sidecarPath, sidecar)) {
    changed = true;
  }
  return changed;
}

/**
 * Removes an object's file (and its sidecar).
 *
 * @example
 * await removeObjectFile(insightKind, "insights/old-insight.insight.yaml", "old-insight");
 */
export async function removeObjectFile(kind: AnyKind, path: string, key: string): Promise<void> {
  await rm(path, { force: true });
  const sidecarPath = sidecarOf(kind, path, key);
  if (sidecarPath !== undefined) {
    await rm(sidecarPath, { force: true });
  }
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

/** What reading a directory found, per kind. */
export interface DirContents {
  /** The files that parsed, by kind and key. */
  files: Map<KindName, Map<string, LoadedFile>>;
  /** What could not be read, one per problem, with file and line. */
  problems: FileProblem[];
  /** Keys whose file exists but cannot be read (pull must never overwrite them), by kind. */
  unreadable: Map<KindName, Map<string, string>>;
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

/** Every file under `dir`, subfolders included (hidden ones and node_modules skipped), sorted by path. */
async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED(entry.name)) {
        found.push(...(await walk(path)));
      }
    } else if (entry.isFile()) {
      found.push(path);
    }
  }
  return found;
}

/**
 * Reads every file of the given kinds under `dir`, in subfolders too. Files that cannot be read
 * (not UTF-8, not YAML, a missing sidecar, two files for one key of a kind) are returned as
 * problems, with their line. The directory must exist (see `checkDir`).
 *
 * @example
 * const { files, problems } = await readDir("insights", KINDS);
 * const dashboards = files.get("dashboard");
 */
export async function readDir(dir: string, kinds: readonly AnyKind[]): Promise<DirContents> {
  const files = new Map<KindName, Map<string, LoadedFile>>(kinds.map((kind) => [kind.name, new Map()]));
  const unreadable = new Map<KindName, Map<string, string>>(kinds.map((kind) => [kind.name, new Map()]));
  const problems: FileProblem[] = [];
  const seen = new Map<string, string>();
  const paths = (await walk(dir)).sort((a, b) => a.localeCompare(b));
  for (const path of paths) {
    const name = basename(path);
    const kind = kinds.find((candidate) => candidate.suffixes.some((suffix) => name.endsWith(suffix)));
    if (!kind) {
      continue;
    }
    const suffix = kind.suffixes.find((candidate) => name.endsWith(candidate)) ?? "";
    const key = name.slice(0, -suffix.length);
    const fail = (problem: FileProblem): void => {
      problems.push(problem);
      unreadable.get(kind.name)?.set(key, path);
    };
    if (!isKey(key)) {
      fail({ path, message: `file name: use lower-case letters, digits and dashes before ${suffix}` });
      continue;
    }
    const other = seen.get(`${kind.name}:${key}`);
    if (other !== undefined) {
      const both =
        dirname(other) === dirname(path) ? [basename(other), name] : [other, path].map((p) => relative(dir, p));
      fail({ path, message: `two files for the key ${key}: ${both.join(" and ")}; keep one` });
      continue;
    }
    seen.set(`${kind.name}:${key}`, path);
    const read = await readLoaded(kind, key, path);
    if ("message" in read) {
      fail(read);
    } else {
      files.get(kind.name)?.set(key, read);
    }
  }
  return { files, problems, unreadable };
}

/** One file (and its sidecar), or the problem that stops it being read. */
async function readLoaded(kind: AnyKind, key: string, path: string): Promise<LoadedFile | FileProblem> {
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
    return { path, line: 1, message: `the file must hold a mapping (the ${kind.name}'s fields: name, description...)` };
  }
  const loaded: LoadedFile = { kind: kind.name, key, path, raw, file: {}, document, lines };
  const sidecar = kind.sidecar;
  const holder = sidecar?.holder(raw as Record<string, unknown>);
  const sidecarPath = sidecarOf(kind, path, key);
  if (sidecar && holder && sidecarPath !== undefined) {
    const text = await readOptionalUtf8(sidecarPath);
    if (typeof text === "object") {
      return { path: sidecarPath, line: text.line, message: text.message };
    }
    const field = [...sidecar.path, sidecar.property].join(".");
    const inline = holder[sidecar.property] !== undefined;
    if (text !== undefined && inline) {
      return {
        path,
        line: lineOf(loaded, [...sidecar.path, sidecar.property]),
        message: `${field}: ${sidecar.what} is both here and in ${basename(sidecarPath)}: keep one`,
      };
    }
    if (text === undefined && !inline) {
      return {
        path,
        line: lineOf(loaded, sidecar.path),
        message: `${field}: missing: expected ${sidecar.what} in ${sidecarPath} (or inline here)`,
      };
    }
    if (text !== undefined) {
      holder[sidecar.property] = text.endsWith("\n") ? text.slice(0, -1) : text;
      loaded.sidecarPath = sidecarPath;
    }
  }
  // Canonical even when invalid: validation reads `raw`, and an invalid file is never sent.
  loaded.file = kind.fromDocument(raw as Record<string, unknown>);
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
