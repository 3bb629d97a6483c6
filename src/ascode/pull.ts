// `pull`: writes the project's insights into a directory without ever losing local work. A file
// that differs from its last-synced content is left as it is and reported (a conflict when
// PostHog changed too), unless forced; a file that cannot be read is never overwritten; a local
// file that already is a remote insight keeps its key instead of gaining a twin.
import { mkdir } from "node:fs/promises";
import type { PostHogClient } from "../client.js";
import type { Insight } from "../types.js";
import { contentHash } from "./canonical.js";
import { checkDir, insightPath, readInsightDir, removeInsightFile, writeInsightFile } from "./files.js";
import { listInsights, remoteFile, remoteHash, sameInsight } from "./insight-kind.js";
import { withLock } from "./lock.js";
import { findAdoptable } from "./plan.js";
import { type EngineProgress, QUIET } from "./progress.js";
import { checkSharedIds, openTarget } from "./session.js";
import { keyFor } from "./slug.js";
import { stateDir, statePath, type StateEntry } from "./state.js";

/** A local file pull left as it was, and why. */
export interface Kept {
  key: string;
  path: string;
  reason: string;
  /** True when PostHog changed too (or the file cannot be read): someone must choose. */
  conflict: boolean;
}

/** What `pull` did. */
export interface PullResult {
  total: number;
  written: string[];
  unchanged: number;
  removed: string[];
  kept: Kept[];
  /** State targets folded into this one (older spellings of it). */
  migrated: string[];
  /** A stale lock (of a killed run) this pull took over: who held it. */
  tookOverLock?: string;
}

/** Options of `pull`. */
export interface PullOptions {
  /** Overwrite and delete local edits with PostHog's version (unreadable files are still kept). */
  force?: boolean;
  progress?: EngineProgress;
}

/**
 * Writes every insight of the project into `dir` (created when missing), one canonical file
 * each, removes the files of insights deleted in PostHog, and records the target in the state,
 * leaving alone every file that differs from its last-synced content.
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
  const opened = await openTarget(client, statePath(dir));
  const { files, unreadable } = await readInsightDir(dir);
  const pathOf = (key: string): string | undefined => files.get(key)?.path ?? unreadable.get(key);
  checkSharedIds(opened, dir, new Map([...files].map(([key, loaded]) => [key, loaded.path])));
  const target = opened.entries;
  const remote = await listInsights(client, opened.target.project, progress);

  const keyById = new Map<number, string>();
  for (const [key, entry] of Object.entries(target.entries)) {
    keyById.set(entry.id, key);
  }
  // An interrupted push's creates keep their file's key.
  for (const [key, pending] of Object.entries(target.pending)) {
    const made = findAdoptable(pending, remote, new Set(keyById.keys()));
    if (made) {
      keyById.set(made.id, key);
    }
    delete target.pending[key];
  }
  // A local file the state does not know, that already is a remote insight, keeps its key.
  const untracked = [...files].filter(
    ([key]) => target.entries[key] === undefined && ![...keyById.values()].includes(key),
  );
  for (const insight of [...remote].sort((a, b) => a.id - b.id)) {
    if (keyById.has(insight.id)) {
      continue;
    }
    const match = untracked.findIndex(([, loaded]) => sameInsight(loaded.file, insight));
    const found = untracked[match];
    if (found) {
      keyById.set(insight.id, found[0]);
      untracked.splice(match, 1);
    }
  }

  const taken = new Set([...keyById.values(), ...files.keys(), ...unreadable.keys()]);
  const result: PullResult = {
    total: remote.length,
    written: [],
    unchanged: 0,
    removed: [],
    kept: [],
    migrated: opened.state.migrated,
  };
  const keep = (key: string, reason: string, conflict: boolean): void => {
    result.kept.push({ key, path: pathOf(key) ?? insightPath(dir, key), reason, conflict });
  };
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
    await pullOne(dir, key, insight);
    progress.done(key);
  }
  progress.stop();

  async function pullOne(dir: string, key: string, insight: Insight): Promise<void> {
    const entry = target.entries[key];
    const file = remoteFile(insight);
    const currentHash = remoteHash(insight);
    const remoteChanged = entry === undefined || entry.hash !== currentHash;
    const local = files.get(key);
    if (unreadable.has(key)) {
      keep(key, "cannot be read (see validate): never overwritten; fix or delete it, then pull again", true);
      return;
    }
    if (!local && entry && !force) {
      keep(
        key,
        remoteChanged
          ? `removed here, and #${insight.id} changed in PostHog since the last sync: pull --force restores it`
          : `removed here: push --prune deletes #${insight.id} in PostHog; pull --force restores the file`,
        remoteChanged,
      );
      return;
    }
    if (local && contentHash(local.file) !== currentHash) {
      const edited = entry === undefined || contentHash(local.file) !== entry.hash;
      if (edited && !force) {
        if (entry && !remoteChanged) {
          keep(key, `edited here, unchanged in PostHog: kept (push sends it)`, false);
        } else {
          keep(
            key,
            entry
              ? `edited here and #${insight.id} changed in PostHog since the last sync: kept your file; pull --force takes PostHog's, push --force sends yours`
              : `differs from #${insight.id}, which the state does not record: kept your file; pull --force takes PostHog's`,
            true,
          );
        }
        return;
      }
    }
    if (local && contentHash(local.file) === currentHash) {
      result.unchanged += 1;
    } else if (await writeInsightFile(dir, key, file, local?.path)) {
      result.written.push(key);
    } else {
      result.unchanged += 1;
    }
    target.entries[key] = pulledEntry(insight, currentHash);
  }

  for (const [key, entry] of Object.entries(target.entries)) {
    if (live.has(entry.id)) {
      continue;
    }
    const local = files.get(key);
    if (unreadable.has(key)) {
      keep(key, `cannot be read, and #${entry.id} was deleted in PostHog: never overwritten; fix or delete it`, true);
      continue;
    }
    if (local && contentHash(local.file) !== entry.hash && !force) {
      keep(
        key,
        `edited here, and #${entry.id} was deleted in PostHog: kept (push creates it again; delete the file to let it go)`,
        true,
      );
      continue;
    }
    if (local) {
      await removeInsightFile(dir, key);
      result.removed.push(key);
    }
    delete target.entries[key];
  }
  await opened.state.save();
  return result;
}

function pulledEntry(insight: Insight, hash: string): StateEntry {
  return {
    id: insight.id,
    short_id: insight.short_id,
    last_modified_at: insight.last_modified_at ?? null,
    hash,
    pulled: true,
  };
}
