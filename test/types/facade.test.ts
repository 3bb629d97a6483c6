// Type tests of the public surface, checked by `tsc --noEmit` in `npm test`.
import { describe, expectTypeOf, it } from "vitest";
import {
  type APIError,
  PostHogClient,
  type RateLimitError,
  type ActivityLogEntry,
  type ActivityPagePromise,
  type Insight,
  type InsightBasic,
  type InsightOf,
  type InsightCreate,
  type InsightQuery,
  type Page,
  type PagePromise,
  type QueryStatus,
  type RefreshMode,
  type SharingConfiguration,
  type TrendingInsight,
  type TrendsQuery,
} from "../../src/index.js";

declare const posthog: PostHogClient;

describe("public types", () => {
  it("list and retrieve resolve to what the params ask for", () => {
    expectTypeOf(posthog.insights.list()).toEqualTypeOf<PagePromise<Insight>>();
    expectTypeOf(posthog.insights.list({ basic: true })).toEqualTypeOf<PagePromise<InsightBasic>>();
    expectTypeOf(posthog.insights.list({ format: "csv" })).toEqualTypeOf<Promise<string>>();
    expectTypeOf(posthog.insights.retrieve(7)).toEqualTypeOf<Promise<Insight>>();
    expectTypeOf(posthog.insights.retrieve(7, { format: "csv" })).toEqualTypeOf<Promise<string>>();
    expectTypeOf<Awaited<PagePromise<Insight>>>().toEqualTypeOf<Page<Insight>>();
    expectTypeOf(posthog.insights.activity(7)).toEqualTypeOf<ActivityPagePromise>();
    expectTypeOf(posthog.insights.lastViewed()).toEqualTypeOf<Promise<InsightBasic[]>>();
    expectTypeOf(posthog.insights.trending({ days: 30 })).toEqualTypeOf<Promise<TrendingInsight[]>>();
    expectTypeOf(posthog.insights.markViewed(7)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(posthog.insights.sharing.refresh(7)).toEqualTypeOf<Promise<SharingConfiguration>>();
    expectTypeOf(posthog.insights.compute(7)).toEqualTypeOf<Promise<Insight>>();
  });

  it("has no any in the public types", () => {
    expectTypeOf<Insight>().not.toBeAny();
    expectTypeOf<Insight["result"]>().not.toBeAny();
    expectTypeOf<InsightQuery>().not.toBeAny();
    expectTypeOf<ActivityLogEntry["detail"]>().not.toBeAny();
    expectTypeOf<QueryStatus["results"]>().not.toBeAny();
    expectTypeOf<APIError["body"]>().toBeUnknown();
  });

  it("result is not the seed's string (only Hog returns text); refresh is the union of modes", () => {
    expectTypeOf<Insight["result"]>().not.toEqualTypeOf<string>();
    expectTypeOf<string>().not.toMatchTypeOf<InsightOf<"TrendsQuery">["result"]>();
    expectTypeOf<RefreshMode>().toEqualTypeOf<
      | "force_cache"
      | "blocking"
      | "async"
      | "lazy_async"
      | "force_blocking"
      | "force_async"
      | "async_except_on_cache_miss"
    >();
    // @ts-expect-error not a refresh mode
    void posthog.insights.retrieve(7, { refresh: "now" });
    // @ts-expect-error compute only starts async calculations
    void posthog.insights.compute(7, { refresh: "blocking" });
  });

  it("query narrows on kind", () => {
    const insight = {} as Insight;
    if (insight.query?.kind === "InsightVizNode" && insight.query.source.kind === "TrendsQuery") {
      expectTypeOf(insight.query.source).toMatchTypeOf<TrendsQuery>();
      expectTypeOf(insight.query.source.interval).toEqualTypeOf<
        "second" | "minute" | "hour" | "day" | "week" | "month" | null | undefined
      >();
    }
  });

  it("request bodies take writable fields only", () => {
    const body: InsightCreate = {
      name: "x",
      favorited: true,
      query: { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: "select 1" } },
    };
    void posthog.insights.create(body);
    // @ts-expect-error id is read-only
    void posthog.insights.create({ id: 3 });
    // @ts-expect-error result is read-only
    void posthog.insights.update(7, { name: "x", result: [] });
    // @ts-expect-error created_by is read-only
    void posthog.insights.update(7, { created_by: null });
    // @ts-expect-error _create_in_folder is write-only: not on the read type
    void ({} as Insight)._create_in_folder;
  });

  it("errors expose PostHog's fields", () => {
    expectTypeOf<APIError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<APIError["type"]>().toEqualTypeOf<
      "validation_error" | "authentication_error" | "invalid_request" | "throttled_error" | "server_error" | undefined
    >();
    expectTypeOf<APIError["attr"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<RateLimitError["retryAfterMs"]>().toEqualTypeOf<number | undefined>();
  });

  it("raw is typed by the spec's paths", async () => {
    const { data } = await posthog.raw.GET("/api/projects/{project_id}/insights/{id}/", {
      params: { path: { project_id: "1", id: 7 } },
    });
    expectTypeOf(data?.short_id).toEqualTypeOf<string | undefined>();
    // @ts-expect-error no such path
    void posthog.raw.GET("/api/projects/{project_id}/insightz/", {});
  });

  it("options are typed", () => {
    new PostHogClient({
      apiKey: "phx",
      host: "eu",
      projectId: "@current",
      timeoutMs: 1,
      maxRetries: 0,
      headers: { a: "b" },
    });
    // @ts-expect-error timeoutMs is a number
    new PostHogClient({ timeoutMs: "1s" });
    void posthog.insights.retrieve(7, {}, { signal: AbortSignal.timeout(1), projectId: 3, maxRetries: 1 });
  });
});
