// The canonical form of an insight file: writable fields only, stable key order, no nulls,
// no server defaults, and comparisons that ignore PostHog's query `version` markers. Pure.
import { createHash } from "node:crypto";
import type { Insight, InsightQuery } from "../types.js";

/** A JSON value as files and PostHog hold it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * What an insight file holds: the fields a person edits. No ids, nothing the server computes.
 *
 * @example
 * const file: InsightFile = {
 *   name: "Daily signups",
 *   query: { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [] } },
 * };
 */
export interface InsightFile {
  name?: string;
  description?: string;
  favorited?: boolean;
  tags?: string[];
  query?: InsightQuery;
}

/** The top-level fields of a file, in file order. */
export const FILE_FIELDS = ["name", "description", "favorited", "tags", "query"] as const;

/**
 * Sorts object keys (`kind` first, the rest alphabetically) and drops null or undefined
 * properties, deeply. Array items keep their order and their nulls (a null there is data).
 *
 * @example
 * canonicalJson({ b: 1, kind: "X", a: null }); // { kind: "X", b: 1 }
 */
export function canonicalJson(value: unknown): Json {
  if (Array.isArray(value)) {
    return value.map((item) => (item === undefined ? null : canonicalJson(item)));
  }
  if (value !== null && typeof value === "object") {
    const source = value as Record<string, unknown>;
    const keys = Object.keys(source)
      .filter((key) => source[key] !== null && source[key] !== undefined)
      .sort((a, b) => {
        if (a === "kind" || b === "kind") {
          return a === "kind" ? -1 : 1;
        }
        return a < b ? -1 : Number(a > b);
      });
    const out: { [key: string]: Json } = {};
    for (const key of keys) {
      out[key] = canonicalJson(source[key]);
    }
    return out;
  }
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") {
    return value;
  }
  return null;
}

/**
 * PostHog's query upgrade logic (posthog/schema_migrations): every node with a `kind` may carry
 * a `version`; a missing or null one means 1, and on read the server replays its migrations and
 * stamps the node's latest version. So `version: 1` says nothing and is dropped; a higher marker
 * is kept (it tells the server the node is already in that shape, so pushing the file back never
 * replays a migration on it).
 *
 * @example
 * dropDefaultVersions({ kind: "TrendsQuery", version: 1 }); // { kind: "TrendsQuery" }
 */
export function dropDefaultVersions(value: Json): Json {
  return mapNodes(value, (node) => {
    if (typeof node.kind === "string" && (node.version === 1 || node.version === null)) {
      const { version: _dropped, ...rest } = node;
      return rest;
    }
    return node;
  });
}

/**
 * The query as compared: without any `version` marker on a node, since the server adds them on
 * read and they never change what the query means (the shape after upgrade is compared instead).
 *
 * @example
 * withoutVersions({ kind: "InsightVizNode", version: 2, source: { kind: "TrendsQuery", version: 5 } });
 */
export function withoutVersions(value: Json): Json {
  return mapNodes(value, (node) => {
    if (typeof node.kind === "string" && "version" in node) {
      const { version: _dropped, ...rest } = node;
      return rest;
    }
    return node;
  });
}

function mapNodes(value: Json, visit: (node: { [key: string]: Json }) => { [key: string]: Json }): Json {
  if (Array.isArray(value)) {
    return value.map((item) => mapNodes(item, visit));
  }
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(visit(value))) {
      out[key] = mapNodes(item, visit);
    }
    return out;
  }
  return value;
}

/**
 * The canonical file of any insight-like value (a server `Insight`, a parsed file): writable
 * fields only, defaults left out (empty description, `favorited: false`, no tags), no nulls.
 *
 * @example
 * canonicalFile(await posthog.insights.retrieve(7)); // { name: "...", query: { ... } }
 */
export function canonicalFile(source: Partial<Pick<Insight, (typeof FILE_FIELDS)[number]>> | InsightFile): InsightFile {
  const file: InsightFile = {};
  if (typeof source.name === "string" && source.name !== "") {
    file.name = source.name;
  }
  if (typeof source.description === "string" && source.description !== "") {
    file.description = source.description;
  }
  if (source.favorited === true) {
    file.favorited = true;
  }
  if (Array.isArray(source.tags) && source.tags.length > 0) {
    file.tags = [...source.tags].map(String).sort();
  }
  if (source.query !== null && source.query !== undefined) {
    file.query = dropDefaultVersions(canonicalJson(source.query)) as InsightQuery;
  }
  return file;
}

/**
 * The form two files are compared in: canonical, without version markers.
 *
 * @example
 * isDeepStrictEqual(comparable(a), comparable(b));
 */
export function comparable(file: object): Json {
  const json = canonicalJson(file);
  return withoutVersions(json);
}

/**
 * A short content hash of a file's comparable form (what the state records after each sync).
 *
 * @example
 * contentHash({ name: "Daily signups" }); // "sha256:3b1f..."
 */
export function contentHash(file: object): string {
  return `sha256:${createHash("sha256")
    .update(JSON.stringify(comparable(file)))
    .digest("hex")
    .slice(0, 32)}`;
}
