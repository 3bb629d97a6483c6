// `pull`: writes the project's objects (every kind, or the ones asked for) into a directory
// without ever losing local work. A file that differs from its last-synced content is left as it
// is and reported (a conflict when PostHog changed too), unless forced; a file that cannot be read
// is never overwritten; a local file that already is a remote object keeps its key instead of
// gaining a twin. Keys are settled for every kind first (in dependency order), so that each file
// names the objects it references by the key their own file has.
import { mkdir } from "node:fs/promises";
import type { PostHogClient } from "../client.js";
import { checkDir, objectPath, readDir, removeObjectFile, writeObjectFile } from "./files.js";
import type { AnyKind, RemoteObject, View } from "./kind.js";
import { KIND_NAMES, type KindName } from "./kind-names.js";
import { KeyMap } from "./keymap.js";
import { KINDS } from "./kinds/index.js";
import { withLock } from "./lock.js";
import { findAdoptable } from "./plan.js";
import { type EngineProgress, QUIET } from "./progress.js";
import { checkSharedIds, openTarget } from "./session.js";
import { stateDir, statePath, type StateEntry } from "./state.js";

/** A local file pull left as it was, and why. */
export interface Kept {
  kind: KindName;
  key: string;
  path: string;
  reason: string;
  /** True when PostHog changed too (or the file cannot be read): someone must choose. */
  conflict: boolean;
}

/** What `pull` did. */
export interface PullResult {
  /** Objects in the project, of the kinds pulled. */
  total: number;
  /** The same, per kind pulled. */
  counts: Partial<Record<KindName, number>>;
  /** Files written (`kind:key` for kinds other than insights). */
  written: string[];
  /** Of those, files already the same as PostHog's object whose ids of objects managed here were written as keys. */
  rekeyed: string[];
  unchanged: number;
  removed: string[];
  kept: Kept[];
  /** Files that leave part of their object out: static cohorts, pulled without their members (people of this project are never copied). */
  staticCohorts: string[];
  /** State targets folded into this one (older spellings of it). */
  migrated: string[];
  /** A stale lock (of a killed run) this pull took over: who held it. */
  tookOverLock?: string;
}

/** Options of `pull`. */
export interface PullOptions {
  /** Overwrite and delete local edits with PostHog's version (unreadable files are still kept). */
  force?: boolean;
  /** The kinds to pull (default: all four). */
  only?: readonly KindName[];
  progress?: EngineProgress;
}

/**
 * Writes every object of the project (of the kinds asked for) into `dir` (created when
 * missing), one canonical file each, removes the files of objects deleted in PostHog, and
 * records the target in the state, leaving alone every file that differs from its last-synced
 * content.
 *
 * @example
 * const result = await pull(posthog, "insights");
 * for (const kept of result.kept) console.error(kept.path, kept.reason);
 */
export async function pull(client: PostHogClient, dir: string, options: PullOptions = {}): Promise<PullResult> {
  if (!(await checkDir(dir, "ok"))) {
    await mkdir(dir, { recursive: true });
  }
  return withLock(stateDir(dir), "pull", async (lock) => {
    const result = await pullLocked(client, dir, options);
    if (lock.tookOverFrom) {
      const { pid, host } = lock.tookOverFrom;
      result.tookOverLock = `pid ${pid} on ${host}`;
    }
    return result;
  });
}

