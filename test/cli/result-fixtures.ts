// Results shaped as PostHog returns them (reference §11.6 and §12), one per kind `show` draws.
// Values are made up; keys and nesting follow PostHog's query runners.
import type { ShownInsight } from "../../src/cli/render/insight.js";

const days = (count: number, from = Date.UTC(2024, 4, 1)): string[] =>
  Array.from({ length: count }, (_, i) => new Date(from + i * 86_400_000).toISOString().slice(0, 10));
const labels = (list: string[]): string[] =>
  list.map((day) =>
    new Date(`${day}T00:00:00Z`)
      .toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" })
      .replace(/ /g, "-"),
  );

function trendsSeries(event: string, data: number[], order: number, extra: Record<string, unknown> = {}) {
  const dates = days(data.length);
  return {
    data,
    labels: labels(dates),
    days: dates,
    count: data.reduce((sum, value) => sum + value, 0),
    label: event,
    filter: { insight: "TRENDS", interval: "day", date_from: "-14d" },
    action: {
      id: event,
      type: "events",
      order,
      name: event,
      custom_name: null,
      math: "total",
      math_property: null,
      math_hogql: null,
      math_group_type_index: null,
      properties: {},
      days: dates,
    },
    ...extra,
  };
}

const base = {
  short_id: "AaVQ8Ijw",
  columns: null,
  last_refresh: "2024-05-15T10:11:12.345678Z",
  derived_name: null,
} as const;

/** Two series over 14 days: the README's sample. */
export const trends: ShownInsight = {
  ...base,
  name: "Daily signups",
  query: {
    kind: "InsightVizNode",
    source: {
      kind: "TrendsQuery",
      series: [
        { kind: "EventsNode", event: "$pageview", math: "dau" },
        { kind: "EventsNode", event: "user signed up", math: "total" },
      ],
      interval: "day",
      dateRange: { date_from: "-14d" },
    },
  },
  result: [
    trendsSeries("$pageview", [120, 132, 101, 134, 190, 230, 210, 182, 191, 234, 290, 330, 310, 280], 0),
    trendsSeries("user signed up", [20, 22, 18, 30, 41, 52, 48, 39, 40, 55, 61, 70, 66, 60], 1),
  ],
};

/** The retrieve-after-refresh example of reference §12: three points, one series. */
export const trendsSmall: ShownInsight = {
  ...base,
  name: "insight new name",
  query: {
    kind: "InsightVizNode",
    source: {
      kind: "TrendsQuery",
      series: [{ kind: "EventsNode", event: "$pageview", name: "$pageview", math: "total" }],
    },
  },
  result: [
    {
      data: [0, 2, 1],
      labels: ["12-Jan-2012", "13-Jan-2012", "14-Jan-2012"],
      days: ["2012-01-12", "2012-01-13", "2012-01-14"],
      count: 3.0,
      label: "$pageview",
      action: { id: "$pageview", type: "events", order: 0, name: "$pageview", custom_name: null, math: "total" },
      filter: {},
    },
  ],
};

/** A breakdown by browser, as a BoldNumber-style total-value display (empty `data`). */
export const trendsTotals: ShownInsight = {
  ...base,
  name: "Pageviews by browser",
  query: {
    kind: "InsightVizNode",
    source: {
      kind: "TrendsQuery",
      series: [{ kind: "EventsNode", event: "$pageview" }],
      breakdownFilter: { breakdown: "$browser", breakdown_type: "event" },
      trendsFilter: { display: "ActionsPie" },
    },
  },
  result: [
    { ...trendsSeries("$pageview", [], 0), aggregated_value: 1840, breakdown_value: "Chrome" },
    { ...trendsSeries("$pageview", [], 0), aggregated_value: 512, breakdown_value: "Safari" },
    { ...trendsSeries("$pageview", [], 0), aggregated_value: 98, breakdown_value: "Firefox" },
  ],
};

function step(order: number, name: string, count: number, extra: Record<string, unknown> = {}) {
  return {
    action_id: name,
    name,
    custom_name: null,
    order,
    people: [],
    count,
    type: "events",
    average_conversion_time: order === 0 ? null : 3600 * order,
    median_conversion_time: order === 0 ? null : 1800 * order,
    converted_people_url: `/api/person/funnel/?funnel_step=${order + 1}`,
    dropped_people_url: order === 0 ? null : `/api/person/funnel/?funnel_step=-${order + 1}`,
    ...extra,
  };
}

/** A three-step funnel. */
export const funnel: ShownInsight = {
  ...base,
  name: "Signup funnel",
  query: {
    kind: "InsightVizNode",
    source: {
      kind: "FunnelsQuery",
      series: [
        { kind: "EventsNode", event: "$pageview" },
        { kind: "EventsNode", event: "signup started" },
        { kind: "EventsNode", event: "user signed up" },
      ],
    },
  },
  result: [step(0, "$pageview", 1000), step(1, "signup started", 420), step(2, "user signed up", 315)],
};

/** The same funnel broken down by browser: an array of step arrays. */
export const funnelBreakdown: ShownInsight = {
  ...funnel,
  name: "Signup funnel by browser",
  result: [
    [
      step(0, "$pageview", 600, { breakdown_value: ["Chrome"] }),
      step(1, "user signed up", 210, { breakdown_value: ["Chrome"] }),
    ],
    [
      step(0, "$pageview", 400, { breakdown_value: ["Safari"] }),
      step(1, "user signed up", 105, { breakdown_value: ["Safari"] }),
    ],
  ],
};

