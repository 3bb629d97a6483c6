// A copy's source side: the chosen insights (or dashboards and every insight on them) read from
// the source project with every action and cohort they need (nested cohorts, the actions
// cohorts name), then each as its file with references by key (the keys kept in the copy's
// state for the source, so that every run names each object alike) and group type indexes
// mapped to the destination's by name. What cannot be carried is refused by name, with what
// names it. Reads only: never writes to the source.
import type { PostHogClient } from "../client.js";
import type { Dashboard } from "../object-types.js";
import type { Json } from "./canonical.js";
import { UsageProblem } from "./errors.js";
import type { AnyKind, RemoteObject, Where } from "./kind.js";
import { KIND_NAMES, type KindName } from "./kind-names.js";
import { KeyMap, withKeys } from "./keymap.js";
import { actionKind } from "./kinds/action.js";
import { cohortKind } from "./kinds/cohort.js";
import { allPages, PAGE } from "./kinds/common.js";
import type { DashboardFile } from "./kinds/dashboard.js";
import { served } from "./kinds/dashboard-tiles.js";
import { dashboardKind } from "./kinds/dashboard.js";
import { KINDS } from "./kinds/index.js";
import { insightKind } from "./kinds/insight.js";
import type { EngineProgress } from "./progress.js";
import { describeRefusal, findRefs, parseKeyRef, type Ref, refId, refuse, rewriteRefs } from "./refs.js";
import { emptyTarget, type StateEntry, type TargetState } from "./state.js";

/**
 * What to copy: insights (listed ids or short ids, a search, or all), and dashboards (all, or
 * listed ids) with every insight on them.
 *
 * @example
 * const choice: CopyChoice = { dashboards: ["5"] };
 */
export interface CopyChoice {
  ids?: string[];
  search?: string;
  dashboards?: true | string[];
}

/** The source objects a copy carries, per kind, by id. */
export type SourceObjects = Map<KindName, Map<number, RemoteObject>>;

/** The kinds a copy carries because something names them. */
const NAMED: Partial<Record<string, AnyKind>> = { action: actionKind, cohort: cohortKind };

/**
 * Reads the chosen objects and every action and cohort they need, following references
 * (a cohort naming a cohort or an action) until none is new. An id no listing has (a deleted
 * action) is left for `sourceFiles` to refuse.
 *
 * @example
 * const objects = await readSource(posthog, 12345, { dashboards: true }, progress);
 */
export async function readSource(
  client: PostHogClient,
  project: number,
  choice: CopyChoice,
  progress: EngineProgress,
): Promise<SourceObjects> {
  const where: Where = { client, project };
  const objects: SourceObjects = new Map(KIND_NAMES.map((name) => [name, new Map()]));
  const add = (kind: KindName, object: RemoteObject) => objects.get(kind)?.set(object.id, object);

  const dashboards = await chosenDashboards(where, choice.dashboards, progress);
  for (const dashboard of dashboards) {
    add("dashboard", dashboard);
  }
  for (const insight of await chosenInsights(where, choice, progress)) {
    add("insight", insight);
  }
  const onTiles = dashboards.flatMap((dashboard) =>
    served(dashboard).flatMap((tile) => (tile.insightId === undefined ? [] : [tile.insightId])),
  );
  const missing = [...new Set(onTiles)].filter((id) => !objects.get("insight")?.has(id));
  if (missing.length > 0) {
    progress.start("read", missing.length);
    for (const id of missing) {
      progress.item(`insight ${id}`);
      const insight = await insightKind.reread(where, id);
      if (insight) {
        add("insight", insight);
      }
      progress.done();
    }
    progress.stop();
  }

  // What the chosen objects name, and what that names, listed once per kind when first needed.
  const listings = new Map<KindName, Map<number, RemoteObject>>();
  const listing = async (kind: AnyKind) => {
    let found = listings.get(kind.name);
    if (!found) {
      found = new Map((await kind.list(where, progress)).map((object) => [object.id, object]));
      listings.set(kind.name, found);
    }
    return found;
  };
  const queue: [AnyKind, RemoteObject][] = KINDS.flatMap((kind) =>
    [...(objects.get(kind.name)?.values() ?? [])].map((object): [AnyKind, RemoteObject] => [kind, object]),
  );
  const asIs = { keys: new KeyMap(emptyTarget("", "")) };
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [kind, object] = next;
    const overridden = kind.name === "dashboard" ? overrideRefs(object as Dashboard) : [];
    for (const ref of [...kind.localRefs(kind.toFile(object, asIs)), ...overridden]) {
      const named = NAMED[ref.kind];
      const id = /^\d+$/.test(String(ref.id)) ? Number(ref.id) : undefined;
      if (!named || id === undefined || objects.get(named.name)?.has(id)) {
        continue;
      }
      const found = (await listing(named)).get(id);
      if (found) {
        add(named.name, found);
        queue.push([named, found]);
      }
    }
  }
  return objects;
}

