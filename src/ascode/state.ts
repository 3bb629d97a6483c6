// The sync state of a directory (`.posthog-insights/state.json`): per target (canonical origin +
// numeric project), which object each key is, as of the last pull or push, and the creates in
// flight. Holds no secrets (it is meant to be committed); written atomically after every change.
// Reading it checks every field, names the file on any problem, and folds targets filed under an
// older spelling of the same target (`127.0.0.1`, a project read as `@current`) into one.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeAtomic } from "./atomic.js";
import { StateError } from "./errors.js";
import { canonicalOrigin, type Target } from "./target.js";

/** What the directory knows of one managed object. */
export interface StateEntry {
  id: number;
  short_id: string;
  last_modified_at: string | null;
  /** Content hash of the object's comparable form at the last sync (what file and PostHog agreed on). */
  hash: string;
  /** True when the file came from this target by a pull (ids in its query belong here). */
  pulled?: boolean;
}

/** A create sent (or about to be) whose answer has not been recorded yet. */
export interface PendingCreate {
  hash: string;
  name: string | null;
  /** When the create was about to be sent (ISO time): the object it made is not older. */
  started_at: string;
}

/** The state of one target. */
export interface TargetState {
  origin: string;
  project: string;
  entries: Record<string, StateEntry>;
  pending: Record<string, PendingCreate>;
}

interface StateDocument {
  version: 1;
  targets: Record<string, TargetState>;
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
  readonly #doc: StateDocument;
  /** Target keys folded into another by `target()`, as they were spelt. */
  readonly migrated: string[] = [];

  private constructor(path: string, doc: StateDocument) {
    this.path = path;
    this.#doc = doc;
  }

  /** The directory the state file sits in (where the lock goes too). */
  get dir(): string {
    return dirname(this.path);
  }

  /**
   * Loads the state file at `path` (empty when there is none). A file that is not JSON, or not
   * a state, is a `StateError` naming the path, the field and how to recover.
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
      return new StateStore(path, { version: 1, targets: {} });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new StateError(path, `not valid JSON (${(err as Error).message})`);
    }
    const problem = documentProblem(parsed);
    if (problem) {
      throw new StateError(path, `not a posthog-insights state (version 1): ${problem}`);
    }
    return new StateStore(path, parsed as StateDocument);
  }

  /**
   * The state of a target, created empty on first use. Targets filed under another spelling
   * of the same origin and project (or under `@current`, when `fromCurrent` says this run's
   * `@current` is this project) are folded into it: their entries are kept, the target key
   * rewritten on the next save. On a key both hold, the entry under the canonical key wins.
   */
  target(resolved: Target, options: { fromCurrent?: boolean } = {}): TargetState {
    let target = this.#doc.targets[resolved.id];
    if (!target) {
      target = { origin: resolved.origin, project: String(resolved.project), entries: {}, pending: {} };
      this.#doc.targets[resolved.id] = target;
    }
    for (const [id, other] of Object.entries(this.#doc.targets)) {
      if (id === resolved.id || !sameTarget(other, resolved, options.fromCurrent === true)) {
        continue;
      }
      target.entries = { ...other.entries, ...target.entries };
      target.pending = { ...other.pending, ...target.pending };
      delete this.#doc.targets[id];
      this.migrated.push(id);
    }
    target.origin = resolved.origin;
    target.project = String(resolved.project);
    return target;
  }

  /** Every target of the directory, with the key it is filed under. */
  byId(): [string, TargetState][] {
    return Object.entries(this.#doc.targets);
  }

  /** Writes the state atomically, keys sorted so that git diffs stay small. */
  async save(): Promise<void> {
    const targets: Record<string, TargetState> = {};
    for (const id of Object.keys(this.#doc.targets).sort()) {
      const target = this.#doc.targets[id];
      if (target) {
        targets[id] = {
          origin: target.origin,
          project: target.project,
          entries: sortKeys(target.entries),
          pending: sortKeys(target.pending),
        };
      }
    }
    await writeAtomic(this.path, `${JSON.stringify({ version: 1, targets }, null, 2)}\n`);
  }
}

/**
 * Keys of a target that point at the same remote id (a hand edit or a merge of two branches'
 * states): each such group, in key order.
 *
 * @example
 * sharedIds(target); // [[12, ["daily-signups", "signups"]]]
 */
export function sharedIds(target: TargetState): [number, string[]][] {
  const byId = new Map<number, string[]>();
  for (const key of Object.keys(target.entries).sort()) {
    const id = target.entries[key]?.id;
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

/** The first thing wrong with a parsed state document, as `field: what`, or undefined. */
function documentProblem(value: unknown): string | undefined {
  if (!isObject(value)) {
    return "the file must hold an object";
  }
  if (value.version !== 1) {
    return `version is ${JSON.stringify(value.version)}, not 1`;
  }
  if (!isObject(value.targets)) {
    return "targets must be an object";
  }
  for (const [id, target] of Object.entries(value.targets)) {
    const at = `targets[${JSON.stringify(id)}]`;
    if (!isObject(target)) {
      return `${at} must be an object`;
    }
    if (typeof target.origin !== "string" || typeof target.project !== "string") {
      return `${at} needs an origin and a project (strings)`;
    }
    if (!isObject(target.entries) || !isObject(target.pending)) {
      return `${at} needs entries and pending (objects)`;
    }
    for (const [key, entry] of Object.entries(target.entries)) {
      const problem = entryProblem(entry);
      if (problem) {
        return `${at}.entries[${JSON.stringify(key)}].${problem}`;
      }
    }
    for (const [key, pending] of Object.entries(target.pending)) {
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
  }
  return undefined;
}

function entryProblem(entry: unknown): string | undefined {
  if (!isObject(entry)) {
    return "entry must be an object";
  }
  if (!(typeof entry.id === "number" && Number.isSafeInteger(entry.id) && entry.id > 0)) {
    return `id: ${JSON.stringify(entry.id)} is not an id (a positive integer)`;
  }
  if (typeof entry.short_id !== "string") {
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
  return undefined;
}
