// Type tests of typed results, checked by `tsc --noEmit`: each kind's result reads without a cast.
import { describe, expectTypeOf, it } from "vitest";
import {
  type CalendarHeatmapCell,
  expectInsightKind,
  type FunnelStep,
  type FunnelTimeToConvert,
  type FunnelTrendsSeries,
  type Insight,
  type InsightKind,
  type InsightOf,
  type InsightQuery,
  isFunnelSteps,
  isFunnelStepsByBreakdown,
  isInsightKind,
  type LifecycleSeries,
  type MarketingAnalyticsItem,
  type PathsLink,
  type PostHogClient,
  type RetentionCohort,
  type StickinessSeries,
  type TrendsSeries,
  type UnknownEnumValue,
  type UnknownQueryNode,
  type WebOverviewItem,
} from "../../src/index.js";

declare const posthog: PostHogClient;
declare const insight: Insight;

describe("typed results", () => {
  it("compute with a kind resolves to an insight typed for that kind", async () => {
    expectTypeOf(posthog.insights.compute(7, { kind: "TrendsQuery" })).toEqualTypeOf<
      Promise<InsightOf<"TrendsQuery">>
    >();
    expectTypeOf(posthog.insights.compute(7)).toEqualTypeOf<Promise<Insight>>();
    // @ts-expect-error not a query kind
    void posthog.insights.compute(7, { kind: "TrendQuery" });
    const trends = await posthog.insights.compute(7, { kind: "TrendsQuery", timeoutMs: 60_000 });
    const total: number = (trends.result ?? []).reduce(
      (sum, series) => sum + series.data.reduce((a, b) => a + b, 0),
      0,
    );
    void total;
  });

  it("trends: a series' data sums without a cast", () => {
    if (isInsightKind(insight, "TrendsQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<TrendsSeries[] | null>();
      for (const series of insight.result ?? []) {
        expectTypeOf(series.data).toEqualTypeOf<number[]>();
        expectTypeOf(series.days).toEqualTypeOf<string[]>();
        expectTypeOf(series.label).toEqualTypeOf<string | null>();
        expectTypeOf(series.aggregated_value).toEqualTypeOf<number | undefined>();
        expectTypeOf(series.data.reduce((sum, value) => sum + value, 0)).toEqualTypeOf<number>();
      }
    }
  });

  it("funnels: a step's count and conversion read without a cast", () => {
    const funnel = expectInsightKind(insight, "FunnelsQuery");
    if (isFunnelSteps(funnel.result)) {
      const [first, ...rest] = funnel.result;
      for (const step of rest) {
        expectTypeOf(step).toEqualTypeOf<FunnelStep>();
        expectTypeOf(step.count / (first?.count ?? 1)).toEqualTypeOf<number>();
        expectTypeOf(step.average_conversion_time).toEqualTypeOf<number | null | undefined>();
      }
    } else if (isFunnelStepsByBreakdown(funnel.result)) {
      expectTypeOf(funnel.result[0]?.[0]?.breakdown_value).toEqualTypeOf<
        string | number | (string | number | null)[] | null | undefined
      >();
    } else if (funnel.result && !Array.isArray(funnel.result)) {
      expectTypeOf(funnel.result).toEqualTypeOf<FunnelTimeToConvert>();
      expectTypeOf(funnel.result.bins).toEqualTypeOf<number[][]>();
    } else if (funnel.result) {
      expectTypeOf(funnel.result).toEqualTypeOf<FunnelTrendsSeries[]>();
    }
  });

  it("retention: cohorts with counts per interval", () => {
    if (isInsightKind(insight, "RetentionQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<RetentionCohort[] | null>();
      expectTypeOf(insight.result?.[0]?.values[1]?.count).toEqualTypeOf<number | undefined>();
      expectTypeOf(insight.result?.[0]?.date).toEqualTypeOf<string | undefined>();
    }
  });

  it("paths: links with source, target and value", () => {
    if (isInsightKind(insight, "PathsQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<PathsLink[] | null>();
      expectTypeOf(insight.result?.[0]?.value).toEqualTypeOf<number | undefined>();
    }
  });

  it("stickiness: days are interval counts", () => {
    if (isInsightKind(insight, "StickinessQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<StickinessSeries[] | null>();
      expectTypeOf(insight.result?.[0]?.days).toEqualTypeOf<number[] | undefined>();
    }
  });

  it("lifecycle: each series has a status", () => {
    if (isInsightKind(insight, "LifecycleQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<LifecycleSeries[] | null>();
      expectTypeOf(insight.result?.[0]?.status).toEqualTypeOf<string | undefined>();
    }
  });

  it("SQL and events: rows of cells", () => {
    if (isInsightKind(insight, "HogQLQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<unknown[][] | null>();
    }
    if (isInsightKind(insight, "EventsQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<unknown[][] | null>();
    }
  });

  it("persons, groups and web-analytics tables: rows of cells", () => {
    if (isInsightKind(insight, "ActorsQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<unknown[][] | null>();
    }
    if (isInsightKind(insight, "WebStatsTableQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<unknown[][] | null>();
    }
  });

  it("calendar heatmap: one object with cells and totals", () => {
    const heatmap = expectInsightKind(insight, "CalendarHeatmapQuery");
    expectTypeOf(heatmap.result?.data).toEqualTypeOf<CalendarHeatmapCell[] | undefined>();
    expectTypeOf(heatmap.result?.data[0]?.value).toEqualTypeOf<number | undefined>();
    expectTypeOf(heatmap.result?.rowAggregations[0]?.row).toEqualTypeOf<number | undefined>();
    expectTypeOf(heatmap.result?.allAggregations).toEqualTypeOf<number | undefined>();
    const busiest = Math.max(...(heatmap.result?.columnAggregations ?? []).map((hour) => hour.value));
    expectTypeOf(busiest).toEqualTypeOf<number>();
  });

  it("trends drawn as a calendar heatmap carry the grid on the series", () => {
    if (isInsightKind(insight, "TrendsQuery")) {
      expectTypeOf(insight.result?.[0]?.calendar_heatmap_data?.data).toEqualTypeOf<CalendarHeatmapCell[] | undefined>();
    }
  });

  it("web overview: figures with their previous value and change", () => {
    if (isInsightKind(insight, "WebOverviewQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<WebOverviewItem[] | null>();
      const visitors = insight.result?.find((item) => item.key === "visitors");
      expectTypeOf(visitors?.value).toEqualTypeOf<number | null | undefined>();
      expectTypeOf(visitors?.changeFromPreviousPct).toEqualTypeOf<number | null | undefined>();
      expectTypeOf<WebOverviewItem["kind"]>().toEqualTypeOf<
        "unit" | "duration_s" | "percentage" | "currency" | UnknownEnumValue
      >();
      if (visitors?.kind === "duration_s") {
        expectTypeOf(visitors.kind).toEqualTypeOf<"duration_s">();
      }
    }
  });

  it("marketing analytics: rows of cells holding numbers or text", () => {
    if (isInsightKind(insight, "MarketingAnalyticsTableQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<MarketingAnalyticsItem[][] | null>();
      expectTypeOf(insight.result?.[0]?.[0]?.value).toEqualTypeOf<number | string | null | undefined>();
    }
  });

  it("Hog: any JSON value, narrowed by the caller", () => {
    if (isInsightKind(insight, "HogQuery")) {
      expectTypeOf(insight.result).toEqualTypeOf<
        string | number | boolean | unknown[] | { [key: string]: unknown } | null
      >();
      if (typeof insight.result === "string") {
        expectTypeOf(insight.result.startsWith("ERROR: ")).toEqualTypeOf<boolean>();
      }
    }
  });

  it("legacy table sources are never calculated: their result is null", () => {
    if (isInsightKind(insight, "EventsNode") || isInsightKind(insight, "PersonsNode")) {
      expectTypeOf(insight.result).toEqualTypeOf<null>();
    }
  });

  it("has a result type for every query kind the spec knows", () => {
    type Sources =
      | InsightQuery
      | Extract<InsightQuery, { kind: "InsightVizNode" }>["source"]
      | Extract<InsightQuery, { kind: "DataTableNode" }>["source"]
      | Extract<InsightQuery, { kind: "DataVisualizationNode" }>["source"];
    type Wrappers = "InsightVizNode" | "DataTableNode" | "DataVisualizationNode";
    type Known = Exclude<Exclude<Sources, UnknownQueryNode>["kind"], Wrappers>;
    expectTypeOf<Exclude<Known, InsightKind>>().toBeNever();
    expectTypeOf<Exclude<InsightKind, Known>>().toBeNever();
  });

  it("an insight of unknown kind keeps the lenient union", () => {
    expectTypeOf<Insight["result"]>().toMatchTypeOf<
      string | number | boolean | unknown[] | Record<string, unknown> | null
    >();
    expectTypeOf<InsightOf<"TrendsQuery">>().toMatchTypeOf<Insight>();
    expectTypeOf<InsightOf<"HogQuery">>().toMatchTypeOf<Insight>();
    // @ts-expect-error a kind this version has no result type for
    isInsightKind(insight, "GroupsQuery");
  });
});
