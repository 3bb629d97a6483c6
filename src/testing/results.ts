// Deterministic results computed from an insight's query, in the shapes PostHog returns per
// query kind (reference §11.6): same query, same numbers. Pure functions of (query, now).
import { buckets, type Interval, resolveRange } from "./dates.js";
import { hash, pick } from "./hash.js";

type Node = Record<string, unknown>;

/** What a calculation fills in on the insight. */
export interface Computed {
  result: unknown[] | Record<string, unknown>;
  columns: unknown[] | null;
  types: unknown[] | null;
  hasMore: boolean | null;
  hogql: string | null;
  resolved_date_range: { date_from: string; date_to: string } | null;
}

const asNode = (value: unknown): Node => (value && typeof value === "object" ? (value as Node) : {});
const asList = (value: unknown): Node[] => (Array.isArray(value) ? value.map(asNode) : []);
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const TOTAL_VALUE = new Set(["BoldNumber", "ActionsPie", "ActionsTable", "ActionsBarValue", "WorldMap"]);

/** The name PostHog shows for a series node. */
function seriesName(node: Node, index: number): string {
  if (node.kind === "ActionsNode") {
    return text(node.name) ?? `Action ${String(node.id ?? index)}`;
  }
  if (node.kind === "DataWarehouseNode") {
    return text(node.name) ?? text(node.table_name) ?? `Table ${index}`;
  }
  return text(node.name) ?? text(node.event) ?? "All events";
}

function seriesAction(node: Node, index: number, name: string): Node {
  let type = "events";
  if (node.kind === "ActionsNode") {
    type = "actions";
  } else if (node.kind === "DataWarehouseNode") {
    type = "data_warehouse";
  }
  return {
    id: node.kind === "ActionsNode" ? (node.id ?? null) : (text(node.event) ?? null),
    type,
    order: index,
    name,
    custom_name: text(node.custom_name) ?? null,
    math: text(node.math) ?? "total",
    math_property: text(node.math_property) ?? null,
    math_hogql: text(node.math_hogql) ?? null,
    math_group_type_index: typeof node.math_group_type_index === "number" ? node.math_group_type_index : null,
    properties: Array.isArray(node.properties) ? node.properties : {},
  };
}

function interval(source: Node): Interval {
  const value = source.interval;
  const known = ["second", "minute", "hour", "day", "week", "month"];
  return typeof value === "string" && known.includes(value) ? (value as Interval) : "day";
}

function breakdownValues(source: Node): (string | number)[] | undefined {
  const filter = asNode(source.breakdownFilter);
  if (filter.breakdown === undefined || filter.breakdown === null) {
    return undefined;
  }
  const limit = typeof filter.breakdown_limit === "number" ? Math.max(1, Math.min(filter.breakdown_limit, 5)) : 3;
  const name = Array.isArray(filter.breakdown) ? filter.breakdown.join(",") : String(filter.breakdown);
  return Array.from({ length: Math.min(limit, 3) }, (_, i) => `${name} value ${i + 1}`);
}

function dated(source: Node, now: Date): { range: { from: Date; to: Date }; points: ReturnType<typeof buckets> } {
  const range = resolveRange(source.dateRange, now);
  return { range, points: buckets(range.from, range.to, interval(source)) };
}

function trends(source: Node, now: Date, seed: string): unknown[] {
  const { points } = dated(source, now);
  const display = text(asNode(source.trendsFilter).display);
  const series = asList(source.series);
  const values = breakdownValues(source) ?? [undefined];
  const compare = asNode(source.compareFilter).compare === true;
  const out: Node[] = [];
  series.forEach((node, index) => {
    const name = seriesName(node, index);
    for (const value of values) {
      for (const period of compare ? ["current", "previous"] : [undefined]) {
        const key = `${seed}:${index}:${name}:${String(value)}:${String(period)}`;
        const data = points.map((p) => pick(`${key}:${p.day}`, 0, 100));
        const count = data.reduce((a, b) => a + b, 0);
        const row: Node = {
          data: display && TOTAL_VALUE.has(display) ? [] : data,
          labels: points.map((p) => p.label),
          days: points.map((p) => p.day),
          count: display && TOTAL_VALUE.has(display) ? 0 : count,
          label: name,
          order: index,
          filter: {},
          action: seriesAction(node, index, name),
        };
        if (display && TOTAL_VALUE.has(display)) {
          row.aggregated_value = count;
        }
        if (value !== undefined) {
          row.breakdown_value = value;
        }
        if (period) {
          row.compare = true;
          row.compare_label = period;
        }
        out.push(row);
      }
    }
  });
  return out;
}

