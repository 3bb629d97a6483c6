// `posthog.actions`: one method per action operation, each naming its route and handing it to
// the request path. No transport, retry or error logic here: that lives in request.ts.
import type { Action, ActionCreate, ActionUpdate, ListActionsParams } from "./object-types.js";
import type { Api, RequestCore, RequestOptions } from "./request.js";
import { numericRoutes, type ProjectRoutes, resultsOf } from "./resource.js";

/**
 * `posthog.actions`: list, create, read, update, soft-delete and restore actions. An action's
 * name is unique among the project's live actions (a clash is a `BadRequestError`, code `unique`).
 *
 * @example
 * const action = await posthog.actions.create({ name: "Signed up", steps: [{ event: "user signed up" }] });
 */
export class Actions {
  readonly #routes: ProjectRoutes;
  readonly #api: Api;

  constructor(core: RequestCore) {
    this.#routes = numericRoutes(core, "action id");
    this.#api = core.api;
  }

  /**
   * Every live action of the project. PostHog does not page this listing: one call answers all.
   *
   * @example
   * const byName = new Map((await posthog.actions.list()).map((action) => [action.name, action.id]));
   */
  list(params: ListActionsParams = {}, options?: RequestOptions): Promise<Action[]> {
    return resultsOf(
      this.#routes.onProject(options, (init) => this.#api.GET("/api/projects/{project_id}/actions/", init), params),
    );
  }

  /**
   * Creates an action (HTTP 201); its steps come back in PostHog's shape.
   *
   * @example
   * await posthog.actions.create({ name: "Clicked buy", steps: [{ event: "$autocapture", selector: "button.buy" }] });
   */
  create(body: ActionCreate, options?: RequestOptions): Promise<Action> {
    return this.#routes.onProject(options, (init) =>
      this.#api.POST("/api/projects/{project_id}/actions/", { ...init, body }),
    );
  }

  /**
   * Reads one action; a soft-deleted one answers too (with `deleted: true`).
   *
   * @example
   * const { steps } = await posthog.actions.retrieve(42);
   */
  retrieve(id: number | string, options?: RequestOptions): Promise<Action> {
    return this.#routes.onObject(id, options, (init) =>
      this.#api.GET("/api/projects/{project_id}/actions/{id}/", init),
    );
  }

  /**
   * Changes the given fields and resolves to the whole action; `steps` replaces every step.
   *
   * @example
   * await posthog.actions.update(42, { description: "Backend signups only" });
   */
  update(id: number | string, body: ActionUpdate, options?: RequestOptions): Promise<Action> {
    return this.#routes.onObject(id, options, (init) =>
      this.#api.PATCH("/api/projects/{project_id}/actions/{id}/", { ...init, body }),
    );
  }

  /**
   * Soft-deletes an action (`PATCH {"deleted": true}`: PostHog refuses a real DELETE with 405).
   *
   * @example
   * await posthog.actions.delete(42);
   */
  delete(id: number | string, options?: RequestOptions): Promise<Action> {
    return this.update(id, { deleted: true }, options);
  }

  /**
   * Restores a soft-deleted action.
   *
   * @example
   * await posthog.actions.restore(42);
   */
  restore(id: number | string, options?: RequestOptions): Promise<Action> {
    return this.update(id, { deleted: false }, options);
  }
}
