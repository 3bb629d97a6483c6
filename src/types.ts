// Public names for the generated schema types. Aliases only: every shape comes from
// generated/schema.d.ts, which comes from openapi/.
import type { components, operations } from "../generated/schema.js";

type Schemas = components["schemas"];

/** A saved insight, as list, retrieve, create and update return it. */
export type Insight = Omit<Schemas["Insight"], "_create_in_folder">;
/** The lightweight insight of `list({ basic: true })` and `lastViewed()`. */
export type InsightBasic = Schemas["InsightBasic"];
/** The body of `insights.create()`: writable fields only. */
export type InsightCreate = Schemas["InsightWrite"];
/** The body of `insights.update()`: writable fields only, all optional. */
export type InsightUpdate = Schemas["InsightWrite"];
/** An insight's query, discriminated on `kind`. */
export type InsightQuery = Schemas["InsightQuery"];
export type InsightVizNode = Schemas["InsightVizNode"];
export type DataVisualizationNode = Schemas["DataVisualizationNode"];
export type DataTableNode = Schemas["DataTableNode"];
export type HogQuery = Schemas["HogQuery"];
export type HogQLQuery = Schemas["HogQLQuery"];
export type EventsQuery = Schemas["EventsQuery"];
export type TrendsQuery = Schemas["TrendsQuery"];
export type FunnelsQuery = Schemas["FunnelsQuery"];
export type RetentionQuery = Schemas["RetentionQuery"];
export type PathsQuery = Schemas["PathsQuery"];
export type StickinessQuery = Schemas["StickinessQuery"];
export type LifecycleQuery = Schemas["LifecycleQuery"];
export type SeriesNode = Schemas["SeriesNode"];
export type EventsNode = Schemas["EventsNode"];
export type ActionsNode = Schemas["ActionsNode"];
export type DataWarehouseNode = Schemas["DataWarehouseNode"];
export type MathType = Schemas["MathType"];
export type IntervalType = Schemas["IntervalType"];
export type DateRange = Schemas["DateRange"];
export type BreakdownFilter = Schemas["BreakdownFilter"];
export type AnyPropertyFilter = Schemas["AnyPropertyFilter"];
export type PropertyOperator = Schemas["PropertyOperator"];
export type ChartDisplayType = Schemas["ChartDisplayType"];
/** An insight's public sharing configuration (one object). */
export type SharingConfiguration = Schemas["SharingConfiguration"];
/** The body of `insights.sharing.update()`. */
export type SharingConfigurationUpdate = Schemas["SharingConfigurationUpdate"];
/** One entry of an insight's activity log. */
export type ActivityLogEntry = Schemas["ActivityLogEntry"];
/** The state of an asynchronous calculation. */
export type QueryStatus = Schemas["QueryStatus"];
/** PostHog's refresh modes. */
export type RefreshMode = Schemas["RefreshMode"];
/** PostHog's error body. */
export type PostHogErrorBody = Schemas["Error"];

type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;

/** Query parameters of `insights.list()`. */
export type ListInsightsParams = Query<"listInsights">;
/** Query parameters of `insights.retrieve()`. */
export type RetrieveInsightParams = Query<"retrieveInsight">;
/** `page` and `limit` of `insights.activity()` and `insights.allActivity()`. */
export type ActivityParams = Query<"listInsightsActivity">;
