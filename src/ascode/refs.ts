// Finds and rewrites every project-local reference (action, cohort, group type index, insight
// variable...) in the JSON documents PostHog keeps them in, at the locations ref-locations.ts
// lists. Pure: no I/O, no terminal; never mutates what it is given. The caller decides what a
// reference becomes (a key, a destination id) or refuses it; this module only knows where they are.
import type { Json } from "./canonical.js";
import { locationsOn, type RefContainer, type RefKind, type RefLocation } from "./ref-locations.js";

export { LOCATIONS, REF_CONTAINERS, type RefContainer, type RefKind, type RefLocation } from "./ref-locations.js";

/**
 * A path from a container's root: object keys and array indexes.
 *
 * @example
 * const path: JsonPath = ["source", "series", 0, "id"];
 */
export type JsonPath = (string | number)[];

/**
 * One reference found in a document.
 *
 * @example
 * const ref: Ref = { kind: "action", value: 7, path: ["source", "series", 0, "id"], location: "action.entity" };
 */
export interface Ref {
  kind: RefKind;
  /** What the location holds now: an id (number, numeric string, uuid) or a key reference. */
  value: string | number;
  path: JsonPath;
  /** The id of the location in LOCATIONS (and REFERENCES.md). */
  location: string;
}

type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets an own property, `__proto__` included (plain assignment would set the prototype). */
function setOwn(target: JsonObject, key: string, value: Json): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function isRefScalar(value: Json): value is string | number {
  return (typeof value === "number" && Number.isFinite(value)) || (typeof value === "string" && value !== "");
}

/** Is the object at `path` a variables map (its entries are `variableId` locations)? */
function isVariablesMap(container: RefContainer, path: JsonPath): boolean {
  return path.length === 0 ? container === "dashboard_variables" : path[path.length - 1] === "variables";
}

interface Walk {
  container: RefContainer;
  /** Build a new document (rewrite), or only visit (find: nothing is copied). */
  copy: boolean;
  /** Called at each reference; returns what the location holds afterwards. */
  onRef(ref: Ref): Json;
  /** Called when renamed variables map entries would share a key. */
  onClash(ref: Ref, reason: string): void;
}

// The walk keeps one path and pushes / pops segments; a reference gets its own copy.

function visitSite(item: Json, path: JsonPath, at: RefLocation, walk: Walk): Json {
  if (!isRefScalar(item) || (typeof item === "string" && at.literals?.includes(item))) {
    return walkNode(item, path, walk);
  }
  return walk.onRef({ kind: at.kind, value: item, path: [...path], location: at.id });
}

function walkSite(value: Json, path: JsonPath, at: RefLocation, walk: Walk): Json {
  if (!(at.list && Array.isArray(value))) {
    return visitSite(value, path, at, walk);
  }
  const out: Json[] = [];
  value.forEach((item, index) => {
    path.push(index);
    out.push(visitSite(item, path, at, walk));
    path.pop();
  });
  return walk.copy ? out : value;
}

function walkNode(node: Json, path: JsonPath, walk: Walk): Json {
  if (Array.isArray(node)) {
    const out: Json[] = [];
    node.forEach((item, index) => {
      path.push(index);
      const next = walkNode(item, path, walk);
      path.pop();
      if (walk.copy) {
        out.push(next);
      }
    });
    return walk.copy ? out : node;
  }
  if (!isObject(node)) {
    return node;
  }
  const sites = locationsOn(node, { container: walk.container, path });
  const out: JsonObject = {};
  for (const key of Object.keys(node)) {
    const value = node[key] as Json;
    const at = sites.find((site) => site.key === key);
    path.push(key);
    const next = at ? walkSite(value, path, at, walk) : walkNode(value, path, walk);
    path.pop();
    if (walk.copy) {
      setOwn(out, key, next);
    }
  }
  if (!walk.copy) {
    return node;
  }
  return isVariablesMap(walk.container, path) ? rekeyVariables(node, out, path, walk) : out;
}

/**
 * A variables map is keyed by the variable's id, which its entry repeats as `variableId`: an
 * entry whose key was its old id is moved to its new id, in place, so the map stays consistent.
 */