async function chosenDashboards(
  where: Where,
  chosen: CopyChoice["dashboards"],
  progress: EngineProgress,
): Promise<Dashboard[]> {
  if (chosen === undefined) {
    return [];
  }
  if (chosen === true) {
    return dashboardKind.list(where, progress);
  }
  const found: Dashboard[] = [];
  for (const id of chosen) {
    if (!/^\d+$/.test(id)) {
      throw new UsageProblem(`--dashboards takes dashboard ids (numbers): ${JSON.stringify(id)} is not one.`);
    }
    const dashboard = await dashboardKind.reread(where, Number(id));
    if (!dashboard) {
      throw new UsageProblem(`No dashboard ${id} in the source project (project ${where.project}).`);
    }
    found.push(dashboard);
  }
  return found;
}

/** The insights chosen: the listed ones, the ones a search finds, or every one (unless only dashboards were asked for). */
async function chosenInsights(where: Where, choice: CopyChoice, progress: EngineProgress): Promise<RemoteObject[]> {
  const { client, project } = where;
  if (choice.ids && choice.ids.length > 0) {
    const found: RemoteObject[] = [];
    for (const id of choice.ids) {
      if (/^\d+$/.test(id)) {
        const insight = await insightKind.reread(where, Number(id));
        if (!insight) {
          throw new UsageProblem(`No insight ${id} in the source project (project ${project}).`);
        }
        found.push(insight);
        continue;
      }
      const page = await client.insights.list({ short_id: id, limit: 1 }, { projectId: project });
      const insight = page.results[0];
      if (!insight) {
        throw new UsageProblem(`No insight with short id ${id} in the source project (project ${project}).`);
      }
      found.push(insight);
    }
    return found;
  }
  if (choice.search !== undefined) {
    return allPages(
      "insights",
      client.insights.list({ limit: PAGE, search: choice.search }, { projectId: project }),
      progress,
    );
  }
  return choice.dashboards === undefined ? insightKind.list(where, progress) : [];
}

/**
 * Group types by index in the source and by name in the destination (`undefined`: the copy
 * names none, and neither project was asked).
 *
 * @example
 * const groups: GroupTypeMap = { source: new Map([[0, "company"]]), destination: new Map([["company", 1]]) };
 */
export interface GroupTypeMap {
  source: Map<number, string>;
  destination: Map<string, number>;
}

/**
 * Whether any of the objects holds a group type index (only then are group types read).
 *
 * @example
 * if (namesGroupTypes(objects)) groups = await readGroupTypes(source, destination);
 */
export function namesGroupTypes(objects: SourceObjects): boolean {
  const asIs = { keys: new KeyMap(emptyTarget("", "")) };
  return KINDS.some((kind) =>
    [...(objects.get(kind.name)?.values() ?? [])].some((object) =>
      kind.localRefs(kind.toFile(object, asIs)).some((ref) => ref.kind === "group_type_index"),
    ),
  );
}

