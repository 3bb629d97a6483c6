// Personal API key scopes as PostHog checks them (APIScopePermission). Pure functions, no state.
import { forbidden, type Answer } from "./answers.js";

/**
 * A personal API key scope the fake's routes use. `"*"` is PostHog's all-access scope.
 *
 * @example
 * const scopes: Scope[] = ["insight:read", "activity_log:read", "dashboard:write"];
 */
export type Scope =
  | "*"
  | "insight:read"
  | "insight:write"
  | "activity_log:read"
  | "sharing_configuration:read"
  | "sharing_configuration:write"
  | "query:read"
  | "dashboard:read"
  | "dashboard:write"
  | "action:read"
  | "action:write"
  | "cohort:read"
  | "cohort:write"
  | "group:read"
  | "project:read";

/**
 * The refusal a key with `scopes` gets for an action needing `required`, or undefined when
 * allowed. `null`: the action declares no scope, so only unscoped keys may call it.
 */
export function scopeRefusal(scopes: "all" | readonly Scope[], required: Scope | null): Answer | undefined {
  // Unscoped (legacy) keys bypass every scope check, including undeclared actions.
  if (scopes === "all") {
    return undefined;
  }
  if (required === null) {
    return forbidden("This action does not support Personal API Key access");
  }
  if (scopes.includes("*") || scopes.includes(required)) {
    return undefined;
  }
  // A write scope also grants the read scope of the same object.
  if (required.endsWith(":read") && scopes.includes(required.replace(/:read$/, ":write") as Scope)) {
    return undefined;
  }
  return forbidden(`API key missing required scope '${required}'`);
}
