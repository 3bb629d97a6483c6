// `show`'s view of one insight: a title line, then its result drawn for its kind (trends chart,
// funnel bars, retention cohorts, a table for the rest). Pure: takes the insight and the
// terminal, returns text; the command does the I/O.
import type { Insight } from "../../types.js";
import { renderTrends } from "./chart.js";
import { formatTimestamp } from "./format.js";
import { renderConversionTimes, renderFunnel } from "./funnel.js";
import { renderHeatmap } from "./heatmap.js";
import {
  isRecord,
  parseCells,
  parseConversionTimes,
  parseFunnel,
  parseHeatmap,
  parseObjects,
  parsePaths,
  parseRetention,
  parseRows,
  parseSeries,
} from "./shapes.js";
import { bold, dim, type Terminal, truncate } from "./style.js";
import { renderPaths, renderRetention, renderRows, renderSeriesTable } from "./tables.js";

/**
 * What `show` draws from an insight.
 *
 * @example
 * const shown: ShownInsight = await posthog.insights.compute(7);
 */
export type ShownInsight = Pick<Insight, "name" | "short_id" | "query" | "result" | "columns" | "last_refresh"> & {
  derived_name?: Insight["derived_name"] | undefined;
};

/**
 * The kind `show` draws an insight as: the query kind of an `InsightVizNode` (`TrendsQuery`,
 * `FunnelsQuery`, ...), `SQL` for HogQL tables and charts, else the wrapper's kind.
 *
 * @example
 * insightKind({ kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [] } }); // "TrendsQuery"
 */
export function insightKind(query: unknown): string {
  if (!isRecord(query) || typeof query.kind !== "string") {
    return "unknown";
  }
  const source = isRecord(query.source) ? query.source : undefined;
  if (query.kind === "InsightVizNode" && typeof source?.kind === "string") {
    return source.kind;
  }
  if (query.kind === "DataVisualizationNode" || query.kind === "HogQLQuery" || source?.kind === "HogQLQuery") {
    return "SQL";
  }
  return query.kind;
}

/** A short name for a kind, for titles and `list`: `trends`, `funnels`, `calendar heatmap`, `SQL`. */
export function kindLabel(kind: string): string {
  const short = /^(\w+?)Query$/.exec(kind)?.[1];
  // Words apart where a capital starts one (CalendarHeatmap), not inside an acronym (HogQL).
  return short === undefined ? kind : short.replace(/([a-z])([A-Z][a-z])/g, "$1 $2").toLowerCase();
}

/**
 * Draws an insight: its name, kind, short id and when it was computed, then its result.
 *
 * @example
 * process.stdout.write(`${renderInsight(await posthog.insights.compute(7), { columns: 100, color: true })}\n`);
 */
export function renderInsight(insight: ShownInsight, terminal: Terminal): string {
  const kind = insightKind(insight.query);
  const name = insight.name || insight.derived_name || "Untitled";
  const computed = insight.last_refresh ? `  computed ${formatTimestamp(insight.last_refresh)} UTC` : "";
  const about = `${kindLabel(kind)} · ${insight.short_id}${computed}`;
  const title = truncate(name, terminal.columns);
  const sameLine = title.length + 2 + about.length <= terminal.columns;
  const separator = sameLine ? "  " : "\n";
  const heading = `${bold(terminal, title)}${separator}${dim(terminal, truncate(about, terminal.columns))}`;
  return `${heading}\n\n${renderResult(kind, insight, terminal)}`;
}

/**
 * Draws a result for its kind. Shapes that do not match their kind fall through to the
 * generic views, never to an error: a new PostHog shape still shows as a table.
 *
 * @example
 * renderResult("FunnelsQuery", { result: steps, columns: null, query: null }, { columns: 80, color: false });
 */
export function renderResult(
  kind: string,
  insight: Pick<ShownInsight, "result" | "columns" | "query">,
  terminal: Terminal,
): string {
  const result = insight.result;
  if (result === null || (Array.isArray(result) && result.length === 0)) {
    return dim(terminal, "No results: nothing cached yet, or nothing matched. Run with --refresh to calculate.");
  }
  const specific = renderKind(kind, result, insight.query, terminal);
  if (specific !== undefined) {
    return specific;
  }
  const rows = parseCells(result, insight.columns) ?? parseRows(result, insight.columns) ?? parseObjects(result);
  if (rows !== undefined) {
    return renderRows(rows, terminal);
  }
  return JSON.stringify(result, null, 2);
}

function renderKind(kind: string, result: unknown, query: unknown, terminal: Terminal): string | undefined {
  if (kind === "TrendsQuery" || (kind === "FunnelsQuery" && funnelVizType(query) === "trends")) {
    const series = parseSeries(result);
    return series && renderTrends(series, terminal);
  }
  if (kind === "FunnelsQuery") {
    const times = parseConversionTimes(result);
    if (times !== undefined) {
      return renderConversionTimes(times, terminal);
    }
    const groups = parseFunnel(result);
    return groups && renderFunnel(groups, terminal);
  }
  if (kind === "RetentionQuery") {
    const cohorts = parseRetention(result);
    return cohorts && renderRetention(cohorts, terminal);
  }
  if (kind === "StickinessQuery" || kind === "LifecycleQuery") {
    const series = parseSeries(result);
    return series && renderSeriesTable(series, terminal);
  }
  if (kind === "PathsQuery") {
    const edges = parsePaths(result);
    return edges && renderPaths(edges, terminal);
  }
  if (kind === "CalendarHeatmapQuery") {
    const heatmap = parseHeatmap(result);
    return heatmap && renderHeatmap(heatmap, terminal);
  }
  return undefined;
}

function funnelVizType(query: unknown): unknown {
  if (!isRecord(query) || !isRecord(query.source) || !isRecord(query.source.funnelsFilter)) {
    return undefined;
  }
  return query.source.funnelsFilter.funnelVizType;
}
