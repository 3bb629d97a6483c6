// `posthog.cohorts`: one method per cohort operation, each naming its route and handing it to
// the request path. No transport, retry or error logic here: that lives in request.ts.
import type { Cohort, CohortCreate, CohortUpdate, ListCohortsParams } from "./object-types.js";
import { Page, type PagePromise } from "./pagination.js";
import type { Api, RequestCore, RequestOptions } from "./request.js";
import { numericRoutes, type ProjectRoutes } from "./resource.js";

/**
 * `posthog.cohorts`: list, create, read, update, soft-delete and restore cohorts. A dynamic
 * cohort is calculated in the background (`is_calculating`); names need not be unique.
 *
 * @example
 * const cohort = await posthog.cohorts.create({
 *   name: "Paying customers",
 *   filters: {
 *     properties: { type: "AND", values: [{ type: "person", key: "plan", operator: "exact", value: ["pro"] }] },
 *   },
 * });
 */
export class Cohorts {
  readonly #routes: ProjectRoutes;
  readonly #api: Api;

  constructor(core: RequestCore) {
    this.#routes = numericRoutes(core, "cohort id");
    this.#api = core.api;
  }

  /**
   * Lists cohorts, newest first, page by page: `await` for the first page, or `for await`
   * over every cohort.
   *
   * @example
   * for await (const cohort of posthog.cohorts.list({ type: "dynamic" })) console.log(cohort.id, cohort.name);
   */
  list(params: ListCohortsParams = {}, options?: RequestOptions): PagePromise<Cohort> {
    return this.#routes.pages(Page<Cohort>, "/api/projects/{project_id}/cohorts/", params, options);
  }

  /**
   * Creates a cohort (HTTP 201): dynamic with `filters`, or static with `is_static: true`.
   *
   * @example
   * const beta = await posthog.cohorts.create({ name: "Beta testers", is_static: true });
   */
  create(body: CohortCreate, options?: RequestOptions): Promise<Cohort> {
    return this.#routes.onProject(options, (init) =>
      this.#api.POST("/api/projects/{project_id}/cohorts/", { ...init, body }),
    );
  }

  /**
   * Reads one cohort; a soft-deleted one answers too (with `deleted: true`).
   *
   * @example
   * const { filters, count } = await posthog.cohorts.retrieve(5);
   */
  retrieve(id: number | string, options?: RequestOptions): Promise<Cohort> {
    return this.#routes.onObject(id, options, (init) =>
      this.#api.GET("/api/projects/{project_id}/cohorts/{id}/", init),
    );
  }

  /**
   * Changes the given fields and resolves to the whole cohort (a dynamic one is recalculated).
   *
   * @example
   * await posthog.cohorts.update(5, { description: "Pro and enterprise plans" });
   */
  update(id: number | string, body: CohortUpdate, options?: RequestOptions): Promise<Cohort> {
    return this.#routes.onObject(id, options, (init) =>
      this.#api.PATCH("/api/projects/{project_id}/cohorts/{id}/", { ...init, body }),
    );
  }

  /**
   * Soft-deletes a cohort (`PATCH {"deleted": true}`: PostHog refuses a real DELETE with 405).
   *
   * @example
   * await posthog.cohorts.delete(5);
   */
  delete(id: number | string, options?: RequestOptions): Promise<Cohort> {
    return this.update(id, { deleted: true }, options);
  }

  /**
   * Restores a soft-deleted cohort.
   *
   * @example
   * await posthog.cohorts.restore(5);
   */
  restore(id: number | string, options?: RequestOptions): Promise<Cohort> {
    return this.update(id, { deleted: false }, options);
  }
}
