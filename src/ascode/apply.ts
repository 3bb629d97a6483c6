// Applies a plan in dependency order: every kind's creates, adoptions, renames and updates
// (actions, cohorts, insights, dashboards and their tiles, each object after those it names,
// whatever their kind: a cohort an action's step names goes before the action), then deletes
// in reverse. Each success is recorded in the state at once (an interrupted push
// resumes; a create is noted before it is sent, so a lost answer is adopted, not repeated; a
// write of several requests is noted while it runs, so its half-done state is not a conflict).
// Right before each update or delete the object is read again: if it changed since the plan,
// that write stops as a conflict and the rest goes on, and a baseline only ever records what
// this push sent, never an edit made in the UI meanwhile. Knows kinds only through their interface.
import type { PostHogClient } from "../client.js";
import { APIError } from "../errors.js";
import { WriteError } from "./errors.js";
import type { AnyKind, RemoteObject, View, Where } from "./kind.js";
import { KIND_NAMES, type KindName } from "./kind-names.js";
import type { KeyMap } from "./keymap.js";
import type { Plan, PlanAction } from "./plan.js";
import type { EngineProgress } from "./progress.js";
import type { StateEntry, StateStore, TargetState } from "./state.js";

/** A write stopped at push time because the object changed since the plan. */
export interface ApplyConflict {
  kind: KindName;
  key: string;
  id: number;
  path: string;
  reason: string;
}

/** What applying a plan did: the keys written (`kind:key` for kinds other than insights). */
export interface Applied {
  created: string[];
  adopted: string[];
  renamed: string[];
  updated: string[];
  deleted: string[];
  /** Writes stopped because PostHog changed since the plan (the rest went on). */
  conflicts: ApplyConflict[];
}

/** What a push writes with, and records into. */
export interface ApplyContext {
  client: PostHogClient;
  project: number;
  state: StateStore;
  target: TargetState;
  keys: KeyMap;
  /** The kinds the plan covers, by name. */
  kinds: ReadonlyMap<KindName, AnyKind>;
  /** Each key's file, for messages. */
  pathOf: (kind: KindName, key: string) => string;
  progress: EngineProgress;
  now: () => Date;
}

const WRITES = new Set(["create", "adopt", "rename", "update", "conflict", "duplicate", "delete"]);

/**
 * How a plan action is named in results and progress: its key for an insight, `kind:key` else.
 *
 * @example
 * label("dashboard", "growth"); // "dashboard:growth"
 */
export function label(kind: KindName, key: string): string {
  return kind === "insight" ? key : `${kind}:${key}`;
}

/**
 * Applies `plan` (its conflicts and duplicates only when `force`).
 *
 * @example
 * const applied = await applyPlan(context, plan, { force: false });
 */
export async function applyPlan(context: ApplyContext, plan: Plan, options: { force: boolean }): Promise<Applied> {
  const applied: Applied = { created: [], adopted: [], renamed: [], updated: [], deleted: [], conflicts: [] };
  const runnable = (action: PlanAction): action is PlanAction & { key: string } =>
    action.key !== undefined &&
    WRITES.has(action.action) &&
    !((action.action === "conflict" || action.action === "duplicate") && !options.force);
  for (const action of plan.actions) {
    // An edit left as it is keeps its baseline: recorded, it would be taken for the last sync.
    if (action.action === "unchanged" && action.key !== undefined && action.remote && !action.leftEdited) {
      const kind = kindOf(context, action.kind);
      record(context, kind, action.key, action.remote, remoteHash(context, kind, action.remote, action.key));
    }
  }
  const writes = plan.actions.filter(runnable);
  const isDelete = (action: PlanAction) => action.action === "delete" || (action.action === "conflict" && !action.file);
  const ordered = [
    ...inDependencyOrder(
      context,
      writes.filter((a) => !isDelete(a)),
    ),
    ...inDependencyOrder(
      context,
      writes.filter((a) => isDelete(a)),
    ).reverse(),
  ];
  deleteBeforeNameTaken(context, ordered, isDelete);
  context.progress.start("push", ordered.length);
  let done = 0;
  for (const action of ordered) {
    const name = label(action.kind, action.key);
    context.progress.item(name);
    await applyOne(context, action, action.key, applied, done);
    done += 1;
    context.progress.done(name);
  }
  context.progress.stop();
  return applied;
}