/** The action and cohort ids of a dashboard's tile filter overrides. */
function overrideRefs(dashboard: Dashboard): { kind: string; id: Json }[] {
  return (dashboard.tiles ?? []).flatMap((tile) =>
    findRefs("tile_filters", (tile.filters_overrides ?? undefined) as Json | undefined).map((ref) => ({
      kind: ref.kind,
      id: ref.value,
    })),
  );
}

/**
 * A tile's filter overrides as a copy carries them: the tile (its insight's key, or its text),
 * and the overrides with references by key and the destination's group type indexes.
 *
 * @example
 * const override: TileOverride = { insight: "signups", filters: { properties: [{ type: "cohort", key: "id", value: "cohort:beta-testers" }] } };
 */
export interface TileOverride {
  insight?: string;
  text?: string;
  filters: Json;
}

/** A source object the copy does not carry, and why. */
export interface Refused {
  kind: KindName;
  key: string;
  id: number;
  name?: string;
  reason: string;
}

/** The source as files: what a push into the destination sends, and what it cannot. */
export interface SourceFiles {
  /** Per kind, key -> file (references by key, group type indexes of the destination). */
  files: Map<KindName, Map<string, object>>;
  /** Per kind, key -> the source object. */
  sources: Map<KindName, Map<string, RemoteObject>>;
  refused: Refused[];
  /** Dashboard key -> the tiles (or tile filter overrides) left out, in words. */
  leftOut: Map<string, string[]>;
  /** Dashboard key -> its tiles' filter overrides (the dashboard file leaves them out). */
  overrides: Map<string, TileOverride[]>;
  /** The state entries of the source: each key's object, so that the next run keys them alike. */
  entries: Map<KindName, Map<string, StateEntry>>;
}

/**
 * The objects as files, keyed by the source's state (new ones get a key from their name): every
 * action and cohort id a reference by key, every group type index the destination's. An object
 * naming what the source does not have (a deleted action), a group type the destination lacks,
 * or a refused object, is refused; a dashboard keeps its other tiles. Pure: nothing is recorded.
 *
 * @example
 * const { files, refused } = sourceFiles(objects, state.target(source), groups, { name: "project 202", state: entries });
 */
