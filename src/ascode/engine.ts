// The as-code engine: pull, plan, push and copy between a directory of insight files and a
// project, through the package's own client. The CLI calls it; tests use it directly. Owns the
// order of writes and the state updates; holds no terminal or argument logic.
import type { PostHogClient } from "../client.js";
import type { Insight, InsightCreate, InsightUpdate } from "../types.js";
import { comparable, contentHash, type InsightFile } from "./canonical.js";
import { ConflictError, InvalidFilesError } from "./errors.js";
import { readInsightDir, removeInsightFile, writeInsightFile, type LoadedFile } from "./files.js";
import { computePlan, findAdoptable, remoteFile, type Plan, type PlanAction } from "./plan.js";
import { keyFor, slugify } from "./slug.js";
import { StateStore, statePath, type StateEntry, type TargetState } from "./state.js";
import { isDeepStrictEqual } from "node:util";

/** Progress callbacks (the CLI's progress reporter fits). */
export interface EngineProgress {
  start(label: string, total: number): void;
  item(name: string): void;
  done(name?: string): void;
  stop(): void;
}

const QUIET: EngineProgress = { start() {}, item() {}, done() {}, stop() {} };

/** What `pull` did. */
export interface PullResult {
  total: number;
  written: string[];
  unchanged: number;
  removed: string[];
}

/** What `push` did. */
export interface PushResult {
  plan: Plan;
  created: string[];
  adopted: string[];
  updated: string[];
  deleted: string[];
}

const PAGE = 100;

/**
 * Every insight of the client's project (soft-deleted ones are not listed by PostHog).
 *
 * @example
 * const insights = await listRemote(posthog);
 */
export async function listRemote(
  client: PostHogClient,
  progress: EngineProgress = QUIET,
  params: { search?: string } = {},
): Promise<Insight[]> {
  let page = await client.insights.list({ limit: PAGE, ...params });
  const insights = [...page.results];
  progress.start("list", Math.ceil(page.count / PAGE));
  progress.done();
  while (page.hasNextPage()) {
    progress.item(`insights ${insights.length + 1}-${Math.min(insights.length + PAGE, page.count)}`);
    page = await page.getNextPage();
    insights.push(...page.results);
    progress.done();
  }
  progress.stop();
  return insights;
}

function targetOf(state: StateStore, client: PostHogClient): TargetState {
  return state.target(client.host, client.projectId);
}

function entryOf(insight: Insight, pulled: boolean): StateEntry {
  const entry: StateEntry = {
    id: insight.id,
    short_id: insight.short_id,
    last_modified_at: insight.last_modified_at ?? null,
    hash: contentHash(remoteFile(insight)),
  };
  if (pulled) {
    entry.pulled = true;
  }
  return entry;
}

/**
 * Writes every insight of the project into `dir` (one file each, canonical), records the target
 * in the directory's state, and removes the files of insights deleted in PostHog. A file whose
 * content already matches (version markers aside) is left byte for byte as it is.
 *
 * @example
 * const result = await pull(posthog, "insights");
 */
export async function pull(client: PostHogClient, dir: string, progress: EngineProgress = QUIET): Promise<PullResult> {
  const remote = await listRemote(client, progress);
  const state = await StateStore.load(statePath(dir));
  const target = targetOf(state, client);
  const { files } = await readInsightDir(dir);
  const keyById = new Map<number, string>();
  for (const [key, entry] of Object.entries(target.entries)) {
    keyById.set(entry.id, key);
  }
  const claimed = new Set(keyById.keys());
  // An interrupted push's creates keep their file's key.
  for (const [key, pending] of Object.entries(target.pending)) {
    const made = findAdoptable(pending, remote, claimed);
    if (made) {
      keyById.set(made.id, key);
      claimed.add(made.id);
    }
    delete target.pending[key];
  }
  const taken = new Set([...keyById.values(), ...files.keys()]);
  const result: PullResult = { total: remote.length, written: [], unchanged: 0, removed: [] };
  const live = new Set<number>();
  progress.start("pull", remote.length);
  for (const insight of [...remote].sort((a, b) => a.id - b.id)) {
    let key = keyById.get(insight.id);
    if (key === undefined) {
      key = keyFor(insight, taken);
      taken.add(key);
    }
    progress.item(key);
    live.add(insight.id);
    const file = remoteFile(insight);
    const existing = files.get(key);
    if (existing && isDeepStrictEqual(comparable(existing.file), comparable(file))) {
      result.unchanged += 1;
    } else if (await writeInsightFile(dir, key, file)) {
      result.written.push(key);
    } else {
      result.unchanged += 1;
    }
    target.entries[key] = entryOf(insight, true);
    progress.done(key);
  }
  progress.stop();
  for (const [key, entry] of Object.entries(target.entries)) {
    if (!live.has(entry.id)) {
      await removeInsightFile(dir, key);
      delete target.entries[key];
      result.removed.push(key);
    }
  }
  await state.save();
  return result;
}

