// Public names for the generated schema types. Aliases only: every shape comes from
// generated/schema.d.ts, which comes from openapi/; never hand-copy a schema here.
import type { components, operations } from "../generated/schema.js";

type Schemas = components["schemas"];

/**
 * A saved insight, as list, retrieve, create and update return it.
 * @example const insight: Insight = await posthog.insights.retrieve(7);
 */
export type Insight = Omit<Schemas["Insight"], "_create_in_folder">;
/**
 * The lightweight insight of `list({ basic: true })` and `lastViewed()`: no result fields.
 * @example const recent: InsightBasic[] = await posthog.insights.lastViewed();
 */
export type InsightBasic = Schemas["InsightBasic"];
/**
 * The body of `insights.create()`: writable fields only, none required.
 * @example
 * const body: InsightCreate = {
 *   name: "Signups",
 *   query: { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: "select count() from events" } },
 * };
 */
export type InsightCreate = Schemas["InsightWrite"];
/**
 * The body of `insights.update()`: writable fields only, all optional.
 * @example const change: InsightUpdate = { name: "Renamed", favorited: true };
 */
export type InsightUpdate = Schemas["InsightWrite"];
/**
 * An insight's query, discriminated on `kind`.
 * @example if (insight.query?.kind === "InsightVizNode") console.log(insight.query.source.kind);
 */
export type InsightQuery = Schemas["InsightQuery"];
/**
 * Wrapper of a product-analytics query (trends, funnels, retention, paths, stickiness, lifecycle).
 * @example
 * const node: InsightVizNode = {
 *   kind: "InsightVizNode",
 *   source: { kind: "LifecycleQuery", series: [{ kind: "EventsNode", event: "$pageview" }] },
 * };
 */
export type InsightVizNode = Schemas["InsightVizNode"];
/**
 * A SQL insight: a HogQL query shown as a chart or table.
 * @example
 * const sql: DataVisualizationNode = {
 *   kind: "DataVisualizationNode",
 *   source: { kind: "HogQLQuery", query: "select 1" },
 * };
 */
export type DataVisualizationNode = Schemas["DataVisualizationNode"];
/**
 * A table insight over a HogQL or events query.
 * @example
 * const table: DataTableNode = {
 *   kind: "DataTableNode",
 *   source: { kind: "EventsQuery", select: ["event", "timestamp"] },
 * };
 */
export type DataTableNode = Schemas["DataTableNode"];
/**
 * A Hog program (staff-only on PostHog Cloud).
 * @example const hog: HogQuery = { kind: "HogQuery", code: "return 1" };
 */
export type HogQuery = Schemas["HogQuery"];
/**
 * A HogQL (SQL) query.
 * @example const q: HogQLQuery = { kind: "HogQLQuery", query: "select count() from events" };
 */
export type HogQLQuery = Schemas["HogQLQuery"];
/**
 * A raw events query.
 * @example const q: EventsQuery = { kind: "EventsQuery", select: ["*"], event: "$pageview" };
 */
export type EventsQuery = Schemas["EventsQuery"];
/**
 * Counts of events or actions over time.
 * @example
 * const q: TrendsQuery = {
 *   kind: "TrendsQuery",
 *   series: [{ kind: "EventsNode", event: "$pageview", math: "dau" }],
 *   interval: "week",
 * };
 */
export type TrendsQuery = Schemas["TrendsQuery"];
/**
 * Conversion through ordered steps.
 * @example
 * const q: FunnelsQuery = {
 *   kind: "FunnelsQuery",
 *   series: [
 *     { kind: "EventsNode", event: "signup" },
 *     { kind: "EventsNode", event: "purchase" },
 *   ],
 * };
 */
export type FunnelsQuery = Schemas["FunnelsQuery"];
/**
 * Who comes back after a first event.
 * @example
 * const q: RetentionQuery = { kind: "RetentionQuery", retentionFilter: { period: "Week", totalIntervals: 8 } };
 */
export type RetentionQuery = Schemas["RetentionQuery"];
/**
 * The paths users take.
 * @example const q: PathsQuery = { kind: "PathsQuery", pathsFilter: { includeEventTypes: ["$pageview"] } };
 */
