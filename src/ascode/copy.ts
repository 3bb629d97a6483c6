// `copy`: a project's insights (or dashboards and every insight on them), with the actions and
// cohorts they need, into another project on the same or another host, every id remapped. It is
// pull and push in one: the source read into files in memory (copy-source.ts), then the
// destination planned and written by the engine's own plan and apply, with push's guarantees
// (dependency order, resume after a kill with no duplicate, conflicts refused). The mapping
// (source object -> key -> destination object) lives in a state file the user can commit: one
// target for the source, one per destination. Adoption: an action by name, a cohort by name
// when exactly one cohort of the destination has it; an adopted object is the destination's
// own (other insights there use it): the mapping target only, never written, on any run. A copy
// edited in the destination while its source did not change is left as it is (unless forced),
// its baseline kept so that a later change in the source is a conflict; so are a dashboard's tile
// filter overrides, tile by tile. No terminal logic here.
import { dirname } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { PostHogClient } from "../client.js";
import type { DashboardTileUpdate } from "../object-types.js";
import { type Applied, type ApplyConflict, applyPlan } from "./apply.js";
import { emptyApplied, planTarget, type PushOptions } from "./engine.js";
import { ConflictError, UsageProblem } from "./errors.js";
import {
  type CopyChoice,
  namesGroupTypes,
  readGroupTypes,
  readSource,
  type Refused,
  sourceFiles,
  type TileOverride,
} from "./copy-source.js";
import { comparable, type Json } from "./canonical.js";
import type { AnyKind, RemoteObject, Where } from "./kind.js";
import { type KeyMap, withIds } from "./keymap.js";
import { KIND_NAMES, type KindName } from "./kind-names.js";
import { cohortKind, type CohortFile } from "./kinds/cohort.js";
import type { DashboardFile } from "./kinds/dashboard.js";
import { served } from "./kinds/dashboard-tiles.js";
import { KINDS } from "./kinds/index.js";
import { sqlHolder } from "./kinds/insight.js";
import { withLock } from "./lock.js";
import { type Plan, type PlanAction, planOf } from "./plan.js";
import { type EngineProgress, QUIET } from "./progress.js";
import type { LocalRef } from "./refs.js";
import { type StateEntry, StateStore, type TargetState } from "./state.js";
import { resolveTarget, type Target } from "./target.js";

export type { CopyChoice, Refused } from "./copy-source.js";

/**
 * Options of `copy`: what to copy, where the mapping is kept, and push's options (dry run, force,
 * progress).
 *
 * @example
 * const options: CopyOptions = { statePath: ".posthog-insights/copy-state.json", dashboards: ["5"], dryRun: true };
 */
export interface CopyOptions extends CopyChoice, Omit<PushOptions, "prune"> {
  /** The copy's state file (the mapping, per target), so that a rerun creates nothing. */
  statePath: string;
}

/**
 * What happened to one source object: where it went, and why. `kept`: a copy edited in the
 * destination since the last copy, unchanged in the source, left as the destination has it.
 *
 * @example
 * const made = result.mapped.filter((line) => line.outcome === "created");
 */
export type Outcome = "created" | "adopted" | "updated" | "unchanged" | "kept" | "conflict" | "duplicate";

/**
 * One line of the report: a source object and the destination object it maps to.
 *
 * @example
 * const line: Mapped = { kind: "action", key: "signed-up", source: 17, destination: 42, name: "Signed up", outcome: "adopted", why: "adopted by name" };
 */
export interface Mapped {
  kind: KindName;
  key: string;
  source: number;
  /** The destination object (absent: a dry run's create, or a write that did not happen). */
  destination?: number;
  name?: string;
  outcome: Outcome;
  why: string;
  /**
   * Project-local ids carried as they are (insight variables, colour themes, flags, persons, and
   * action and cohort ids in a SQL insight's HogQL text): nothing maps them.
   */
  carried?: LocalRef[];
  /** The destination's own object, adopted (by this run or an earlier one): the mapping target only, never written. */
  adopted?: true;
  /**
   * An adopted object, or a copy kept as the destination edited it: the fields in which it differs
   * from the source's (left as they are).
   */
  differs?: string[];
}