/** A time-to-convert funnel. */
export const funnelTimes: ShownInsight = {
  ...funnel,
  name: "Time to sign up",
  query: {
    kind: "InsightVizNode",
    source: {
      kind: "FunnelsQuery",
      series: [
        { kind: "EventsNode", event: "$pageview" },
        { kind: "EventsNode", event: "user signed up" },
      ],
      funnelsFilter: { funnelVizType: "time_to_convert" },
    },
  },
  result: {
    average_conversion_time: 5400,
    bins: [
      [60, 12],
      [3600, 30],
      [7200, 9],
      [86_400, 3],
    ],
  },
};

function cohort(date: string, counts: number[]) {
  return {
    values: counts.map((count, i) => ({ count, label: `Day ${i}`, people: [], people_url: "/api/person/retention/" })),
    label: `Day ${counts.length - 1}`,
    date: `${date}T00:00:00Z`,
  };
}

/** Four daily cohorts. */
export const retention: ShownInsight = {
  ...base,
  name: "Day-n retention",
  query: {
    kind: "InsightVizNode",
    source: { kind: "RetentionQuery", retentionFilter: { period: "Day", totalIntervals: 4 } },
  },
  result: [
    cohort("2024-05-01", [200, 80, 64, 50]),
    cohort("2024-05-02", [180, 70, 55]),
    cohort("2024-05-03", [210, 90]),
    cohort("2024-05-04", [190]),
  ],
};

/** Paths edges. */
export const paths: ShownInsight = {
  ...base,
  name: "Paths from home",
  query: {
    kind: "InsightVizNode",
    source: { kind: "PathsQuery", pathsFilter: { includeEventTypes: ["$pageview"] } },
  },
  result: [
    { source: "1_/", target: "2_/pricing", value: 120, average_conversion_time: 14_000 },
    { source: "2_/pricing", target: "3_/signup", value: 45, average_conversion_time: 30_000 },
    { source: "1_/", target: "2_/docs", value: 310, average_conversion_time: 9000 },
  ],
};

/** Stickiness: on how many days of the week users came. */
export const stickiness: ShownInsight = {
  ...base,
  name: "Pageview stickiness",
  query: {
    kind: "InsightVizNode",
    source: { kind: "StickinessQuery", series: [{ kind: "EventsNode", event: "$pageview" }] },
  },
  result: [
    {
      data: [410, 120, 60, 31],
      labels: ["1 day", "2 days", "3 days", "4 days"],
      days: [1, 2, 3, 4],
      count: 621,
      label: "$pageview",
      action: { id: "$pageview", type: "events", order: 0, name: "$pageview" },
      filter: {},
    },
  ],
};

/** Lifecycle: one series per status. */
export const lifecycle: ShownInsight = {
  ...base,
  name: "Pageview lifecycle",
  query: {
    kind: "InsightVizNode",
    source: { kind: "LifecycleQuery", series: [{ kind: "EventsNode", event: "$pageview" }], interval: "day" },
  },
  result: ["new", "returning", "resurrecting", "dormant"].map((status, i) => ({
    ...trendsSeries(
      "$pageview",
      [
        [12, 15, 9],
        [30, 28, 33],
        [4, 6, 2],
        [-10, -8, -12],
      ][i] ?? [],
      0,
    ),
    status,
  })),
};

/** A SQL insight: rows and column names. */
export const sql: ShownInsight = {
  ...base,
  name: "Revenue by plan",
  query: {
    kind: "DataVisualizationNode",
    source: { kind: "HogQLQuery", query: "select plan, count(), sum(amount) from charges group by plan" },
  },
  columns: ["plan", "count()", "sum(amount)"],
  result: [
    ["free", 1204, 0],
    ["pro", 312, 14_977.5],
    ["enterprise", 9, null],
  ],
};

/** A calendar heatmap of unique users by weekday (`row` 1 = Monday) and hour; one object, not a list. */
export const heatmap: ShownInsight = {
  ...base,
  name: "Active hours",
  query: {
    kind: "InsightVizNode",
    source: { kind: "CalendarHeatmapQuery", series: [{ kind: "EventsNode", event: "$pageview" }] },
  },
  result: {
    data: [
      { row: 1, column: 9, value: 150 },
      { row: 1, column: 10, value: 200 },
      { row: 2, column: 14, value: 180 },
      { row: 3, column: 16, value: 220 },
      { row: 5, column: 23, value: 40 },
      { row: 7, column: 0, value: 12 },
    ],
    // Unique users: a day's total counts each user once, so it is below the sum of its hours.
    rowAggregations: [
      { row: 1, value: 310 },
      { row: 2, value: 180 },
      { row: 3, value: 220 },
      { row: 5, value: 40 },
      { row: 7, value: 12 },
    ],
    columnAggregations: [],
    allAggregations: 690,
  },
};

/** A marketing-analytics table: rows of `{key, kind, value, previous}` cells. */
export const marketing: ShownInsight = {
  ...base,
  name: "Campaign costs",
  columns: ["campaign", "source", "spend", "clicks"],
  query: { kind: "DataTableNode", source: { kind: "MarketingAnalyticsTableQuery", properties: [] } },
  result: [
    [
      { key: "campaign", kind: "unit", value: "spring_sale" },
      { key: "source", kind: "unit", value: "google" },
      { key: "spend", kind: "currency", value: 1200.5, previous: 1000, changeFromPreviousPct: 20.05 },
      { key: "clicks", kind: "unit", value: 3400, previous: null, changeFromPreviousPct: null },
    ],
    [
      { key: "campaign", kind: "unit", value: "newsletter" },
      { key: "source", kind: "unit", value: "email" },
      { key: "spend", kind: "currency", value: 0, previous: 0, changeFromPreviousPct: null },
      { key: "clicks", kind: "unit", value: 815, previous: null, changeFromPreviousPct: null },
    ],
  ],
};
