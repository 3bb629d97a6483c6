// The checks of a directory that no file's schema can make alone: every key reference names a
// file of its kind (a dashboard tile an insight file), in a place that holds that kind; no
// cohort names itself through others (a cycle); no two actions, nor two cohorts, share a name;
// and each kind's own per-file checks. Offline and pure over the files read; one problem per
// finding, at its file and line.
import { basename } from "node:path";
import { type FileProblem, type LoadedFile, lineOf } from "./files.js";
import type { KindName } from "./kind-names.js";
import { kindNamed } from "./kinds/index.js";
import { formatPath } from "./refs.js";

/**
 * Every problem between the files of a directory (the files themselves must be valid).
 *
 * @example
 * const problems = checkReferences(files);
 */
export function checkReferences(files: Map<KindName, Map<string, LoadedFile>>): FileProblem[] {
  const problems: FileProblem[] = [];
  const at = (loaded: LoadedFile, path: (string | number)[], message: string): void => {
    problems.push({ path: loaded.path, line: lineOf(loaded, path), message: `${formatPath(path)}: ${message}` });
  };
  for (const [name, byKey] of files) {
    const kind = kindNamed(name);
    for (const loaded of byKey.values()) {
      for (const ref of kind.references(loaded.file)) {
        // A tile names its insight by key alone; other references say their kind.
        const written = ref.kind === "insight" ? ref.key : `${ref.kind}:${ref.key}`;
        if (ref.holds !== undefined) {
          at(
            loaded,
            ref.path,
            `${JSON.stringify(written)} names ${article(ref.kind)} where PostHog expects ${article(ref.holds)}`,
          );
        } else if (!files.get(ref.kind)?.has(ref.key)) {
          const suffix = kindNamed(ref.kind).suffixes[0] ?? "";
          at(
            loaded,
            ref.path,
            `${JSON.stringify(written)}: no ${ref.kind} file defines the key ${ref.key} (no ${ref.key}${suffix} here)`,
          );
        }
      }
      for (const check of kind.checks?.(loaded.file) ?? []) {
        at(loaded, check.path, check.message);
      }
    }
  }
  const cohorts = files.get("cohort");
  if (cohorts && cohorts.size > 0) {
    problems.push(...cycles(cohorts));
  }
  for (const name of ["action", "cohort"] as const) {
    problems.push(...sameNames(name, files.get(name) ?? new Map()));
  }
  return problems.sort((a, b) => a.path.localeCompare(b.path) || (a.line ?? 0) - (b.line ?? 0));
}

function article(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
}

/** One problem per cohort file on a cycle of cohorts naming cohorts (PostHog refuses the loop). */
function cycles(cohorts: Map<string, LoadedFile>): FileProblem[] {
  const kind = kindNamed("cohort");
  const names = (key: string): string[] => {
    const loaded = cohorts.get(key);
    return loaded ? kind.references(loaded.file).flatMap((ref) => (ref.kind === "cohort" ? [ref.key] : [])) : [];
  };
  const problems: FileProblem[] = [];
  const reported = new Set<string>();
  for (const start of [...cohorts.keys()].sort()) {
    // A path back to `start`, by depth-first search over the cohorts it names.
    const seen = new Set<string>();
    const find = (key: string, path: string[]): string[] | undefined => {
      for (const next of names(key)) {
        if (next === start) {
          return [...path, next];
        }
        if (!seen.has(next) && cohorts.has(next)) {
          seen.add(next);
          const found = find(next, [...path, next]);
          if (found) {
            return found;
          }
        }
      }
      return undefined;
    };
    const cycle = find(start, [start]);
    if (!cycle || reported.has(start)) {
      continue;
    }
    for (const key of cycle) {
      reported.add(key);
    }
    const loaded = cohorts.get(start) as LoadedFile;
    const ref = kind.references(loaded.file).find((candidate) => candidate.key === cycle[1]);
    problems.push({
      path: loaded.path,
      line: ref ? lineOf(loaded, ref.path) : 1,
      message: `cohorts name each other in a loop (${cycle.join(" -> ")}): PostHog refuses it; remove one of these references`,
    });
  }
  return problems;
}

/** One problem per file whose name an earlier file of its kind already has. */
function sameNames(kind: "action" | "cohort", byKey: Map<string, LoadedFile>): FileProblem[] {
  const first = new Map<string, LoadedFile>();
  const problems: FileProblem[] = [];
  for (const loaded of [...byKey.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    const name = (loaded.file as { name?: unknown }).name;
    if (typeof name !== "string") {
      continue;
    }
    const earlier = first.get(name);
    if (!earlier) {
      first.set(name, loaded);
      continue;
    }
    const why =
      kind === "action"
        ? "PostHog refuses two actions with one name in a project"
        : "two cohorts with one name cannot be told apart when copied";
    problems.push({
      path: loaded.path,
      line: lineOf(loaded, ["name"]),
      message: `name: ${JSON.stringify(name)} is the name of ${basename(earlier.path)} too: ${why}; give each its own name`,
    });
  }
  return problems;
}
