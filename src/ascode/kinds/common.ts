// What the kinds share: reading a listing page by page with progress, re-reading one object
// (gone when deleted or not found), the plain fields of a file (name, description, tags), and
// the update body of the fields that differ. No kind-specific logic.
import { isDeepStrictEqual } from "node:util";
import { NotFoundError } from "../../errors.js";
import { comparable, contentHash, type Json } from "../canonical.js";
import { diff, type Change } from "../diff.js";
import type { FileRef } from "../kind.js";
import type { EngineProgress } from "../progress.js";
import {
  findRefs,
  formatPath,
  type JsonPath,
  type KeyRef,
  type LocalRef,
  parseKeyRef,
  type RefContainer,
} from "../refs.js";
import { slugify } from "../slug.js";

/**
 * The page size of listings: PostHog's default, and no maximum.
 *
 * @example
 * const actions = await allPages("actions", posthog.actions.list({ limit: PAGE }), progress);
 */
export const PAGE = 100;

/** A listing's page as the client's pages are: results, count, and the next one. */
interface ListPage<T> {
  results: T[];
  count: number;
  hasNextPage(): boolean;
  getNextPage(): PromiseLike<ListPage<T>>;
}

/**
 * Every item of a paged listing, reporting one progress step per page.
 *
 * @example
 * const cohorts = await allPages("cohorts", posthog.cohorts.list({ limit: PAGE }), progress);
 */
export async function allPages<T>(
  label: string,
  first: PromiseLike<ListPage<T>>,
  progress: EngineProgress,
): Promise<T[]> {
  let page = await first;
  const items = [...page.results];
  // One request at least, even for an empty project.
  progress.start("list", Math.max(1, Math.ceil(page.count / PAGE)));
  progress.item(label);
  progress.done();
  while (page.hasNextPage()) {
    progress.item(`${label} ${items.length + 1}-${Math.min(items.length + PAGE, page.count)}`);
    page = await page.getNextPage();
    items.push(...page.results);
    progress.done();
  }
  progress.stop();
  return items;
}

/**
 * The object `read` answers, or undefined when it is gone (soft-deleted, or not found).
 *
 * @example
 * const now = await unlessGone(() => posthog.actions.retrieve(7));
 */
export async function unlessGone<T extends { deleted?: boolean | null }>(
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    const object = await read();
    return object.deleted ? undefined : object;
  } catch (err) {
    if (err instanceof NotFoundError) {
      return undefined;
    }
    throw err;
  }
}

/**
 * The plain fields most files share: a name, a description, tags.
 *
 * @example
 * const fields: PlainFields = { name: "Signed up", description: "First visit", tags: ["growth"] };
 */
export interface PlainFields {
  name?: string;
  description?: string;
  tags?: string[];
}

/**
 * Name, description and tags in canonical form: an empty name or description and no tags are
 * left out, tags sorted.
 *
 * @example
 * plainFields({ name: "Signups", description: "", tags: ["b", "a"] }); // { name: "Signups", tags: ["a", "b"] }
 */
export function plainFields(source: { name?: unknown; description?: unknown; tags?: unknown }): PlainFields {
  const out: PlainFields = {};
  if (typeof source.name === "string" && source.name !== "") {
    out.name = source.name;
  }
  if (typeof source.description === "string" && source.description !== "") {
    out.description = source.description;
  }
  if (Array.isArray(source.tags) && source.tags.length > 0) {
    out.tags = source.tags.map(String).sort();
  }
  return out;
}

/**
 * The plain fields of an update: those of `fields` that differ between the file (its references
 * resolved) and the object now, a removed one sent as PostHog's empty value.
 *
 * @example
 * plainUpdate({ name: "New" }, { name: "Old", description: "gone" }, ["name", "description"]);
 * // { name: "New", description: "" }
 */
