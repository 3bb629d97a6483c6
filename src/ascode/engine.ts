// The as-code engine's entry points: pull, plan and push between a directory of files
// (insights, dashboards, actions, cohorts) and a project, through the package's own client
// (copy.ts plans and pushes a destination the same way). The CLI calls them; tests use them
// directly. Each one validates before any request, resolves the target once, and (for those
// that write) holds the directory's lock. The steps live beside it: session.ts (files, target,
// state), plan.ts, apply.ts, pull.ts, and one module per kind in kinds/. No terminal or
// argument logic here, and nothing that knows one kind from another.
import type { PostHogClient } from "../client.js";
import { type Applied, applyPlan } from "./apply.js";
import { ConflictError } from "./errors.js";
import { type FileProblem, objectPath } from "./files.js";
import type { AnyKind, RemoteObject } from "./kind.js";
import type { KindName } from "./kind-names.js";
import { KeyMap } from "./keymap.js";
import { KINDS } from "./kinds/index.js";
import { insightKind } from "./kinds/insight.js";
import { withLock } from "./lock.js";
import { computePlan, type KindInput, type Plan } from "./plan.js";
import { type EngineProgress, QUIET } from "./progress.js";
import {
  checkNormalized,
  checkSharedIds,
  type FilesByKind,
  type Opened,
  openTarget,
  readValidFiles,
} from "./session.js";
import { stateDir, statePath, type TargetState } from "./state.js";

export type { EngineProgress } from "./progress.js";
export { pull, type PullOptions, type PullResult, type Kept } from "./pull.js";

/** What `plan` found: the plan, and the warnings of validation (unknown kinds). */
export interface PlanResult {
  plan: Plan;
  warnings: FileProblem[];
}

/**
 * What a push would do: three-way comparison of the files, the state and the project, over
 * every kind the directory holds. The files are validated first: an invalid one (or a
 * reference no file defines) throws `InvalidFilesError` and nothing is sent.
 *
 * @example
 * const { plan } = await planDir(posthog, "insights", { prune: false });
 */
export async function planDir(
  client: PostHogClient,
  dir: string,
  options: { prune?: boolean; progress?: EngineProgress } = {},
): Promise<PlanResult> {
  const { files, warnings } = await readValidFiles(dir);
  const opened = await openTarget(client, statePath(dir));
  checkSharedIds(opened, dir, files);
  checkNormalized(opened, files);
  const { plan } = await planTarget(client, opened, fileMaps(files), options);
  return { plan, warnings };
}

/**
 * The kinds a plan covers: insights always; another kind when the directory has files of it or
 * the target's state has entries of it (so a directory of insights alone lists nothing else).
 */
function inPlay(files: Map<KindName, Map<string, object>>, target: TargetState): AnyKind[] {
  return KINDS.filter((kind) => {
    const state = target.kinds[kind.name];
    return (
      kind.name === "insight" ||
      (files.get(kind.name)?.size ?? 0) > 0 ||
      Object.keys(state.entries).length > 0 ||
      Object.keys(state.pending).length > 0
    );
  });
}

/**
 * Lists each kind in play (or the `kinds` given) in the target and plans them against `files`,
 * in dependency order. `copy` plans its destination with it.
 *
 * @example
 * const { plan, keys, inputs } = await planTarget(posthog, opened, files, { kinds: [insightKind] });
 */
export async function planTarget(
  client: PostHogClient,
  opened: Opened,
  files: Map<KindName, Map<string, object>>,
  options: { prune?: boolean; progress?: EngineProgress; kinds?: AnyKind[] },
): Promise<{ plan: Plan; keys: KeyMap; inputs: KindInput[] }> {
  const where = { client, project: opened.target.project };
  const inputs: KindInput[] = [];
  for (const kind of options.kinds ?? inPlay(files, opened.entries)) {
    inputs.push({
      kind,
      files: files.get(kind.name) ?? new Map(),
      state: opened.entries.kinds[kind.name],
      remote: await kind.list(where, options.progress ?? QUIET),
    });
  }
  const keys = new KeyMap(opened.entries);
  return { plan: computePlan(inputs, keys, { prune: options.prune ?? false }), keys, inputs };
}

