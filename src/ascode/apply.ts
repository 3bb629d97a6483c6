// Applies a plan: creates, then adoptions and renames, then updates, then deletes, recording each
// success in the state at once (an interrupted push resumes; a create is noted before it is sent,
// so a lost answer is adopted, not repeated). Right before each update or delete the object is
// read again: if it changed since the plan, that write stops as a conflict and the rest goes on,
// and a baseline only ever records what this push sent, never an edit made in the UI meanwhile.
import type { PostHogClient } from "../client.js";
import { APIError } from "../errors.js";
import type { Insight } from "../types.js";
import { contentHash, type InsightFile } from "./canonical.js";
import { WriteError } from "./errors.js";
import { createBody, remoteFile, remoteHash, rereadInsight, updateBody } from "./insight-kind.js";
import type { Plan, PlanAction } from "./plan.js";
import type { EngineProgress } from "./progress.js";
import type { StateEntry, StateStore, TargetState } from "./state.js";

/** A write stopped at push time because the object changed since the plan. */
export interface ApplyConflict {
  key: string;
  id: number;
  path: string;
  reason: string;
}

/** What applying a plan did. */
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
  entries: TargetState;
  /** Each key's file, for messages. */
  pathOf: (key: string) => string;
  progress: EngineProgress;
  now: () => Date;
}

const WRITES = new Set(["create", "adopt", "rename", "update", "conflict", "duplicate", "delete"]);

/**
 * Applies `plan` (its conflicts and duplicates only when `force`).
 *
 * @example
 * const applied = await applyPlan(context, plan, { force: false });
 */
export async function applyPlan(context: ApplyContext, plan: Plan, options: { force: boolean }): Promise<Applied> {
  const applied: Applied = { created: [], adopted: [], renamed: [], updated: [], deleted: [], conflicts: [] };
  const writes = plan.actions.filter((action) => WRITES.has(action.action));
  context.progress.start("push", writes.length);
  let done = 0;
  for (const action of plan.actions) {
    const { key } = action;
    if (key === undefined || ((action.action === "conflict" || action.action === "duplicate") && !options.force)) {
      continue;
    }
    if (action.action === "unchanged") {
      if (action.remote) {
        record(context, key, action.remote, remoteHash(action.remote));
      }
      continue;
    }
    if (!WRITES.has(action.action)) {
      continue;
    }
    context.progress.item(key);
    await applyOne(context, action, key, applied, done);
    done += 1;
    context.progress.done(key);
  }
  context.progress.stop();
  return applied;
}

async function applyOne(context: ApplyContext, action: PlanAction, key: string, applied: Applied, done: number) {
  const { file, remote } = action;
  switch (action.action) {
    case "create":
    case "duplicate":
      if (file) {
        await create(context, key, file, done);
        applied.created.push(key);
      }
      return;
    case "adopt":
    case "rename":
      if (file && remote) {
        if (action.from !== undefined) {
          delete context.entries.entries[action.from];
        }
        delete context.entries.pending[key];
        record(context, key, remote, remoteHash(remote));
        await context.state.save();
        (action.action === "adopt" ? applied.adopted : applied.renamed).push(key);
        if (action.changes && action.changes.length > 0) {
          await guardedUpdate(context, key, remote, file, applied, done);
        }
      }
      return;
    case "update":
    case "conflict":
      if (remote && file) {
        await guardedUpdate(context, key, remote, file, applied, done);
      } else if (remote) {
        await guardedDelete(context, key, remote, applied, done);
      }
      return;
    case "delete":
      if (remote) {
        await guardedDelete(context, key, remote, applied, done);
      }
      return;
    default:
      return;
  }
}