function kindOf(context: ApplyContext, name: KindName): AnyKind {
  const kind = context.kinds.get(name);
  if (!kind) {
    throw new Error(`The plan names a ${name}, a kind this push does not cover.`);
  }
  return kind;
}

/**
 * Writes with the objects each one names written first, whatever their kind (a cohort naming
 * another, an action whose step names a cohort): a stable topological order of the files'
 * references, kind order (actions, cohorts, insights, dashboards) breaking ties.
 */
function inDependencyOrder(
  context: ApplyContext,
  actions: (PlanAction & { key: string })[],
): (PlanAction & { key: string })[] {
  const rank = (action: PlanAction) => KIND_NAMES.indexOf(action.kind);
  const sorted = actions.map((action, index) => ({ action, index }));
  sorted.sort((a, b) => rank(a.action) - rank(b.action) || a.index - b.index);
  const node = (kind: KindName, key: string) => `${kind}:${key}`;
  const byNode = new Map(actions.map((action) => [node(action.kind, action.key), action]));
  const needs = (action: PlanAction): string[] => {
    const kind = kindOf(context, action.kind);
    const file = action.file ?? (action.remote ? kind.toFile(action.remote, { keys: context.keys }) : undefined);
    return file ? kind.references(file).map((ref) => node(ref.kind, ref.key)) : [];
  };
  const out: (PlanAction & { key: string })[] = [];
  const state = new Map<PlanAction, "visiting" | "done">();
  const visit = (action: PlanAction & { key: string }): void => {
    if (state.get(action) !== undefined) {
      return; // done, or a cycle (validate refuses those): keep the order given
    }
    state.set(action, "visiting");
    for (const at of needs(action)) {
      const needed = byNode.get(at);
      if (needed) {
        visit(needed);
      }
    }
    state.set(action, "done");
    out.push(action);
  };
  for (const { action } of sorted) {
    visit(action);
  }
  return out;
}

/**
 * Moves each delete of a kind with unique names (actions) right before the first write giving
 * its name to another object (a rename to the name of the one pruned): PostHog would refuse that
 * write while the pruned object lives, and the push could never succeed.
 */
function deleteBeforeNameTaken(
  context: ApplyContext,
  ordered: (PlanAction & { key: string })[],
  isDelete: (action: PlanAction) => boolean,
): void {
  for (const gone of ordered.filter(isDelete)) {
    const name = gone.remote?.name;
    if (!kindOf(context, gone.kind).uniqueNames || typeof name !== "string") {
      continue;
    }
    const taker = ordered.findIndex(
      (action) =>
        action.kind === gone.kind &&
        action.key !== gone.key &&
        !isDelete(action) &&
        (action.file as { name?: unknown } | undefined)?.name === name,
    );
    const at = ordered.indexOf(gone);
    if (taker !== -1 && taker < at) {
      ordered.splice(at, 1);
      ordered.splice(taker, 0, gone);
    }
  }
}

async function applyOne(context: ApplyContext, action: PlanAction, key: string, applied: Applied, done: number) {
  const kind = kindOf(context, action.kind);
  const { file, remote } = action;
  const name = label(kind.name, key);
  const entries = context.target.kinds[kind.name];
  switch (action.action) {
    case "create":
    case "duplicate":
      if (file) {
        await create(context, kind, key, file, done);
        applied.created.push(name);
      }
      return;
    case "adopt":
    case "rename":
      if (file && remote) {
        if (action.from !== undefined) {
          delete entries.entries[action.from];
        }
        delete entries.pending[key];
        record(context, kind, key, remote, remoteHash(context, kind, remote));
        const entry = entries.entries[key];
        if (action.leaveAsIs && entry) {
          // Noted in the same save as the adoption: a run stopped anywhere after it still leaves it as is.
          entry.adopted = true;
        }
        await context.state.save();
        (action.action === "adopt" ? applied.adopted : applied.renamed).push(name);
        if (!action.leaveAsIs && action.changes && action.changes.length > 0) {
          await guardedUpdate(context, kind, key, remote, file, applied, done);
        }
      }
      return;
    case "update":
    case "conflict":
      if (remote && file) {
        await guardedUpdate(context, kind, key, remote, file, applied, done);
      } else if (remote) {
        await guardedDelete(context, kind, key, remote, applied, done);
      }
      return;
    case "delete":
      if (remote) {
        await guardedDelete(context, kind, key, remote, applied, done);
      }
      return;
    default:
      return;
  }
}

