// Real `result` values from PostHog's public sources (test/fixtures/results/, each naming its
// source file and commit) must validate against the result schema of their query kind, and
// against `Insight.result`; the guards must recognise each of them.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  expectInsightKind,
  type Insight,
  type InsightKind,
  insightKind,
  isFunnelSteps,
  isFunnelStepsByBreakdown,
  isInsightKind,
  PostHogError,
} from "../../src/index.js";
import { example } from "../support/fixtures.js";
import { specValidator } from "../support/spec-validator.js";

interface Fixture {
  file: string;
  source: string;
  kind: InsightKind;
  result: unknown;
}

const DIR = new URL("../fixtures/results/", import.meta.url);
const fixtures: Fixture[] = readdirSync(DIR)
  .filter((file) => file.endsWith(".json"))
  .map((file) => ({ file, ...JSON.parse(readFileSync(new URL(file, DIR), "utf8")) }));

// The result schema of each kind; the legacy table sources are never calculated (always null).
const SCHEMA: Record<InsightKind, string | null> = {
  TrendsQuery: "TrendsResult",
  FunnelsQuery: "FunnelsResult",
  RetentionQuery: "RetentionResult",
  PathsQuery: "PathsResult",
  StickinessQuery: "StickinessResult",
  LifecycleQuery: "LifecycleResult",
  CalendarHeatmapQuery: "CalendarHeatmapResult",
  WebOverviewQuery: "WebOverviewResult",
  MarketingAnalyticsTableQuery: "MarketingAnalyticsResult",
  HogQLQuery: "QueryRowsResult",
  EventsQuery: "QueryRowsResult",
  ActorsQuery: "QueryRowsResult",
  WebStatsTableQuery: "QueryRowsResult",
  HogQuery: "HogQueryResult",
  EventsNode: null,
  PersonsNode: null,
};
// Kinds without a fixture: PostHog's only EventsQuery fixture is 1.1 MB, and it never calculates the legacy sources.
const WITHOUT_FIXTURE = ["EventsQuery", "EventsNode", "PersonsNode"];

const spec = specValidator();
const trendsInsight = example<Insight>("insight-trends-computed");