export function sourceFiles(
  objects: SourceObjects,
  target: TargetState,
  groups: GroupTypeMap | undefined,
  destination: { name: string; state: TargetState },
): SourceFiles {
  const keys = new KeyMap(target);
  const sources = new Map<KindName, Map<string, RemoteObject>>();
  for (const kind of KINDS) {
    const entries = target.kinds[kind.name].entries;
    const keyOf = new Map(Object.entries(entries).map(([key, entry]) => [entry.id, key]));
    // A key the destination's state has for another source's object is not given again.
    const taken = new Set([...Object.keys(entries), ...Object.keys(destination.state.kinds[kind.name].entries)]);
    const byKey = new Map<string, RemoteObject>();
    for (const object of [...(objects.get(kind.name)?.values() ?? [])].sort((a, b) => a.id - b.id)) {
      const key = keyOf.get(object.id) ?? kind.keyFor(object, taken);
      taken.add(key);
      keys.decide(kind.name, object.id, key);
      byKey.set(key, object);
    }
    sources.set(kind.name, byKey);
  }

  const result: SourceFiles = {
    files: new Map(),
    sources,
    refused: [],
    leftOut: new Map(),
    overrides: new Map(),
    entries: new Map(),
  };
  const refused = new Map<string, string>();
  const files = new Map<KindName, Map<string, object>>();
  for (const kind of KINDS) {
    const byKey = new Map<string, object>();
    for (const [key, object] of sources.get(kind.name) ?? []) {
      const file = kind.toFile(object, { keys }) as Record<string, Json>;
      const problems = kind
        .localRefs(file)
        .filter((ref) => ref.kind === "action" || ref.kind === "cohort")
        .map((ref) => `${ref.kind} ${JSON.stringify(ref.id)} at ${ref.path} is not in the source project`);
      const mapped = { ...file };
      for (const { field, container } of kind.documents) {
        const document = file[field];
        if (document === undefined) {
          continue;
        }
        const rewritten = rewriteRefs(container, document, (ref) => groupIndex(ref, groups, destination.name));
        if (rewritten.ok) {
          mapped[field] = rewritten.value;
        } else {
          problems.push(...rewritten.refusals.map((refusal) => describeRefusal(refusal, field)));
        }
      }
      if (problems.length > 0) {
        refused.set(`${kind.name}:${key}`, problems.join("; "));
      }
      byKey.set(key, mapped);
    }
    files.set(kind.name, byKey);
  }

  // What names a refused object is refused too (a cohort naming it, an insight naming that);
  // a dashboard only loses the tile.
  for (let more = true; more; ) {
    more = false;
    for (const kind of KINDS) {
      for (const [key, file] of files.get(kind.name) ?? []) {
        if (refused.has(`${kind.name}:${key}`)) {
          continue;
        }
        const names = kind
          .references(file)
          .find((ref) => ref.kind !== "insight" && refused.has(`${ref.kind}:${ref.key}`));
        if (names) {
          refused.set(
            `${kind.name}:${key}`,
            `it names ${names.kind} ${describe(sources, names.kind, names.key)}, which cannot be copied`,
          );
          more = true;
        }
      }
    }
  }

  for (const kind of KINDS) {
    const kept = new Map<string, object>();
    for (const [key, file] of files.get(kind.name) ?? []) {
      const object = sources.get(kind.name)?.get(key) as RemoteObject;
      const reason = refused.get(`${kind.name}:${key}`);
      if (reason !== undefined) {
        result.refused.push({ kind: kind.name, key, id: object.id, ...nameOf(object), reason });
        continue;
      }
      const carried =
        kind.name === "dashboard" ? withoutTiles(file as DashboardFile, key, refused, sources, result) : file;
      if (kind.name === "dashboard") {
        const remap = (document: Json) =>
          rewriteRefs("tile_filters", document, (ref) => groupIndex(ref, groups, destination.name));
        tileOverrides(object as Dashboard, key, keys, refused, remap, result);
      }
      kept.set(key, carried);
      const entries = result.entries.get(kind.name) ?? new Map<string, StateEntry>();
      entries.set(key, {
        id: object.id,
        ...(object.short_id === undefined ? {} : { short_id: object.short_id }),
        last_modified_at: object.last_modified_at ?? null,
        hash: kind.hash(carried),
        pulled: true,
      });
      result.entries.set(kind.name, entries);
    }
    result.files.set(kind.name, kept);
  }
  return result;
}

/** A dashboard without the tiles of insights not copied (refused, or gone from the source). */
function withoutTiles(
  file: DashboardFile,
  key: string,
  refused: Map<string, string>,
  sources: Map<KindName, Map<string, RemoteObject>>,
  result: SourceFiles,
): DashboardFile {
  const left: string[] = [];
  const tiles = (file.tiles ?? []).filter((tile) => {
    if (typeof tile.insight === "number") {
      left.push(`insight ${tile.insight} (not in the source project)`);
      return false;
    }
    if (typeof tile.insight === "string" && refused.has(`insight:${tile.insight}`)) {
      left.push(`insight ${describe(sources, "insight", tile.insight)} (refused)`);
      return false;
    }
    return true;
  });
  if (left.length === 0) {
    return file;
  }
  result.leftOut.set(key, left);
  const { tiles: _all, ...fields } = file;
  return tiles.length > 0 ? { ...fields, tiles } : fields;
}

/**
 * The filter overrides of a dashboard's tiles, with references by key and the destination's
 * group type indexes; an override naming what cannot be copied is left out and said so.
 */