/** Reads a directory's files, refusing unreadable ones. */
async function readFiles(dir: string): Promise<Map<string, LoadedFile>> {
  const { files, problems } = await readInsightDir(dir);
  if (problems.length > 0) {
    throw new InvalidFilesError(problems);
  }
  return files;
}

function fileMap(files: Map<string, LoadedFile>): Map<string, InsightFile> {
  return new Map([...files].map(([key, loaded]) => [key, loaded.file]));
}

/**
 * What a push would do: three-way comparison of the files, the state and the project.
 *
 * @example
 * const plan = await planDir(posthog, "insights", { prune: false });
 */
export async function planDir(
  client: PostHogClient,
  dir: string,
  options: { prune?: boolean; progress?: EngineProgress } = {},
): Promise<Plan> {
  const files = await readFiles(dir);
  const remote = await listRemote(client, options.progress);
  const state = await StateStore.load(statePath(dir));
  return computePlan(fileMap(files), targetOf(state, client), remote, { prune: options.prune ?? false });
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

/**
 * Makes the project match the directory: creates, then updates, then (with `prune`)
 * soft-deletes, recording each success in the state at once. Refuses conflicts unless `force`.
 *
 * @example
 * const result = await push(posthog, "insights", { prune: true });
 */
export async function push(client: PostHogClient, dir: string, options: PushOptions = {}): Promise<PushResult> {
  const files = await readFiles(dir);
  const remote = await listRemote(client, options.progress);
  const state = await StateStore.load(statePath(dir));
  return applyFiles(client, fileMap(files), state, remote, options);
}

/** Plans and applies files against a target whose remote insights are known. */
async function applyFiles(
  client: PostHogClient,
  files: Map<string, InsightFile>,
  state: StateStore,
  remote: Insight[],
  options: PushOptions,
): Promise<PushResult> {
  const target = targetOf(state, client);
  const plan = computePlan(files, target, remote, { prune: options.prune ?? false });
  const result: PushResult = { plan, created: [], adopted: [], updated: [], deleted: [] };
  if (plan.conflicts > 0 && !options.force) {
    throw new ConflictError(plan);
  }
  if (options.dryRun) {
    return result;
  }
  const progress = options.progress ?? QUIET;
  const now = options.now ?? (() => new Date());
  const writes = plan.actions.filter((a) => ["create", "update", "conflict", "delete"].includes(a.action));
  progress.start("push", writes.length);
  for (const action of plan.actions) {
    await applyAction(client, action, target, state, result, progress, now);
  }
  // Stale entries: remote insights deleted with their file already gone.
  const live = new Set(remote.map((insight) => insight.id));
  for (const [key, entry] of Object.entries(target.entries)) {
    if (!files.has(key) && !live.has(entry.id)) {
      delete target.entries[key];
    }
  }
  await state.save();
  progress.stop();
  return result;
}

async function applyAction(
  client: PostHogClient,
  action: PlanAction,
  target: TargetState,
  state: StateStore,
  result: PushResult,
  progress: EngineProgress,
  now: () => Date,
): Promise<void> {
  const { key, file } = action;
  if (key === undefined) {
    return;
  }
  const pulled = target.entries[key]?.pulled === true;
  switch (action.action) {
    case "create": {
      if (!file) {
        return;
      }
      progress.item(key);
      // Noted before sending: if the answer is lost, the next run adopts what this made.
      target.pending[key] = { hash: contentHash(file), name: file.name ?? null, started_at: now().toISOString() };
      await state.save();
      const created = await client.insights.create(createBody(file));
      target.entries[key] = entryOf(created, false);
      delete target.pending[key];
      await state.save();
      result.created.push(key);
      progress.done(key);
      return;
    }
    case "adopt": {
      if (action.remote) {
        target.entries[key] = entryOf(action.remote, false);
        delete target.pending[key];
        await state.save();
        result.adopted.push(key);
      }
      return;
    }
    case "update":
    case "conflict": {
      if (!(file && action.remote)) {
        return;
      }
      progress.item(key);
      const updated = await client.insights.update(action.remote.id, updateBody(file, remoteFile(action.remote)));
      target.entries[key] = entryOf(updated, pulled);
      await state.save();
      result.updated.push(key);
      progress.done(key);
      return;
    }
    case "delete": {
      if (!action.remote) {
        return;
      }
      progress.item(key);
      await client.insights.delete(action.remote.id);
      delete target.entries[key];
      await state.save();
      result.deleted.push(key);
      progress.done(key);
      return;
    }
    case "unchanged": {
      if (action.remote) {
        target.entries[key] = entryOf(action.remote, pulled);
      }
      return;
    }
    default:
      return;
  }
}

/** The body of a create: the file's fields, saved (so it shows among saved insights). */
export function createBody(file: InsightFile): InsightCreate {
  const body: InsightCreate = { saved: true };
  if (file.name !== undefined) {
    body.name = file.name;
  }
  if (file.description !== undefined) {
    body.description = file.description;
  }
  if (file.favorited !== undefined) {
    body.favorited = file.favorited;
  }
  if (file.tags !== undefined) {
    body.tags = file.tags;
  }
  if (file.query !== undefined) {
    body.query = file.query;
  }
  return body;
}

/** The body of an update: only the fields that differ, a removed field sent as its default. */
export function updateBody(file: InsightFile, current: InsightFile): InsightUpdate {
  const body: InsightUpdate = {};
  const differs = (field: keyof InsightFile): boolean =>
    !isDeepStrictEqual(comparable({ [field]: file[field] }), comparable({ [field]: current[field] }));
  if (differs("name")) {
    body.name = file.name ?? null;
  }
  if (differs("description")) {
    body.description = file.description ?? "";
  }
  if (differs("favorited")) {
    body.favorited = file.favorited ?? false;
  }
  if (differs("tags")) {
    body.tags = file.tags ?? [];
  }
  if (differs("query")) {
    body.query = file.query ?? null;
  }
  return body;
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
 * memory, push into the destination with the same guarantees (state, resume, no duplicates).
 * Project-local ids in queries are reported in the plan's `refs`, never rewritten.
 *
 * @example
 * await copy(source, destination, { statePath: ".posthog-insights/copy-state.json", search: "signups" });
 */
export async function copy(from: PostHogClient, to: PostHogClient, options: CopyOptions): Promise<CopyResult> {
  const selected = await selectSource(from, options);
  const files = new Map<string, InsightFile>();
  const sources: Record<string, number> = {};
  for (const insight of selected) {
    const key = `${slugify(insight.name ?? insight.derived_name ?? "") || "insight"}-${slugify(insight.short_id)}`;
    files.set(key, remoteFile(insight));
    sources[key] = insight.id;
  }
  const state = await StateStore.load(options.statePath);
  const remote = await listRemote(to, options.progress);
  const result = await applyFiles(to, files, state, remote, { ...options, prune: false });
  return { ...result, sources };
}

async function selectSource(from: PostHogClient, options: CopyOptions): Promise<Insight[]> {
  if (!options.ids || options.ids.length === 0) {
    return listRemote(from, options.progress, options.search === undefined ? {} : { search: options.search });
  }
  const found: Insight[] = [];
  for (const id of options.ids) {
    if (/^\d+$/.test(id)) {
      found.push(await from.insights.retrieve(id));
    } else {
      const page = await from.insights.list({ short_id: id, limit: 1 });
      const insight = page.results[0];
      if (!insight) {
        throw new Error(`No insight with short id ${id} in the source project.`);
      }
      found.push(insight);
    }
  }
  return found;
}
