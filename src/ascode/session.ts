// What every engine command starts with, before any write: the directory's files read and
// validated (an invalid one, or a reference no file defines, stops everything, nothing sent), the
// target resolved (canonical origin, numeric project), and its state loaded, folded from older
// spellings, and checked (two keys of a kind for one remote id is an error naming both files).
// Knows kinds only through their interface.
import { basename, relative } from "node:path";
import type { PostHogClient } from "../client.js";
import { InvalidFilesError } from "./errors.js";
import { checkDir, type FileProblem, type LoadedFile, lineOf, objectPath, readDir } from "./files.js";
import { KeyMap } from "./keymap.js";
import { KIND_NAMES, type KindName } from "./kind-names.js";
import { KINDS, kindNamed } from "./kinds/index.js";
import { checkReferences } from "./references.js";
import { formatPath } from "./refs.js";
import { sharedIds, StateStore, statePath, type TargetState } from "./state.js";
import { resolveTarget, type Target } from "./target.js";
import { validateLoaded } from "./validate.js";

/**
 * The files of a directory by kind and key.
 *
 * @example
 * const { files }: { files: FilesByKind } = await readValidFiles("insights");
 * files.get("dashboard")?.get("growth")?.path; // "insights/growth.dashboard.yaml"
 */
export type FilesByKind = Map<KindName, Map<string, LoadedFile>>;

/** A directory's files, every one valid, and the warnings validation gave. */
export interface ValidFiles {
  files: FilesByKind;
  warnings: FileProblem[];
}

/**
 * Reads and validates every file of `dir` (which must exist), references between them
 * included: any problem throws `InvalidFilesError` with all of them, before anything is sent.
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
 * Validates every file of `dir` (which must exist), offline: unreadable files and schema errors
 * alike, with warnings for unknown query kinds; references between files (a key no file
 * defines, a tile naming a missing insight, a cohort cycle, a name used twice); and the state,
 * whose targets must not point two keys at one object (a state that cannot be read throws
 * `StateError`).
 *
 * @example
 * const { problems } = await validateDir("insights");
 * for (const p of problems) console.error(`${p.path}:${p.line}: ${p.message}`);
 */
export async function validateDir(
  dir: string,
): Promise<{ count: number; counts: Record<KindName, number>; problems: FileProblem[]; warnings: FileProblem[] }> {
  const { files, problems, warnings, count, counts } = await checkFiles(dir);
  const state = await StateStore.load(statePath(dir));
  const seen = new Set(problems.map((problem) => `${problem.path}:${problem.line}`));
  for (const [id, target] of state.byId()) {
    problems.push(...sharedIdProblems(dir, state.path, id, target, files));
    for (const problem of normalizedProblems(id, target, files)) {
      // One line per place, however many targets see it.
      if (!seen.has(`${problem.path}:${problem.line}`)) {
        seen.add(`${problem.path}:${problem.line}`);
        problems.push(problem);
      }
    }
  }
  return { count, counts, problems, warnings };
}

async function checkFiles(dir: string) {
  await checkDir(dir, "error");
  const { files, problems } = await readDir(dir, KINDS);
  const count = [...files.values()].reduce((sum, byKey) => sum + byKey.size, 0) + problems.length;
  const counts = {} as Record<KindName, number>;
  const warnings: FileProblem[] = [];
  for (const name of KIND_NAMES) {
    counts[name] = files.get(name)?.size ?? 0;
    for (const loaded of files.get(name)?.values() ?? []) {
      const found = validateLoaded(loaded);
      problems.push(...found.problems);
      warnings.push(...found.warnings);
    }
  }
  if (problems.length === 0) {
    problems.push(...checkReferences(files));
  }
  return { files, problems, warnings, count, counts };
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
 * Refuses a state in which two keys of a kind point at one remote id (every push would flip the
 * object between the two files, and a prune could delete what the other file manages): one
 * problem per pair, naming both files and the state.
 *
 * @example
 * checkSharedIds(opened, "insights", files);
 */
export function checkSharedIds(opened: Opened, dir: string, files: FilesByKind): void {
  const problems = sharedIdProblems(dir, opened.state.path, opened.target.id, opened.entries, files);
  if (problems.length > 0) {
    throw new InvalidFilesError(problems);
  }
}

/**
 * Refuses files whose own checks fail once their ids are read as the keys the target's state
 * gives them (one insight on a dashboard twice, by key and by id: the plan could never settle).
 *
 * @example
 * checkNormalized(opened, files);
 */
export function checkNormalized(opened: Opened, files: FilesByKind): void {
  const problems = normalizedProblems(opened.target.id, opened.entries, files);
  if (problems.length > 0) {
    throw new InvalidFilesError(problems);
  }
}

/** Each kind's checks on its files normalized through `target`, but those the files as written fail already. */
function normalizedProblems(id: string, target: TargetState, files: FilesByKind): FileProblem[] {
  const keys = new KeyMap(target);
  const problems: FileProblem[] = [];
  for (const [name, byKey] of files) {
    const kind = kindNamed(name);
    for (const loaded of byKey.values()) {
      const written = new Set((kind.checks?.(loaded.file) ?? []).map((check) => formatPath(check.path)));
      for (const check of kind.checks?.(kind.normalize(loaded.file, keys)) ?? []) {
        if (!written.has(formatPath(check.path))) {
          problems.push({
            path: loaded.path,
            line: lineOf(loaded, check.path),
            message: `${formatPath(check.path)}: ${check.message} (ids read as the keys they are in ${id})`,
          });
        }
      }
    }
  }
  return problems;
}

/** One problem per group of keys of a kind of `target` that point at one id, naming their files. */
function sharedIdProblems(
  dir: string,
  path: string,
  id: string,
  target: TargetState,
  files: FilesByKind,
): FileProblem[] {
  return KIND_NAMES.flatMap((name) =>
    sharedIds(target.kinds[name]).map(([remoteId, keys]) => {
      const paths = keys.map((key) => files.get(name)?.get(key)?.path ?? objectPath(kindNamed(name), dir, key));
      return {
        path: paths[0] ?? path,
        line: 1,
        message:
          `${paths.map((file) => basename(file)).join(" and ")} both point at #${remoteId} in ` +
          `${relative(dir, path)} (${id}): one ${name} cannot be two files; ` +
          `remove the wrong key's entry from ${basename(path)}`,
      };
    }),
  );
}