export function plainUpdate(
  file: PlainFields,
  now: PlainFields,
  fields: readonly (keyof PlainFields)[] = ["name", "description", "tags"],
): { name?: string | null; description?: string; tags?: string[] } {
  const body: { name?: string | null; description?: string; tags?: string[] } = {};
  if (fields.includes("name") && differs(file, now, "name")) {
    body.name = file.name ?? null;
  }
  if (fields.includes("description") && differs(file, now, "description")) {
    body.description = file.description ?? "";
  }
  if (fields.includes("tags") && differs(file, now, "tags")) {
    body.tags = file.tags ?? [];
  }
  return body;
}

/**
 * The project-local ids (numbers, not key references) of a document in one container, with
 * readable paths from `root`.
 *
 * @example
 * localRefsIn("cohort_filters", file.filters, "filters"); // [{ kind: "cohort", id: 4, path: "filters.properties.values[0].value" }]
 */
export function localRefsIn(container: RefContainer, document: Json | undefined, root: string): LocalRef[] {
  return findRefs(container, document)
    .filter((ref) => parseKeyRef(ref.value) === undefined)
    .map((ref) => ({ kind: ref.kind, id: ref.value, path: formatPath(ref.path, root) }));
}

/**
 * Whether one field differs between two files, compared as files are.
 *
 * @example
 * if (differs(file, current, "name")) body.name = file.name ?? null;
 */
export function differs<F extends object>(file: F, current: F, field: keyof F & string): boolean {
  const mine = (file as Record<string, unknown>)[field];
  const theirs = (current as Record<string, unknown>)[field];
  return !isDeepStrictEqual(comparable({ [field]: mine }), comparable({ [field]: theirs }));
}

/**
 * The changes between two files by JSON path (what most kinds show in a plan).
 *
 * @example
 * fieldChanges({ name: "a" }, { name: "b" }); // [{ path: "name", before: "a", after: "b" }]
 */
export function fieldChanges(before: object, after: object): Change[] {
  return diff(comparable(before), comparable(after));
}

/**
 * The content hash of a file (what most kinds find an interrupted create by).
 *
 * @example
 * hashOf({ name: "Signed up" });
 */
export function hashOf(file: object): string {
  return contentHash(file);
}

/**
 * A key for a new file: the name's slug, else `<kind>-<id>`; on a collision the id is added.
 *
 * @example
 * idKey("cohort", { id: 4, name: "Power users" }, new Set(["power-users"])); // "power-users-4"
 */
export function idKey(kind: string, remote: { id: number; name?: string | null }, taken: Set<string>): string {
  const base = slugify(remote.name ?? "") || `${kind}-${remote.id}`;
  if (!taken.has(base)) {
    return base;
  }
  let key = `${base}-${remote.id}`;
  for (let n = 2; taken.has(key); n++) {
    key = `${base}-${remote.id}-${n}`;
  }
  return key;
}

/**
 * A JSON object, for documents read from files or PostHog.
 *
 * @example
 * const filters: JsonObject = { date_from: "-30d", properties: [] };
 */
export type JsonObject = { [key: string]: Json };

/**
 * Whether a value is a JSON object (not null, not a list).
 *
 * @example
 * isJsonObject({ a: 1 }); // true
 */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A key reference found at `path`, noting the kind the place holds when it is another.
 *
 * @example
 * fileRef({ kind: "action", key: "signed-up" }, ["query", "source", "series", 0, "id"], "action");
 */
export function fileRef(named: KeyRef, path: JsonPath, holds: string): FileRef {
  return named.kind === holds ? { ...named, path } : { ...named, path, holds };
}

/**
 * Every key reference of a document in one container, with paths from the file's root.
 *
 * @example
 * keyRefsIn("cohort_filters", file.filters, ["filters"]);
 */
export function keyRefsIn(container: RefContainer, document: Json | undefined, root: JsonPath): FileRef[] {
  return findRefs(container, document).flatMap((ref) => {
    const named = parseKeyRef(ref.value);
    return named ? [fileRef(named, [...root, ...ref.path], ref.kind)] : [];
  });
}
