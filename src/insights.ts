// `posthog.insights`: one method per insight operation, each naming its route and handing it to
// the request path. No transport, retry or error logic here: that lives in request.ts.
import { type ComputeOptions, compute } from "./compute.js";
import { APIError, PostHogError } from "./errors.js";
import { parseInsightKey } from "./ids.js";
import { ActivityPage, type ActivityPagePromise, Page, type PagePromise } from "./pagination.js";
import type { Api, CallInit, RequestCore, RequestOptions } from "./request.js";
import { ProjectRoutes, resultsOf } from "./resource.js";
import { expectInsightKind } from "./results.js";
import { ShortIds } from "./short-ids.js";
import { Sharing } from "./sharing.js";
import type {
  ActivityParams,
  Insight,
  InsightBasic,
  InsightCreate,
  InsightKind,
  InsightOf,
  InsightUpdate,
  ListInsightsParams,
  RetrieveInsightParams,
  TrendingInsight,
  TrendingInsightsParams,
} from "./types.js";

/**
 * An insight id: a positive integer, a string of digits, or the short id in the insight's URL
 * (`AaVQ8Ijw` in `/insights/AaVQ8Ijw`), resolved once per client.
 *
 * @example
 * const id: InsightId = "7"; // same as 7
 * const fromUrl: InsightId = "AaVQ8Ijw";
 */
export type InsightId = number | string;

/** The path parameters of a one-insight route. */
type InsightPath = { project_id: string; id: number };

/**
 * `posthog.insights`: list, create, read, update, soft-delete and compute insights.
 *
 * @example
 * const insight = await posthog.insights.retrieve(7, { refresh: "blocking" });
 */
export class Insights {
  readonly #core: RequestCore;
  readonly #routes: ProjectRoutes<InsightId, InsightPath>;
  readonly #api: Api;
  readonly #shortIds: ShortIds;
  /** Which viewed route the host has, once known: today's bulk one, or the older per-insight one. */
  #viewedRoute: "bulk" | "per-insight" | undefined;
  /** The insight's public sharing: `retrieve`, `update`, `refresh`. */
  readonly sharing: Sharing;

  constructor(core: RequestCore) {
    this.#core = core;
    this.#routes = new ProjectRoutes(core, (id, options) => this.#insightPath(id, options));
    this.#api = core.api;
    this.#shortIds = new ShortIds(core);
    this.sharing = new Sharing(this.#routes);
  }

  /**
   * Lists insights, page by page. `await` for the first page, or `for await` over every
   * insight. `format: "csv"` resolves to CSV text instead; `basic: true` yields `InsightBasic`.
   *
   * @example
   * for await (const insight of posthog.insights.list({ limit: 100, order: "-last_modified_at" })) {
   *   console.log(insight.id, insight.name);
   * }
   */
  list(params: ListInsightsParams & { format: "csv" }, options?: RequestOptions): Promise<string>;
  list(
    params: ListInsightsParams & { basic: true; format?: "json" },
    options?: RequestOptions,
  ): PagePromise<InsightBasic>;
  list(params?: ListInsightsParams & { format?: "json" }, options?: RequestOptions): PagePromise<Insight>;
  list(
    params: ListInsightsParams = {},
    options?: RequestOptions,
  ): Promise<string> | PagePromise<Insight | InsightBasic> {
    if (params.format === "csv") {
      return this.#routes.onProject(
        options,
        (init) => this.#api.GET("/api/projects/{project_id}/insights/", asCsv(init)),
        params,
      ) as Promise<unknown> as Promise<string>;
    }
    return this.#routes.pages(Page<Insight | InsightBasic>, "/api/projects/{project_id}/insights/", params, options);
  }

