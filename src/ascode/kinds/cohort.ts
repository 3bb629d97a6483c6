// Cohorts as one kind of object kept as code (`<key>.cohort.yaml`): name, description, and the
// filters of a dynamic cohort, their action and cohort ids as key references (a cohort naming
// another is written after it). A static cohort is `is_static: true` with no members: its
// members are people of one project, never pulled nor copied, and the plan says so.
import type { Cohort, CohortCreate, CohortUpdate } from "../../object-types.js";
import { canonicalJson, comparable, contentHash, type Json } from "../canonical.js";
import type { ObjectKind } from "../kind.js";
import { type KeyMap, withIds, withKeys } from "../keymap.js";
import {
  allPages,
  differs,
  fieldChanges,
  idKey,
  isJsonObject,
  keyRefsIn,
  PAGE,
  plainFields,
  unlessGone,
  localRefsIn,
  plainUpdate,
} from "./common.js";

/**
 * What a cohort file holds.
 *
 * @example
 * const file: CohortFile = {
 *   name: "Power users",
 *   filters: { properties: { type: "AND", values: [{ type: "behavioral", key: "action:signed-up", event_type: "actions", value: "performed_event" }] } },
 * };
 */
export interface CohortFile {
  name?: string;
  description?: string;
  filters?: Json;
  is_static?: true;
}

function canonicalCohort(source: { name?: unknown; description?: unknown; filters?: unknown; is_static?: unknown }) {
  const { name, description } = plainFields(source);
  const file: CohortFile = {};
  if (name !== undefined) {
    file.name = name;
  }
  if (description !== undefined) {
    file.description = description;
  }
  if (source.is_static === true) {
    // Members are people of one project: a static cohort's file holds none of them.
    file.is_static = true;
  } else if (!isEmpty(source.filters)) {
    file.filters = canonicalJson(source.filters);
  }
  return file;
}

/** No condition at all: PostHog serves a cohort without filters as an empty AND group. */
function isEmpty(filters: unknown): boolean {
  if (!isJsonObject(filters)) {
    return true;
  }
  const group = filters.properties;
  return (
    Object.keys(filters).length === 1 && isJsonObject(group) && Array.isArray(group.values) && group.values.length === 0
  );
}

function normalize(file: CohortFile, keys: KeyMap): CohortFile {
  return file.filters === undefined ? file : { ...file, filters: withKeys("cohort_filters", file.filters, keys) };
}

type Filters = NonNullable<CohortCreate["filters"]>;

function resolvedFilters(file: CohortFile, keys: KeyMap): Filters {
  return withIds("cohort_filters", file.filters ?? null, keys, "filters") as Filters;
}

/**
 * Cohorts: listed page by page; a cohort with the same name and definition is this file's.
 *
 * @example
 * const file = cohortKind.toFile(await posthog.cohorts.retrieve(4), { keys });
 */
export const cohortKind: ObjectKind<CohortFile, Cohort> = {
  name: "cohort",
  suffixes: [".cohort.yaml", ".cohort.yml"],
  schemaFile: "cohort-file.schema.json",
  documents: [{ field: "filters", container: "cohort_filters" }],

  fromDocument: canonicalCohort,
  document: (file) => canonicalJson(file),
  toFile: (cohort, view) => normalize(canonicalCohort(cohort), view.keys),
  normalize,
  references: (file) => keyRefsIn("cohort_filters", file.filters, ["filters"]),
  localRefs: (file) => localRefsIn("cohort_filters", file.filters, "filters"),
  hash: (file) => contentHash(file),
  // Names need not be unique in PostHog: the definition too.
  identity: (file) =>
    file.name === undefined
      ? undefined
      : JSON.stringify([file.name, file.is_static === true, comparable({ filters: file.filters ?? null })]),
  createdHash: (file) => contentHash(file),
  changes: fieldChanges,
  note: (file) =>
    file.is_static
      ? "a static cohort: made or kept without members (people of one project are never copied; upload them in PostHog)"
      : undefined,
  partial: (file) => file.is_static === true,
  keyFor: (cohort, taken) => idKey("cohort", cohort, taken),

  list: ({ client, project }, progress) =>
    allPages("cohorts", client.cohorts.list({ limit: PAGE }, { projectId: project }), progress),
  reread: ({ client, project }, id) => unlessGone(() => client.cohorts.retrieve(id, { projectId: project })),
  create({ client, project }, file, keys) {
    const body: CohortCreate = plainFields(file);
    if (file.is_static) {
      body.is_static = true;
    } else {
      body.filters = resolvedFilters(file, keys);
    }
    return client.cohorts.create(body, { projectId: project });
  },
  update({ client, project }, current, file, { keys }) {
    const now = canonicalCohort(current);
    const resolved: CohortFile =
      file.filters === undefined ? file : { ...file, filters: resolvedFilters(file, keys) as Json };
    const body: CohortUpdate = plainUpdate(resolved, now, ["name", "description"]);
    if (differs(resolved, now, "is_static")) {
      body.is_static = file.is_static === true;
    }
    if (!file.is_static && differs(resolved, now, "filters")) {
      body.filters = resolved.filters as Filters;
    }
    return client.cohorts.update(current.id, body, { projectId: project });
  },
  async remove({ client, project }, current) {
    await client.cohorts.delete(current.id, { projectId: project });
  },
};
