// The three-way plan (files, state of the target, remote objects), one kind after another in
// dependency order: what a push would do and why. Before any create it looks for the object the
// file already is (an interrupted create, a renamed file, a live object no file manages) so that
// no situation makes a duplicate. Pure: no I/O; the engine feeds it what it read. Knows kinds
// only through their interface.
import type { Change } from "./diff.js";
import type { AnyKind, RemoteObject } from "./kind.js";
import { KIND_NAMES, type KindName } from "./kind-names.js";
import type { KeyMap } from "./keymap.js";
import type { LocalRef } from "./refs.js";
import type { KindState, StateEntry } from "./state.js";

/** What a push does with one key or remote object. */
export type ActionKind =
  | "create"
  | "adopt"
  | "rename"
  | "update"
  | "unchanged"
  | "conflict"
  | "duplicate"
  | "delete"
  | "orphaned"
  | "unmanaged";

/**
 * One line of the plan.
 *
 * @example
 * const action: PlanAction = {
 *   kind: "insight",
 *   action: "update",
 *   key: "daily-signups",
 *   id: 7,
 *   changes: [{ path: "name", before: "a", after: "b" }],
 * };
 */
export interface PlanAction {
  kind: KindName;
  action: ActionKind;
  /** The file key (absent for unmanaged objects). */
  key?: string;
  /** The remote object's id (absent for creates). */
  id?: number;
  short_id?: string;
  name?: string;
  /** Why: a remote edit since the last sync, an interrupted create, a rename, a remote delete... */
  reason?: string;
  /** What else a create or update means (a static cohort is made without its members). */
  note?: string;
  /** Field changes from the remote insight to the file (update, conflict, and adopt or rename with edits). */
  changes?: Change[];
  /** Project-local ids in the file when it did not come from this target. */
  refs?: LocalRef[];
  /** rename: the key the insight was managed under. */
  from?: string;
  /** duplicate: the key whose file already manages the object this file repeats. */
  duplicateOf?: string;
  /** The file, normalized (create, adopt, rename, update, conflict on an update, duplicate). */
  file?: object;
  /** The remote object as planned against (adopt, rename, update, unchanged, conflict, delete). */
  remote?: RemoteObject;
  /**
   * adopt or rename: the object is only taken as the key's (recorded `adopted` in the state) and
   * never written, whatever `changes` says: `copy`'s adoptions of the destination's own objects.
   */
  leaveAsIs?: true;
  /**
   * unchanged: edited in the target since the last sync while the file was not, and left so
   * (`copy` leaves the destination's edits): not written, and its baseline not moved, so that a
   * later change of the file is a conflict rather than a silent overwrite.
   */
  leftEdited?: true;
}

/**
 * A plan: its actions in push order, and whether anything would change.
 *
 * @example
 * if (plan.changes) console.log(plan.actions.filter((a) => a.action !== "unchanged"));
 */
export interface Plan {
  actions: PlanAction[];
  /** True when a push would write something (create, adopt, rename, update, conflict, duplicate, delete). */
  changes: boolean;
  /** True when the files and the project differ in any way: a change, or an orphaned object. */
  differs: boolean;
  /** Conflicts and duplicates: a push refuses them without --force. */
  conflicts: number;
}

/** How long before a recorded pending create the object it made may claim to be created (clock skew). */
const SKEW_MS = 5 * 60_000;

const ORDER: ActionKind[] = [
  "conflict",
  "duplicate",
  "create",
  "adopt",
  "rename",
  "update",
  "delete",
  "unchanged",
  "orphaned",
  "unmanaged",
];
const WRITES = new Set<ActionKind>(["create", "adopt", "rename", "update", "conflict", "duplicate", "delete"]);

/**
 * One kind's part of a plan: its files (canonical, as read), state, and live remote objects.
 *
 * @example
 * const input: KindInput = { kind: actionKind, files, state: target.kinds.action, remote: await actionKind.list(where, QUIET) };
 */
export interface KindInput {
  kind: AnyKind;
  files: Map<string, object>;
  state: KindState;
  remote: RemoteObject[];
}

/**
 * Compares files, the target's state and the remote objects of every kind given, in the order
 * given (dependency order: an adoption of an action is known when the insights naming it are
 * compared). What the plan decides (adoptions, renames) is noted in `keys`.
 *
 * @example
 * const plan = computePlan([{ kind: insightKind, files, state: target.kinds.insight, remote }], keys, { prune: false });
 */