function stickiness(source: Node, now: Date, seed: string): unknown[] {
  const { points } = dated(source, now);
  const unit = interval(source);
  return asList(source.series).map((node, index) => {
    const name = seriesName(node, index);
    const days = points.map((_, i) => i + 1);
    const data = days.map((d) => Math.floor(pick(`${seed}:${index}:${name}`, 50, 200) / d));
    return {
      data,
      labels: days.map((d) => `${d} ${unit}${d === 1 ? "" : "s"}`),
      days,
      count: data.reduce((a, b) => a + b, 0),
      label: name,
      order: index,
      filter: {},
      action: seriesAction(node, index, name),
    };
  });
}

function lifecycle(source: Node, now: Date, seed: string): unknown[] {
  const { points } = dated(source, now);
  const out: unknown[] = [];
  asList(source.series).forEach((node, index) => {
    const name = seriesName(node, index);
    for (const status of ["new", "returning", "resurrecting", "dormant"]) {
      const sign = status === "dormant" ? -1 : 1;
      const data = points.map((p) => sign * pick(`${seed}:${index}:${status}:${p.day}`, 0, 40));
      out.push({
        data,
        labels: points.map((p) => p.label),
        days: points.map((p) => p.day),
        count: data.reduce((a, b) => a + b, 0),
        label: `${name} - ${status}`,
        status,
        order: index,
        filter: {},
        action: seriesAction(node, index, name),
      });
    }
  });
  return out;
}

function funnelSteps(source: Node, seed: string, breakdown?: string | number): Node[] {
  let count = pick(`${seed}:${String(breakdown)}:start`, 500, 1500);
  return asList(source.series).map((node, index) => {
    const name = seriesName(node, index);
    if (index > 0) {
      count = Math.floor((count * pick(`${seed}:${index}:${String(breakdown)}`, 40, 90)) / 100);
    }
    const time = index === 0 ? null : pick(`${seed}:${index}:time`, 30, 7200);
    const step: Node = {
      action_id: node.kind === "ActionsNode" ? (node.id ?? null) : (text(node.event) ?? null),
      name,
      custom_name: text(node.custom_name) ?? null,
      order: index,
      people: [],
      count,
      type: node.kind === "ActionsNode" ? "actions" : "events",
      average_conversion_time: time,
      median_conversion_time: time === null ? null : Math.floor(time * 0.8),
      converted_people_url: `/api/person/funnel/?funnel_step=${index + 1}`,
      dropped_people_url: index === 0 ? null : `/api/person/funnel/?funnel_step=-${index + 1}`,
    };
    if (breakdown !== undefined) {
      step.breakdown = breakdown;
      step.breakdown_value = breakdown;
    }
    return step;
  });
}

function funnels(source: Node, now: Date, seed: string): unknown[] | Record<string, unknown> {
  const viz = text(asNode(source.funnelsFilter).funnelVizType) ?? "steps";
  if (viz === "time_to_convert") {
    const bins: [number, number][] = Array.from({ length: 6 }, (_, i) => [i * 600, pick(`${seed}:bin:${i}`, 0, 80)]);
    return { average_conversion_time: pick(`${seed}:avg`, 60, 3600), bins };
  }
  if (viz === "trends") {
    const { points } = dated(source, now);
    const data = points.map((p) => pick(`${seed}:${p.day}`, 0, 100));
    return [
      {
        data,
        days: points.map((p) => p.day),
        labels: points.map((p) => p.label),
        count: data.length,
      },
    ];
  }
  const values = breakdownValues(source);
  return values ? values.map((value) => funnelSteps(source, seed, value)) : funnelSteps(source, seed);
}

function retention(source: Node, now: Date, seed: string): unknown[] {
  const filter = asNode(source.retentionFilter);
  const total = typeof filter.totalIntervals === "number" ? Math.max(1, Math.min(filter.totalIntervals, 60)) : 8;
  const period = text(filter.period) ?? "Day";
  const unit: Record<string, Interval> = { Hour: "hour", Day: "day", Week: "week", Month: "month" };
  const points = buckets(new Date(0), now, unit[period] ?? "day").slice(-total);
  return points.map((point, i) => {
    const size = pick(`${seed}:cohort:${point.day}`, 100, 400);
    const values = Array.from({ length: total - i }, (_, k) => ({
      count: k === 0 ? size : Math.floor(size * 0.7 ** k * (pick(`${seed}:${point.day}:${k}`, 80, 100) / 100)),
      label: `${period} ${k}`,
    }));
    return { values, label: `${period} ${i}`, date: point.start.toISOString() };
  });
}

