// The library entry: the public surface, re-exported. It must never import the fake
// (src/testing/), the as-code engine (src/ascode/) or the CLI (src/cli/).
export { PostHogClient } from "./client.js";
export type { ClientOptions, RateLimitOptions } from "./config.js";
export type { Window } from "./pacing.js";
export type { RequestOptions } from "./request.js";
export type { ComputeOptions } from "./compute.js";
export type { Insights, InsightId } from "./insights.js";
export type { Dashboards } from "./dashboards.js";
export type { Actions } from "./actions.js";
export type { Cohorts } from "./cohorts.js";
export type { GroupTypes } from "./group-types.js";
export type { Sharing } from "./sharing.js";
export { insightKind, isInsightKind, expectInsightKind, isFunnelSteps, isFunnelStepsByBreakdown } from "./results.js";
export { Page, ActivityPage, PagePromise } from "./pagination.js";
export type { ActivityPagePromise } from "./pagination.js";
export {
  PostHogError,
  PostHogConfigError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  QueryError,
} from "./errors.js";
export type { paths, components, operations } from "../generated/schema.js";
export type * from "./types.js";
export type * from "./object-types.js";
