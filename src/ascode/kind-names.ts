// The kinds of object a directory keeps as code, by name, in dependency order (what a write of
// one kind may reference is written before it). Names only: the kinds themselves live in kinds/.

/**
 * A kind of object kept as code.
 *
 * @example
 * const kind: KindName = "dashboard";
 */
export type KindName = "action" | "cohort" | "insight" | "dashboard";

/**
 * Every kind in dependency order: actions, cohorts (which may name actions and cohorts),
 * insights (which may name both), dashboards (which show insights). Deletes go in reverse.
 *
 * @example
 * for (const name of KIND_NAMES) console.log(name);
 */
export const KIND_NAMES: readonly KindName[] = ["action", "cohort", "insight", "dashboard"];

/**
 * The plural of each kind, as `--only` and the state file spell it.
 *
 * @example
 * PLURALS.cohort; // "cohorts"
 */
export const PLURALS: Readonly<Record<KindName, string>> = {
  action: "actions",
  cohort: "cohorts",
  insight: "insights",
  dashboard: "dashboards",
};

/**
 * A count with its kind, for messages: `1 insight`, `3 dashboards`.
 *
 * @example
 * counted(2, "cohort"); // "2 cohorts"
 */
export function counted(count: number, kind: KindName): string {
  return `${count} ${count === 1 ? kind : PLURALS[kind]}`;
}