function whereOf(context: ApplyContext): Where {
  return { client: context.client, project: context.project };
}

function viewOf(context: ApplyContext, kind: AnyKind, key: string): View {
  const entry = context.target.kinds[kind.name].entries[key];
  return entry ? { keys: context.keys, entry } : { keys: context.keys };
}

/** The hash of a remote object's file form now, with its state entry (a dashboard's tiles). */
function remoteHash(context: ApplyContext, kind: AnyKind, remote: RemoteObject, key?: string): string {
  const entry =
    key === undefined
      ? Object.values(context.target.kinds[kind.name].entries).find((candidate) => candidate.id === remote.id)
      : context.target.kinds[kind.name].entries[key];
  return kind.hash(kind.toFile(remote, entry ? { keys: context.keys, entry } : { keys: context.keys }));
}

async function create(context: ApplyContext, kind: AnyKind, key: string, file: object, done: number): Promise<void> {
  const { state } = context;
  const entries = context.target.kinds[kind.name];
  const path = context.pathOf(kind.name, key);
  // Noted before sending: if the answer is lost, the next run adopts what this made.
  const name = (file as { name?: unknown }).name;
  entries.pending[key] = {
    hash: kind.createdHash(file),
    name: typeof name === "string" ? name : null,
    started_at: context.now().toISOString(),
  };
  await state.save();
  let created: RemoteObject;
  try {
    created = await kind.create(whereOf(context), file, context.keys);
  } catch (err) {
    const refused = isRefusal(err);
    if (refused) {
      // PostHog answered no (or a reference could not be resolved): nothing was made, nothing is pending.
      delete entries.pending[key];
      await state.save();
    }
    throw new WriteError({ key: label(kind.name, key), path, action: "create", refused, done }, err);
  }
  delete entries.pending[key];
  context.keys.decide(kind.name, created.id, key);
  if (!kind.severalSteps) {
    record(context, kind, key, created, kind.hash(file), false);
    await state.save();
    return;
  }
  // The rest (a dashboard's tiles) follows: noted, so that a stop here is not taken for an edit.
  record(context, kind, key, created, remoteHash(context, kind, created, key), false);
  markUpdating(context, kind, key, file);
  await state.save();
  await write(context, kind, key, created, file, "create", done);
}

function markUpdating(context: ApplyContext, kind: AnyKind, key: string, file: object): void {
  const entry = context.target.kinds[kind.name].entries[key];
  if (entry && kind.severalSteps) {
    entry.updating = kind.hash(file);
  }
}

/** Sends the update and records it (clearing any note of a write in progress). */
async function write(
  context: ApplyContext,
  kind: AnyKind,
  key: string,
  current: RemoteObject,
  file: object,
  action: "create" | "update",
  done: number,
): Promise<void> {
  let updated: RemoteObject;
  try {
    updated = await kind.update(whereOf(context), current, file, viewOf(context, kind, key));
  } catch (err) {
    throw new WriteError(
      {
        key: label(kind.name, key),
        path: context.pathOf(kind.name, key),
        action,
        id: current.id,
        refused: isRefusal(err),
        done,
      },
      err,
    );
  }
  // The baseline is what this push sent: an edit that slipped in between the read and the
  // write shows in the next plan as a change made in PostHog, never as ours.
  record(context, kind, key, updated, kind.hash(file), true, file);
  await context.state.save();
}

