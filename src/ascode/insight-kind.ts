// Insights as one kind of object the engine keeps as code: their remote calls (through the
// package's client, always on the resolved numeric project), the bodies of creates and updates,
// and their comparable file form. Everything insight-specific the engine's generic parts need.
import { isDeepStrictEqual } from "node:util";
import type { PostHogClient } from "../client.js";
import { NotFoundError } from "../errors.js";
import type { Insight, InsightCreate, InsightUpdate } from "../types.js";
import { canonicalFile, comparable, contentHash, type InsightFile } from "./canonical.js";
import type { EngineProgress } from "./progress.js";

const PAGE = 100;

/**
 * Every insight of the project (soft-deleted ones are not listed by PostHog).
 *
 * @example
 * const insights = await listInsights(posthog, 12345);
 */
export async function listInsights(
  client: PostHogClient,
  project: number | string,
  progress: EngineProgress,
  params: { search?: string } = {},
): Promise<Insight[]> {
  let page = await client.insights.list({ limit: PAGE, ...params }, { projectId: project });
  const insights = [...page.results];
  // One request at least, even for an empty project.
  progress.start("list", Math.max(1, Math.ceil(page.count / PAGE)));
  progress.done();
  while (page.hasNextPage()) {
    progress.item(`insights ${insights.length + 1}-${Math.min(insights.length + PAGE, page.count)}`);
    page = await page.getNextPage();
    insights.push(...page.results);
    progress.done();
  }
  progress.stop();
  return insights;
}

/**
 * The insight as PostHog has it now, or undefined when it is gone (deleted, or never there).
 *
 * @example
 * const now = await rereadInsight(posthog, 12345, 7);
 */
export async function rereadInsight(client: PostHogClient, project: number, id: number): Promise<Insight | undefined> {
  try {
    const insight = await client.insights.retrieve(id, {}, { projectId: project });
    return insight.deleted ? undefined : insight;
  } catch (err) {
    if (err instanceof NotFoundError) {
      return undefined;
    }
    throw err;
  }
}

/**
 * The comparable file of a remote insight.
 *
 * @example
 * remoteFile(await posthog.insights.retrieve(7)); // { name: "Signups", query: { ... } }
 */
export function remoteFile(insight: Insight): InsightFile {
  return canonicalFile(insight);
}

/**
 * The content hash of a remote insight (what the state's baselines hold).
 *
 * @example
 * if (remoteHash(now) !== entry.hash) console.log("changed in PostHog since the last sync");
 */
export function remoteHash(insight: Insight): string {
  return digestOf(insight).hash;
}

/**
 * Whether a file and a remote insight are the same insight by content: equal canonical form, or
 * the same name and query (description, tags and favourite may differ: the file then updates them).
 *
 * @example
 * if (sameInsight(file, remote)) adopt(remote);
 */
export function sameInsight(file: InsightFile, insight: Insight): boolean {
  const mine = digestOf(file);
  const theirs = digestOf(insight);
  return mine.hash === theirs.hash || (mine.identity !== undefined && mine.identity === theirs.identity);
}

/** A file's or an insight's hash, and its name-and-query identity (none without a name). */
interface Digest {
  hash: string;
  identity: string | undefined;
}

// Plans compare every new file with every remote insight: each is canonicalised and hashed once.
const digests = new WeakMap<object, Digest>();

function digestOf(source: Insight | InsightFile): Digest {
  let digest = digests.get(source);
  if (!digest) {
    const file = "id" in source ? remoteFile(source) : source;
    digest = {
      hash: contentHash(file),
      identity: file.name === undefined ? undefined : JSON.stringify([file.name, comparable(queryOnly(file))]),
    };
    digests.set(source, digest);
  }
  return digest;
}

function queryOnly(file: InsightFile): InsightFile {
  return file.query === undefined ? {} : { query: file.query };
}

/**
 * The body of a create: the file's fields, saved (so it shows among saved insights).
 *
 * @example
 * await posthog.insights.create(createBody({ name: "Signups" }));
 */
export function createBody(file: InsightFile): InsightCreate {
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
    body.query = file.query;
  }
  return body;
}

/**
 * The body of an update: only the fields that differ, a removed field sent as its default.
 *
 * @example
 * updateBody({ name: "New" }, { name: "Old", description: "gone" }); // { name: "New", description: "" }
 */
export function updateBody(file: InsightFile, current: InsightFile): InsightUpdate {
  const body: InsightUpdate = {};
  const differs = (field: keyof InsightFile): boolean =>
    !isDeepStrictEqual(comparable({ [field]: file[field] }), comparable({ [field]: current[field] }));
  if (differs("name")) {
    body.name = file.name ?? null;
  }
  if (differs("description")) {
    body.description = file.description ?? "";
  }
  if (differs("favorited")) {
    body.favorited = file.favorited ?? false;
  }
  if (differs("tags")) {
    body.tags = file.tags ?? [];
  }
  if (differs("query")) {
    body.query = file.query ?? null;
  }
  return body;
}