function tileOverrides(
  dashboard: Dashboard,
  key: string,
  keys: KeyMap,
  refused: Map<string, string>,
  remap: (document: Json) => ReturnType<typeof rewriteRefs>,
  result: SourceFiles,
): void {
  const carried: TileOverride[] = [];
  for (const tile of served(dashboard)) {
    const raw = dashboard.tiles.find((candidate) => candidate.id === tile.id)?.filters_overrides;
    if (!raw || Object.keys(raw).length === 0) {
      continue;
    }
    const insight = tile.insightId === undefined ? undefined : keys.keyOf("insight", tile.insightId);
    const which = tile.insightId === undefined ? "a text card" : `insight ${tile.insightId}`;
    if (tile.insightId !== undefined && (insight === undefined || refused.has(`insight:${insight}`))) {
      continue; // the tile itself is left out
    }
    const keyed = withKeys("tile_filters", raw as Json, keys);
    const problems = findRefs("tile_filters", keyed).flatMap((ref) => {
      const named = parseKeyRef(ref.value);
      if (named) {
        return refused.has(`${named.kind}:${named.key}`) ? [`${named.kind} ${named.key} is refused`] : [];
      }
      return ref.kind === "action" || ref.kind === "cohort"
        ? [`${ref.kind} ${ref.value} is not in the source project`]
        : [];
    });
    const remapped = remap(keyed);
    if (!remapped.ok) {
      problems.push(...remapped.refusals.map((refusal) => describeRefusal(refusal, "filters_overrides")));
    }
    if (problems.length > 0 || !remapped.ok) {
      result.leftOut.set(key, [
        ...(result.leftOut.get(key) ?? []),
        `the filter overrides of ${which} (${problems.join("; ")})`,
      ]);
      continue;
    }
    carried.push({
      ...(insight === undefined ? { text: tile.file.text ?? "" } : { insight }),
      filters: remapped.value,
    });
  }
  if (carried.length > 0) {
    result.overrides.set(key, carried);
  }
}

/** A source object in messages: its id and name. */
function describe(sources: Map<KindName, Map<string, RemoteObject>>, kind: KindName, key: string): string {
  const object = sources.get(kind)?.get(key);
  if (!object) {
    return key;
  }
  return object.name ? `${object.id} ${JSON.stringify(object.name)}` : String(object.id);
}

function nameOf(object: RemoteObject): { name?: string } {
  const name = object.name ?? (object as { derived_name?: string | null }).derived_name;
  return typeof name === "string" && name !== "" ? { name } : {};
}

/** A group type index of the source as the destination's index of the same group type, or a refusal. */
function groupIndex(ref: Ref, groups: GroupTypeMap | undefined, destination: string): Json | ReturnType<typeof refuse> {
  if (ref.kind !== "group_type_index") {
    return ref.value;
  }
  const index = refId(ref);
  if (typeof index !== "number") {
    return ref.value;
  }
  const name = groups?.source.get(index);
  if (name === undefined) {
    return refuse(`group type index ${index} is not a group type of the source project`);
  }
  const mapped = groups?.destination.get(name);
  if (mapped === undefined) {
    return refuse(`${destination} has no group type "${name}" (index ${index} in the source)`);
  }
  return typeof ref.value === "string" ? String(mapped) : mapped;
}

/**
 * Each project's group types, as the copy maps them.
 *
 * @example
 * const groups = await readGroupTypes(source, 101, destination, 202);
 */
export async function readGroupTypes(
  from: PostHogClient,
  sourceProject: number,
  to: PostHogClient,
  destinationProject: number,
): Promise<GroupTypeMap> {
  const [source, destination] = [
    await from.groupTypes.list({ projectId: sourceProject }),
    await to.groupTypes.list({ projectId: destinationProject }),
  ];
  return {
    source: new Map(source.map((type) => [type.group_type_index, type.group_type])),
    destination: new Map(destination.map((type) => [type.group_type, type.group_type_index])),
  };
}