/** Updates `planned`'s object to `file` when it is still as planned; else a conflict. */
async function guardedUpdate(
  context: ApplyContext,
  kind: AnyKind,
  key: string,
  planned: RemoteObject,
  file: object,
  applied: Applied,
  done: number,
): Promise<void> {
  const current = await reread(context, kind, key, planned.id, "update", done);
  const moved = movedSincePlan(context, kind, key, planned, current);
  if (moved || !current) {
    applied.conflicts.push({
      kind: kind.name,
      key,
      id: planned.id,
      path: context.pathOf(kind.name, key),
      reason: moved ?? "",
    });
    return;
  }
  if (kind.severalSteps) {
    markUpdating(context, kind, key, file);
    await context.state.save();
  }
  await write(context, kind, key, current, file, "update", done);
  applied.updated.push(label(kind.name, key));
}

async function guardedDelete(
  context: ApplyContext,
  kind: AnyKind,
  key: string,
  planned: RemoteObject,
  applied: Applied,
  done: number,
): Promise<void> {
  const path = context.pathOf(kind.name, key);
  const current = await reread(context, kind, key, planned.id, "delete", done);
  if (current) {
    const moved = movedSincePlan(context, kind, key, planned, current);
    if (moved) {
      applied.conflicts.push({ kind: kind.name, key, id: planned.id, path, reason: moved });
      return;
    }
    try {
      await kind.remove(whereOf(context), current);
    } catch (err) {
      throw new WriteError(
        { key: label(kind.name, key), path, action: "delete", id: planned.id, refused: isRefusal(err), done },
        err,
      );
    }
  }
  delete context.target.kinds[kind.name].entries[key];
  await context.state.save();
  applied.deleted.push(label(kind.name, key));
}

/** Why `current` is no longer the object the plan was made against, or undefined. */
function movedSincePlan(
  context: ApplyContext,
  kind: AnyKind,
  key: string,
  planned: RemoteObject,
  current: RemoteObject | undefined,
): string | undefined {
  if (!current) {
    return `#${planned.id} was deleted in PostHog after the plan: not written; run plan again`;
  }
  if (remoteHash(context, kind, current, key) !== remoteHash(context, kind, planned, key)) {
    return `#${planned.id} changed in PostHog after the plan (an edit in the UI?): not overwritten; run plan again`;
  }
  return undefined;
}

async function reread(
  context: ApplyContext,
  kind: AnyKind,
  key: string,
  id: number,
  action: "update" | "delete",
  done: number,
): Promise<RemoteObject | undefined> {
  try {
    return await kind.reread(whereOf(context), id);
  } catch (err) {
    throw new WriteError(
      { key: label(kind.name, key), path: context.pathOf(kind.name, key), action, id, refused: isRefusal(err), done },
      err,
    );
  }
}

function record(
  context: ApplyContext,
  kind: AnyKind,
  key: string,
  remote: RemoteObject,
  hash: string,
  keepPulled = true,
  file?: object,
): void {
  const entries = context.target.kinds[kind.name].entries;
  const previous = entries[key];
  const entry: StateEntry = {
    id: remote.id,
    ...(remote.short_id === undefined ? {} : { short_id: remote.short_id }),
    last_modified_at: remote.last_modified_at ?? null,
    hash,
  };
  if (keepPulled && previous?.pulled && previous.id === remote.id) {
    entry.pulled = true;
  }
  if (previous?.adopted && previous.id === remote.id) {
    entry.adopted = true;
  }
  // A copy's record of the tile overrides it wrote: apply writes the dashboard, not its overrides.
  if (previous?.overrides && previous.id === remote.id) {
    entry.overrides = previous.overrides;
  }
  const view: View =
    previous && previous.id === remote.id ? { keys: context.keys, entry: previous } : { keys: context.keys };
  Object.assign(entry, kind.extras?.(remote, file ?? kind.toFile(remote, view), view));
  entries[key] = entry;
  context.keys.decide(kind.name, remote.id, key);
}

/** PostHog answered, and no (a 4xx other than a throttle or timeout), or a reference cannot be resolved. */
function isRefusal(err: unknown): boolean {
  if (err instanceof Error && err.name === "UnresolvedRefError") {
    return true;
  }
  return err instanceof APIError && err.status >= 400 && err.status < 500 && err.status !== 429 && err.status !== 408;
}
