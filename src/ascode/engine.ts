// The as-code engine's entry points: pull, plan, push and copy between a directory of files
// (insights, dashboards, actions, cohorts) and a project, through the package's own client. The
// CLI calls them; tests use them directly. Each one validates before any request, resolves the
// target once, and (for those that write) holds the directory's lock. The steps live beside it:
// session.ts (files, target, state), plan.ts, apply.ts, pull.ts, and one module per kind in
// kinds/. No terminal or argument logic here, and nothing that knows one kind from another.
import { dirname } from "node:path";
import type { PostHogClient } from "../client.js";
import type { Insight } from "../types.js";
import { type Applied, applyPlan } from "./apply.js";
import type { InsightFile } from "./canonical.js";
import { ConflictError, UsageProblem } from "./errors.js";
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
import { slugify } from "./slug.js";
import { emptyTarget, stateDir, statePath, type TargetState } from "./state.js";
import { resolveTarget } from "./target.js";
import { allPages, PAGE } from "./kinds/common.js";

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

/** Lists each kind in play and plans them, in dependency order. */
async function planTarget(
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

/** Options of `push` and `copy`. */
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

function emptyApplied(): Applied {
  return { created: [], adopted: [], renamed: [], updated: [], deleted: [], conflicts: [] };
}

/** Each kind's files as the plan compares them: canonical, by key. */
function fileMaps(files: FilesByKind): Map<KindName, Map<string, object>> {
  return new Map(
    [...files].map(([kind, byKey]) => [kind, new Map([...byKey].map(([key, loaded]) => [key, loaded.file]))]),
  );
}

/** Options of `copy`. */
export interface CopyOptions extends PushOptions {
  /** Only insights whose name matches (PostHog's `search`). */
  search?: string;
  /** Only these insights (ids or short ids). */
  ids?: string[];
  /** The state file of copies (keys -> destination insights), so a rerun resumes. */
  statePath: string;
}

/** What `copy` did, with the project-local ids found per insight. */
export interface CopyResult extends PushResult {
  /** Key -> source insight id. */
  sources: Record<string, number>;
}

/**
 * Copies insights from one project to another (same or other host): pull from the source in
 * memory, push into the destination with the same guarantees (state, lock, resume, no
 * duplicates: an identical insight already there is adopted). Project-local ids in queries are
 * reported in the plan's `refs`, never rewritten. A copy into its own source is refused.
 *
 * @example
 * await copy(source, destination, { statePath: ".posthog-insights/copy-state.json", search: "signups" });
 */
export async function copy(from: PostHogClient, to: PostHogClient, options: CopyOptions): Promise<CopyResult> {
  const [source, destination] = [await resolveTarget(from), await resolveTarget(to)];
  if (source.id === destination.id) {
    throw new UsageProblem(
      `The destination is the source itself (project ${source.project} on ${source.origin}): ` +
        "a copy would duplicate every insight. Give another --to-project or --to-host.",
    );
  }
  const selected = await selectSource(from, source.project, options);
  const files = new Map<string, InsightFile>();
  const sources: Record<string, number> = {};
  // Ids stay as the source holds them: a copy of insights alone carries no key references.
  const asIs = { keys: new KeyMap(emptyTarget(source.origin, String(source.project))) };
  for (const insight of selected) {
    const key = `${slugify(insight.name ?? insight.derived_name ?? "") || "insight"}-${slugify(insight.short_id)}`;
    files.set(key, insightKind.toFile(insight, asIs));
    sources[key] = insight.id;
  }
  const write = async (): Promise<CopyResult> => {
    const opened = await openTarget(to, options.statePath);
    const { plan, keys } = await planTarget(to, opened, new Map([["insight", files]]), {
      ...options,
      prune: false,
      kinds: [insightKind],
    });
    const result: CopyResult = { ...emptyApplied(), plan, warnings: [], migrated: opened.state.migrated, sources };
    if (options.dryRun) {
      return result;
    }
    if (plan.conflicts > 0 && !options.force) {
      throw new ConflictError(plan);
    }
    const applied = await applyPlan(
      {
        client: to,
        project: destination.project,
        state: opened.state,
        target: opened.entries,
        keys,
        kinds: new Map([["insight", insightKind]]),
        pathOf: (_kind, key) => `${key} (source #${sources[key]})`,
        progress: options.progress ?? QUIET,
        now: options.now ?? (() => new Date()),
      },
      plan,
      { force: options.force === true },
    );
    await opened.state.save();
    return { ...result, ...applied };
  };
  return options.dryRun ? write() : withLock(dirname(options.statePath), "copy", write);
}

async function selectSource(from: PostHogClient, project: number, options: CopyOptions): Promise<Insight[]> {
  if (!options.ids || options.ids.length === 0) {
    const params = options.search === undefined ? { limit: PAGE } : { limit: PAGE, search: options.search };
    return allPages("insights", from.insights.list(params, { projectId: project }), options.progress ?? QUIET);
  }
  const found: Insight[] = [];
  for (const id of options.ids) {
    if (/^\d+$/.test(id)) {
      found.push(await from.insights.retrieve(id, {}, { projectId: project }));
    } else {
      const page = await from.insights.list({ short_id: id, limit: 1 }, { projectId: project });
      const insight = page.results[0];
      if (!insight) {
        throw new Error(`No insight with short id ${id} in the source project.`);
      }
      found.push(insight);
    }
  }
  return found;
}
