// Every kind the engine keeps as code, in dependency order (what a kind's files may reference is
// written before them; deletes go in reverse). The one place that lists them.
import type { AnyKind } from "../kind.js";
import type { KindName } from "../kind-names.js";
import { actionKind } from "./action.js";
import { cohortKind } from "./cohort.js";
import { dashboardKind } from "./dashboard.js";
import { insightKind } from "./insight.js";

/**
 * The kinds, in dependency order.
 *
 * @example
 * for (const kind of KINDS) console.log(kind.name, kind.suffixes[0]);
 */
export const KINDS: readonly AnyKind[] = [actionKind, cohortKind, insightKind, dashboardKind];

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