async function create(context: ApplyContext, key: string, file: InsightFile, done: number): Promise<void> {
  const { entries, state } = context;
  // Noted before sending: if the answer is lost, the next run adopts what this made.
  entries.pending[key] = { hash: contentHash(file), name: file.name ?? null, started_at: context.now().toISOString() };
  await state.save();
  let created: Insight;
  try {
    created = await context.client.insights.create(createBody(file), { projectId: context.project });
  } catch (err) {
    const refused = isRefusal(err);
    if (refused) {
      // PostHog answered no: nothing was made, so nothing is pending.
      delete entries.pending[key];
      await state.save();
    }
    throw new WriteError({ key, path: context.pathOf(key), action: "create", refused, done }, err);
  }
  delete entries.pending[key];
  record(context, key, created, contentHash(file), false);
  await state.save();
}

/** Updates `planned`'s insight to `file` when it is still as planned; else a conflict. */
async function guardedUpdate(
  context: ApplyContext,
  key: string,
  planned: Insight,
  file: InsightFile,
  applied: Applied,
  done: number,
): Promise<void> {
  const current = await reread(context, key, planned.id, "update", done);
  const moved = movedSincePlan(planned, current);
  if (moved || !current) {
    applied.conflicts.push({ key, id: planned.id, path: context.pathOf(key), reason: moved ?? "" });
    return;
  }
  let updated: Insight;
  try {
    updated = await context.client.insights.update(planned.id, updateBody(file, remoteFile(current)), {
      projectId: context.project,
    });
  } catch (err) {
    throw new WriteError(
      { key, path: context.pathOf(key), action: "update", id: planned.id, refused: isRefusal(err), done },
      err,
    );
  }
  // The baseline is what this push sent: an edit that slipped in between the read and the
  // write shows in the next plan as a change made in PostHog, never as ours.
  record(context, key, updated, contentHash(file));
  await context.state.save();
  applied.updated.push(key);
}

async function guardedDelete(
  context: ApplyContext,
  key: string,
  planned: Insight,
  applied: Applied,
  done: number,
): Promise<void> {
  const current = await reread(context, key, planned.id, "delete", done);
  if (current) {
    const moved = movedSincePlan(planned, current);
    if (moved) {
      applied.conflicts.push({ key, id: planned.id, path: context.pathOf(key), reason: moved });
      return;
    }
    try {
      await context.client.insights.delete(planned.id, { projectId: context.project });
    } catch (err) {
      throw new WriteError(
        { key, path: context.pathOf(key), action: "delete", id: planned.id, refused: isRefusal(err), done },
        err,
      );
    }
  }
  delete context.entries.entries[key];
  await context.state.save();
  applied.deleted.push(key);
}

/** Why `current` is no longer the insight the plan was made against, or undefined. */
function movedSincePlan(planned: Insight, current: Insight | undefined): string | undefined {
  if (!current) {
    return `#${planned.id} was deleted in PostHog after the plan: not written; run plan again`;
  }
  if (remoteHash(current) !== remoteHash(planned)) {
    return `#${planned.id} changed in PostHog after the plan (an edit in the UI?): not overwritten; run plan again`;
  }
  return undefined;
}

async function reread(
  context: ApplyContext,
  key: string,
  id: number,
  action: "update" | "delete",
  done: number,
): Promise<Insight | undefined> {
  try {
    return await rereadInsight(context.client, context.project, id);
  } catch (err) {
    throw new WriteError({ key, path: context.pathOf(key), action, id, refused: isRefusal(err), done }, err);
  }
}

function record(context: ApplyContext, key: string, insight: Insight, hash: string, keepPulled = true): void {
  const previous = context.entries.entries[key];
  const entry: StateEntry = {
    id: insight.id,
    short_id: insight.short_id,
    last_modified_at: insight.last_modified_at ?? null,
    hash,
  };
  if (keepPulled && previous?.pulled && previous.id === insight.id) {
    entry.pulled = true;
  }
  context.entries.entries[key] = entry;
}

/** PostHog answered, and no (a 4xx other than a throttle or timeout): running again fails alike. */
function isRefusal(err: unknown): boolean {
  return err instanceof APIError && err.status >= 400 && err.status < 500 && err.status !== 429 && err.status !== 408;
}
