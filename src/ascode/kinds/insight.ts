// Insights as one kind of object kept as code (`<key>.insight.yaml`, a SQL insight's HogQL in
// `<key>.sql` beside it): the file form (name, description, favorited, tags, query), the action
// and cohort ids of the query as key references, and the remote calls, always on the resolved
// numeric project. Never touches an insight's dashboards: the dashboard kind does, for its own id.
import type { Insight, InsightCreate, InsightUpdate } from "../../types.js";
import { canonicalFile, comparable, contentHash, type InsightFile, type Json } from "../canonical.js";
import type { ObjectKind } from "../kind.js";
import { type KeyMap, withIds, withKeys } from "../keymap.js";
import { localRefs } from "../refs.js";
import { keyFor } from "../slug.js";
import { allPages, differs, fieldChanges, isJsonObject, keyRefsIn, PAGE, unlessGone, plainUpdate } from "./common.js";

/**
 * The object of a SQL insight's query that holds its HogQL text (`query.source`), if it is one.
 *
 * @example
 * sqlHolder({ query: { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: "select 1" } } });
 */
export function sqlHolder(raw: { query?: unknown }): { [key: string]: Json } | undefined {
  const query = raw.query;
  if (!isJsonObject(query)) {
    return undefined;
  }
  const source = query.source;
  if ((query.kind === "DataVisualizationNode" || query.kind === "DataTableNode") && isJsonObject(source)) {
    return source.kind === "HogQLQuery" ? source : undefined;
  }
  return undefined;
}

type Query = NonNullable<InsightFile["query"]>;

function normalize(file: InsightFile, keys: KeyMap): InsightFile {
  if (file.query === undefined) {
    return file;
  }
  return { ...file, query: withKeys("query", file.query as Json, keys) as Query };
}

// Plans compare every new file with every remote insight: each identity is computed once.
const identities = new WeakMap<InsightFile, string | undefined>();

/**
 * Insights: `pull` lists them page by page; a create is saved (it shows among saved insights).
 *
 * @example
 * const file = insightKind.toFile(await posthog.insights.retrieve(7), { keys });
 */
export const insightKind: ObjectKind<InsightFile, Insight> = {
  name: "insight",
  suffixes: [".insight.yaml", ".insight.yml"],
  schemaFile: "insight-file.schema.json",
  documents: [{ field: "query", container: "query" }],
  sidecar: { extension: ".sql", holder: sqlHolder, property: "query", what: "the SQL", path: ["query", "source"] },

  fromDocument(raw) {
    return canonicalFile({
      name: typeof raw.name === "string" ? raw.name : undefined,
      description: typeof raw.description === "string" ? raw.description : undefined,
      favorited: raw.favorited === true,
      tags: Array.isArray(raw.tags) ? raw.tags.map(String) : undefined,
      query: (raw.query ?? undefined) as InsightFile["query"],
    } as InsightFile);
  },
  document: (file) => file as Json,
  toFile: (insight, view) => normalize(canonicalFile(insight), view.keys),
  normalize,
  references: (file) => keyRefsIn("query", file.query as Json | undefined, ["query"]),
  localRefs: (file) => localRefs(file.query as Json | undefined),
  identity(file) {
    if (!identities.has(file)) {
      const query = file.query === undefined ? {} : { query: file.query };
      identities.set(file, file.name === undefined ? undefined : JSON.stringify([file.name, comparable(query)]));
    }
    return identities.get(file);
  },
  hash: (file) => contentHash(file),
  createdHash: (file) => contentHash(file),
  changes: fieldChanges,
  keyFor: (insight, taken) => keyFor(insight, taken),

  list: ({ client, project }, progress) =>
    allPages("insights", client.insights.list({ limit: PAGE }, { projectId: project }), progress),
  reread: ({ client, project }, id) => unlessGone(() => client.insights.retrieve(id, {}, { projectId: project })),
  create: ({ client, project }, file, keys) => client.insights.create(createBody(file, keys), { projectId: project }),
  update: ({ client, project }, current, file, { keys }) =>
    client.insights.update(current.id, updateBody(file, canonicalFile(current), keys), { projectId: project }),
  async remove({ client, project }, current) {
    await client.insights.delete(current.id, { projectId: project });
  },
};

/** The query with its key references resolved in this target. */
function resolvedQuery(file: InsightFile, keys: KeyMap): Query {
  return withIds("query", file.query as Json, keys, "query") as Query;
}

/**
 * The body of a create: the file's fields, saved (so it shows among saved insights), its key
 * references resolved to the target's ids.
 *
 * @example
 * await posthog.insights.create(createBody({ name: "Signups" }, keys));
 */
export function createBody(file: InsightFile, keys: KeyMap): InsightCreate {
  const body: InsightCreate = { saved: true };
  if (file.name !== undefined) {
    body.name = file.name;
  }
  if (file.description !== undefined) {
    body.description = file.description;
  }
  if (file.favorited !== undefined) {
    body.favorited = file.favorited;
  }
  if (file.tags !== undefined) {
    body.tags = file.tags;
  }
  if (file.query !== undefined) {
    body.query = resolvedQuery(file, keys);
  }
  return body;
}

/**
 * The body of an update: only the fields that differ from `current` (the remote insight's
 * canonical file, ids as PostHog holds them), a removed field sent as its default.
 *
 * @example
 * updateBody({ name: "New" }, { name: "Old", description: "gone" }, keys); // { name: "New", description: "" }
 */
export function updateBody(file: InsightFile, current: InsightFile, keys: KeyMap): InsightUpdate {
  const resolved: InsightFile = file.query === undefined ? file : { ...file, query: resolvedQuery(file, keys) };
  const body: InsightUpdate = plainUpdate(resolved, current);
  if (differs(resolved, current, "favorited")) {
    body.favorited = file.favorited ?? false;
  }
  if (differs(resolved, current, "query")) {
    body.query = resolved.query ?? null;
  }
  return body;
}