export function computePlan(inputs: KindInput[], keys: KeyMap, options: { prune: boolean }): Plan {
  const actions = inputs.flatMap((input) => {
    // An object found to be a file (adopted, renamed) changes how the others of its kind that
    // name it read (a cohort naming a cohort): planned again until nothing more is found.
    let seen = keys.changes;
    let planned = planKind(input, keys, options);
    const rounds = namesItsOwnKind(input) ? input.files.size : 0;
    for (let round = 0; keys.changes !== seen && round < rounds; round++) {
      seen = keys.changes;
      planned = planKind(input, keys, options);
    }
    return planned;
  });
  return planOf(actions);
}

/**
 * A plan of these actions: in push order (by action, then kind), with what they add up to.
 *
 * @example
 * const plan = planOf(computed.actions.filter((action) => action.kind !== "dashboard"));
 */
export function planOf(actions: PlanAction[]): Plan {
  const rank = (action: PlanAction) => KIND_NAMES.indexOf(action.kind);
  const sorted = [...actions].sort((a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action) || rank(a) - rank(b));
  const changes = sorted.some((action) => WRITES.has(action.action));
  return {
    actions: sorted,
    changes,
    differs: changes || sorted.some((action) => action.action === "orphaned"),
    conflicts: sorted.filter((action) => action.action === "conflict" || action.action === "duplicate").length,
  };
}

/** Whether some file of the kind names another of its kind (a cohort naming a cohort). */
function namesItsOwnKind(input: KindInput): boolean {
  return [...input.files.values()].some((file) =>
    input.kind.references(file).some((ref) => ref.kind === input.kind.name),
  );
}

/** What one kind's plan compares: each side's file form and hashes, computed once. */
interface Sides {
  fileHash: (key: string) => string;
  remoteFile: (remote: RemoteObject) => object;
  remoteHash: (remote: RemoteObject) => string;
  createdHash: (remote: RemoteObject) => string;
  /** Same object by content: identical, or the same identity (name and query, for insights). */
  same: (file: object, remote: RemoteObject) => boolean;
}

function sidesOf(input: KindInput, files: Map<string, object>, keys: KeyMap): Sides {
  const { kind, state } = input;
  const entryOf = new Map<number, StateEntry>();
  for (const entry of Object.values(state.entries)) {
    entryOf.set(entry.id, entry);
  }
  const remoteFiles = new Map<RemoteObject, object>();
  const remoteFile = (remote: RemoteObject): object => {
    let file = remoteFiles.get(remote);
    if (!file) {
      const entry = entryOf.get(remote.id);
      file = kind.toFile(remote, entry ? { keys, entry } : { keys });
      remoteFiles.set(remote, file);
    }
    return file;
  };
  const hashes = new WeakMap<object, string>();
  const hash = (file: object): string => {
    let found = hashes.get(file);
    if (found === undefined) {
      found = kind.hash(file);
      hashes.set(file, found);
    }
    return found;
  };
  return {
    fileHash: (key) => hash(files.get(key) ?? {}),
    remoteFile,
    remoteHash: (remote) => hash(remoteFile(remote)),
    createdHash: (remote) => kind.createdHash(remoteFile(remote)),
    same(file, remote) {
      const theirs = remoteFile(remote);
      if (hash(file) === hash(theirs)) {
        return true;
      }
      const identity = kind.identity(file);
      return identity !== undefined && identity === kind.identity(theirs);
    },
  };
}

/**
 * One kind's actions: each file against its object (or what it already is: an interrupted
 * create, a renamed file, a live object no file manages), managed objects without a file, and
 * objects no file manages.
 *
 * @example
 * const actions = planKind({ kind: actionKind, files, state: target.kinds.action, remote }, keys, { prune: false });
 */
