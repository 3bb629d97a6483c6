// The sync state of a directory (`.posthog-insights/state.json`): per target (canonical origin +
// numeric project) and per kind, which object each key is as of the last pull or push (with a
// dashboard's tile ids), and the creates in flight. Holds no secrets (it is meant to be
// committed); written atomically after every change. Reading it checks every field, names the
// file on any problem, upgrades a version 1 file (insights only) without loss, and folds targets
// filed under an older spelling of the same target (`127.0.0.1`, `@current`) into one.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeAtomic } from "./atomic.js";
import { StateError } from "./errors.js";
import { KIND_NAMES, type KindName, PLURALS } from "./kind-names.js";
import { canonicalOrigin, type Target } from "./target.js";

/**
 * A tile's layout on the `sm` grid (integers). A type, not an interface: it is sent as a JSON object.
 *
 * @example
 * const layout: TileLayout = { x: 0, y: 5, w: 12, h: 5 };
 */
export type TileLayout = {
  x: number;
  y: number;
  w: number;
  h: number;
};

/**
 * A dashboard tile as last synced: its id, and where PostHog placed it when the file left it unplaced.
 *
 * @example
 * const tiles: TileEntry[] = [{ id: 31 }, { id: 32, auto: { x: 6, y: 0, w: 6, h: 5 } }];
 */
export interface TileEntry {
  id: number;
  /** The layout PostHog gave a tile the file has no `layout` for: not a change while it stays there. */
  auto?: TileLayout;
}

/** What the directory knows of one managed object. */
export interface StateEntry {
  id: number;
  /** Insights only: the short id of their links. */
  short_id?: string;
  last_modified_at: string | null;
  /** Content hash of the object's comparable form at the last sync (what file and PostHog agreed on). */
  hash: string;
  /** True when the file came from this target by a pull (ids in it belong here). */
  pulled?: boolean;
  /** Dashboards: their tiles as last synced, in the file's order. */
  tiles?: TileEntry[];
  /**
   * A write of several requests (a dashboard's tiles) started and not finished: the hash of the
   * file it was writing. PostHog's differences from the baseline are then this push's own.
   */
  updating?: string;
  /**
   * `copy`: the destination's own object (there before the copy, adopted by name), taken as the
   * mapping target only: never updated nor deleted.
   */
  adopted?: true;
  /**
   * `copy`, dashboards: each tile's filter overrides as the copy last wrote them (or found them
   * equal), keyed by the tile's insight key (a text card: its text, JSON-quoted): a tile whose
   * overrides differ from these was edited in the destination.
   */
  overrides?: Record<string, { [key: string]: unknown }>;
}

/** A create sent (or about to be) whose answer has not been recorded yet. */
export interface PendingCreate {
  hash: string;
  name: string | null;
  /** When the create was about to be sent (ISO time): the object it made is not older. */
  started_at: string;
}

/**
 * What a target knows of one kind: each key's object, and the creates in flight.
 *
 * @example
 * const actions: KindState = {
 *   entries: { "signed-up": { id: 7, last_modified_at: null, hash: "9f2c..." } },
 *   pending: {},
 * };
 */
export interface KindState {
  entries: Record<string, StateEntry>;
  pending: Record<string, PendingCreate>;
}

/** The state of one target: where it is, and each kind's entries. */
export interface TargetState {
  origin: string;
  project: string;
  kinds: Record<KindName, KindState>;
}

/** A target as the file holds it (version 2): each kind under its plural, left out when empty. */
interface StoredTarget {
  origin: string;
  project: string;
  [plural: string]: KindState | string;
}

interface StateDocument {
  version: 2;
  targets: Record<string, StoredTarget>;
}

/**
 * An empty target state.
 *
 * @example
 * const target = emptyTarget("https://us.posthog.com", "12345");
 */
export function emptyTarget(origin: string, project: string): TargetState {
  const kinds = {} as Record<KindName, KindState>;
  for (const kind of KIND_NAMES) {
    kinds[kind] = { entries: {}, pending: {} };
  }
  return { origin, project, kinds };
}

/**
 * The directory of a directory's state (and of its lock).
 *
 * @example
 * stateDir("insights"); // "insights/.posthog-insights"
 */
export function stateDir(dir: string): string {
  return join(dir, ".posthog-insights");
}

/**
 * Where a directory's state lives.
 *
 * @example
 * statePath("insights"); // "insights/.posthog-insights/state.json"
 */
export function statePath(dir: string): string {
  return join(stateDir(dir), "state.json");
}

/**
 * The state of a directory, loaded once and saved after each change.
 *
 * @example
 * const state = await StateStore.load(statePath("insights"));
 * const target = state.target(await resolveTarget(posthog));
 */
