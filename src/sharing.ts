import { insightId } from "./ids.js";
import type { RequestCore, RequestOptions } from "./request.js";
import type { SharingConfiguration, SharingConfigurationUpdate } from "./types.js";

const SHARING = "/api/projects/{project_id}/insights/{insight_id}/sharing/";

/**
 * `posthog.insights.sharing`: an insight's public sharing link.
 *
 * @example
 * const config = await posthog.insights.sharing.update(7, { enabled: true });
 * console.log(config.access_token);
 */
export class Sharing {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  /**
   * The sharing configuration. For a never-shared insight, `created_at` is null and
   * `access_token` may change on every read until sharing is saved.
   *
   * @example
   * const { enabled, access_token } = await posthog.insights.sharing.retrieve(7);
   */
  async retrieve(insightIdValue: number | string, options?: RequestOptions): Promise<SharingConfiguration> {
    const core = this.#core;
    const path = { project_id: core.project(options), insight_id: insightId(insightIdValue) };
    return core.request((init) => core.api.GET(SHARING, { ...init, params: { path } }), options);
  }

  /**
   * Enables or disables sharing, or changes its display settings.
   *
   * @example
   * await posthog.insights.sharing.update(7, { enabled: true, settings: { legend: true } });
   */
  async update(
    insightIdValue: number | string,
    body: SharingConfigurationUpdate,
    options?: RequestOptions,
  ): Promise<SharingConfiguration> {
    const core = this.#core;
    const path = { project_id: core.project(options), insight_id: insightId(insightIdValue) };
    return core.request((init) => core.api.PATCH(SHARING, { ...init, params: { path }, body }), options);
  }

  /**
   * Issues a new access token; the old one keeps working for 5 minutes.
   *
   * @example
   * const { access_token } = await posthog.insights.sharing.refresh(7);
   */
  async refresh(insightIdValue: number | string, options?: RequestOptions): Promise<SharingConfiguration> {
    const core = this.#core;
    const path = { project_id: core.project(options), insight_id: insightId(insightIdValue) };
    return core.request(
      (init) =>
        core.api.POST("/api/projects/{project_id}/insights/{insight_id}/sharing/refresh/", {
          ...init,
          params: { path },
        }),
      options,
    );
  }
}