export function planKind(input: KindInput, keys: KeyMap, options: { prune: boolean }): PlanAction[] {
  const { kind, state: target, remote } = input;
  const files = new Map([...input.files].map(([key, file]) => [key, kind.normalize(file, keys)]));
  const sides = sidesOf(input, files, keys);
  const byId = new Map(remote.map((object) => [object.id, object]));
  // Live objects and the key managing each; the orphans among them are renames in waiting.
  const managedBy = new Map<number, string>();
  for (const [key, entry] of Object.entries(target.entries)) {
    if (byId.has(entry.id)) {
      managedBy.set(entry.id, key);
    }
  }
  const orphanOf = (id: number): string | undefined => {
    const key = managedBy.get(id);
    return key !== undefined && !files.has(key) ? key : undefined;
  };
  /** Ids this plan gave to a file (adopted or renamed): no second file may take them. */
  const taken = new Set<number>();
  const actions: PlanAction[] = [];
  const of = kind.name;

  for (const [key, file] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const entry = target.entries[key];
    const object = entry ? byId.get(entry.id) : undefined;
    const refs = entry?.pulled ? [] : kind.localRefs(file);
    const note = kind.note?.(file);
    const decorate = (action: PlanAction): PlanAction => {
      const noted = note && action.action !== "unchanged" && action.action !== "duplicate" ? { note } : {};
      return refs.length > 0 ? { ...action, ...noted, refs } : { ...action, ...noted };
    };
    const named = nameOf(file);
    if (object && entry) {
      actions.push(decorate(compare(kind, key, file, object, entry, sides)));
      continue;
    }
    const fileHash = sides.fileHash(key);
    // The candidate that is the file: an identical one first, then the oldest.
    const matching = (candidates: RemoteObject[]): RemoteObject | undefined =>
      candidates
        .filter((candidate) => !taken.has(candidate.id) && sides.same(file, candidate))
        .sort(
          (a, b) => Number(sides.remoteHash(b) === fileHash) - Number(sides.remoteHash(a) === fileHash) || a.id - b.id,
        )[0];
    const take = (action: ActionKind, found: RemoteObject, reason: string, extra: Partial<PlanAction> = {}): void => {
      taken.add(found.id);
      keys.decide(of, found.id, key);
      const changes = kind.changes(sides.remoteFile(found), file);
      actions.push(
        decorate({
          kind: of,
          action,
          key,
          ...ids(found),
          ...named,
          reason,
          ...(changes.length > 0 ? { changes } : {}),
          ...extra,
          file,
          remote: found,
        }),
      );
    };
    const pending = target.pending[key];
    const interrupted = pending
      ? findAdoptable(
          pending,
          remote.filter((candidate) => !taken.has(candidate.id)),
          new Set(managedBy.keys()),
          sides.createdHash,
        )
      : undefined;
    if (interrupted) {
      take("adopt", interrupted, "an interrupted push created it; recorded without creating it again");
      continue;
    }
    const renamed = matching(remote.filter((candidate) => orphanOf(candidate.id) !== undefined));
    const from = renamed && orphanOf(renamed.id);
    if (renamed && from !== undefined) {
      take("rename", renamed, `renamed from ${from}: keeps its id${of === "insight" ? ", short id" : ""} and links`, {
        from,
      });
      continue;
    }
    const unmanaged = matching(remote.filter((candidate) => !managedBy.has(candidate.id)));
    if (unmanaged) {
      take(
        "adopt",
        unmanaged,
        sides.remoteHash(unmanaged) === fileHash
          ? `identical to ${article(of)} no file manages: adopted, not created again`
          : `${sameWhat(of)} as ${article(of)} no file manages: adopted, not created again`,
      );
      continue;
    }
    const repeated = matching(remote.filter((candidate) => managedBy.has(candidate.id)));
    const owner = repeated && managedBy.get(repeated.id);
    if (repeated && owner !== undefined) {
      actions.push(
        decorate({
          kind: of,
          action: "duplicate",
          key,
          ...ids(repeated),
          ...named,
          reason: `the same ${of} as ${owner} (#${repeated.id}): two files for one ${of}; remove this one, or change it to make another ${of} (push --force creates a copy)`,
          duplicateOf: owner,
          file,
        }),
      );
      continue;
    }
    const reason = entry
      ? `the state's #${entry.id} is not in the project (deleted in PostHog since the last sync, or the state was edited)`
      : undefined;
    actions.push(decorate({ kind: of, action: "create", key, ...named, ...(reason ? { reason } : {}), file }));
  }

  for (const [key, entry] of Object.entries(target.entries)) {
    const object = byId.get(entry.id);
    if (files.has(key) || !object || taken.has(object.id)) {
      continue;
    }
    const changed = sides.remoteHash(object) !== entry.hash && entry.updating === undefined;
    const base = { kind: of, key, ...ids(object), ...(object.name ? { name: object.name } : {}), remote: object };
    if (!options.prune) {
      const reason = changed
        ? "its file was removed (and it changed in PostHog since the last sync)"
        : "its file was removed";
      actions.push({ action: "orphaned", ...base, reason });
    } else if (changed) {
      actions.push({
        action: "conflict",
        ...base,
        reason:
          "changed in PostHog since the last sync, and its file was removed: pull restores the file; push --prune --force deletes it",
      });
    } else {
      actions.push({ action: "delete", ...base, reason: "its file was removed" });
    }
  }
  for (const object of remote) {
    if (!managedBy.has(object.id) && !taken.has(object.id)) {
      actions.push({ kind: of, action: "unmanaged", ...ids(object), ...(object.name ? { name: object.name } : {}) });
    }
  }
  return actions;
}