export type PathsQuery = Schemas["PathsQuery"];
/**
 * On how many intervals users repeat an action.
 * @example
 * const q: StickinessQuery = { kind: "StickinessQuery", series: [{ kind: "EventsNode", event: "$pageview" }] };
 */
export type StickinessQuery = Schemas["StickinessQuery"];
/**
 * New, returning, resurrecting and dormant users.
 * @example
 * const q: LifecycleQuery = {
 *   kind: "LifecycleQuery",
 *   series: [{ kind: "EventsNode", event: "$pageview" }],
 *   interval: "day",
 * };
 */
export type LifecycleQuery = Schemas["LifecycleQuery"];
/**
 * Counts of an event per weekday and hour.
 * @example
 * const q: CalendarHeatmapQuery = {
 *   kind: "CalendarHeatmapQuery",
 *   series: [{ kind: "EventsNode", event: "$pageview" }],
 * };
 */
export type CalendarHeatmapQuery = Schemas["CalendarHeatmapQuery"];
/**
 * Persons, as the source of a table.
 * @example
 * const persons: PersonsNode = { kind: "PersonsNode", search: "@example.com" };
 * const table: DataTableNode = { kind: "DataTableNode", source: persons };
 */
export type PersonsNode = Schemas["PersonsNode"];
/**
 * Persons or groups with selected columns, as the source of a table.
 * @example
 * const q: ActorsQuery = { kind: "ActorsQuery", select: ["person", "created_at"] };
 */
export type ActorsQuery = Schemas["ActorsQuery"];
/**
 * A web-analytics breakdown table.
 * @example
 * const q: WebStatsTableQuery = { kind: "WebStatsTableQuery", breakdownBy: "Page", properties: [] };
 */
export type WebStatsTableQuery = Schemas["WebStatsTableQuery"];
/**
 * The web-analytics overview tiles.
 * @example
 * const q: WebOverviewQuery = { kind: "WebOverviewQuery", properties: [], dateRange: { date_from: "-7d" } };
 */
export type WebOverviewQuery = Schemas["WebOverviewQuery"];
/**
 * The marketing-analytics campaign table.
 * @example
 * const q: MarketingAnalyticsTableQuery = { kind: "MarketingAnalyticsTableQuery", properties: [], limit: 100 };
 */
export type MarketingAnalyticsTableQuery = Schemas["MarketingAnalyticsTableQuery"];
/**
 * A query node whose kind this version does not know (written by a newer PostHog). It reads and
 * can be sent back unchanged; no object literal builds one. `String(node.kind)` gives its kind.
 * @example
 * const known = ["InsightVizNode", "DataVisualizationNode", "DataTableNode"];
 * const kind = String(insight.query?.kind);
 * if (insight.query && !known.includes(kind)) console.log(`a newer node: ${kind}`);
 */
export type UnknownQueryNode = Schemas["UnknownQueryNode"];
/**
 * An open-enum value (such as a chart display) this version does not know: opaque in types, a
 * string at run time.
 * @example
 * const shown = (display: ChartDisplayType) => String(display);
 */
export type UnknownEnumValue = Schemas["UnknownEnumValue"];
/**
 * Several events or actions combined with AND or OR into one series.
 * @example
 * const s: GroupNode = {
 *   kind: "GroupNode",
 *   operator: "OR",
 *   nodes: [
 *     { kind: "EventsNode", event: "$pageview" },
 *     { kind: "EventsNode", event: "$screen" },
 *   ],
 * };
 */
export type GroupNode = Schemas["GroupNode"];
/**
 * One series: events, an action, a data warehouse table, a group of those, or an unknown node.
 * @example const s: SeriesNode = { kind: "ActionsNode", id: 42, math: "total" };
 */
export type SeriesNode = Schemas["SeriesNode"];
/**
 * A series of events (`event: null` = all events).
 * @example const s: EventsNode = { kind: "EventsNode", event: "$pageview", math: "unique_session" };
 */
export type EventsNode = Schemas["EventsNode"];
/**
 * A series of an action's matches.
 * @example const s: ActionsNode = { kind: "ActionsNode", id: 42 };
 */