/** Options of `push` (and `copy`). */
export interface PushOptions {
  dryRun?: boolean;
  force?: boolean;
  prune?: boolean;
  progress?: EngineProgress;
  /** The clock of pending-create notes (tests). */
  now?: () => Date;
}

/** What `push` did. */
export interface PushResult extends Applied {
  plan: Plan;
  warnings: FileProblem[];
  /** State targets folded into this one (older spellings of it). */
  migrated: string[];
  /** A stale lock (of a killed run) this push took over: who held it. */
  tookOverLock?: string;
}

/**
 * Makes the project match the directory: creates, then adoptions and renames, then updates,
 * then (with `prune`) soft-deletes, recording each success in the state at once. Refuses a
 * plan with conflicts unless `force` (a dry run returns it, refusing nothing and sending no
 * write). Holds the directory's lock: a second push on it fails with `LockedError`.
 *
 * @example
 * const result = await push(posthog, "insights", { prune: true });
 */
export async function push(client: PostHogClient, dir: string, options: PushOptions = {}): Promise<PushResult> {
  const { files, warnings } = await readValidFiles(dir);
  const write = async (): Promise<PushResult> => {
    const opened = await openTarget(client, statePath(dir));
    checkSharedIds(opened, dir, files);
    checkNormalized(opened, files);
    const { plan, keys, inputs } = await planTarget(client, opened, fileMaps(files), options);
    const result: PushResult = { ...emptyApplied(), plan, warnings, migrated: opened.state.migrated };
    if (options.dryRun) {
      return result;
    }
    if (plan.conflicts > 0 && !options.force) {
      throw new ConflictError(plan);
    }
    const applied = await applyPlan(
      {
        client,
        project: opened.target.project,
        state: opened.state,
        target: opened.entries,
        keys,
        kinds: new Map(inputs.map((input) => [input.kind.name, input.kind])),
        pathOf: (kind, key) => files.get(kind)?.get(key)?.path ?? objectPath(kindOf(inputs, kind), dir, key),
        progress: options.progress ?? QUIET,
        now: options.now ?? (() => new Date()),
      },
      plan,
      { force: options.force === true },
    );
    for (const input of inputs) {
      forgetStale(input.state.entries, input.files, input.remote);
    }
    await opened.state.save();
    return { ...result, ...applied };
  };
  if (options.dryRun) {
    return write();
  }
  return withLock(stateDir(dir), "push", async (lock) => {
    const result = await write();
    if (lock.tookOverFrom) {
      result.tookOverLock = `pid ${lock.tookOverFrom.pid} on ${lock.tookOverFrom.host}`;
    }
    return result;
  });
}

function kindOf(inputs: KindInput[], name: KindName): AnyKind {
  return inputs.find((input) => input.kind.name === name)?.kind ?? insightKind;
}

/** Entries whose file is gone and whose object is gone too: nothing left to manage. */
function forgetStale(
  entries: Record<string, { id: number }>,
  files: Map<string, unknown>,
  remote: RemoteObject[],
): void {
  const live = new Set(remote.map((object) => object.id));
  for (const [key, entry] of Object.entries(entries)) {
    if (!files.has(key) && !live.has(entry.id)) {
      delete entries[key];
    }
  }
}

/**
 * What a run that applied nothing did.
 *
 * @example
 * const result = { ...emptyApplied(), plan };
 */
export function emptyApplied(): Applied {
  return { created: [], adopted: [], renamed: [], updated: [], deleted: [], conflicts: [] };
}

/** Each kind's files as the plan compares them: canonical, by key. */
function fileMaps(files: FilesByKind): Map<KindName, Map<string, object>> {
  return new Map(
    [...files].map(([kind, byKey]) => [kind, new Map([...byKey].map(([key, loaded]) => [key, loaded.file]))]),
  );
}