async function pullLocked(client: PostHogClient, dir: string, options: PullOptions): Promise<PullResult> {
  const progress = options.progress ?? QUIET;
  const force = options.force === true;
  const only = new Set(options.only ?? KIND_NAMES);
  const kinds = KINDS.filter((kind) => only.has(kind.name));
  const opened = await openTarget(client, statePath(dir));
  const contents = await readDir(dir, KINDS);
  checkSharedIds(opened, dir, contents.files);
  const where = { client, project: opened.target.project };
  const keys = new KeyMap(opened.entries);
  // The keys as the state's baselines spell references: an object whose file reads differently
  // now only because what it names became managed (pulled with --only before) has not changed.
  const keysBefore = new KeyMap(structuredClone(opened.entries));
  const result: PullResult = {
    total: 0,
    counts: {},
    written: [],
    rekeyed: [],
    unchanged: 0,
    removed: [],
    kept: [],
    staticCohorts: [],
    migrated: opened.state.migrated,
  };

  // Every kind's objects and keys first, in dependency order: a file names what it references by key.
  const pulled: { kind: AnyKind; remote: RemoteObject[]; keyById: Map<number, string> }[] = [];
  for (const kind of kinds) {
    const remote = [...(await kind.list(where, progress))].sort((a, b) => a.id - b.id);
    result.counts[kind.name] = remote.length;
    result.total += remote.length;
    const keyById = settleKeys(kind, remote, opened.entries.kinds[kind.name], contents, keys);
    pulled.push({ kind, remote, keyById });
  }
  progress.start("pull", result.total);
  for (const { kind, remote, keyById } of pulled) {
    await pullKind(kind, remote, keyById);
  }
  progress.stop();
  await opened.state.save();
  return result;

  async function pullKind(kind: AnyKind, remote: RemoteObject[], keyById: Map<number, string>): Promise<void> {
    const target = opened.entries.kinds[kind.name];
    const files = contents.files.get(kind.name) ?? new Map();
    const unreadable = contents.unreadable.get(kind.name) ?? new Map<string, string>();
    const pathOf = (key: string): string => files.get(key)?.path ?? unreadable.get(key) ?? objectPath(kind, dir, key);
    const name = (key: string): string => (kind.name === "insight" ? key : `${kind.name}:${key}`);
    const keep = (key: string, reason: string, conflict: boolean): void => {
      result.kept.push({ kind: kind.name, key, path: pathOf(key), reason, conflict });
    };
    const live = new Set<number>();
    for (const object of remote) {
      const key = keyById.get(object.id) as string;
      progress.item(name(key));
      live.add(object.id);
      await pullOne(key, object);
      progress.done(name(key));
    }

    async function pullOne(key: string, object: RemoteObject): Promise<void> {
      const entry = target.entries[key];
      const view: View = entry && entry.id === object.id ? { keys, entry } : { keys };
      const file = kind.toFile(object, view);
      const currentHash = kind.hash(file);
      const remoteChanged =
        entry === undefined ||
        (entry.hash !== currentHash && entry.hash !== kind.hash(kind.toFile(object, { ...view, keys: keysBefore })));
      const loaded = files.get(key);
      const local = loaded ? kind.normalize(loaded.file, keys) : undefined;
      if (kind.partial?.(file)) {
        result.staticCohorts.push(key);
      }
      if (unreadable.has(key)) {
        keep(key, "cannot be read (see validate): never overwritten; fix or delete it, then pull again", true);
        return;
      }
      if (!local && entry && !force) {
        keep(
          key,
          remoteChanged
            ? `removed here, and #${object.id} changed in PostHog since the last sync: pull --force restores it`
            : `removed here: push --prune deletes #${object.id} in PostHog; pull --force restores the file`,
          remoteChanged,
        );
        return;
      }
      if (
        local &&
        entry?.updating !== undefined &&
        kind.hash(local) === entry.updating &&
        (currentHash === entry.hash || kind.createdHash(file) === kind.createdHash(local)) &&
        !force
      ) {
        // What PostHog has is this file half-written by a push that was stopped (as plan judges it).
        keep(key, `a push was stopped while writing #${object.id}: kept your file (push finishes it)`, false);
        return;
      }
      if (local && kind.hash(local) !== currentHash) {
        const edited = entry === undefined || kind.hash(local) !== entry.hash;
        if (edited && !force) {
          if (entry && !remoteChanged) {
            keep(key, `edited here, unchanged in PostHog: kept (push sends it)`, false);
            // The baseline in today's spelling (references by key), so that plan agrees.
            target.entries[key] = { ...entry, hash: currentHash };
          } else {
            keep(
              key,
              entry
                ? `edited here and #${object.id} changed in PostHog since the last sync: kept your file; pull --force takes PostHog's, push --force sends yours`
                : `differs from #${object.id}, which the state does not record: kept your file; pull --force takes PostHog's`,
              true,
            );
          }
          return;
        }
      }
      if (local && loaded && kind.hash(local) === currentHash) {
        // The same object. A file naming by id an object managed here since (pulled with --only
        // before its kind was) gets its references by key: the file's own form, all else as it is.
        const rekeyed =
          JSON.stringify(kind.document(local)) !== JSON.stringify(kind.document(loaded.file)) &&
          (await writeObjectFile(kind, dir, key, local, loaded.path));
        if (rekeyed) {
          result.written.push(name(key));
          result.rekeyed.push(name(key));
        } else {
          result.unchanged += 1;
        }
      } else if (await writeObjectFile(kind, dir, key, file, loaded?.path)) {
        result.written.push(name(key));
      } else {
        result.unchanged += 1;
      }
      target.entries[key] = pulledEntry(kind, object, file, currentHash, view);
    }

    for (const [key, entry] of Object.entries(target.entries)) {
      if (live.has(entry.id)) {
        continue;
      }
      const loaded = files.get(key);
      if (unreadable.has(key)) {
        keep(key, `cannot be read, and #${entry.id} was deleted in PostHog: never overwritten; fix or delete it`, true);
        continue;
      }
      if (loaded && kind.hash(kind.normalize(loaded.file, keys)) !== entry.hash && !force) {
        keep(
          key,
          `edited here, and #${entry.id} was deleted in PostHog: kept (push creates it again; delete the file to let it go)`,
          true,
        );
        continue;
      }
      if (loaded) {
        await removeObjectFile(kind, loaded.path, key);
        result.removed.push(name(key));
      }
      delete target.entries[key];
    }
  }
}