export type ActionsNode = Schemas["ActionsNode"];
/**
 * A series over a data warehouse table.
 * @example
 * const s: DataWarehouseNode = {
 *   kind: "DataWarehouseNode",
 *   id: "t",
 *   table_name: "stripe_charges",
 *   id_field: "id",
 *   timestamp_field: "created",
 *   distinct_id_field: "customer",
 * };
 */
export type DataWarehouseNode = Schemas["DataWarehouseNode"];
/**
 * How a series is aggregated.
 * @example const math: MathType = "weekly_active";
 */
export type MathType = Schemas["MathType"];
/**
 * Time bucket of a series.
 * @example const interval: IntervalType = "week";
 */
export type IntervalType = Schemas["IntervalType"];
/**
 * Relative or absolute date bounds.
 * @example const range: DateRange = { date_from: "-30d" };
 */
export type DateRange = Schemas["DateRange"];
/**
 * Split series by a property, cohort or expression.
 * @example const by: BreakdownFilter = { breakdown_type: "event", breakdown: "$browser" };
 */
export type BreakdownFilter = Schemas["BreakdownFilter"];
/**
 * Any property filter, discriminated on `type`.
 * @example const f: AnyPropertyFilter = { type: "person", key: "email", operator: "icontains", value: "@example.com" };
 */
export type AnyPropertyFilter = Schemas["AnyPropertyFilter"];
/**
 * The comparison of a property filter.
 * @example const op: PropertyOperator = "is_set";
 */
export type PropertyOperator = Schemas["PropertyOperator"];
/**
 * How a trends-like insight is drawn.
 * @example const display: ChartDisplayType = "ActionsBar";
 */
export type ChartDisplayType = Schemas["ChartDisplayType"];
/**
 * An insight's public sharing configuration (one object).
 * @example const { enabled, access_token }: SharingConfiguration = await posthog.insights.sharing.retrieve(7);
 */
export type SharingConfiguration = Schemas["SharingConfiguration"];
/**
 * The body of `insights.sharing.update()`.
 * @example const change: SharingConfigurationUpdate = { enabled: true, settings: { noHeader: true } };
 */
export type SharingConfigurationUpdate = Schemas["SharingConfigurationUpdate"];
/**
 * One entry of an insight's activity log.
 * @example for await (const entry of posthog.insights.activity(7)) console.log(entry.activity, entry.created_at);
 */
export type ActivityLogEntry = Schemas["ActivityLogEntry"];
/**
 * The state of an asynchronous calculation.
 * @example const running = (await posthog.insights.retrieve(7, { refresh: "async" })).query_status?.complete === false;
 */
export type QueryStatus = Schemas["QueryStatus"];
/**
 * PostHog's refresh modes.
 * @example const refresh: RefreshMode = "blocking";
 */
export type RefreshMode = Schemas["RefreshMode"];
/**
 * PostHog's error body.
 * @example
 * const body: PostHogErrorBody = { type: "invalid_request", code: "not_found", detail: "Not found.", attr: null };
 */
export type PostHogErrorBody = Schemas["Error"];

type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;

/**
 * Query parameters of `insights.list()`.
 * @example const params: ListInsightsParams = { limit: 100, order: "-last_modified_at", search: "signup" };
 */
export type ListInsightsParams = Query<"listInsights">;
/**
 * Query parameters of `insights.retrieve()`.
 * @example const params: RetrieveInsightParams = { refresh: "blocking", from_dashboard: 3 };
 */
export type RetrieveInsightParams = Query<"retrieveInsight">;
/**
 * `days` and `limit` of `insights.trending()`.
 * @example const params: TrendingInsightsParams = { days: 30, limit: 5 };
 */
export type TrendingInsightsParams = Query<"listTrendingInsights">;
/**
 * A basic insight with how much it was viewed, as `insights.trending()` lists them.
 * @example const [top]: TrendingInsight[] = await posthog.insights.trending();
 */
export type TrendingInsight = Schemas["TrendingInsight"];
/**
 * `page` and `limit` of `insights.activity()` and `insights.allActivity()`.
 * @example const params: ActivityParams = { page: 2, limit: 20 };
 */
export type ActivityParams = Query<"listInsightsActivity">;

// Results: the shape of `insight.result` for each kind of query.