function paths(source: Node, seed: string): unknown[] {
  const filter = asNode(source.pathsFilter);
  const steps = typeof filter.stepLimit === "number" ? Math.max(2, Math.min(filter.stepLimit, 10)) : 5;
  const pages = ["/", "/pricing", "/docs", "/signup", "/blog"];
  const start = text(filter.startPoint) ?? "/";
  const out: Node[] = [];
  for (let s = 1; s < steps; s++) {
    const source = s === 1 ? start : (pages[(s - 1) % pages.length] ?? "/");
    for (const target of [pages[s % pages.length] ?? "/", pages[(s + 2) % pages.length] ?? "/"]) {
      out.push({
        source: `${s}_${source}`,
        target: `${s + 1}_${target}`,
        value: pick(`${seed}:${s}:${target}`, 5, 300),
        average_conversion_time: pick(`${seed}:${s}:${target}:t`, 1_000, 120_000),
      });
    }
  }
  return out;
}

// Weekday `row` (1 = Monday, as ClickHouse's toDayOfWeek) by hour `column`, with the totals.
function calendarHeatmap(seed: string): Node {
  const data: { row: number; column: number; value: number }[] = [];
  for (let row = 1; row <= 7; row++) {
    for (let column = 0; column < 24; column++) {
      const value = pick(`${seed}:${row}:${column}`, 0, row >= 6 || column < 7 ? 5 : 60);
      if (value > 0) {
        data.push({ row, column, value });
      }
    }
  }
  const total = (cells: typeof data): number => cells.reduce((sum, cell) => sum + cell.value, 0);
  const rows = [...new Set(data.map((cell) => cell.row))];
  const columns = [...new Set(data.map((cell) => cell.column))].sort((a, b) => a - b);
  return {
    data,
    rowAggregations: rows.map((row) => ({ row, value: total(data.filter((cell) => cell.row === row)) })),
    columnAggregations: columns.map((column) => ({
      column,
      value: total(data.filter((cell) => cell.column === column)),
    })),
    allAggregations: total(data),
  };
}

// The five headline figures PostHog's web overview shows; `previous` only with a comparison.
function webOverview(source: Node, seed: string): Node[] {
  const compare = asNode(source.compareFilter).compare === true;
  const figures: [string, string, number, number][] = [
    ["visitors", "unit", 100, 5_000],
    ["views", "unit", 1_000, 50_000],
    ["sessions", "unit", 200, 8_000],
    ["session duration", "duration_s", 30, 900],
    ["bounce rate", "percentage", 10, 90],
  ];
  return figures.map(([key, kind, min, max]) => {
    const value = pick(`${seed}:${key}`, min, max);
    const previous = compare ? pick(`${seed}:${key}:previous`, min, max) : null;
    const change = previous ? Math.round(((value - previous) / previous) * 1_000) / 10 : null;
    return {
      key,
      kind,
      value,
      previous,
      changeFromPreviousPct: change,
      isIncreaseBad: key === "bounce rate" ? true : null,
    };
  });
}

// A web-analytics table: a breakdown value, then `[current, previous]` per figure.
function webStatsTable(source: Node, seed: string): Computed {
  const compare = asNode(source.compareFilter).compare === true;
  const breakdown = text(source.breakdownBy) ?? "Page";
  const figures = ["visitors", "views"];
  const columns = ["breakdown_value", ...figures].map((column) => `context.columns.${column}`);
  const result = Array.from({ length: 5 }, (_, r) => [
    `${breakdown} ${r + 1}`,
    ...figures.map((figure) => {
      const current = pick(`${seed}:${r}:${figure}`, 10, 5_000);
      return [current, compare ? pick(`${seed}:${r}:${figure}:previous`, 10, 5_000) : null];
    }),
  ]);
  const tuple = compare ? "Tuple(UInt64, UInt64)" : "Tuple(UInt64, Nullable(Nothing))";
  const types = columns.map((column, i) => [column, i === 0 ? "Nullable(String)" : tuple]);
  return { result, columns, types, hasMore: false, hogql: null, resolved_date_range: null };
}

