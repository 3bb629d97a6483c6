import { compute, type ComputeOptions } from "./compute.js";
import { PostHogError } from "./errors.js";
import { insightId } from "./ids.js";
import { expectInsightKind } from "./results.js";
import { ActivityPage, Page, PagePromise, type ActivityPagePromise, type PageQuery } from "./pagination.js";
import type { CallInit, RequestCore, RequestOptions } from "./request.js";
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
} from "./types.js";

const LIST = "/api/projects/{project_id}/insights/";
const ONE = "/api/projects/{project_id}/insights/{id}/";
const ACTIVITY = "/api/projects/{project_id}/insights/{id}/activity/";
const ALL_ACTIVITY = "/api/projects/{project_id}/insights/activity/";

/**
 * An insight id: a positive integer, or a string of digits.
 *
 * @example
 * const id: InsightId = "7"; // same as 7
 */
export type InsightId = number | string;

/**
 * `posthog.insights`: list, create, read, update, soft-delete and compute insights.
 *
 * @example
 * const insight = await posthog.insights.retrieve(7, { refresh: "blocking" });
 */
export class Insights {
  readonly #core: RequestCore;
  /** The insight's public sharing: `retrieve`, `update`, `refresh`. */
  readonly sharing: Sharing;

  constructor(core: RequestCore) {
    this.#core = core;
    this.sharing = new Sharing(core);
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
    const api = this.#core.api;
    if (params.format === "csv") {
      // The project is resolved inside the call, so a bad one rejects rather than throws.
      return this.#csv(
        (init) =>
          api.GET(LIST, { ...init, params: { path: { project_id: this.#core.project(options) }, query: params } }),
        options,
      );
    }
    return this.#pages(
      Page,
      (project) => [
        `/api/projects/${project}/insights/`,
        (query, init) => api.GET(LIST, { ...init, params: { path: { project_id: project }, query } }),
      ],
      params,
      options,
    );
  }

  /**
   * Creates an insight (HTTP 201) and resolves to it. Never sent twice unless the first
   * attempt provably did not reach PostHog.
   *
   * @example
   * const insight = await posthog.insights.create({
   *   name: "Daily signups",
   *   query: { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "user signed up" }], interval: "day" } },
   * });
   */
  async create(body: InsightCreate, options?: RequestOptions): Promise<Insight> {
    const core = this.#core;
    return core.request(
      (init) => core.api.POST(LIST, { ...init, params: { path: { project_id: core.project(options) } }, body }),
      options,
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
  async retrieve(
    id: InsightId,
    params: RetrieveInsightParams = {},
    options?: RequestOptions,
  ): Promise<Insight | string> {
    const core = this.#core;
    const path = { project_id: core.project(options), id: insightId(id) };
    const run = (init: CallInit) => core.api.GET(ONE, { ...init, params: { path, query: params } });
    return params.format === "csv" ? this.#csv(run, options) : core.request(run, options);
  }

  /**
   * Changes the given fields and resolves to the whole insight.
   *
   * @example
   * await posthog.insights.update(7, { name: "Weekly pageviews", favorited: true });
   */
  async update(id: InsightId, body: InsightUpdate, options?: RequestOptions): Promise<Insight> {
    const core = this.#core;
    const path = { project_id: core.project(options), id: insightId(id) };
    return core.request((init) => core.api.PATCH(ONE, { ...init, params: { path }, body }), options);
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
    const api = this.#core.api;
    return this.#pages(
      ActivityPage,
      (project) => {
        const path = { project_id: project, id: insightId(id) };
        return [
          `/api/projects/${project}/insights/${path.id}/activity/`,
          (query, init) => api.GET(ACTIVITY, { ...init, params: { path, query } }),
        ];
      },
      params,
      options,
    );
  }

  /**
   * The activity log of every insight in the project, newest first.
   *
   * @example
   * const page = await posthog.insights.allActivity({ limit: 50 });
   */
  allActivity(params: ActivityParams = {}, options?: RequestOptions): ActivityPagePromise {
    const api = this.#core.api;
    return this.#pages(
      ActivityPage,
      (project) => [
        `/api/projects/${project}/insights/activity/`,
        (query, init) => api.GET(ALL_ACTIVITY, { ...init, params: { path: { project_id: project }, query } }),
      ],
      params,
      options,
    );
  }

  /** Pages lazily through an endpoint: each page's `next` is checked against `path`. */
  #pages<Q>(
    PageClass: typeof Page | typeof ActivityPage,
    endpoint: (
      project: string,
    ) => [
      path: string,
      fetch: (query: Q, init: CallInit) => Promise<{ data?: object; error?: unknown; response: Response }>,
    ],
    params: Q,
    options: RequestOptions | undefined,
  ): PagePromise<never, never> {
    const core = this.#core;
    const load = async (query: Q | PageQuery): Promise<never> => {
      const [path, fetch] = endpoint(core.project(options));
      return new PageClass(await core.request((init) => fetch(query as Q, init), options), load, {
        origin: core.origin,
        path,
      }) as never;
    };
    return new PagePromise(() => load(params));
  }

  /** Asks for CSV and resolves to its text. */
  #csv(
    run: (init: CallInit) => Promise<{ data?: unknown; error?: unknown; response: Response }>,
    options: RequestOptions | undefined,
  ): Promise<string> {
    return this.#core.request(
      (init) => run({ ...init, parseAs: "text", headers: { ...init.headers, Accept: "text/csv" } }),
      options,
    ) as Promise<string>;
  }

  /**
   * Records that the caller viewed an insight (feeds `lastViewed()`). Needs an unscoped
   * personal API key; newer PostHog versions answer this route with 404.
   *
   * @example
   * await posthog.insights.markViewed(7);
   */
  async markViewed(id: InsightId, options?: RequestOptions): Promise<void> {
    const core = this.#core;
    const path = { project_id: core.project(options), id: insightId(id) };
    await core.request(
      (init) => core.api.POST("/api/projects/{project_id}/insights/{id}/viewed/", { ...init, params: { path } }),
      options,
    );
  }

  /**
   * The caller's last viewed insights, most recent first (at most 5). Needs an unscoped key.
   *
   * @example
   * const recent = await posthog.insights.lastViewed();
   */
  async lastViewed(options?: RequestOptions): Promise<InsightBasic[]> {
    const core = this.#core;
    const path = { project_id: core.project(options) };
    return core.request(
      (init) => core.api.GET("/api/projects/{project_id}/insights/my_last_viewed/", { ...init, params: { path } }),
      options,
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
    const core = this.#core;
    const path = { project_id: core.project(options) };
    await core.request(
      (init) =>
        core.api.POST("/api/projects/{project_id}/insights/cancel/", {
          ...init,
          params: { path },
          body: { client_query_id: clientQueryId },
        }),
      options,
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
}