/**
 * One series of a trends result: `data[i]` is the value of the interval starting `days[i]`.
 * @example const total = series.data.reduce((sum, value) => sum + value, 0);
 */
export type TrendsSeries = Schemas["TrendsSeries"];
/**
 * The `result` of a `TrendsQuery` insight: one series per event, action, breakdown value and compared period.
 * @example if (isInsightKind(insight, "TrendsQuery")) console.log(insight.result?.map((series) => series.label));
 */
export type TrendsResult = Schemas["TrendsResult"];
/**
 * The series definition echoed in trends, stickiness and lifecycle series.
 * @example const event = series.action?.id;
 */
export type InsightSeriesAction = Schemas["InsightSeriesAction"];
/**
 * One step of a funnel: `count` users reached it, `average_conversion_time` seconds after the previous step.
 * @example const rate = step.count / (steps[0]?.count ?? 1);
 */
export type FunnelStep = Schemas["FunnelStep"];
/**
 * The histogram of a `time_to_convert` funnel: `[seconds, users]` bins.
 * @example const users = histogram.bins.reduce((sum, [, count]) => sum + (count ?? 0), 0);
 */
export type FunnelTimeToConvert = Schemas["FunnelTimeToConvert"];
/**
 * One series of a `trends` funnel: the conversion rate in percent per interval.
 * @example const latest = series.data.at(-1);
 */
export type FunnelTrendsSeries = Schemas["FunnelTrendsSeries"];
/**
 * The `result` of a `FunnelsQuery` insight: steps, steps per breakdown value, a time-to-convert
 * histogram, or conversion trends, by `funnelVizType`. Narrow it with `isFunnelSteps()`.
 * @example if (isFunnelSteps(funnel.result)) console.log(funnel.result.map((step) => step.count));
 */
export type FunnelsResult = Schemas["FunnelsResult"];
/**
 * One cohort of a retention result: `values[0].count` users started, `values[n].count` came back n intervals later.
 * @example const day1 = (cohort.values[1]?.count ?? 0) / (cohort.values[0]?.count || 1);
 */
export type RetentionCohort = Schemas["RetentionCohort"];
/**
 * Users of a cohort retained in one interval.
 * @example const value: RetentionValue = { count: 12 };
 */
export type RetentionValue = Schemas["RetentionValue"];
/**
 * The `result` of a `RetentionQuery` insight: one cohort per starting interval.
 * @example const sizes = retention.result?.map((cohort) => cohort.values[0]?.count);
 */
export type RetentionResult = Schemas["RetentionResult"];
/**
 * One edge of a paths result: `value` users went from `source` to `target`.
 * @example const link: PathsLink = { source: "1_/", target: "2_/pricing", value: 42, average_conversion_time: 3.5 };
 */
export type PathsLink = Schemas["PathsLink"];
/**
 * The `result` of a `PathsQuery` insight: the edges of the paths graph.
 * @example
 * const paths = expectInsightKind(await posthog.insights.retrieve(7), "PathsQuery");
 * const busiest = paths.result?.[0]?.value;
 */
export type PathsResult = Schemas["PathsResult"];
/**
 * One series of a stickiness result: `data[i]` users did the event on `days[i]` intervals.
 * @example const daily = series.data[0];
 */
export type StickinessSeries = Schemas["StickinessSeries"];
/**
 * The `result` of a `StickinessQuery` insight.
 * @example const once = stickiness.result?.[0]?.data[0];
 */
export type StickinessResult = Schemas["StickinessResult"];
/**
 * One series of a lifecycle result, for one `status` (`new`, `returning`, `resurrecting`, `dormant`).
 * @example const dormant = lifecycle.result?.find((series) => series.status === "dormant");
 */
export type LifecycleSeries = Schemas["LifecycleSeries"];
/**
 * The `result` of a `LifecycleQuery` insight.
 * @example const statuses = lifecycle.result?.map((series) => series.status);
 */
export type LifecycleResult = Schemas["LifecycleResult"];
/**
 * The `result` of a table of rows, in the order of `columns`: SQL (`HogQLQuery`), events (`EventsQuery`),
 * persons and groups (`ActorsQuery`) and web-analytics tables (`WebStatsTableQuery`).
 * @example for (const [url, views] of sql.result ?? []) console.log(url, views);
 */
