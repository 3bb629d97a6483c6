// The three-way plan (files, state of the target, remote insights): what a push would do and
// why. Before any create it looks for the insight the file already is (an interrupted create, a
// renamed file, a live insight no file manages) so that no situation makes a duplicate. Pure: no
// I/O; the engine feeds it what it read.
import type { Insight } from "../types.js";
import { comparable, contentHash, type InsightFile, type Json } from "./canonical.js";
import { diff, type Change } from "./diff.js";
import { remoteFile, remoteHash, sameInsight } from "./insight-kind.js";
import { localRefs, type LocalRef } from "./refs.js";
import type { TargetState } from "./state.js";

/** What a push does with one key or remote insight. */
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
 *   action: "update",
 *   key: "daily-signups",
 *   id: 7,
 *   changes: [{ path: "name", before: "a", after: "b" }],
 * };
 */
export interface PlanAction {
  action: ActionKind;
  /** The file key (absent for unmanaged insights). */
  key?: string;
  /** The remote insight's id (absent for creates). */
  id?: number;
  short_id?: string;
  name?: string;
  /** Why: a remote edit since the last sync, an interrupted create, a rename, a remote delete... */
  reason?: string;
  /** Field changes from the remote insight to the file (update, conflict, and adopt or rename with edits). */
  changes?: Change[];
  /** Project-local ids in the file's query when it did not come from this target. */
  refs?: LocalRef[];
  /** rename: the key the insight was managed under. */
  from?: string;
  /** duplicate: the key whose file already manages the insight this file repeats. */
  duplicateOf?: string;
  /** The file (create, adopt, rename, update, conflict on an update, duplicate). */
  file?: InsightFile;
  /** The remote insight as planned against (adopt, rename, update, unchanged, conflict, delete). */
  remote?: Insight;
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
  /** True when the files and the project differ in any way: a change, or an orphaned insight. */
  differs: boolean;
  /** Conflicts and duplicates: a push refuses them without --force. */
  conflicts: number;
}

/** How long before a recorded pending create the insight it made may claim to be created (clock skew). */
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
 * Compares files, the target's state and the remote insights.
 *
 * @example
 * const plan = computePlan(files, state.target(target), remoteInsights, { prune: false });
 */
