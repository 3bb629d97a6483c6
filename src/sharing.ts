// `posthog.insights.sharing`: one method per sharing operation, each naming its route and
// handing it to the request path. No transport, retry or error logic here.
import type { Api, BodyOf, FetchResult, RequestOptions } from "./request.js";
import type { ObjectPath, ProjectRoutes, RouteInit } from "./resource.js";
import type { SharingConfiguration, SharingConfigurationUpdate } from "./types.js";

/** The path parameters of a sharing route. */
type SharingPath = { project_id: string; insight_id: number };

/**
 * `posthog.insights.sharing`: an insight's public sharing link.
 *
 * @example
 * const config = await posthog.insights.sharing.update(7, { enabled: true });
 * console.log(config.access_token);
 */
export class Sharing {
  readonly #insights: ProjectRoutes<number | string, ObjectPath>;
  readonly #api: Api;

  /** @internal Made by `Insights`, with its routes (an insight id or short id, checked before any request). */
  constructor(insights: ProjectRoutes<number | string, ObjectPath>) {
    this.#insights = insights;
    this.#api = insights.core.api;
  }

  /**
   * The sharing configuration. For a never-shared insight, `created_at` is null and
   * `access_token` may change on every read until sharing is saved.
   *
   * @example
   * const { enabled, access_token } = await posthog.insights.sharing.retrieve(7);
   */
  retrieve(insightId: number | string, options?: RequestOptions): Promise<SharingConfiguration> {
    return this.#onInsight(insightId, options, (init) =>
      this.#api.GET("/api/projects/{project_id}/insights/{insight_id}/sharing/", init),
    );
  }

  /**
   * Enables or disables sharing, or changes its display settings.
   *
   * @example
   * await posthog.insights.sharing.update(7, { enabled: true, settings: { legend: true } });
   */
  update(
    insightId: number | string,
    body: SharingConfigurationUpdate,
    options?: RequestOptions,
  ): Promise<SharingConfiguration> {
    return this.#onInsight(insightId, options, (init) =>
      this.#api.PATCH("/api/projects/{project_id}/insights/{insight_id}/sharing/", { ...init, body }),
    );
  }

  /**
   * Issues a new access token; the old one keeps working for 5 minutes.
   *
   * @example
   * const { access_token } = await posthog.insights.sharing.refresh(7);
   */
  refresh(insightId: number | string, options?: RequestOptions): Promise<SharingConfiguration> {
    return this.#onInsight(insightId, options, (init) =>
      this.#api.POST("/api/projects/{project_id}/insights/{insight_id}/sharing/refresh/", init),
    );
  }

  /** Runs a sharing operation on one insight and resolves to its body; a bad id rejects before any request. */
  #onInsight<R extends FetchResult>(
    insightId: number | string,
    options: RequestOptions | undefined,
    operation: (init: RouteInit<SharingPath>) => Promise<R>,
  ): Promise<BodyOf<R>> {
    return this.#insights.onObject(insightId, options, ({ params: { path }, ...init }) =>
      operation({ ...init, params: { path: { project_id: path.project_id, insight_id: path.id } } }),
    );
  }
}