export type QueryRowsResult = Schemas["QueryRowsResult"];

/**
 * One cell of a calendar heatmap: `value` in hour `column` (0-23) of weekday `row` (1 = Monday).
 * @example const cell: CalendarHeatmapCell = { row: 1, column: 9, value: 150 };
 */
export type CalendarHeatmapCell = Schemas["CalendarHeatmapCell"];
/**
 * The `result` of a `CalendarHeatmapQuery` insight: one object with the cells and their totals per
 * day, per hour and in all.
 * @example
 * const heatmap = expectInsightKind(await posthog.insights.compute(7), "CalendarHeatmapQuery");
 * const mondays = heatmap.result?.rowAggregations.find((day) => day.row === 1)?.value;
 */
export type CalendarHeatmapResult = Schemas["CalendarHeatmapResult"];
/**
 * How a web-analytics figure is measured: `unit`, `duration_s`, `percentage` or `currency`.
 * @example const seconds = item.kind === "duration_s";
 */
export type WebAnalyticsItemKind = Schemas["WebAnalyticsItemKind"];
/**
 * One headline figure of a web-analytics overview, with its value over the compared period.
 * @example const visitors = overview.result?.find((item) => item.key === "visitors")?.value;
 */
export type WebOverviewItem = Schemas["WebOverviewItem"];
/**
 * The `result` of a `WebOverviewQuery` insight: one item per figure (visitors, views, sessions, ...).
 * @example for (const item of overview.result ?? []) console.log(item.key, item.value, item.changeFromPreviousPct);
 */
export type WebOverviewResult = Schemas["WebOverviewResult"];
/**
 * One cell of a marketing-analytics table: a campaign's value for a column, and its previous value.
 * @example const spend = row.find((cell) => cell.key === "spend")?.value;
 */
export type MarketingAnalyticsItem = Schemas["MarketingAnalyticsItem"];
/**
 * The `result` of a `MarketingAnalyticsTableQuery` insight: one row of cells per campaign.
 * @example const campaigns = marketing.result?.map((row) => row[0]?.value);
 */
export type MarketingAnalyticsResult = Schemas["MarketingAnalyticsResult"];
/**
 * The `result` of a `HogQuery` insight: whatever the Hog program returns (`unknown`: narrow it).
 * @example if (typeof hog.result === "number") console.log(hog.result + 1);
 */
export type HogQueryResult = Schemas["HogQueryResult"];

/**
 * The `result` type of each query kind: the kind of an `InsightVizNode`'s, `DataVisualizationNode`'s
 * or `DataTableNode`'s `source`, or of the query itself when it has none (a bare node, `HogQuery`).
 * @example type Steps = InsightResults["FunnelsQuery"];
 */
export interface InsightResults {
  TrendsQuery: TrendsResult;
  FunnelsQuery: FunnelsResult;
  RetentionQuery: RetentionResult;
  PathsQuery: PathsResult;
  StickinessQuery: StickinessResult;
  LifecycleQuery: LifecycleResult;
  CalendarHeatmapQuery: CalendarHeatmapResult;
  WebOverviewQuery: WebOverviewResult;
  MarketingAnalyticsTableQuery: MarketingAnalyticsResult;
  HogQLQuery: QueryRowsResult;
  EventsQuery: QueryRowsResult;
  ActorsQuery: QueryRowsResult;
  WebStatsTableQuery: QueryRowsResult;
  HogQuery: HogQueryResult;
  /** A legacy table source: PostHog's query runner does not calculate it, so `result` stays `null`. */
  EventsNode: null;
  /** A legacy table source (use `ActorsQuery`): PostHog does not calculate it, so `result` stays `null`. */
  PersonsNode: null;
}
/**
 * A query kind whose result shape is known.
 * @example const kind: InsightKind = "TrendsQuery";
 */
export type InsightKind = keyof InsightResults;
/**
 * An insight whose query is of kind `K`, with `result` typed for that kind (`null` until calculated).
 * @example const trends: InsightOf<"TrendsQuery"> = await posthog.insights.compute(7, { kind: "TrendsQuery" });
 */
export type InsightOf<K extends InsightKind> = Omit<Insight, "result"> & { readonly result: InsightResults[K] | null };
