// The as-code engine's entry points: pull, plan, push and copy between a directory of insight
// files and a project, through the package's own client. The CLI calls them; tests use them
// directly. Each one validates before any request, resolves the target once, and (for those
// that write) holds the directory's lock. The steps live beside it: session.ts (files, target,
// state), plan.ts, apply.ts, pull.ts. No terminal or argument logic here.
import { dirname } from "node:path";
import type { PostHogClient } from "../client.js";
import type { Insight } from "../types.js";
import { type Applied, applyPlan } from "./apply.js";
import type { InsightFile } from "./canonical.js";
import { ConflictError, UsageProblem } from "./errors.js";
import { type FileProblem, insightPath } from "./files.js";
import { listInsights, remoteFile } from "./insight-kind.js";
import { withLock } from "./lock.js";
import { computePlan, type Plan } from "./plan.js";
import { type EngineProgress, QUIET } from "./progress.js";
import { checkSharedIds, openTarget, readValidFiles } from "./session.js";
import { slugify } from "./slug.js";
import { stateDir, statePath } from "./state.js";
import { resolveTarget } from "./target.js";

export type { EngineProgress } from "./progress.js";
export { pull, type PullOptions, type PullResult, type Kept } from "./pull.js";

/** What `plan` found: the plan, and the warnings of validation (unknown kinds). */
export interface PlanResult {
  plan: Plan;
  warnings: FileProblem[];
}

/**
 * What a push would do: three-way comparison of the files, the state and the project. The
 * files are validated first: an invalid one throws `InvalidFilesError` and nothing is sent.
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
  checkSharedIds(opened, dir, pathsOf(files));
  const remote = await listInsights(client, opened.target.project, options.progress ?? QUIET);
  const plan = computePlan(fileMap(files), opened.entries, remote, { prune: options.prune ?? false });
  return { plan, warnings };
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
  const paths = pathsOf(files);
  const write = async (): Promise<PushResult> => {
    const opened = await openTarget(client, statePath(dir));
    checkSharedIds(opened, dir, paths);
    const remote = await listInsights(client, opened.target.project, options.progress ?? QUIET);
    const plan = computePlan(fileMap(files), opened.entries, remote, { prune: options.prune ?? false });
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
        entries: opened.entries,
        pathOf: (key) => paths.get(key) ?? insightPath(dir, key),
        progress: options.progress ?? QUIET,
        now: options.now ?? (() => new Date()),
      },
      plan,
      { force: options.force === true },
    );
    forgetStale(opened.entries.entries, files, remote);
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

/** Entries whose file is gone and whose insight is gone too: nothing left to manage. */
function forgetStale(entries: Record<string, { id: number }>, files: Map<string, unknown>, remote: Insight[]): void {
  const live = new Set(remote.map((insight) => insight.id));
  for (const [key, entry] of Object.entries(entries)) {
    if (!files.has(key) && !live.has(entry.id)) {
      delete entries[key];
    }
  }
}

function emptyApplied(): Applied {
  return { created: [], adopted: [], renamed: [], updated: [], deleted: [], conflicts: [] };
}

function fileMap(files: Map<string, { file: InsightFile }>): Map<string, InsightFile> {
  return new Map([...files].map(([key, loaded]) => [key, loaded.file]));
}

function pathsOf(files: Map<string, { path: string }>): Map<string, string> {
  return new Map([...files].map(([key, loaded]) => [key, loaded.path]));
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
  for (const insight of selected) {
    const key = `${slugify(insight.name ?? insight.derived_name ?? "") || "insight"}-${slugify(insight.short_id)}`;
    files.set(key, remoteFile(insight));
    sources[key] = insight.id;
  }
  const write = async (): Promise<CopyResult> => {
    const opened = await openTarget(to, options.statePath);
    const remote = await listInsights(to, destination.project, options.progress ?? QUIET);
    const plan = computePlan(files, opened.entries, remote, { prune: false });
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
        entries: opened.entries,
        pathOf: (key) => `${key} (source #${sources[key]})`,
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
    return listInsights(
      from,
      project,
      options.progress ?? QUIET,
      options.search === undefined ? {} : { search: options.search },
    );
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