describe("result fixtures from PostHog", () => {
  it("cover every kind with a real result from PostHog, except EventsQuery and the legacy sources", () => {
    const kinds = new Set(fixtures.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(
      Object.keys(SCHEMA)
        .filter((k) => !WITHOUT_FIXTURE.includes(k))
        .sort(),
    );
  });

  it.each(fixtures)("$file names its PostHog source file and commit", ({ source }) => {
    expect(source).toMatch(/^PostHog\/posthog \S+\.(json|tsx|py) @ [0-9a-f]{40}$/);
  });

  it.each(fixtures)("$file validates against the result schema of its kind", ({ kind, result }) => {
    const schema = SCHEMA[kind];
    expect(schema).not.toBeNull();
    expect(spec.schemaErrors(schema ?? "", result)).toEqual([]);
  });
});

describe("result schemas", () => {
  it("refuse a trends series without data", () => {
    expect(spec.schemaErrors("TrendsResult", [{ labels: [], days: [], count: 0, label: "x" }])).not.toEqual([]);
  });

  it("refuse a funnel step without count", () => {
    expect(spec.schemaErrors("FunnelsResult", [{ name: "signup", order: 0 }])).not.toEqual([]);
  });

  it("refuse a retention cohort whose values are numbers", () => {
    const cohort = { values: [3, 1], label: "Day 0", date: "2022-03-04T00:00:00Z" };
    expect(spec.schemaErrors("RetentionResult", [cohort])).not.toEqual([]);
  });

  it("keep unknown keys PostHog may add later", () => {
    const link = { source: "1_/", target: "2_/a", value: 1, average_conversion_time: 0, new_key: true };
    expect(spec.schemaErrors("PathsResult", [link])).toEqual([]);
  });

  const heatmapBase = { data: [], rowAggregations: [], columnAggregations: [], allAggregations: 0 };

  it("refuse a calendar heatmap given as a list (its result is one object)", () => {
    expect(spec.schemaErrors("CalendarHeatmapResult", [])).not.toEqual([]);
    expect(spec.schemaErrors("CalendarHeatmapResult", { data: [{ row: 1, column: 9 }] })).not.toEqual([]);
  });

  it("refuse a web overview figure without its key, and take PostHog's nulls", () => {
    expect(spec.schemaErrors("WebOverviewResult", [{ kind: "unit", value: 3 }])).not.toEqual([]);
    const item = { key: "visitors", kind: "unit", value: null, previous: null, changeFromPreviousPct: null };
    expect(spec.schemaErrors("WebOverviewResult", [{ ...item, isIncreaseBad: null }])).toEqual([]);
  });

  it("take a web-analytics item kind newer than this spec, and keys a newer PostHog adds", () => {
    expect(spec.schemaErrors("WebOverviewItem", { key: "revenue", kind: "ratio", value: 1 })).toEqual([]);
    const item = { key: "visitors", kind: "unit", value: 1, preComputeStrategy: "live" };
    expect(spec.schemaErrors("WebOverviewResult", [item])).toEqual([]);
    const cell = { row: 1, column: 2, value: 3, bucket: "session_start" };
    expect(spec.schemaErrors("CalendarHeatmapResult", { ...heatmapBase, data: [cell] })).toEqual([]);
  });

  it("refuse a marketing-analytics row that is not a list of cells", () => {
    expect(spec.schemaErrors("MarketingAnalyticsResult", [{ key: "spend", kind: "unit" }])).not.toEqual([]);
    expect(spec.schemaErrors("MarketingAnalyticsResult", [[{ key: "campaign", kind: "unit", value: "Q4" }]])).toEqual(
      [],
    );
  });

  it("let a Hog result be any JSON value, and Insight.result hold it", () => {
    for (const result of ["ERROR: nope", 42, true, [1, 2], { a: 1 }]) {
      expect(spec.schemaErrors("HogQueryResult", result)).toEqual([]);
      expect(spec.schemaErrors("Insight", { ...trendsInsight, result })).toEqual([]);
    }
  });

  it("let Insight.result hold the result of a kind not described, or null", () => {
    expect(spec.schemaErrors("Insight", { ...trendsInsight, result: { hog: "output" } })).toEqual([]);
    expect(spec.schemaErrors("Insight", { ...trendsInsight, result: null })).toEqual([]);
  });
});

describe("kind guards", () => {
  const withQuery = (query: Insight["query"]): Insight => ({ ...trendsInsight, query });

  it("insightKind reads the source kind, the node kind without a source, or nothing", () => {
    expect(insightKind(trendsInsight)).toBe("TrendsQuery");
    expect(insightKind(withQuery({ kind: "DataTableNode", source: { kind: "EventsQuery", select: ["*"] } }))).toBe(
      "EventsQuery",
    );
    expect(insightKind(withQuery({ kind: "HogQuery", code: "return 1" }))).toBe("HogQuery");
    expect(insightKind(withQuery({ kind: "DataTableNode", source: { kind: "ActorsQuery" } }))).toBe("ActorsQuery");
    expect(insightKind(withQuery({ kind: "DataTableNode", source: { kind: "PersonsNode" } }))).toBe("PersonsNode");
    expect(insightKind(withQuery(null))).toBeUndefined();
  });

  it("isInsightKind is true only for the insight's own kind", () => {
    expect(isInsightKind(trendsInsight, "TrendsQuery")).toBe(true);
    expect(isInsightKind(trendsInsight, "FunnelsQuery")).toBe(false);
  });

  it("expectInsightKind returns the insight of that kind and throws a PostHogError for another", () => {
    expect(expectInsightKind(trendsInsight, "TrendsQuery")).toBe(trendsInsight);
    expect(() => expectInsightKind(trendsInsight, "RetentionQuery")).toThrow(PostHogError);
    expect(() => expectInsightKind(withQuery(null), "TrendsQuery")).toThrow(/missing query, not TrendsQuery/);
  });

  it.each(fixtures.filter((f) => f.kind === "FunnelsQuery"))("$file is told apart by the funnel guards", (fixture) => {
    const result = fixture.result as Parameters<typeof isFunnelSteps>[0];
    expect(isFunnelSteps(result)).toBe(fixture.file === "funnel-steps.json");
    expect(isFunnelStepsByBreakdown(result)).toBe(fixture.file.startsWith("funnel-steps-by-breakdown"));
  });

  it("funnel guards refuse null", () => {
    expect(isFunnelSteps(null)).toBe(false);
    expect(isFunnelStepsByBreakdown(null)).toBe(false);
  });
});