function rekeyVariables(before: JsonObject, after: JsonObject, path: JsonPath, walk: Walk): JsonObject {
  const out: JsonObject = {};
  for (const [key, entry] of Object.entries(after)) {
    const old = before[key];
    const oldId = isObject(old) ? old.variableId : undefined;
    const newId = isObject(entry) ? entry.variableId : undefined;
    let target = key;
    if (oldId === key && isRefScalar(newId ?? null) && newId !== oldId) {
      target = String(newId);
    }
    if (Object.hasOwn(out, target)) {
      const ref: Ref = {
        kind: "insight_variable",
        value: key,
        path: [...path, key, "variableId"],
        location: "insight_variable.entry",
      };
      walk.onClash(ref, `two variables would both be keyed ${JSON.stringify(target)}`);
    }
    setOwn(out, target, entry);
  }
  return out;
}

/**
 * Every reference in a document, in document order (keys in their order, lists by index).
 * A location is recognised whatever it holds: a number, a numeric string, a uuid or a key
 * reference such as `"action:signed-up"`; nulls, booleans, empty strings and objects are not
 * references, nor is the `"all"` users cohort of a breakdown.
 *
 * @example
 * findRefs("query", { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [{ kind: "ActionsNode", id: 7 }] } });
 * // [{ kind: "action", value: 7, path: ["source", "series", 0, "id"], location: "action.entity" }]
 */
export function findRefs(container: RefContainer, document: Json | undefined): Ref[] {
  const found: Ref[] = [];
  if (document === undefined) {
    return found;
  }
  walkNode(document, [], {
    container,
    copy: false,
    onRef: (ref) => {
      found.push(ref);
      return ref.value;
    },
    onClash: () => undefined,
  });
  return found;
}

/**
 * A caller's "no" for one reference: the reason is reported with the reference's path.
 *
 * @example
 * const no = new Refusal('no group type "company" in the destination');
 */
export class Refusal {
  constructor(readonly reason: string) {}
}

/**
 * Refuses to rewrite one reference.
 *
 * @example
 * rewriteRefs("query", query, (ref) => ids.get(ref.value) ?? refuse(`no ${ref.kind} ${ref.value} in the destination`));
 */
export function refuse(reason: string): Refusal {
  return new Refusal(reason);
}

/**
 * What a caller's function makes of one reference: its new value, or a refusal.
 *
 * @example
 * const toDestination: RefRewrite = (ref) => ids.get(String(ref.value)) ?? refuse("not copied");
 */
export type RefRewrite = (ref: Ref) => Json | Refusal;

/**
 * One refused reference, with the caller's reason.
 *
 * @example
 * const refused: RefusedRef = { ref, reason: "no cohort 9 in the destination" };
 */
export interface RefusedRef {
  ref: Ref;
  reason: string;
}

/**
 * A rewritten document, or every refusal (all of them, not only the first).
 *
 * @example
 * const result = rewriteRefs("query", query, (ref) => ref.value);
 * if (!result.ok) console.error(result.refusals.map(describeRefusal).join("\n"));
 */
export type RewriteResult = { ok: true; value: Json } | { ok: false; refusals: RefusedRef[] };

/**
 * Rewrites every reference of a document through `rewrite`, returning a new document (the
 * input is never changed; nothing outside a location changes). A variables map entry keyed by
 * its old id moves to the new id. Any refusal, or two variables renamed to one id, fails the
 * whole document: the result lists every refusal.
 *
 * @example
 * const result = rewriteRefs("query", query, (ref) =>
 *   ref.kind === "action" ? (actionIds.get(Number(ref.value)) ?? refuse("action not copied")) : ref.value,
 * );
 */
export function rewriteRefs(container: RefContainer, document: Json, rewrite: RefRewrite): RewriteResult {
  const refusals: RefusedRef[] = [];
  const value = walkNode(document, [], {
    container,
    copy: true,
    onRef: (ref) => {
      const next = rewrite(ref);
      if (next instanceof Refusal) {
        refusals.push({ ref, reason: next.reason });
        return ref.value;
      }
      return next;
    },
    onClash: (ref, reason) => refusals.push({ ref, reason }),
  });
  return refusals.length > 0 ? { ok: false, refusals } : { ok: true, value };
}

/**
 * A path as a person reads it, from a root name: `query.source.series[0].id`.
 *
 * @example
 * formatPath(["source", "properties", 0, "value"], "query"); // "query.source.properties[0].value"
 */
export function formatPath(path: JsonPath, root = ""): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === "number") {
      out += `[${segment}]`;
    } else if (/^[A-Za-z_$][\w$]*$/.test(segment)) {
      out += out === "" ? segment : `.${segment}`;
    } else {
      out += `[${JSON.stringify(segment)}]`;
    }
  }
  return out;
}