export class StateStore {
  readonly path: string;
  readonly #targets: Record<string, TargetState>;
  /** Target keys folded into another by `target()`, as they were spelt. */
  readonly migrated: string[] = [];
  /** The version the file had when read (1: upgraded to 2 on the next save; undefined: no file). */
  readonly readVersion: 1 | 2 | undefined;

  private constructor(path: string, targets: Record<string, TargetState>, version: 1 | 2 | undefined) {
    this.path = path;
    this.#targets = targets;
    this.readVersion = version;
  }

  /** The directory the state file sits in (where the lock goes too). */
  get dir(): string {
    return dirname(this.path);
  }

  /**
   * Loads the state file at `path` (empty when there is none). A version 1 file (insights only)
   * is read as version 2 with its entries under insights. A file that is not JSON, or not a
   * state, is a `StateError` naming the path, the field and how to recover.
   */
  static async load(path: string): Promise<StateStore> {
    let text: string | undefined;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if ((err as { code?: string }).code !== "ENOENT") {
        throw err;
      }
    }
    if (text === undefined) {
      return new StateStore(path, {}, undefined);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new StateError(path, `not valid JSON (${(err as Error).message})`);
    }
    const read = readDocument(parsed);
    if (typeof read === "string") {
      throw new StateError(path, `not a posthog-insights state (version 1 or 2): ${read}`);
    }
    return new StateStore(path, read.targets, read.version);
  }

  /**
   * The state of a target, created empty on first use. Targets filed under another spelling
   * of the same origin and project (or under `@current`, when `fromCurrent` says this run's
   * `@current` is this project) are folded into it: their entries are kept, the target key
   * rewritten on the next save. On a key both hold, the entry under the canonical key wins.
   */
  target(resolved: Target, options: { fromCurrent?: boolean } = {}): TargetState {
    let target = this.#targets[resolved.id];
    if (!target) {
      target = emptyTarget(resolved.origin, String(resolved.project));
      this.#targets[resolved.id] = target;
    }
    for (const [id, other] of Object.entries(this.#targets)) {
      if (id === resolved.id || !sameTarget(other, resolved, options.fromCurrent === true)) {
        continue;
      }
      for (const kind of KIND_NAMES) {
        const mine = target.kinds[kind];
        const theirs = other.kinds[kind];
        mine.entries = { ...theirs.entries, ...mine.entries };
        mine.pending = { ...theirs.pending, ...mine.pending };
      }
      delete this.#targets[id];
      this.migrated.push(id);
    }
    target.origin = resolved.origin;
    target.project = String(resolved.project);
    return target;
  }

  /** Every target of the directory, with the key it is filed under. */
  byId(): [string, TargetState][] {
    return Object.entries(this.#targets);
  }

  /** Writes the state (version 2) atomically, keys sorted and empty kinds left out, so that git diffs stay small. */
  async save(): Promise<void> {
    const targets: Record<string, StoredTarget> = {};
    for (const id of Object.keys(this.#targets).sort()) {
      const target = this.#targets[id];
      if (!target) {
        continue;
      }
      const stored: StoredTarget = { origin: target.origin, project: target.project };
      for (const kind of KIND_NAMES) {
        const { entries, pending } = target.kinds[kind];
        if (Object.keys(entries).length > 0 || Object.keys(pending).length > 0) {
          stored[PLURALS[kind]] = { entries: sortKeys(entries), pending: sortKeys(pending) };
        }
      }
      targets[id] = stored;
    }
    const document: StateDocument = { version: 2, targets };
    await writeAtomic(this.path, `${JSON.stringify(document, null, 2)}\n`);
  }
}

/**
 * Keys of one kind of a target that point at the same remote id (a hand edit or a merge of two
 * branches' states): each such group, in key order.
 *
 * @example
 * sharedIds(target.kinds.insight); // [[12, ["daily-signups", "signups"]]]
 */
export function sharedIds(kind: KindState): [number, string[]][] {
  const byId = new Map<number, string[]>();
  for (const key of Object.keys(kind.entries).sort()) {
    const id = kind.entries[key]?.id;
    if (id !== undefined) {
      byId.set(id, [...(byId.get(id) ?? []), key]);
    }
  }
  return [...byId].filter(([, keys]) => keys.length > 1);
}

function sameTarget(other: TargetState, resolved: Target, fromCurrent: boolean): boolean {
  let origin: string;
  try {
    origin = canonicalOrigin(other.origin);
  } catch {
    return false;
  }
  if (origin !== resolved.origin) {
    return false;
  }
  return other.project === String(resolved.project) || (fromCurrent && other.project === "@current");
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) {
    const value = record[key];
    if (value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A parsed state document as targets (a version 1 one upgraded), or the first thing wrong with it. */
function readDocument(value: unknown): { version: 1 | 2; targets: Record<string, TargetState> } | string {
  if (!isObject(value)) {
    return "the file must hold an object";
  }
  if (value.version !== 1 && value.version !== 2) {
    return `version is ${JSON.stringify(value.version)}, not 1 or 2`;
  }
  if (!isObject(value.targets)) {
    return "targets must be an object";
  }
  const targets: Record<string, TargetState> = {};
  for (const [id, stored] of Object.entries(value.targets)) {
    const at = `targets[${JSON.stringify(id)}]`;
    if (!isObject(stored)) {
      return `${at} must be an object`;
    }
    if (typeof stored.origin !== "string" || typeof stored.project !== "string") {
      return `${at} needs an origin and a project (strings)`;
    }
    const target = emptyTarget(stored.origin, stored.project);
    // Version 1 held insights only, as entries and pending beside origin and project.
    const parts: [KindName, unknown, string][] =
      value.version === 1
        ? [["insight", { entries: stored.entries, pending: stored.pending }, at]]
        : KIND_NAMES.filter((kind) => stored[PLURALS[kind]] !== undefined).map((kind) => [
            kind,
            stored[PLURALS[kind]],
            `${at}.${PLURALS[kind]}`,
          ]);
    for (const [kind, part, where] of parts) {
      const problem = kindProblem(part, where, kind);
      if (problem) {
        return problem;
      }
      target.kinds[kind] = part as KindState;
    }
    targets[id] = target;
  }
  return { version: value.version, targets };
}

function kindProblem(part: unknown, at: string, kind: KindName): string | undefined {
  if (!isObject(part) || !isObject(part.entries) || !isObject(part.pending)) {
    return `${at} needs entries and pending (objects)`;
  }
  for (const [key, entry] of Object.entries(part.entries)) {
    const problem = entryProblem(entry, kind);
    if (problem) {
      return `${at}.entries[${JSON.stringify(key)}].${problem}`;
    }
  }
  for (const [key, pending] of Object.entries(part.pending)) {
    if (
      !isObject(pending) ||
      typeof pending.hash !== "string" ||
      !(typeof pending.name === "string" || pending.name === null) ||
      typeof pending.started_at !== "string" ||
      Number.isNaN(Date.parse(pending.started_at))
    ) {
      return `${at}.pending[${JSON.stringify(key)}] needs hash, name and started_at (an ISO time)`;
    }
  }
  return undefined;
}

const isId = (value: unknown): boolean => typeof value === "number" && Number.isSafeInteger(value) && value > 0;

function entryProblem(entry: unknown, kind: KindName): string | undefined {
  if (!isObject(entry)) {
    return "entry must be an object";
  }
  if (!isId(entry.id)) {
    return `id: ${JSON.stringify(entry.id)} is not an id (a positive integer)`;
  }
  if (
    kind === "insight"
      ? typeof entry.short_id !== "string"
      : !(entry.short_id === undefined || typeof entry.short_id === "string")
  ) {
    return `short_id: ${JSON.stringify(entry.short_id)} is not a string`;
  }
  if (typeof entry.hash !== "string") {
    return `hash: ${JSON.stringify(entry.hash)} is not a string`;
  }
  if (!(typeof entry.last_modified_at === "string" || entry.last_modified_at === null)) {
    return "last_modified_at must be a string or null";
  }
  if (entry.pulled !== undefined && typeof entry.pulled !== "boolean") {
    return "pulled must be a boolean";
  }
  if (entry.adopted !== undefined && entry.adopted !== true) {
    return "adopted must be true (or left out)";
  }
  if (entry.updating !== undefined && typeof entry.updating !== "string") {
    return "updating must be a string (a hash)";
  }
  if (entry.overrides !== undefined) {
    if (!isObject(entry.overrides) || !Object.values(entry.overrides).every(isObject)) {
      return "overrides must be an object of objects (each tile's filter overrides)";
    }
  }
  if (entry.tiles !== undefined) {
    if (!Array.isArray(entry.tiles)) {
      return "tiles must be a list";
    }
    for (const [index, tile] of entry.tiles.entries()) {
      if (!isObject(tile) || !isId(tile.id)) {
        return `tiles[${index}].id is not an id (a positive integer)`;
      }
      if (tile.auto !== undefined && !isLayout(tile.auto)) {
        return `tiles[${index}].auto must be a layout {x, y, w, h} of integers`;
      }
    }
  }
  return undefined;
}

function isLayout(value: unknown): boolean {
  return isObject(value) && ["x", "y", "w", "h"].every((axis) => Number.isSafeInteger(value[axis]));
}