export function computePlan(
  files: Map<string, InsightFile>,
  target: TargetState,
  remote: Insight[],
  options: { prune: boolean },
): Plan {
  const byId = new Map(remote.map((insight) => [insight.id, insight]));
  // Live insights and the key managing each; the orphans among them are renames in waiting.
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

  for (const [key, file] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const entry = target.entries[key];
    const insight = entry ? byId.get(entry.id) : undefined;
    const refs = entry?.pulled ? [] : localRefs(file.query as Json | undefined);
    const withRefs = (action: PlanAction): PlanAction => (refs.length > 0 ? { ...action, refs } : action);
    const named = file.name === undefined ? {} : { name: file.name };
    if (insight) {
      actions.push(withRefs(compare(key, file, insight, entry?.hash)));
      continue;
    }
    const fileHash = contentHash(file);
    // The candidate that is the file: an identical one first, then the oldest.
    const matching = (candidates: Insight[]): Insight | undefined =>
      candidates
        .filter((candidate) => !taken.has(candidate.id) && sameInsight(file, candidate))
        .sort((a, b) => Number(remoteHash(b) === fileHash) - Number(remoteHash(a) === fileHash) || a.id - b.id)[0];
    const take = (action: ActionKind, found: Insight, reason: string, extra: Partial<PlanAction> = {}): void => {
      taken.add(found.id);
      const changes = diff(comparable(remoteFile(found)), comparable(file));
      actions.push(
        withRefs({
          action,
          key,
          id: found.id,
          short_id: found.short_id,
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
        )
      : undefined;
    if (interrupted) {
      take("adopt", interrupted, "an interrupted push created it; recorded without creating it again");
      continue;
    }
    const renamed = matching(remote.filter((candidate) => orphanOf(candidate.id) !== undefined));
    const from = renamed && orphanOf(renamed.id);
    if (renamed && from !== undefined) {
      take("rename", renamed, `renamed from ${from}: keeps its id, short id and links`, { from });
      continue;
    }
    const unmanaged = matching(remote.filter((candidate) => !managedBy.has(candidate.id)));
    if (unmanaged) {
      take(
        "adopt",
        unmanaged,
        remoteHash(unmanaged) === fileHash
          ? "identical to an insight no file manages: adopted, not created again"
          : "same name and query as an insight no file manages: adopted, not created again",
      );
      continue;
    }
    const repeated = matching(remote.filter((candidate) => managedBy.has(candidate.id)));
    const owner = repeated && managedBy.get(repeated.id);
    if (repeated && owner !== undefined) {
      actions.push(
        withRefs({
          action: "duplicate",
          key,
          id: repeated.id,
          short_id: repeated.short_id,
          ...named,
          reason: `the same insight as ${owner} (#${repeated.id}): two files for one insight; remove this one, or change it to make another insight (push --force creates a copy)`,
          duplicateOf: owner,
          file,
        }),
      );
      continue;
    }
    const reason = entry
      ? `the state's #${entry.id} is not in the project (deleted in PostHog since the last sync, or the state was edited)`
      : undefined;
    actions.push(withRefs({ action: "create", key, ...named, ...(reason ? { reason } : {}), file }));
  }

  for (const [key, entry] of Object.entries(target.entries)) {
    const insight = byId.get(entry.id);
    if (files.has(key) || !insight || taken.has(insight.id)) {
      continue;
    }
    const changed = remoteHash(insight) !== entry.hash;
    const base = {
      key,
      id: insight.id,
      short_id: insight.short_id,
      ...(insight.name ? { name: insight.name } : {}),
      remote: insight,
    };
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
  for (const insight of remote) {
    if (!managedBy.has(insight.id) && !taken.has(insight.id)) {
      actions.push({
        action: "unmanaged",
        id: insight.id,
        short_id: insight.short_id,
        ...(insight.name ? { name: insight.name } : {}),
      });
    }
  }
  actions.sort((a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action));
  const changes = actions.some((action) => WRITES.has(action.action));
  return {
    actions,
    changes,
    differs: changes || actions.some((action) => action.action === "orphaned"),
    conflicts: actions.filter((action) => action.action === "conflict" || action.action === "duplicate").length,
  };
}

/** A managed file against its live insight: unchanged, update or conflict. */
function compare(key: string, file: InsightFile, insight: Insight, baseline: string | undefined): PlanAction {
  const fileHash = contentHash(file);
  const currentHash = remoteHash(insight);
  const base = {
    key,
    id: insight.id,
    short_id: insight.short_id,
    ...(file.name === undefined ? {} : { name: file.name }),
    remote: insight,
  };
  if (fileHash === currentHash) {
    return { action: "unchanged", ...base };
  }
  const changes = diff(comparable(remoteFile(insight)), comparable(file));
  const fileChanged = fileHash !== baseline;
  const remoteChanged = currentHash !== baseline;
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
 * The insight an interrupted create made: not managed by another key, same content (name,
 * query and the rest), created no earlier than the create was noted; the oldest one wins.
 */
export function findAdoptable(
  pending: { hash: string; started_at: string },
  remote: Insight[],
  claimed: Set<number>,
): Insight | undefined {
  const since = Date.parse(pending.started_at) - SKEW_MS;
  return remote
    .filter((insight) => !claimed.has(insight.id))
    .filter((insight) => remoteHash(insight) === pending.hash)
    .filter((insight) => !insight.created_at || Date.parse(insight.created_at) >= since)
    .sort((a, b) => a.id - b.id)[0];
}
