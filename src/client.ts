// `PostHogClient`: checks the configuration and wires the request path to the resources.
// It holds no request logic of its own, and never reads the environment itself (config.ts does).
import type { Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { Actions } from "./actions.js";
import { Cohorts } from "./cohorts.js";
import { resolveConfig, type ClientOptions } from "./config.js";
import { Dashboards } from "./dashboards.js";
import { GroupTypes } from "./group-types.js";
import { Insights } from "./insights.js";
import { RequestCore } from "./request.js";

/**
 * The PostHog client: insights, and the dashboards, actions, cohorts and group types around them.
 *
 * @example
 * import { PostHogClient } from "posthog-insights";
 * const posthog = new PostHogClient({ apiKey: process.env.POSTHOG_PERSONAL_API_KEY, host: "eu", projectId: 12345 });
 * const page = await posthog.insights.list({ limit: 10 });
 */
export class PostHogClient {
  /** Insights: list, create, retrieve, update, delete, activity, sharing, compute... */
  readonly insights: Insights;
  /** Dashboards: list, create, retrieve, update, delete, restore, and text tiles. */
  readonly dashboards: Dashboards;
  /** Actions: list, create, retrieve, update, delete, restore. */
  readonly actions: Actions;
  /** Cohorts: list, create, retrieve, update, delete, restore. */
  readonly cohorts: Cohorts;
  /** Group types of group analytics: list. */
  readonly groupTypes: GroupTypes;
  /**
   * The underlying openapi-fetch client, typed by the spec's `paths`, with the same auth,
   * timeouts and retries. It returns `{ data, error, response }` and never throws on HTTP errors.
   *
   * @example
   * const { data, error } = await posthog.raw.GET("/api/projects/{project_id}/insights/{id}/", {
   *   params: { path: { project_id: "12345", id: 7 } },
   * });
   */
  readonly raw: Client<paths, "application/json">;
  /** The origin requests go to, such as `https://us.posthog.com`. */
  readonly host: string;
  /** The default project id of every call. */
  readonly projectId: string;

  /**
   * Checks the configuration and builds the client. Throws `PostHogConfigError` when the
   * key is missing or malformed, the host is not an https origin (http is allowed for
   * loopback only), or `headers` sets `Authorization`.
   */
  constructor(options: ClientOptions = {}) {
    const config = resolveConfig(options);
    const core = new RequestCore(config);
    this.insights = new Insights(core);
    this.dashboards = new Dashboards(core);
    this.actions = new Actions(core);
    this.cohorts = new Cohorts(core);
    this.groupTypes = new GroupTypes(core);
    this.raw = core.raw;
    this.host = config.origin;
    this.projectId = config.projectId;
  }
}