/**
 * Which key each remote object of a kind is pulled under: the state's; an interrupted push's
 * create keeps its file's key; an untracked local file that already is the object keeps its
 * own; else a new key from the name. Noted in `keys` so that later kinds name them.
 */
function settleKeys(
  kind: AnyKind,
  remote: RemoteObject[],
  target: { entries: Record<string, StateEntry>; pending: Record<string, { hash: string; started_at: string }> },
  contents: Awaited<ReturnType<typeof readDir>>,
  keys: KeyMap,
): Map<number, string> {
  const files = contents.files.get(kind.name) ?? new Map();
  const keyById = new Map<number, string>();
  for (const [key, entry] of Object.entries(target.entries)) {
    keyById.set(entry.id, key);
  }
  const view = (object: RemoteObject): View => {
    const key = keyById.get(object.id);
    const entry = key === undefined ? undefined : target.entries[key];
    return entry ? { keys, entry } : { keys };
  };
  const fileOf = (object: RemoteObject) => kind.toFile(object, view(object));
  // An interrupted push's creates keep their file's key. One of several steps (a dashboard whose
  // tiles never followed) is recorded as a write in progress: pull keeps the file for push to
  // finish, instead of taking it for a conflict and leaving push to create it a second time.
  for (const [key, pending] of Object.entries(target.pending)) {
    const made = findAdoptable(pending, remote, new Set(keyById.keys()), (object) => kind.createdHash(fileOf(object)));
    if (made) {
      keyById.set(made.id, key);
      keys.decide(kind.name, made.id, key);
      const loaded = files.get(key);
      if (kind.severalSteps && loaded && target.entries[key] === undefined) {
        const theirs = fileOf(made);
        const entry = pulledEntry(kind, made, theirs, kind.hash(theirs), { keys });
        delete entry.pulled;
        target.entries[key] = { ...entry, updating: kind.hash(kind.normalize(loaded.file, keys)) };
      }
    }
    delete target.pending[key];
  }
  // A local file the state does not know, that already is a remote object, keeps its key. Each
  // one found changes how others of its kind that name it read: searched again until none is.
  const claimed = new Set(keyById.values());
  const untracked = [...files].filter(([key]) => target.entries[key] === undefined && !claimed.has(key));
  // Only a kind whose files name their own kind (cohorts) can find more on a second look.
  const again = untracked.some(([, loaded]) => kind.references(loaded.file).some((ref) => ref.kind === kind.name));
  for (let found = true; found && untracked.length > 0; ) {
    found = false;
    for (const object of remote) {
      if (keyById.has(object.id)) {
        continue;
      }
      const theirs = fileOf(object);
      const identity = kind.identity(theirs);
      const match = untracked.findIndex(([, loaded]) => {
        const mine = kind.normalize(loaded.file, keys);
        return kind.hash(mine) === kind.hash(theirs) || (identity !== undefined && kind.identity(mine) === identity);
      });
      const local = untracked[match];
      if (local) {
        keyById.set(object.id, local[0]);
        keys.decide(kind.name, object.id, local[0]);
        untracked.splice(match, 1);
        found = again;
      }
    }
  }
  const taken = new Set([...keyById.values(), ...files.keys(), ...(contents.unreadable.get(kind.name)?.keys() ?? [])]);
  for (const object of remote) {
    let key = keyById.get(object.id);
    if (key === undefined) {
      key = kind.keyFor(object, taken);
      taken.add(key);
      keyById.set(object.id, key);
    }
    keys.decide(kind.name, object.id, key);
  }
  return keyById;
}

function pulledEntry(kind: AnyKind, object: RemoteObject, file: object, hash: string, view: View): StateEntry {
  return {
    id: object.id,
    ...(object.short_id === undefined ? {} : { short_id: object.short_id }),
    last_modified_at: object.last_modified_at ?? null,
    hash,
    pulled: true,
    ...kind.extras?.(object, file, view),
  };
}
