// What every engine command starts with, before any write: the directory's files read and
// validated (an invalid one stops everything, nothing sent), the target resolved (canonical
// origin, numeric project), and its state loaded, folded from older spellings, and checked (two
// keys for one remote id is an error naming both files). Knows no kind beyond the files it reads.
import { basename, relative } from "node:path";
import type { PostHogClient } from "../client.js";
import { InvalidFilesError } from "./errors.js";
import { checkDir, insightPath, readInsightDir, type FileProblem, type LoadedFile } from "./files.js";
import { sharedIds, StateStore, type TargetState } from "./state.js";
import { resolveTarget, type Target } from "./target.js";
import { validateLoaded } from "./validate.js";

/** A directory's files, every one valid, and the warnings validation gave. */
export interface ValidFiles {
  files: Map<string, LoadedFile>;
  warnings: FileProblem[];
}

/**
 * Reads and validates every file of `dir` (which must exist): any problem throws
 * `InvalidFilesError` with all of them, before anything is sent.
 *
 * @example
 * const { files, warnings } = await readValidFiles("insights");
 */
export async function readValidFiles(dir: string): Promise<ValidFiles> {
  await checkDir(dir, "error");
  const { files, problems } = await readInsightDir(dir);
  const warnings: FileProblem[] = [];
  for (const loaded of files.values()) {
    const found = validateLoaded(loaded);
    problems.push(...found.problems);
    warnings.push(...found.warnings);
  }
  if (problems.length > 0) {
    throw new InvalidFilesError(problems);
  }
  return { files, warnings };
}

/** A target opened for a command: where it is, the whole state, and this target's part of it. */
export interface Opened {
  target: Target;
  state: StateStore;
  entries: TargetState;
}

/**
 * Resolves the client's target and loads its state from `path` (older spellings folded in).
 *
 * @example
 * const { target, entries } = await openTarget(posthog, statePath("insights"));
 */
export async function openTarget(client: PostHogClient, path: string): Promise<Opened> {
  const state = await StateStore.load(path);
  const target = await resolveTarget(client);
  const entries = state.target(target, { fromCurrent: client.projectId === "@current" });
  return { target, state, entries };
}

/**
 * Refuses a state in which two keys point at one remote id (every push would flip the insight
 * between the two files, and a prune could delete what the other file manages): one problem per
 * pair, naming both files and the state.
 *
 * @example
 * checkSharedIds(opened, "insights", existingPaths);
 */
export function checkSharedIds(opened: Opened, dir: string, paths: Map<string, string>): void {
  const problems: FileProblem[] = [];
  for (const [id, keys] of sharedIds(opened.entries)) {
    const files = keys.map((key) => paths.get(key) ?? insightPath(dir, key));
    const [first = "", ...rest] = files;
    problems.push({
      path: first,
      line: 1,
      message:
        `${[first, ...rest].map((file) => basename(file)).join(" and ")} both point at #${id} in ` +
        `${relative(dir, opened.state.path)} (${opened.target.id}): one insight cannot be two files; ` +
        `remove the wrong key's entry from ${basename(opened.state.path)}`,
    });
  }
  if (problems.length > 0) {
    throw new InvalidFilesError(problems);
  }
}