/**
 * What `copy` did (or, with `dryRun`, would do): the report's lines, what was refused, and the
 * writes.
 *
 * @example
 * const result: CopyResult = await copy(us, eu, { statePath: "copy-state.json" });
 * console.log(`${result.created.length} created, ${result.refused.length} refused`);
 */
export interface CopyResult extends Applied {
  source: Target;
  destination: Target;
  dryRun: boolean;
  /** One line per source object carried, in dependency order (actions, cohorts, insights, dashboards). */
  mapped: Mapped[];
  /** Source objects not carried, and why (a group type the destination lacks...); the rest went on. */
  refused: Refused[];
  /** The destination's plan. */
  plan: Plan;
  /** Tiles whose filter overrides this copy set (`dashboard:key` and the tile's insight key or text). */
  overridden: string[];
  /** State targets folded into these (older spellings of them). */
  migrated: string[];
  /** A stale lock (of a killed run) this copy took over: who held it. */
  tookOverLock?: string;
}

/**
 * Copies the chosen objects of `from`'s project into `to`'s (another project, on the same or
 * another host, with its own key and pacing), with every action, cohort and group type
 * reference remapped, recording the mapping in `statePath` as each write succeeds. Refuses a
 * copy into its own source (`UsageProblem`), and a destination object edited there since the
 * last copy and changed in the source (`CopyConflictError`, with the report) unless `force`; one
 * edited there and unchanged in the source is left as it is (`kept`) unless `force`. A dry run
 * reads both projects and sends nothing.
 *
 * @example
 * const result = await copy(us, eu, { statePath: ".posthog-insights/copy-state.json", dashboards: true });
 * for (const line of result.mapped) console.log(line.kind, line.source, "->", line.destination, line.why);
 */
export async function copy(from: PostHogClient, to: PostHogClient, options: CopyOptions): Promise<CopyResult> {
  const [source, destination] = [await resolveTarget(from), await resolveTarget(to)];
  if (source.id === destination.id) {
    throw new UsageProblem(
      `The destination is the source itself (project ${source.project} on ${source.origin}): ` +
        "a copy would duplicate everything it copies. Give another --to-project or --to-host.",
    );
  }
  const progress = options.progress ?? QUIET;
  const run = async (): Promise<CopyResult> => {
    const state = await StateStore.load(options.statePath);
    const sourceState = state.target(source, { fromCurrent: from.projectId === "@current" });
    const entries = state.target(destination, { fromCurrent: to.projectId === "@current" });
    const objects = await readSource(from, source.project, options, side(progress, "source"));
    const groups = namesGroupTypes(objects)
      ? await readGroupTypes(from, source.project, to, destination.project)
      : undefined;
    const built = sourceFiles(objects, sourceState, groups, { name: `project ${destination.project}`, state: entries });
    const kinds = copyKinds(built.files);
    const planned = await planTarget(to, { target: destination, state, entries }, built.files, {
      kinds,
      prune: false,
      progress: side(progress, "destination"),
    });
    const { keys, inputs } = planned;
    const plan = leaveEdited(leaveAdopted(planned.plan, entries), entries, kinds, options.force === true);
    const result: CopyResult = {
      ...emptyApplied(),
      source,
      destination,
      dryRun: options.dryRun === true,
      mapped: [],
      refused: built.refused,
      plan,
      overridden: [],
      migrated: state.migrated,
    };
    const overridesOf = (mode: { force: boolean; dryRun: boolean }) =>
      writeOverrides(
        { client: to, project: destination.project },
        built.overrides,
        entries,
        new Set(plan.actions.filter((action) => action.leftEdited && action.kind === "dashboard").map((a) => a.key)),
        keys,
        side(progress, "tile filter overrides"),
        mode,
      );
    if (options.dryRun) {
      const done = await overridesOf({ force: options.force === true, dryRun: true });
      result.overridden = done.set;
      result.mapped = withOverrides(report(built, plan, result, entries, undefined), done);
      result.conflicts.push(...done.conflicts);
      return result;
    }
    if (plan.conflicts > 0 && !options.force) {
      result.mapped = report(built, plan, result, entries, undefined);
      throw new CopyConflictError(plan, result);
    }
    // The source's keys first: whatever happens next, the next run names each object alike. New
    // keys only: an entry the source has is kept as it is (an earlier copy into this project
    // recorded there what it wrote, and compares with it next time).
    for (const [kind, byKey] of built.entries) {
      const known = sourceState.kinds[kind].entries;
      for (const [key, entry] of byKey) {
        known[key] ??= entry;
      }
    }
    await state.save();
    const applied = await applyPlan(
      {
        client: to,
        project: destination.project,
        state,
        target: entries,
        keys,
        kinds: new Map(inputs.map((input) => [input.kind.name, input.kind])),
        pathOf: (kind, key) => `${kind} ${built.sources.get(kind)?.get(key)?.id ?? key} of the source (${key})`,
        progress: side(progress, `copy to project ${destination.project}`),
        now: options.now ?? (() => new Date()),
      },
      plan,
      { force: options.force === true },
    );
    await state.save();
    Object.assign(result, applied);
    const done = await overridesOf({ force: options.force === true, dryRun: false });
    await state.save();
    result.overridden = done.set;
    result.mapped = withOverrides(
      report(built, plan, result, entries, (kind, key) => entries.kinds[kind].entries[key]?.id),
      done,
    );
    result.conflicts.push(...done.conflicts);
    return result;
  };
  if (options.dryRun) {
    return run();
  }
  return withLock(dirname(options.statePath), "copy", async (lock) => {
    const result = await run();
    if (lock.tookOverFrom) {
      result.tookOverLock = `pid ${lock.tookOverFrom.pid} on ${lock.tookOverFrom.host}`;
    }
    return result;
  });
}

