// `posthog.groupTypes`: the project's group types, one operation naming its route and handing it
// to the request path. No transport, retry or error logic here: that lives in request.ts.
import type { GroupType } from "./object-types.js";
import type { Api, RequestCore, RequestOptions } from "./request.js";
import { numericRoutes, type ProjectRoutes } from "./resource.js";

/**
 * `posthog.groupTypes`: the group types of group analytics. Their indexes are assigned per
 * project, so map insights between projects by `group_type`, not by index.
 *
 * @example
 * const types = await posthog.groupTypes.list();
 */
export class GroupTypes {
  readonly #routes: ProjectRoutes;
  readonly #api: Api;

  constructor(core: RequestCore) {
    this.#routes = numericRoutes(core, "group type index");
    this.#api = core.api;
  }

  /**
   * Every group type of the project, by index (PostHog does not page this listing).
   *
   * @example
   * const company = (await posthog.groupTypes.list()).find((type) => type.group_type === "company");
   */
  list(options?: RequestOptions): Promise<GroupType[]> {
    return this.#routes.onProject(options, (init) => this.#api.GET("/api/projects/{project_id}/groups_types/", init));
  }
}
