// The three-way plan (files, state of the target, remote insights): what a push would do and
// why. Pure: no I/O; the engine feeds it what it read.
import type { Insight } from "../types.js";
import { canonicalFile, comparable, contentHash, type InsightFile, type Json } from "./canonical.js";
import { diff, type Change } from "./diff.js";
import { localRefs, type LocalRef } from "./refs.js";
import type { TargetState } from "./state.js";

/** What a push does with one key or remote insight. */
export type ActionKind = "create" | "adopt" | "update" | "unchanged" | "conflict" | "delete" | "orphaned" | "unmanaged";

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
  /** Why: a remote edit since the last sync, an interrupted create, a remote delete... */
  reason?: string;
  /** Field changes from the remote insight to the file (update and conflict). */
  changes?: Change[];
  /** Project-local ids in the file's query when it did not come from this target. */
  refs?: LocalRef[];
  /** The file (create, adopt, update, conflict). */
  file?: InsightFile;
  /** The remote insight (adopt, update, unchanged, conflict, delete). */
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
  /** True when a push would write something (create, adopt, update, conflict, delete). */
  changes: boolean;
  conflicts: number;
}

/** How long before a recorded pending create the insight it made may claim to be created (clock skew). */
const SKEW_MS = 5 * 60_000;

/** The comparable form of a remote insight. */
export function remoteFile(insight: Insight): InsightFile {
  return canonicalFile(insight);
}

/**
 * Compares files, the target's state and the remote insights.
 *
 * @example
 * const plan = computePlan(files, state.target(origin, project), remoteInsights, { prune: false });
 */
export function computePlan(
  files: Map<string, InsightFile>,
  target: TargetState,
  remote: Insight[],
  options: { prune: boolean },
): Plan {
  const byId = new Map(remote.map((insight) => [insight.id, insight]));
  const claimed = new Set<number>();
  for (const entry of Object.values(target.entries)) {
    if (byId.has(entry.id)) {
      claimed.add(entry.id);
    }
  }
  const actions: PlanAction[] = [];

  for (const [key, file] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const entry = target.entries[key];
    const insight = entry ? byId.get(entry.id) : undefined;
    const refs = entry?.pulled ? [] : localRefs(file.query as Json | undefined);
    const withRefs = (action: PlanAction): PlanAction => (refs.length > 0 ? { ...action, refs } : action);
    const name = file.name;
    if (!insight) {
      const pending = target.pending[key];
      const adopted = pending ? findAdoptable(pending, remote, claimed) : undefined;
      if (adopted) {
        claimed.add(adopted.id);
        actions.push(
          withRefs({
            action: "adopt",
            key,
            id: adopted.id,
            short_id: adopted.short_id,
            ...(name === undefined ? {} : { name }),
            reason: "an interrupted push created it; recorded without creating it again",
            file,
            remote: adopted,
          }),
        );
        continue;
      }
      const reason = entry ? "deleted in PostHog since the last sync" : undefined;
      actions.push(
        withRefs({
          action: "create",
          key,
          ...(name === undefined ? {} : { name }),
          ...(reason ? { reason } : {}),
          file,
        }),
      );
      continue;
    }
    const current = remoteFile(insight);
    const fileHash = contentHash(file);
    const remoteHash = contentHash(current);
    const base = {
      key,
      id: insight.id,
      short_id: insight.short_id,
      ...(name === undefined ? {} : { name }),
      remote: insight,
    };
    if (fileHash === remoteHash) {
      actions.push({ action: "unchanged", ...base });
      continue;
    }
    const changes = diff(comparable(current), comparable(file));
    const fileChanged = fileHash !== entry?.hash;
    const remoteChanged = remoteHash !== entry?.hash;
    if (fileChanged && remoteChanged) {
      actions.push(
        withRefs({
          action: "conflict",
          ...base,
          reason: "changed in PostHog since the last sync, and in the file",
          changes,
          file,
        }),
      );
    } else {
      const reason = remoteChanged ? "changed in PostHog since the last sync: push puts the file back" : undefined;
      actions.push(withRefs({ action: "update", ...base, ...(reason ? { reason } : {}), changes, file }));
    }
  }

  for (const [key, entry] of Object.entries(target.entries)) {
    const insight = byId.get(entry.id);
    if (files.has(key) || !insight) {
      continue;
    }
    actions.push({
      action: options.prune ? "delete" : "orphaned",
      key,
      id: insight.id,
      short_id: insight.short_id,
      ...(insight.name ? { name: insight.name } : {}),
      reason: "its file was removed",
      remote: insight,
    });
  }
  for (const insight of remote) {
    if (!claimed.has(insight.id)) {
      actions.push({
        action: "unmanaged",
        id: insight.id,
        short_id: insight.short_id,
        ...(insight.name ? { name: insight.name } : {}),
      });
    }
  }
  const order: ActionKind[] = ["conflict", "create", "adopt", "update", "delete", "unchanged", "orphaned", "unmanaged"];
  actions.sort((a, b) => order.indexOf(a.action) - order.indexOf(b.action));
  const writes = new Set<ActionKind>(["create", "adopt", "update", "conflict", "delete"]);
  return {
    actions,
    changes: actions.some((action) => writes.has(action.action)),
    conflicts: actions.filter((action) => action.action === "conflict").length,
  };
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
    .filter((insight) => contentHash(remoteFile(insight)) === pending.hash)
    .filter((insight) => !insight.created_at || Date.parse(insight.created_at) >= since)
    .sort((a, b) => a.id - b.id)[0];
}
