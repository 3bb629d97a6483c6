// Ids in a query that only mean something in one project: cohorts in property filters, actions
// in ActionsNode (and retention entities), dashboards. Found so plan, push and copy report them
// when the target is another project. Pure.
import type { Json } from "./canonical.js";

/**
 * One project-local reference: what it names, its id, and where it sits in the query.
 *
 * @example
 * const ref: LocalRef = { kind: "cohort", id: 42, path: "query.source.properties.values[0].value" };
 */
export interface LocalRef {
  kind: "cohort" | "action" | "dashboard";
  id: Json;
  path: string;
}

/**
 * The project-local ids in a query, in document order.
 *
 * @example
 * localRefs({ kind: "ActionsNode", id: 7 }); // [{ kind: "action", id: 7, path: "query" }]
 */
export function localRefs(query: Json | undefined, path = "query"): LocalRef[] {
  if (Array.isArray(query)) {
    return query.flatMap((item, index) => localRefs(item, `${path}[${index}]`));
  }
  if (query === null || query === undefined || typeof query !== "object") {
    return [];
  }
  const found: LocalRef[] = [];
  if (query.kind === "ActionsNode" && query.id !== undefined) {
    found.push({ kind: "action", id: query.id, path: `${path}.id` });
  }
  if (query.type === "actions" && query.id !== undefined && query.kind === undefined) {
    found.push({ kind: "action", id: query.id, path: `${path}.id` });
  }
  if (query.type === "cohort" && query.value !== undefined) {
    found.push({ kind: "cohort", id: query.value, path: `${path}.value` });
  }
  for (const key of ["dashboard", "dashboardId", "dashboard_id"]) {
    const value = query[key];
    if (typeof value === "number" || typeof value === "string") {
      found.push({ kind: "dashboard", id: value, path: `${path}.${key}` });
    }
  }
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === "object" && value !== null) {
      found.push(...localRefs(value, `${path}.${key}`));
    }
  }
  return found;
}

/**
 * One line naming the references, for messages.
 *
 * @example
 * describeRefs(refs); // "cohort 42 at query.source.properties..., action 7 at query.source.series[0].id"
 */
export function describeRefs(refs: LocalRef[]): string {
  return refs.map((ref) => `${ref.kind} ${JSON.stringify(ref.id)} at ${ref.path}`).join(", ");
}