/**
 * The value at a path, or undefined when the path leads nowhere.
 *
 * @example
 * valueAt({ a: [1, { b: 2 }] }, ["a", 1, "b"]); // 2
 */
export function valueAt(document: Json | undefined, path: JsonPath): Json | undefined {
  let node: Json | undefined = document;
  for (const segment of path) {
    if (typeof segment === "number" ? !Array.isArray(node) : !isObject(node) || !Object.hasOwn(node, segment)) {
      return undefined;
    }
    node = (node as Record<string | number, Json>)[segment];
  }
  return node;
}

/**
 * One line for a refusal: what, where and why.
 *
 * @example
 * describeRefusal({ ref, reason: "not in the destination" }, "query");
 * // 'cohort 9 at query.source.properties[0].value: not in the destination'
 */
export function describeRefusal(refused: RefusedRef, root = ""): string {
  const { ref, reason } = refused;
  return `${ref.kind} ${JSON.stringify(ref.value)} at ${formatPath(ref.path, root)}: ${reason}`;
}

/**
 * The kinds a file may name by key: `"action:<key>"`, `"cohort:<key>"`.
 *
 * @example
 * const kind: KeyedKind = "cohort";
 */
export type KeyedKind = "action" | "cohort";

/**
 * A reference by key to an object managed in the same directory.
 *
 * @example
 * const ref: KeyRef = { kind: "cohort", key: "power-users" };
 */
export interface KeyRef {
  kind: KeyedKind;
  key: string;
}

const KEY_REF = /^(action|cohort):(.+)$/s;

/**
 * Reads `"action:<key>"` / `"cohort:<key>"`; anything else is not a key reference.
 *
 * @example
 * parseKeyRef("cohort:power-users"); // { kind: "cohort", key: "power-users" }
 * parseKeyRef(42); // undefined
 */
export function parseKeyRef(value: unknown): KeyRef | undefined {
  const match = typeof value === "string" ? KEY_REF.exec(value) : null;
  return match ? { kind: match[1] as KeyedKind, key: match[2] as string } : undefined;
}

/**
 * Writes a key reference.
 *
 * @example
 * formatKeyRef("action", "signed-up"); // "action:signed-up"
 */
export function formatKeyRef(kind: KeyedKind, key: string): string {
  if (key === "") {
    throw new Error(`A ${kind} reference needs a key.`);
  }
  return `${kind}:${key}`;
}

/** Kinds whose ids are uuids or names rather than integers. */
const STRING_ID_KINDS = new Set<RefKind>(["insight_variable", "person"]);

/**
 * The id a reference holds: an integer (numbers and numeric strings) for actions, cohorts,
 * group type indexes, colour themes and flags, a string for variables and persons; undefined
 * for a key reference or anything that is not an id of its kind.
 *
 * @example
 * refId({ kind: "cohort", value: "42", path: [], location: "cohort.property" }); // 42
 */
export function refId(ref: Ref): number | string | undefined {
  const { value } = ref;
  if (parseKeyRef(value)) {
    return undefined;
  }
  if (STRING_ID_KINDS.has(ref.kind)) {
    return typeof value === "string" ? value : undefined;
  }
  if (typeof value === "number") {
    return Number.isInteger(value) ? value : undefined;
  }
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * One project-local id in a file, for reports: its kind, the id, and a readable path (an
 * `insight` is a dashboard tile naming by id an insight no file here manages).
 *
 * @example
 * const ref: LocalRef = { kind: "cohort", id: 42, path: "query.source.properties[0].value" };
 */
export interface LocalRef {
  kind: RefKind | "insight";
  id: Json;
  path: string;
}

/**
 * The project-local ids in a query, in document order; key references (which resolve in
 * any project) are left out.
 *
 * @example
 * localRefs({ kind: "ActionsNode", id: 7 }); // [{ kind: "action", id: 7, path: "query.id" }]
 */
export function localRefs(query: Json | undefined, path = "query"): LocalRef[] {
  return findRefs("query", query)
    .filter((ref) => parseKeyRef(ref.value) === undefined)
    .map((ref) => ({ kind: ref.kind, id: ref.value, path: formatPath(ref.path, path) }));
}

/**
 * One line naming the references, for messages.
 *
 * @example
 * describeRefs(refs); // "cohort 42 at query.source.properties[0].value, action 7 at query.source.series[0].id"
 */
export function describeRefs(refs: LocalRef[]): string {
  return refs.map((ref) => `${ref.kind} ${JSON.stringify(ref.id)} at ${ref.path}`).join(", ");
}
