// The checks of a directory that no file's schema can make alone: every key reference names a
// file of its kind (a dashboard tile an insight file), in a place that holds that kind; no
// cohort or action names itself through others (a cycle); no two actions, nor two cohorts, share a name;
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
  problems.push(...cycles(files));
  for (const name of ["action", "cohort"] as const) {
    problems.push(...sameNames(name, files.get(name) ?? new Map()));
  }
  return problems.sort((a, b) => a.path.localeCompare(b.path) || (a.line ?? 0) - (b.line ?? 0));
}

function article(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
}

/**
 * One problem per loop of files naming each other (cohorts naming cohorts, or a cohort naming an
 * action whose step names that cohort): PostHog refuses a cohort loop, and in a loop through an
 * action neither can be created first. Reported at the first file of the loop, by `kind:key`.
 */
function cycles(files: Map<KindName, Map<string, LoadedFile>>): FileProblem[] {
  const node = (kind: KindName, key: string): string => `${kind}:${key}`;
  const loadedOf = (at: string): { kind: KindName; key: string; loaded: LoadedFile } | undefined => {
    const [kind, key] = [at.slice(0, at.indexOf(":")) as KindName, at.slice(at.indexOf(":") + 1)];
    const loaded = files.get(kind)?.get(key);
    return loaded ? { kind, key, loaded } : undefined;
  };
  const names = (at: string): string[] => {
    const found = loadedOf(at);
    return found
      ? kindNamed(found.kind)
          .references(found.loaded.file)
          .map((ref) => node(ref.kind, ref.key))
      : [];
  };
  const problems: FileProblem[] = [];
  const reported = new Set<string>();
  // Only actions and cohorts can be on a loop: insights are named by dashboards alone, and
  // dashboards by nothing.
  const starts = [...files]
    .filter(([kind]) => kind === "action" || kind === "cohort")
    .flatMap(([kind, byKey]) => [...byKey.keys()].map((key) => node(kind, key)))
    .sort();
  for (const start of starts) {
    // A path back to `start`, by depth-first search over the files it names.
    const seen = new Set<string>();
    const find = (at: string, path: string[]): string[] | undefined => {
      for (const next of names(at)) {
        if (next === start) {
          return [...path, next];
        }
        if (!seen.has(next) && loadedOf(next)) {
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
    for (const at of cycle) {
      reported.add(at);
    }
    const { kind, loaded } = loadedOf(start) as { kind: KindName; loaded: LoadedFile };
    const ref = kindNamed(kind)
      .references(loaded.file)
      .find((candidate) => node(candidate.kind, candidate.key) === cycle[1]);
    const line = ref ? lineOf(loaded, ref.path) : 1;
    if (cycle.every((at) => at.startsWith("cohort:"))) {
      const keys = cycle.map((at) => at.slice("cohort:".length)).join(" -> ");
      problems.push({
        path: loaded.path,
        line,
        message: `cohorts name each other in a loop (${keys}): PostHog refuses it; remove one of these references`,
      });
    } else {
      problems.push({
        path: loaded.path,
        line,
        message: `${cycle.join(" -> ")} name each other in a loop: neither can be created before the other in PostHog; remove one of these references`,
      });
    }
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