function ids(object: RemoteObject): { id: number; short_id?: string } {
  return object.short_id === undefined ? { id: object.id } : { id: object.id, short_id: object.short_id };
}

function nameOf(file: object): { name?: string } {
  const name = (file as { name?: unknown }).name;
  return typeof name === "string" ? { name } : {};
}

function article(kind: KindName): string {
  return `${kind === "action" || kind === "insight" ? "an" : "a"} ${kind}`;
}

/** What a kind's identity is, in words. */
function sameWhat(kind: KindName): string {
  switch (kind) {
    case "insight":
      return "same name and query";
    case "action":
      return "same name";
    case "cohort":
      return "same name and definition";
    default:
      return "same name and tiles";
  }
}

/** A managed file against its live object: unchanged, update or conflict. */
function compare(
  kind: AnyKind,
  key: string,
  file: object,
  object: RemoteObject,
  entry: StateEntry,
  sides: Sides,
): PlanAction {
  const fileHash = sides.fileHash(key);
  const currentHash = sides.remoteHash(object);
  const base = { kind: kind.name, key, ...ids(object), ...nameOf(file), remote: object };
  if (fileHash === currentHash && entry.updating === undefined) {
    return { action: "unchanged", ...base };
  }
  const changes = kind.changes(sides.remoteFile(object), file);
  if (fileHash === currentHash) {
    // A write of several steps was stopped after its last change: only the state is left to note.
    return { action: "update", ...base, reason: "an interrupted push wrote it; recorded", changes, file };
  }
  // A write of several steps was stopped: PostHog has the baseline (nothing written yet), or
  // the first step done (what `createdHash` covers: a dashboard's fields, as the file has them)
  // and the rest (its tiles) in any state between. Anything else is an edit made in PostHog
  // since, judged as any remote change. (A tile edited in the UI in that window cannot be told
  // from the push's own unfinished tile writes: the state keeps no record of each; fields can.)
  const halfWritten =
    entry.updating !== undefined &&
    (currentHash === entry.hash || sides.createdHash(object) === kind.createdHash(file));
  if (halfWritten) {
    return {
      action: "update",
      ...base,
      reason: "an interrupted push left it half-written: push finishes it",
      changes,
      file,
    };
  }
  const fileChanged = fileHash !== entry.hash;
  const remoteChanged = currentHash !== entry.hash;
  if (fileChanged && remoteChanged) {
    return {
      action: "conflict",
      ...base,
      reason: "changed in PostHog since the last sync, and in the file",
      changes,
      file,
    };
  }
  const reason = remoteChanged ? "changed in PostHog since the last sync: push puts the file back" : undefined;
  return { action: "update", ...base, ...(reason ? { reason } : {}), changes, file };
}

/**
 * The object an interrupted create made: not managed by another key, made by the same create
 * (by `createdHash`: name, query and the rest for an insight), created no earlier than the
 * create was noted; the oldest one wins.
 *
 * @example
 * const made = findAdoptable(pending, insights, managedIds, (insight) => insightKind.createdHash(toFile(insight)));
 */
export function findAdoptable(
  pending: { hash: string; started_at: string },
  remote: RemoteObject[],
  claimed: Set<number>,
  createdHash: (remote: RemoteObject) => string,
): RemoteObject | undefined {
  const since = Date.parse(pending.started_at) - SKEW_MS;
  return remote
    .filter((object) => !claimed.has(object.id))
    .filter((object) => createdHash(object) === pending.hash)
    .filter((object) => !object.created_at || Date.parse(object.created_at) >= since)
    .sort((a, b) => a.id - b.id)[0];
}
