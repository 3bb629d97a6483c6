// The route table: which handler answers a method and path, the scope it needs and its
// throttle bucket. Paths are matched after `/api/projects/{project_id}`. No state.
import type { Answer } from "./answers.js";
import type { Context } from "./context.js";
import { insightActivity, projectActivity } from "./handlers/activity.js";
import {
  cancelInsightQueries,
  createInsight,
  deleteInsight,
  listInsights,
  markManyViewed,
  markViewed,
  myLastViewed,
  retrieveInsight,
  trendingInsights,
  updateInsight,
} from "./handlers/insights.js";
import { retrieveProject } from "./handlers/project.js";
import { cancelQuery, queryStatusHandler } from "./handlers/query.js";
import { refreshSharing, retrieveSharing, updateSharing } from "./handlers/sharing.js";
import { actionsKind } from "./kinds/actions.js";
import { cohortsKind } from "./kinds/cohorts.js";
import { dashboardsKind } from "./kinds/dashboards.js";
import { groupTypeRoutes } from "./kinds/group-types.js";
import { type KindRoute, kindRoutes } from "./kinds/kind.js";
import type { Scope } from "./scopes.js";

/** One route of the fake. */
export interface Route {
  method: string;
  pattern: RegExp;
  /** The scope a scoped key needs; null: none declared, scoped keys are refused. */
  scope: Scope | null;
  /** The throttle class: insight routes, sharing routes, or PostHog's default (dashboards, actions, cohorts, groups). */
  bucket: "insights" | "sharing" | "default";
  /** Only on this API generation. */
  api?: "current" | "legacy";
  /**
   * What a `sharing_access_token` may do here: `read` (list, retrieve), `deny` (the other
   * insight actions: PostHog refuses them), or nothing (the token is not looked at).
   */
  sharing?: "read" | "deny";
  handler: (ctx: Context) => Answer;
}

const ID = "(?<id>[^/]+)";

function route(
  method: string,
  path: string,
  scope: Scope | null,
  handler: (ctx: Context) => Answer,
  extra: Partial<Pick<Route, "bucket" | "api" | "sharing">> = {},
): Route {
  // Optional trailing slash, as PostHog's router has it. The insight viewset's actions look at a
  // sharing token (to refuse it, unless `extra` allows reading); the sharing and query ones do not.
  const insightAction = path.startsWith("/insights/") && extra.bucket !== "sharing";
  return {
    method,
    pattern: new RegExp(`^${path.replace(/\/$/, "")}/?$`),
    scope,
    handler,
    bucket: "insights",
    ...(insightAction ? { sharing: "deny" as const } : {}),
    ...extra,
  };
}

// Fixed segments come before `{id}`: "activity" is also a valid 8-character short id.
export const ROUTES: Route[] = [
  route("GET", "/insights/", "insight:read", listInsights, { sharing: "read" }),
  route("POST", "/insights/", "insight:write", createInsight),
  route("GET", "/insights/activity/", "activity_log:read", projectActivity),
  route("POST", "/insights/cancel/", null, cancelInsightQueries),
  route("GET", "/insights/my_last_viewed/", null, myLastViewed),
  route("GET", "/insights/trending/", "insight:read", trendingInsights, { api: "current" }),
  route("POST", "/insights/viewed/", "insight:read", markManyViewed, { api: "current" }),
  route("GET", `/insights/${ID}/`, "insight:read", retrieveInsight, { sharing: "read" }),
  route("PATCH", `/insights/${ID}/`, "insight:write", updateInsight),
  route("PUT", `/insights/${ID}/`, "insight:write", updateInsight),
  route("DELETE", `/insights/${ID}/`, "insight:write", deleteInsight),
  route("GET", `/insights/${ID}/activity/`, "activity_log:read", insightActivity),
  route("POST", `/insights/${ID}/viewed/`, null, markViewed, { api: "legacy" }),
  route("GET", "/insights/(?<insight_id>[^/]+)/sharing/", "sharing_configuration:read", retrieveSharing, {
    bucket: "sharing",
  }),
  route("PATCH", "/insights/(?<insight_id>[^/]+)/sharing/", "sharing_configuration:write", updateSharing, {
    bucket: "sharing",
  }),
  route("POST", "/insights/(?<insight_id>[^/]+)/sharing/refresh/", "sharing_configuration:write", refreshSharing, {
    bucket: "sharing",
  }),
  route("GET", "/query/(?<query_id>[^/]+)/", "query:read", queryStatusHandler),
  route("GET", "/", "project:read", retrieveProject, { bucket: "default" }),
  route("DELETE", "/query/(?<query_id>[^/]+)/", "query:read", cancelQuery),
  ...kindRoutes(dashboardsKind).map(defaultRoute),
  ...kindRoutes(actionsKind).map(defaultRoute),
  ...kindRoutes(cohortsKind).map(defaultRoute),
  ...groupTypeRoutes.map(defaultRoute),
];

/**
 * A kind's route in the table: `{id}` becomes the path parameter, throttled in PostHog's default
 * class. PostHog's dashboard, action and cohort viewsets enable no sharing action, so a sharing
 * token there is no credential at all (alone, the request is not authenticated); the group types
 * list is one a sharing token may read.
 */
function defaultRoute(kindRoute: KindRoute): Route {
  const path = kindRoute.path.replace("{id}", ID);
  const sharing = kindRoute.sharing ? { sharing: kindRoute.sharing } : {};
  return route(kindRoute.method, path, kindRoute.scope, kindRoute.handler, { bucket: "default", ...sharing });
}

/** The route of a request, the methods its path allows (for 405), and its path parameters. */
export function match(
  method: string,
  rest: string,
  api: "current" | "legacy",
): { route?: Route; params: Record<string, string>; allowed: string[] } {
  const allowed: string[] = [];
  for (const candidate of ROUTES) {
    if (candidate.api && candidate.api !== api) {
      continue;
    }
    const found = candidate.pattern.exec(rest);
    if (!found) {
      continue;
    }
    // A fixed route of another method (POST /insights/viewed/) must not fall through to `{id}`.
    if (candidate.method === method) {
      return { route: candidate, params: { ...found.groups }, allowed };
    }
    allowed.push(candidate.method);
  }
  return { params: {}, allowed };
}