/**
 * A copy refused, nothing sent: copies edited in the destination since the last copy, and changed
 * in the source. `result` is the report of what the copy would have done (`plan` names the
 * conflicts).
 *
 * @example
 * try {
 *   await copy(us, eu, options);
 * } catch (err) {
 *   if (err instanceof CopyConflictError) console.log(err.result.mapped);
 * }
 */
export class CopyConflictError extends ConflictError {
  override name = "CopyConflictError";
  readonly result: CopyResult;

  constructor(plan: Plan, result: CopyResult) {
    super(plan);
    this.message =
      `${plan.conflicts} conflict(s): copies edited in the destination since the last copy, ` +
      "and changed in the source";
    this.result = result;
  }
}

/**
 * The kinds a copy plans in the destination: those it carries objects of. A cohort is adopted
 * by name when exactly one cohort of the destination has the name (and is as static as the
 * source's); else by its whole definition, as push adopts one.
 */
function copyKinds(files: Map<KindName, Map<string, object>>): AnyKind[] {
  return KINDS.filter((kind) => (files.get(kind.name)?.size ?? 0) > 0).map((kind) =>
    kind.name === "cohort" ? cohortsByName() : kind,
  );
}

function cohortsByName(): AnyKind {
  const named = (file: CohortFile) => JSON.stringify(["name", file.name, file.is_static === true]);
  let counts = new Map<string, number>();
  const kind: AnyKind = {
    ...(cohortKind as AnyKind),
    async list(where, progress) {
      const cohorts = await cohortKind.list(where, progress);
      counts = new Map();
      for (const cohort of cohorts) {
        const key = named({
          ...(cohort.name ? { name: cohort.name } : {}),
          ...(cohort.is_static === true ? { is_static: true } : {}),
        });
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return cohorts;
    },
    identity(file) {
      const cohort = file as CohortFile;
      if (cohort.name !== undefined && counts.get(named(cohort)) === 1) {
        return named(cohort);
      }
      return cohortKind.identity(cohort);
    },
  };
  return kind;
}

/** The kinds whose objects a copy adopts from the destination and then leaves as they are. */
const ADOPTED_KINDS = new Set<KindName>(["action", "cohort"]);

/** An adoption of what an interrupted copy created (the copy's own), not of the destination's object. */
function resumed(action: PlanAction): boolean {
  return /interrupted/.test(action.reason ?? "");
}

/**
 * The plan with the destination's own actions and cohorts left as they are: one adopted now is
 * taken as the mapping target only (`leaveAsIs`: recorded `adopted`, never updated), and one
 * adopted by an earlier run stays so (its update, or its conflict, becomes `unchanged`, keeping
 * the changes for the report). What the copy created stays its own: updated as the source changes.
 */
function leaveAdopted(plan: Plan, entries: TargetState): Plan {
  const actions = plan.actions.map((action): PlanAction => {
    if (action.key === undefined || !ADOPTED_KINDS.has(action.kind)) {
      return action;
    }
    const entry = entries.kinds[action.kind].entries[action.from ?? action.key];
    const earlier = entry?.adopted === true && entry.id === action.id;
    if ((action.action === "adopt" && !resumed(action)) || (action.action === "rename" && earlier)) {
      return { ...action, leaveAsIs: true };
    }
    if (earlier && (action.action === "update" || action.action === "conflict") && action.remote) {
      const { file: _file, reason: _reason, note: _note, ...kept } = action;
      return { ...kept, action: "unchanged" };
    }
    return action;
  });
  return planOf(actions);
}

/** Copy's words for a copy edited in the destination since the last copy, and not in the source. */
const LEFT_EDITED =
  "edited in the destination since the last copy, unchanged in the source: left as it is " +
  "(copy --force puts the source's version back)";
const PUT_BACK =
  "edited in the destination since the last copy, unchanged in the source: the source's version put back";

/**
 * The plan with the copies edited in the destination since the last copy, while unchanged in the
 * source, left as the destination has them (push would put its file back; a copy would lose the
 * destination team's edit): `unchanged`, marked `leftEdited` so that apply does not record it:
 * the baseline stays the last copy, a rerun writes nothing and a later change in the source is a
 * conflict. With `force`, the update stands: the source's version put back.
 */
function leaveEdited(plan: Plan, entries: TargetState, kinds: AnyKind[], force: boolean): Plan {
  const actions = plan.actions.map((action): PlanAction => {
    const entry = action.key === undefined ? undefined : entries.kinds[action.kind].entries[action.key];
    const kind = kinds.find((candidate) => candidate.name === action.kind);
    // An update of a copy whose file is the one last written: only the destination changed (an
    // interrupted write, noted `updating`, is finished as push finishes it).
    const editedThere =
      action.action === "update" &&
      action.file !== undefined &&
      action.remote !== undefined &&
      entry !== undefined &&
      entry.id === action.id &&
      entry.adopted !== true &&
      entry.updating === undefined &&
      kind?.hash(action.file) === entry.hash;
    if (!editedThere) {
      return action;
    }
    if (force) {
      return { ...action, reason: PUT_BACK };
    }
    const { file: _file, reason: _reason, note: _note, ...kept } = action;
    return { ...kept, action: "unchanged", leftEdited: true };
  });
  return planOf(actions);
}

/** What `writeOverrides` did (or, dry, would do) to the destination's tile filter overrides. */
interface OverridesDone {
  /** Tiles set: `dashboard:key` and the tile's insight key or text. */
  set: string[];
  /** Per dashboard key: its tiles left as the destination edited them (source unchanged). */
  kept: Map<string, string[]>;
  /** Per dashboard key: its tiles put back to the source's by `force`. */
  putBack: Map<string, string[]>;
  /** Per dashboard key: its tiles edited in the destination and changed in the source, not written. */
  refused: Map<string, string[]>;
  /** The same, as apply's conflicts (the report's `conflicts`). */
  conflicts: ApplyConflict[];
}

const sameFilters = (a: Json, b: Json): boolean =>
  isDeepStrictEqual(comparable({ filters: a }), comparable({ filters: b }));

/**
 * Sets each copied dashboard's tile filter overrides (which the dashboard file leaves out) to the
 * source's, every id resolved in the destination, and clears those the source no longer has (or
 * that cannot be copied): one update per dashboard whose overrides differ, none on a rerun. A
 * dashboard the copy did not write (a conflict) is left alone, as is one `left` as the
 * destination edited it. Per tile, as for whole objects: what the copy last wrote is recorded on
 * the dashboard's entry; a tile's overrides edited in the destination since are left as they are
 * while the source's are unchanged, and a conflict once the source's changed too (`force` writes
 * the source's). With no record (a state of an older copy), overrides the destination has and the
 * source's differ from are taken as the destination's edit. `dryRun`: reads only.
 */
async function writeOverrides(
  where: Where,
  overrides: Map<string, TileOverride[]>,
  entries: TargetState,
  left: Set<string | undefined>,
  keys: KeyMap,
  progress: EngineProgress,
  mode: { force: boolean; dryRun: boolean },
): Promise<OverridesDone> {
  const done: OverridesDone = { set: [], kept: new Map(), putBack: new Map(), refused: new Map(), conflicts: [] };
  const written = [...overrides].filter(
    ([key]) => entries.kinds.dashboard.entries[key] !== undefined && !left.has(key),
  );
  if (written.length === 0) {
    return done;
  }
  progress.start("dashboards", written.length);
  for (const [key, wanted] of written) {
    const entry = entries.kinds.dashboard.entries[key] as StateEntry;
    const id = entry.id;
    progress.item(`dashboard:${key}`);
    const dashboard = await where.client.dashboards.retrieve(id, {}, { projectId: where.project });
    const tiles = served(dashboard);
    const changes: DashboardTileUpdate[] = [];
    const recorded: Record<string, { [key: string]: unknown }> = {};
    const note = (into: Map<string, string[]>, tile: string) => into.set(key, [...(into.get(key) ?? []), tile]);
    for (const override of wanted) {
      const insightId = override.insight === undefined ? undefined : keys.idOf("insight", override.insight);
      const tile = tiles.find((candidate) =>
        override.insight === undefined ? candidate.file.text === override.text : candidate.insightId === insightId,
      );
      if (!tile) {
        continue;
      }
      const which = override.insight ?? JSON.stringify(override.text);
      const now = (dashboard.tiles.find((candidate) => candidate.id === tile.id)?.filters_overrides ?? {}) as Json;
      const filters = withIds("tile_filters", override.filters, keys, "filters_overrides") as Json;
      const last = entry.overrides?.[which] as Json | undefined;
      let write = !sameFilters(now, filters);
      // Edited in the destination: differs from what the copy last wrote (or, with no record, is
      // there at all and not the source's).
      const editedThere =
        write && (last === undefined ? Object.keys(now as object).length > 0 : !sameFilters(now, last));
      let baseline = filters;
      if (editedThere) {
        const sourceChanged = last !== undefined && !sameFilters(filters, last);
        if (mode.force) {
          note(done.putBack, which);
        } else if (sourceChanged) {
          write = false;
          baseline = last;
          note(done.refused, which);
          done.conflicts.push({
            kind: "dashboard",
            key,
            id,
            path: `the filter overrides of tile ${which}`,
            reason:
              `the filter overrides of tile ${which} were edited in the destination since the last copy, ` +
              "and changed in the source: not copied (copy --force puts the source's back)",
          });
        } else {
          write = false;
          baseline = last ?? filters;
          note(done.kept, which);
        }
      }
      recorded[which] = baseline as { [key: string]: unknown };
      if (write) {
        changes.push({ id: tile.id, filters_overrides: filters as { [key: string]: unknown } });
        done.set.push(`dashboard:${key} ${which}`);
      }
    }
    if (!mode.dryRun) {
      if (changes.length > 0) {
        await where.client.dashboards.update(id, { tiles: changes }, { projectId: where.project });
      }
      entry.overrides = recorded;
    }
    progress.done(`dashboard:${key}`);
  }
  progress.stop();
  return done;
}

/** Copy's words for tile filter overrides edited in the destination, unchanged in the source. */
const OVERRIDES_LEFT =
  "edited in the destination since the last copy, unchanged in the source: left as they are " +
  "(copy --force puts the source's back)";

/** The report's dashboard lines with what `writeOverrides` left, refused or put back. */
function withOverrides(lines: Mapped[], done: OverridesDone): Mapped[] {
  return lines.map((line) => {
    if (line.kind !== "dashboard") {
      return line;
    }
    const listed = (tiles: string[] | undefined) => (tiles ?? []).join(", ");
    const conflicts = done.refused.get(line.key) ?? [];
    const kept = done.kept.get(line.key);
    const putBack = done.putBack.get(line.key);
    let { outcome, why } = line;
    if (conflicts.length > 0) {
      outcome = "conflict";
      why += `; the filter overrides of tile(s) ${listed(conflicts)} not copied: edited in the destination since the last copy, and changed in the source`;
    }
    if (kept) {
      outcome = outcome === "unchanged" ? "kept" : outcome;
      why += `; the filter overrides of tile(s) ${listed(kept)} ${OVERRIDES_LEFT}`;
    }
    if (putBack) {
      outcome = outcome === "unchanged" ? "updated" : outcome;
      why += `; the filter overrides of tile(s) ${listed(putBack)} edited in the destination: the source's put back`;
    }
    return { ...line, outcome, why };
  });
}

/** Progress of one side of the job: its phases named for it. */
function side(progress: EngineProgress, name: string): EngineProgress {
  return {
    start: (label, total) => progress.start(label === "push" ? name : `${name}: ${label}`, total),
    item: (item) => progress.item(item),
    done: (item) => progress.done(item),
    stop: () => progress.stop(),
  };
}

/** One line per object carried: its plan action, and (after a copy) the destination id recorded. */
function report(
  built: ReturnType<typeof sourceFiles>,
  plan: Plan,
  applied: Applied,
  entries: TargetState,
  recorded: ((kind: KindName, key: string) => number | undefined) | undefined,
): Mapped[] {
  const lines: Mapped[] = [];
  const stopped = new Set(applied.conflicts.map((conflict) => `${conflict.kind}:${conflict.key}`));
  for (const kind of KIND_NAMES) {
    const byKey = [...(built.files.get(kind) ?? [])].sort(
      ([a], [b]) => (built.sources.get(kind)?.get(a)?.id ?? 0) - (built.sources.get(kind)?.get(b)?.id ?? 0),
    );
    for (const [key, file] of byKey) {
      const object = built.sources.get(kind)?.get(key) as RemoteObject;
      const action = plan.actions.find((candidate) => candidate.kind === kind && candidate.key === key);
      const destination = recorded ? recorded(kind, key) : action?.id;
      const entry = entries.kinds[kind].entries[key];
      const adopted = action?.leaveAsIs === true || (entry?.adopted === true && entry.id === action?.id);
      const { outcome, why, differs } = outcomeOf(
        action,
        file,
        adopted,
        built.leftOut.get(key),
        (built.overrides.get(key) ?? []).filter((override) => Object.keys(override.filters as object).length > 0)
          .length,
        stopped.has(`${kind}:${key}`),
      );
      const carried = [
        ...(action?.refs ?? []).filter((ref) => ref.kind !== "group_type_index"),
        ...(kind === "insight" ? hogqlRefs(file) : []),
      ];
      const name = typeof object.name === "string" && object.name !== "" ? { name: object.name } : {};
      // An adoption made by an earlier run is no more "would be" in a dry run than in a copy.
      const said =
        recorded ||
        outcome === "conflict" ||
        outcome === "duplicate" ||
        outcome === "kept" ||
        (adopted && outcome === "unchanged")
          ? why
          : `would be ${why}`;
      lines.push({
        kind,
        key,
        source: object.id,
        ...(destination === undefined ? {} : { destination }),
        ...name,
        outcome,
        why: said,
        ...(carried.length > 0 ? { carried } : {}),
        ...(adopted ? { adopted: true } : {}),
        ...(differs.length > 0 ? { differs } : {}),
      });
    }
  }
  return lines;
}

/** Action and cohort ids in HogQL text: `in cohort 9`, `inCohort(9)`, `matchesAction(17)`. */
const HOGQL_IDS: [RegExp, "action" | "cohort"][] = [
  [/\bcohort\s+(\d+)\b/gi, "cohort"],
  [/\b(?:not)?inCohort\s*\(\s*(\d+)\s*\)/gi, "cohort"],
  [/\bmatchesAction\s*\(\s*(\d+)\s*\)/gi, "action"],
];

/**
 * The action and cohort ids a SQL insight's HogQL text names: nothing maps ids inside text, so
 * they are carried as they are, and said so (never silently).
 */
function hogqlRefs(file: object): LocalRef[] {
  const text = sqlHolder(file as { query?: unknown })?.query;
  if (typeof text !== "string") {
    return [];
  }
  const found = new Map<string, LocalRef>();
  for (const [pattern, kind] of HOGQL_IDS) {
    for (const match of text.matchAll(pattern)) {
      const id = Number(match[1]);
      found.set(`${kind} ${id}`, { kind, id, path: "query.source.query (HogQL text)" });
    }
  }
  return [...found.values()];
}

/** Why an object of the destination was taken for the source's. */
function adoptedWhy(action: PlanAction): string {
  const reason = action.reason ?? "";
  if (resumed(action)) {
    return "created by an interrupted copy: recorded, not created again";
  }
  if (action.kind === "action" || (action.kind === "cohort" && !/identical/.test(reason))) {
    return "adopted by name";
  }
  return "adopted: the same one is there already";
}

/** How an adopted object differs from the source's: `its steps differ from the source's: left as they are`. */
function differing(fields: string[]): string {
  const last = fields[fields.length - 1] ?? "";
  const listed = fields.length > 1 ? `${fields.slice(0, -1).join(", ")} and ${last}` : last;
  return fields.length === 1 && !last.endsWith("s")
    ? `its ${listed} differs from the source's: left as it is`
    : `its ${listed} differ from the source's: left as they are`;
}

function outcomeOf(
  action: PlanAction | undefined,
  file: object,
  adopted: boolean,
  leftOut: string[] | undefined,
  overrides: number,
  stopped: boolean,
): { outcome: Outcome; why: string; differs: string[] } {
  const changed = (action?.changes ?? []).map((change) => change.path.split(/[.[]/)[0] ?? change.path);
  const fields = [...new Set(changed)];
  const differs = adopted || action?.leftEdited ? fields : [];
  let outcome: Outcome;
  let why: string;
  switch (action?.action) {
    case "adopt":
      outcome = "adopted";
      why = adoptedWhy(action);
      if (adopted && fields.length > 0) {
        why += `; ${differing(fields)}`;
      } else if (fields.length > 0) {
        why += `, then updated: ${fields.join(", ")}`;
      }
      break;
    case "rename":
    case "update":
      outcome = "updated";
      why = fields.length > 0 ? `updated: ${fields.join(", ")}` : "updated";
      if (action.reason === PUT_BACK) {
        why += `; ${PUT_BACK}`;
      }
      break;
    case "conflict":
      outcome = "conflict";
      why = action.file
        ? "not copied: edited in the destination since the last copy, and changed in the source"
        : `not copied: ${action.reason ?? "edited in the destination since the last copy"}`;
      break;
    case "duplicate":
      outcome = "duplicate";
      why = `not copied: ${action.reason ?? "the same object as another"}`;
      break;
    case "unchanged":
      if (action.leftEdited) {
        outcome = "kept";
        why = LEFT_EDITED;
        break;
      }
      outcome = "unchanged";
      // Adopted by an earlier run and differing still (the source's or the destination's changed since): said each time.
      why = differs.length > 0 ? `adopted by name; ${differing(differs)}` : "unchanged since the last copy";
      break;
    default:
      outcome = "created";
      why = "created";
  }
  if (stopped) {
    outcome = "conflict";
    why = "not copied: it changed in the destination while the copy ran; copy again";
  }
  if ((file as CohortFile).is_static && outcome === "adopted" && adopted) {
    why += "; static: its members are the destination's own";
  } else if ((file as CohortFile).is_static && (outcome === "created" || outcome === "adopted")) {
    // Its members are people of the source project: never copied.
    why += outcome === "created" ? " empty" : "";
    why += ": static, its members are people of the source project; upload them in PostHog";
  }
  const tiles = (file as DashboardFile).tiles;
  if (action?.kind === "dashboard") {
    why += `, ${tiles?.length ?? 0} ${tiles?.length === 1 ? "tile" : "tiles"}`;
    if (overrides > 0) {
      why += ` (${overrides} with filter overrides)`;
    }
    if (leftOut && leftOut.length > 0) {
      why += `; left out: ${leftOut.join(", ")}`;
    }
  }
  return { outcome, why, differs };
}