/** Column names of a HogQL `SELECT a, count() AS n FROM ...`; `["value"]` when unreadable. */
export function selectColumns(sql: string): string[] {
  const match = /select\s+(.*?)\s+from\s/is.exec(sql) ?? /select\s+(.*)$/is.exec(sql);
  const list = match?.[1];
  if (!list) {
    return ["value"];
  }
  const columns: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of list) {
    depth += ch === "(" ? 1 : 0;
    depth -= ch === ")" ? 1 : 0;
    if (ch === "," && depth === 0) {
      columns.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  columns.push(current);
  return columns.map((c) => {
    const alias = /\s+as\s+([\w$]+)\s*$/i.exec(c.trim());
    return alias?.[1] ?? c.trim();
  });
}

function rows(columns: string[], seed: string, count = 10): { result: unknown[][]; types: string[][] } {
  const numeric = columns.map((c) => /count|sum|avg|min|max|total|uniq|\(\)/i.test(c));
  const result = Array.from({ length: count }, (_, r) =>
    columns.map((c, i) => (numeric[i] ? pick(`${seed}:${r}:${c}`, 0, 1000) : `${c} ${r + 1}`)),
  );
  return { result, types: columns.map((c, i) => [c, numeric[i] ? "UInt64" : "String"]) };
}

/** Calculates the results of an insight's query, as of `now`. */
export function compute(query: unknown, now: Date): Computed {
  const root = asNode(query);
  const seed = String(hash(JSON.stringify(query ?? null)));
  const source = root.kind === "InsightVizNode" || root.kind === "DataTableNode" ? asNode(root.source) : root;
  const base = { columns: null, types: null, hasMore: null };
  const range = resolveRange(source.dateRange, now);
  const resolved = { date_from: range.from.toISOString(), date_to: range.to.toISOString() };
  const kind = root.kind === "DataVisualizationNode" ? "HogQLQuery" : text(source.kind);
  const hogql = `SELECT /* ${kind ?? "query"} */ count() FROM events`;
  switch (kind) {
    case "TrendsQuery":
      return { ...base, result: trends(source, now, seed), hogql, resolved_date_range: resolved };
    case "StickinessQuery":
      return { ...base, result: stickiness(source, now, seed), hogql, resolved_date_range: resolved };
    case "LifecycleQuery":
      return { ...base, result: lifecycle(source, now, seed), hogql, resolved_date_range: resolved };
    case "FunnelsQuery":
      return { ...base, result: funnels(source, now, seed), hogql, resolved_date_range: resolved };
    case "RetentionQuery":
      return { ...base, result: retention(source, now, seed), hogql, resolved_date_range: resolved };
    case "PathsQuery":
      return { ...base, result: paths(source, seed), hogql, resolved_date_range: resolved };
    case "HogQLQuery":
    case "EventsQuery": {
      const hogSource = root.kind === "DataVisualizationNode" ? asNode(root.source) : source;
      let columns = selectColumns(text(hogSource.query) ?? "");
      if (kind === "EventsQuery") {
        columns = Array.isArray(hogSource.select) ? hogSource.select.map(String) : ["*"];
      }
      const table = rows(columns, seed);
      return {
        result: table.result,
        columns,
        types: table.types,
        hasMore: false,
        hogql: text(hogSource.query) ?? hogql,
        resolved_date_range: null,
      };
    }
    case "CalendarHeatmapQuery":
      return { ...base, result: calendarHeatmap(seed), hogql, resolved_date_range: resolved };
    case "WebOverviewQuery":
      return { ...base, result: webOverview(source, seed), hogql, resolved_date_range: resolved };
    case "WebStatsTableQuery":
      return { ...webStatsTable(source, seed), hogql, resolved_date_range: resolved };
    case "ActorsQuery": {
      // PostHog's default columns for a persons table (its persons strategy) when `select` is not given.
      const columns = Array.isArray(source.select)
        ? source.select.map(String)
        : ["person", "id", "created_at", "person.$delete"];
      const table = rows(columns, seed);
      return {
        ...table,
        columns,
        types: table.types.map(([, type]) => type),
        hasMore: false,
        hogql,
        resolved_date_range: null,
      };
    }
    default:
      return { ...base, result: [], hogql: null, resolved_date_range: null };
  }
}
