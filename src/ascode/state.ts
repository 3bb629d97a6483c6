// The sync state of a directory (`.posthog-insights/state.json`): per target (origin + project),
// which insight each key is, as of the last pull or push, and the creates in flight. Holds no
// secrets (it is meant to be committed); written atomically after every change.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomic } from "./atomic.js";

/** What the directory knows of one managed insight. */
export interface StateEntry {
  id: number;
  short_id: string;
  last_modified_at: string | null;
  /** Content hash of the insight's comparable form at the last sync. */
  hash: string;
  /** True when the file came from this target by a pull (ids in its query belong here). */
  pulled?: boolean;
}

/** A create sent (or about to be) whose answer has not been recorded yet. */
export interface PendingCreate {
  hash: string;
  name: string | null;
  /** When the create was about to be sent (ISO time): the insight it made is not older. */
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

/** Where a directory's state lives. */
export function statePath(dir: string): string {
  return join(dir, ".posthog-insights", "state.json");
}

/**
 * The state of a directory, loaded once and saved after each change.
 *
 * @example
 * const state = await StateStore.load("insights");
 * const target = state.target("https://us.posthog.com", "12345");
 */
export class StateStore {
  readonly path: string;
  readonly #doc: StateDocument;

  private constructor(path: string, doc: StateDocument) {
    this.path = path;
    this.#doc = doc;
  }

  /** Loads the state file at `path` (empty when there is none). */
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
    const parsed: unknown = JSON.parse(text);
    if (!isStateDocument(parsed)) {
      throw new Error(`${path} is not a posthog-insights state file (version 1): restore it from git.`);
    }
    return new StateStore(path, parsed);
  }

  /** The state of a target, created empty on first use. */
  target(origin: string, project: string): TargetState {
    const id = `${origin}/project/${project}`;
    let target = this.#doc.targets[id];
    if (!target) {
      target = { origin, project, entries: {}, pending: {} };
      this.#doc.targets[id] = target;
    }
    return target;
  }

  /** Every target of the directory. */
  targets(): TargetState[] {
    return Object.values(this.#doc.targets);
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

function isStateDocument(value: unknown): value is StateDocument {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const doc = value as { version?: unknown; targets?: unknown };
  return doc.version === 1 && typeof doc.targets === "object" && doc.targets !== null;
}
