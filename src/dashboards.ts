// `posthog.dashboards`: one method per dashboard operation, each naming its route and handing it
// to the request path. No transport, retry or error logic here: that lives in request.ts.
import { parseObjectId } from "./ids.js";
import type {
  Dashboard,
  DashboardBasic,
  DashboardCreate,
  DashboardTextTile,
  DashboardUpdate,
  ListDashboardsParams,
  RetrieveDashboardParams,
  TextTileCreate,
  TextTileUpdate,
} from "./object-types.js";
import { Page, type PagePromise } from "./pagination.js";
import type { Api, RequestCore, RequestOptions } from "./request.js";
import { numericRoutes, type ProjectRoutes } from "./resource.js";

/**
 * An answer typed as the spec says. openapi-fetch's `Readable` drops every property typed only
 * `null` (`NonNullable<null>` is `never`), such as a text tile's `insight`, which would leave
 * tiles impossible to narrow; the answers do carry those properties.
 */
const asSpec = <T>(body: Promise<unknown>): Promise<T> => body as Promise<T>;

/**
 * `posthog.dashboards`: list, create, read, update, soft-delete and restore dashboards, and add,
 * change and remove text tiles. Insights go onto a dashboard through the insight's `dashboards`
 * field (`posthog.insights.update(id, { dashboards })`): PostHog ignores tiles sent here.
 *
 * @example
 * const dashboard = await posthog.dashboards.create({ name: "Growth" });
 * await posthog.insights.update(7, { dashboards: [dashboard.id] });
 */
export class Dashboards {
  readonly #routes: ProjectRoutes;
  readonly #api: Api;

  constructor(core: RequestCore) {
    this.#routes = numericRoutes(core, "dashboard id");
    this.#api = core.api;
  }

  /**
   * Lists dashboards (pinned first, then by name), page by page: `await` for the first page, or
   * `for await` over every dashboard. Items have no tiles; `retrieve()` one for those.
   *
   * @example
   * for await (const dashboard of posthog.dashboards.list({ search: "growth" })) console.log(dashboard.name);
   */
  list(params: ListDashboardsParams = {}, options?: RequestOptions): PagePromise<DashboardBasic> {
    return this.#routes.pages(Page<DashboardBasic>, "/api/projects/{project_id}/dashboards/", params, options);
  }

  /**
   * Creates a dashboard (HTTP 201). Never sent twice unless the first attempt provably did not
   * reach PostHog.
   *
   * @example
   * const dashboard = await posthog.dashboards.create({ name: "Growth", filters: { date_from: "-30d" } });
   */
  create(body: DashboardCreate, options?: RequestOptions): Promise<Dashboard> {
    return asSpec(
      this.#routes.onProject(options, (init) =>
        this.#api.POST("/api/projects/{project_id}/dashboards/", { ...init, body }),
      ),
    );
  }

  /**
   * Reads one dashboard with its tiles, ordered by their layout. Each insight tile embeds the
   * insight rendered with the dashboard's filters: read an insight's own query from `insights`.
   *
   * @example
   * const { tiles } = await posthog.dashboards.retrieve(3);
   */
  retrieve(id: number | string, params: RetrieveDashboardParams = {}, options?: RequestOptions): Promise<Dashboard> {
    return asSpec(
      this.#routes.onObject(
        id,
        options,
        (init) => this.#api.GET("/api/projects/{project_id}/dashboards/{id}/", init),
        params,
      ),
    );
  }

  /**
   * Changes the given fields and resolves to the whole dashboard. `tiles` changes existing
   * tiles (an unknown tile id is silently skipped by PostHog) and creates or edits text cards.
   *
   * @example
   * await posthog.dashboards.update(3, { tiles: [{ id: 11, layouts: { sm: { x: 0, y: 0, w: 12, h: 5 } } }] });
   */
  update(id: number | string, body: DashboardUpdate, options?: RequestOptions): Promise<Dashboard> {
    return asSpec(
      this.#routes.onObject(id, options, (init) =>
        this.#api.PATCH("/api/projects/{project_id}/dashboards/{id}/", { ...init, body }),
      ),
    );
  }

  /**
   * Soft-deletes a dashboard and its tiles (`PATCH {"deleted": true}`: PostHog refuses a real
   * DELETE with 405). Its insights stay.
   *
   * @example
   * await posthog.dashboards.delete(3);
   */
  delete(id: number | string, options?: RequestOptions): Promise<Dashboard> {
    return this.update(id, { deleted: true }, options);
  }

  /**
   * Restores a soft-deleted dashboard. PostHog brings back every tile it ever had, tiles
   * removed before the delete included.
   *
   * @example
   * await posthog.dashboards.restore(3);
   */
  restore(id: number | string, options?: RequestOptions): Promise<Dashboard> {
    return this.update(id, { deleted: false }, options);
  }

  /**
   * Adds a markdown card to a dashboard (HTTP 201) and resolves to the new tile.
   *
   * @example
   * const layouts = { sm: { x: 0, y: 5, w: 12, h: 1 } };
   * const tile = await posthog.dashboards.createTextTile(3, { body: "## Activation", layouts });
   */
  createTextTile(
    dashboardId: number | string,
    body: TextTileCreate,
    options?: RequestOptions,
  ): Promise<DashboardTextTile> {
    return asSpec(
      this.#routes.onObject(dashboardId, options, (init) =>
        this.#api.POST("/api/projects/{project_id}/dashboards/{id}/create_text_tile/", { ...init, body }),
      ),
    );
  }

  /**
   * Changes a text tile's body, layouts or colour; omitted fields are kept.
   *
   * @example
   * await posthog.dashboards.updateTextTile(3, 12, { body: "## Activation (weekly)" });
   */
  updateTextTile(
    dashboardId: number | string,
    tileId: number,
    changes: TextTileUpdate,
    options?: RequestOptions,
  ): Promise<DashboardTextTile> {
    return asSpec(
      this.#routes.onObject(dashboardId, options, (init) =>
        this.#api.POST("/api/projects/{project_id}/dashboards/{id}/update_text_tile/", {
          ...init,
          body: { ...changes, tile_id: tileIdOf(tileId) },
        }),
      ),
    );
  }

  /**
   * Removes a tile from a dashboard (soft delete; the insight or text card itself stays).
   * PostHog then compacts the remaining tiles upwards.
   *
   * @example
   * await posthog.dashboards.deleteTile(3, 12);
   */
  deleteTile(dashboardId: number | string, tileId: number, options?: RequestOptions): Promise<void> {
    const deleted = this.#routes.onObject(dashboardId, options, (init) =>
      this.#api.POST("/api/projects/{project_id}/dashboards/{id}/delete_tile/", {
        ...init,
        body: { tile_id: tileIdOf(tileId) },
      }),
    );
    return deleted.then(() => undefined);
  }
}

/** A tile id, checked before any request. */
function tileIdOf(id: number): number {
  return parseObjectId(id, "tile id");
}
