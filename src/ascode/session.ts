// What every engine command starts with, before any write: the directory's files read and
// validated (an invalid one stops everything, nothing sent), the target resolved (canonical
// origin, numeric project), and its state loaded, folded from older spellings, and checked (two
// keys for one remote id is an error naming both files). Knows no kind beyond the files it reads.
import { basename, relative } from "node:path";
import type { PostHogClient } from "../client.js";
import { InvalidFilesError } from "./errors.js";
import { checkDir, insightPath, readInsightDir, type FileProblem, type LoadedFile } from "./files.js";
import { sharedIds, StateStore, statePath, type TargetState } from "./state.js";
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
  const { files, problems, warnings } = await checkFiles(dir);
  if (problems.length > 0) {
    throw new InvalidFilesError(problems);
  }
  return { files, warnings };
}

/**
 * Validates every insight file of `dir` (which must exist), offline: unreadable files and schema
 * errors alike, with warnings for unknown kinds; and the state, whose targets must not point two
 * keys at one insight (a state that cannot be read throws `StateError`).
 *
 * @example
 * const { problems } = await validateDir("insights");
 * for (const p of problems) console.error(`${p.path}:${p.line}: ${p.message}`);
 */
export async function validateDir(
  dir: string,
): Promise<{ count: number; problems: FileProblem[]; warnings: FileProblem[] }> {
  const { files, problems, warnings, count } = await checkFiles(dir);
  const state = await StateStore.load(statePath(dir));
  const paths = new Map([...files].map(([key, loaded]) => [key, loaded.path]));
  for (const [id, target] of state.byId()) {
    problems.push(...sharedIdProblems(dir, state.path, id, target, paths));
  }
  return { count, problems, warnings };
}

async function checkFiles(dir: string) {
  await checkDir(dir, "error");
  const { files, problems } = await readInsightDir(dir);
  const count = files.size + problems.length;
  const warnings: FileProblem[] = [];
  for (const loaded of files.values()) {
    const found = validateLoaded(loaded);
    problems.push(...found.problems);
    warnings.push(...found.warnings);
  }
  return { files, problems, warnings, count };
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
  const problems = sharedIdProblems(dir, opened.state.path, opened.target.id, opened.entries, paths);
  if (problems.length > 0) {
    throw new InvalidFilesError(problems);
  }
}

/** One problem per group of keys of `target` that point at one id, naming their files. */
function sharedIdProblems(
  dir: string,
  path: string,
  id: string,
  target: TargetState,
  paths: Map<string, string>,
): FileProblem[] {
  return sharedIds(target).map(([remoteId, keys]) => {
    const files = keys.map((key) => paths.get(key) ?? insightPath(dir, key));
    return {
      path: files[0] ?? path,
      line: 1,
      message:
        `${files.map((file) => basename(file)).join(" and ")} both point at #${remoteId} in ` +
        `${relative(dir, path)} (${id}): one insight cannot be two files; ` +
        `remove the wrong key's entry from ${basename(path)}`,
    };
  });
}
