// How a plan reads: text for people (on stdout: it is the result of `plan`), and one JSON
// document for `--json`; and how validation warnings read on stderr. Pure formatting.
import type { FileProblem } from "../ascode/files.js";
import type { Plan, PlanAction } from "../ascode/plan.js";
import { describeRefs } from "../ascode/refs.js";

function label(action: PlanAction): string {
  const who = action.key ?? (action.name ? JSON.stringify(action.name) : "");
  const id = action.id === undefined ? "" : ` (#${action.id} ${action.short_id ?? ""})`.replace(" )", ")");
  return `${who}${id}`;
}

function value(json: unknown): string {
  return json === undefined ? "(absent)" : JSON.stringify(json);
}

/**
 * The plan as text: one line per insight, its changed fields indented below, and a summary.
 *
 * @example
 * context.out(formatPlan(plan));
 */
export function formatPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const action of plan.actions) {
    if (action.action === "unchanged") {
      continue;
    }
    lines.push(`${action.action.padEnd(9)} ${label(action)}${action.reason ? `: ${action.reason}` : ""}`);
    for (const change of action.changes ?? []) {
      lines.push(`    ${change.path}: ${value(change.before)} -> ${value(change.after)}`);
    }
    if (action.refs && action.refs.length > 0) {
      lines.push(`    project-local ids, not valid in another project: ${describeRefs(action.refs)}`);
    }
  }
  const count = (kind: PlanAction["action"]) => plan.actions.filter((action) => action.action === kind).length;
  const renames = count("rename") > 0 ? `${count("rename")} renamed, ` : "";
  const duplicates = count("duplicate") > 0 ? `, ${count("duplicate")} duplicate` : "";
  lines.push(
    `Plan: ${count("create")} to create, ${count("adopt")} to adopt, ${renames}${count("update")} to update, ` +
      `${count("delete")} to delete, ${count("conflict")} in conflict${duplicates}; ` +
      `${count("unchanged")} unchanged, ${count("orphaned")} orphaned, ${count("unmanaged")} unmanaged.`,
  );
  return `${lines.join("\n")}\n`;
}

/**
 * The plan as one JSON document (no file or remote bodies: paths, before and after).
 *
 * @example
 * context.out(JSON.stringify(planJson(plan)));
 */
export function planJson(plan: Plan): object {
  return {
    changes: plan.changes,
    differs: plan.differs,
    conflicts: plan.conflicts,
    actions: plan.actions.map(({ file: _file, remote: _remote, ...rest }) => rest),
  };
}

/**
 * Validation warnings (unknown kinds, accepted) as `file:line: warning: ...` lines.
 *
 * @example
 * for (const line of warningLines(result.warnings, (p) => p)) context.info(line);
 */
export function warningLines(warnings: FileProblem[], show: (path: string) => string): string[] {
  return warnings.map((warning) => `${show(warning.path)}:${warning.line ?? 1}: warning: ${warning.message}`);
}
