// Which id each key is in one target, for every kind: the state's entries, overlaid with what a
// plan or a pull decided before writing them (an adoption, a rename, a new key). It turns the
// ids of managed objects in a document into key references (`"action:signed-up"`) and back,
// through refs.ts (which alone knows where references hide). Pure: no I/O.
import type { Json } from "./canonical.js";
import type { KindName } from "./kind-names.js";
import {
  describeRefusal,
  formatKeyRef,
  type KeyedKind,
  parseKeyRef,
  type RefContainer,
  refId,
  refuse,
  rewriteRefs,
} from "./refs.js";
import type { TargetState } from "./state.js";

/**
 * Keys and ids of one target, live: reads the state as it is now, plus decisions not yet written.
 *
 * @example
 * const keys = new KeyMap(target);
 * keys.keyOf("action", 7); // "signed-up"
 */
export class KeyMap {
  readonly #target: TargetState;
  /** Decisions of a plan or pull for ids not (yet) recorded under that key: kind -> id -> key. */
  readonly #decided = new Map<KindName, Map<number, string>>();
  #changes = 0;

  constructor(target: TargetState) {
    this.#target = target;
  }

  /** How many times a decision changed what an id maps to (a plan repeats until it stops changing). */
  get changes(): number {
    return this.#changes;
  }

  /** Records that `id` is `key` (before the state says so). */
  decide(kind: KindName, id: number, key: string): void {
    let ids = this.#decided.get(kind);
    if (!ids) {
      ids = new Map();
      this.#decided.set(kind, ids);
    }
    if (this.keyOf(kind, id) !== key) {
      this.#changes += 1;
    }
    ids.set(id, key);
  }

  /** The key managing `id`, if any. */
  keyOf(kind: KindName, id: number): string | undefined {
    const decided = this.#decided.get(kind)?.get(id);
    if (decided !== undefined) {
      return decided;
    }
    for (const [key, entry] of Object.entries(this.#target.kinds[kind].entries)) {
      if (entry.id === id) {
        return key;
      }
    }
    return undefined;
  }

  /** The id of `key` in this target, if it has one yet. */
  idOf(kind: KindName, key: string): number | undefined {
    for (const [id, decided] of this.#decided.get(kind) ?? []) {
      if (decided === key) {
        return id;
      }
    }
    return this.#target.kinds[kind].entries[key]?.id;
  }
}

/**
 * A document with each id of a managed action or cohort written as its key reference; other
 * ids (of objects this directory does not manage) stay numbers.
 *
 * @example
 * withKeys("query", { kind: "ActionsNode", id: 7 }, keys); // { kind: "ActionsNode", id: "action:signed-up" }
 */
export function withKeys(container: RefContainer, document: Json, keys: KeyMap): Json {
  const result = rewriteRefs(container, document, (ref) => {
    if (ref.kind !== "action" && ref.kind !== "cohort") {
      return ref.value;
    }
    const id = refId(ref);
    const key = typeof id === "number" ? keys.keyOf(ref.kind, id) : undefined;
    return key === undefined ? ref.value : formatKeyRef(ref.kind, key);
  });
  return result.ok ? result.value : document;
}

/**
 * A key reference that cannot be resolved in a target (its object has no id there yet), or
 * that names another kind than its place holds.
 *
 * @example
 * catch (err) { if (err instanceof UnresolvedRefError) console.error(err.message); }
 */
export class UnresolvedRefError extends Error {
  override name = "UnresolvedRefError";
}

/**
 * A document with each key reference resolved to the target's id; throws `UnresolvedRefError`
 * naming every reference it cannot resolve. `root` names the document in that message.
 *
 * @example
 * withIds("query", { kind: "ActionsNode", id: "action:signed-up" }, keys, "query"); // { kind: "ActionsNode", id: 7 }
 */
export function withIds(container: RefContainer, document: Json, keys: KeyMap, root: string): Json {
  const result = rewriteRefs(container, document, (ref) => {
    const named = parseKeyRef(ref.value);
    if (!named) {
      return ref.value;
    }
    if (named.kind !== ref.kind) {
      return refuse(`this place holds a ${ref.kind}, not a ${named.kind}`);
    }
    const id = keys.idOf(named.kind, named.key);
    return id ?? refuse(`${named.kind} ${named.key} is not in this project yet (its push failed or was skipped)`);
  });
  if (!result.ok) {
    throw new UnresolvedRefError(result.refusals.map((refused) => describeRefusal(refused, root)).join("; "));
  }
  return result.value;
}

/**
 * The id a key names in this target (a number is an id already); throws `UnresolvedRefError`
 * when the object has none here yet.
 *
 * @example
 * resolveKey("insight", "daily-signups", keys); // 7
 */
export function resolveKey(kind: KeyedKind | "insight", value: string | number, keys: KeyMap): number {
  if (typeof value === "number") {
    return value;
  }
  const id = keys.idOf(kind, value);
  if (id === undefined) {
    throw new UnresolvedRefError(`${kind} ${value} is not in this project yet (its push failed or was skipped)`);
  }
  return id;
}
