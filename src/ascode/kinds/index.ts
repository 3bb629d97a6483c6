// Every kind the engine keeps as code, in dependency order (what a kind's files may reference is
// written before them; deletes go in reverse). The one place that lists them.
import type { AnyKind } from "../kind.js";
import type { KindName } from "../kind-names.js";
import { insightKind } from "./insight.js";

/**
 * The kinds, in dependency order.
 *
 * @example
 * for (const kind of KINDS) console.log(kind.name, kind.suffixes[0]);
 */
export const KINDS: readonly AnyKind[] = [insightKind];

/**
 * A kind by name.
 *
 * @example
 * kindNamed("dashboard").suffixes[0]; // ".dashboard.yaml"
 */
export function kindNamed(name: KindName): AnyKind {
  const kind = KINDS.find((candidate) => candidate.name === name);
  if (!kind) {
    throw new Error(`No kind named ${name}.`);
  }
  return kind;
}