  /**
   * Creates an insight (HTTP 201) and resolves to it. Never sent twice unless the first
   * attempt provably did not reach PostHog.
   *
   * @example
   * const insight = await posthog.insights.create({
   *   name: "Daily signups",
   *   query: {
   *     kind: "InsightVizNode",
   *     source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "user signed up" }], interval: "day" },
   *   },
   * });
   */
  create(body: InsightCreate, options?: RequestOptions): Promise<Insight> {
    return this.#routes.onProject(options, (init) =>
      this.#api.POST("/api/projects/{project_id}/insights/", { ...init, body }),
    );
  }

  /**
   * Reads one insight. Its result fields follow `refresh` (default `force_cache`: cached
   * data or `null`); use `compute()` to get fresh results. `format: "csv"` resolves to CSV text.
   *
   * @example
   * const insight = await posthog.insights.retrieve(7, { refresh: "blocking" });
   * const csv = await posthog.insights.retrieve(7, { format: "csv" });
   */
  retrieve(id: InsightId, params: RetrieveInsightParams & { format: "csv" }, options?: RequestOptions): Promise<string>;
  retrieve(
    id: InsightId,
    params?: RetrieveInsightParams & { format?: "json" },
    options?: RequestOptions,
  ): Promise<Insight>;
  retrieve(id: InsightId, params: RetrieveInsightParams = {}, options?: RequestOptions): Promise<Insight | string> {
    const csv = params.format === "csv";
    return this.#routes.onObject(
      id,
      options,
      (init) => this.#api.GET("/api/projects/{project_id}/insights/{id}/", csv ? asCsv(init) : init),
      params,
    );
  }

  /**
   * Changes the given fields and resolves to the whole insight.
   *
   * @example
   * await posthog.insights.update(7, { name: "Weekly pageviews", favorited: true });
   */
  update(id: InsightId, body: InsightUpdate, options?: RequestOptions): Promise<Insight> {
    return this.#routes.onObject(id, options, (init) =>
      this.#api.PATCH("/api/projects/{project_id}/insights/{id}/", { ...init, body }),
    );
  }

  /**
   * Soft-deletes an insight (`PATCH {"deleted": true}`: PostHog refuses a real DELETE with 405).
   *
   * @example
   * await posthog.insights.delete(7);
   */
  delete(id: InsightId, options?: RequestOptions): Promise<Insight> {
    return this.update(id, { deleted: true }, options);
  }

  /**
   * Restores a soft-deleted insight.
   *
   * @example
   * await posthog.insights.restore(7);
   */
  restore(id: InsightId, options?: RequestOptions): Promise<Insight> {
    return this.update(id, { deleted: false }, options);
  }

  /**
   * The activity log of one insight, newest first, paged by `page` and `limit`.
   *
   * @example
   * for await (const entry of posthog.insights.activity(7)) console.log(entry.activity, entry.created_at);
   */
  activity(id: InsightId, params: ActivityParams = {}, options?: RequestOptions): ActivityPagePromise {
    return this.#routes.pages(ActivityPage, "/api/projects/{project_id}/insights/{id}/activity/", params, options, () =>
      this.#insightPath(id, options),
    );
  }

  /**
   * The activity log of every insight in the project, newest first.
   *
   * @example
   * const page = await posthog.insights.allActivity({ limit: 50 });
   */
  allActivity(params: ActivityParams = {}, options?: RequestOptions): ActivityPagePromise {
    return this.#routes.pages(ActivityPage, "/api/projects/{project_id}/insights/activity/", params, options);
  }

  /**
   * Records that the caller viewed one insight or several (feeds `lastViewed()`). Sends today's
   * bulk route; on a host that answers it with 404 or 405 (older self-hosted PostHog), falls back
   * to one call per insight, and remembers which route the host has.
   *
   * @example
   * await posthog.insights.markViewed(7);
   * await posthog.insights.markViewed([7, 8, "AaVQ8Ijw"]);
   */
  async markViewed(ids: InsightId | readonly InsightId[], options?: RequestOptions): Promise<void> {
    const list: readonly InsightId[] = Array.isArray(ids) ? ids : [ids as InsightId];
    const paths = await Promise.all(list.map((id) => this.#insightPath(id, options)));
    if (paths.length === 0) {
      return;
    }
    if (this.#viewedRoute !== "per-insight") {
      try {
        // The server takes at most 2,500 ids a call.
        for (let start = 0; start < paths.length; start += 2_500) {
          const body = { insight_ids: paths.slice(start, start + 2_500).map((path) => path.id) };
          const path = { project_id: (paths[0] as InsightPath).project_id };
          await this.#core.run(options, (init) =>
            this.#api.POST("/api/projects/{project_id}/insights/viewed/", { ...init, params: { path }, body }),
          );
        }
        this.#viewedRoute = "bulk";
        return;
      } catch (err) {
        const missingRoute = err instanceof APIError && (err.status === 404 || err.status === 405);
        if (!missingRoute || this.#viewedRoute === "bulk") {
          throw err;
        }
      }
    }
    for (const path of paths) {
      await this.#core.run(options, (init) =>
        this.#api.POST("/api/projects/{project_id}/insights/{id}/viewed/", { ...init, params: { path } }),
      );
    }
    // Remembered only once it worked: a 404 from a wrong project must not pin a current host to the old route.
    this.#viewedRoute = "per-insight";
  }

  /**
   * The caller's last viewed insights, most recent first (at most 5). Needs an unscoped key.
   *
   * @example
   * const recent = await posthog.insights.lastViewed();
   */
  lastViewed(options?: RequestOptions): Promise<InsightBasic[]> {
    return this.#routes.onProject(options, (init) =>
      this.#api.GET("/api/projects/{project_id}/insights/my_last_viewed/", init),
    );
  }

  /**
   * The project's most viewed insights of the last `days` days (default 7), most viewed first,
   * each with its `view_count` and up to 3 recent `viewers`; at most `limit` (default 10, up to
   * 100). PostHog servers from 2026 on.
   *
   * @example
   * const popular = await posthog.insights.trending({ days: 30, limit: 5 });
   */
  trending(params: TrendingInsightsParams = {}, options?: RequestOptions): Promise<TrendingInsight[]> {
    return resultsOf(
      this.#routes.onProject(
        options,
        (init) => this.#api.GET("/api/projects/{project_id}/insights/trending/", init),
        params,
      ),
    );
  }

  /**
   * Stops the running calculations started with this client query id. Needs an unscoped key.
   *
   * @example
   * await posthog.insights.cancel("3f1e2d4c-5b6a-4789-9abc-def012345678");
   */
  async cancel(clientQueryId: string, options?: RequestOptions): Promise<void> {
    if (typeof clientQueryId !== "string" || clientQueryId === "") {
      throw new PostHogError("cancel() needs a client query id.");
    }
    const body = { client_query_id: clientQueryId };
    await this.#routes.onProject(options, (init) =>
      this.#api.POST("/api/projects/{project_id}/insights/cancel/", { ...init, body }),
    );
  }

  /**
   * Calculates an insight's results: asks for an async refresh, polls the calculation until
   * it is done, then re-reads the insight. `timeoutMs` is the deadline for the whole
   * computation (default 5 minutes); past it, or on abort, the calculation is cancelled on
   * the server and the call rejects with `APITimeoutError` or `APIUserAbortError`.
   *
   * With `kind`, the result is typed for that query kind, and an insight of another kind
   * rejects with a `PostHogError`.
   *
   * @example
   * const insight = await posthog.insights.compute(7, { timeoutMs: 120_000 });
   * const trends = await posthog.insights.compute(7, { kind: "TrendsQuery" });
   * console.log(trends.result?.map((series) => series.count));
   */
  compute<K extends InsightKind>(id: InsightId, options: ComputeOptions & { kind: K }): Promise<InsightOf<K>>;
  compute(id: InsightId, options?: ComputeOptions): Promise<Insight>;
  async compute(id: InsightId, { kind, ...options }: ComputeOptions & { kind?: InsightKind } = {}): Promise<Insight> {
    const insight = await compute(this.#core, (refresh, call) => this.retrieve(id, { refresh }, call), options);
    return kind ? expectInsightKind(insight, kind) : insight;
  }

  /**
   * The path of a one-insight route; a bad id throws before any request. A numeric id gives it
   * at once; only a short id takes a promise (its lookup).
   */
  #insightPath(id: InsightId, options: RequestOptions | undefined): InsightPath | Promise<InsightPath> {
    const project_id = this.#core.project(options);
    const key = parseInsightKey(id);
    if (typeof key === "number") {
      return { project_id, id: key };
    }
    return this.#shortIds.resolve(project_id, key, options).then((resolved) => ({ project_id, id: resolved }));
  }
}

/** A call's init asking for CSV, read as text. */
function asCsv<I extends CallInit>(init: I): I {
  return { ...init, parseAs: "text", headers: { ...init.headers, Accept: "text/csv" } };
}
