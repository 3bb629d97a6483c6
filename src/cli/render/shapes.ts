// The shapes of an insight's `result`, narrowed from `unknown` (the spec types `result` loosely:
// its shape depends on the query kind, reference §11.6). Each parser returns the shape it knows,
// or undefined when the value is not it, so a renderer never trusts an unchecked cast.

import { isRecord } from "../../guards.js";

export { isRecord };

/** A JSON object. */
export type Record_ = Record<string, unknown>;

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === "string" ? item : String(item))) : [];
}

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") {
    return value;
  }
  if (isNumber(value)) {
    return String(value);
  }
  return undefined;
}

/**
 * One series of a trends, stickiness or lifecycle result.
 *
 * @example
 * const series: Series = {
 *   label: "$pageview",
 *   data: [0, 2, 1],
 *   days: ["2012-01-12", "2012-01-13", "2012-01-14"],
 *   labels: [],
 *   total: 3,
 * };
 */
export interface Series {
  /** Event or action name, with its breakdown value and compare label when there are. */
  label: string;
  data: number[];
  /** `YYYY-MM-DD` (or with a time for hourly intervals); empty for total-value displays. */
  days: string[];
  /** PostHog's display labels per point (`14-Jan-2012`, `1 day`). */
  labels: string[];
  /** `count`, or the sum of `data`; `aggregated_value` for total-value displays. */
  total: number;
  /** Lifecycle status (`new`, `returning`, ...), when there is one. */
  status?: string;
}

/**
 * Trends-like series (reference §11.6), or undefined when `result` is not an array of them.
 *
 * @example
 * parseSeries([{ data: [1, 2], days: ["2024-01-01", "2024-01-02"], label: "signup", count: 3 }]);
 */
export function parseSeries(result: unknown): Series[] | undefined {
  if (!Array.isArray(result) || result.length === 0) {
    return undefined;
  }
  const series: Series[] = [];
  for (const item of result) {
    if (!isRecord(item) || !Array.isArray(item.data) || !item.data.every(isNumber)) {
      return undefined;
    }
    const data = item.data;
    const action = isRecord(item.action) ? item.action : {};
    let label = text(action.custom_name) ?? text(item.label) ?? text(action.name) ?? "series";
    const breakdown = breakdownText(item.breakdown_value);
    if (breakdown !== undefined) {
      label = `${label} · ${breakdown}`;
    }
    if (item.compare === true && typeof item.compare_label === "string") {
      label = `${label} (${item.compare_label})`;
    }
    let total = data.reduce((sum, value) => sum + value, 0);
    if (isNumber(item.aggregated_value)) {
      total = item.aggregated_value;
    } else if (isNumber(item.count)) {
      total = item.count;
    }
    const parsed: Series = { label, data, days: strings(item.days), labels: strings(item.labels), total };
    const status = text(item.status);
    if (status !== undefined) {
      parsed.status = status;
    }
    series.push(parsed);
  }
  return series;
}

function breakdownText(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const parts = value.map((part) => text(part) ?? "none");
    return parts.length > 0 ? parts.join(", ") : undefined;
  }
  if (value === null) {
    return undefined;
  }
  return text(value);
}

/**
 * One funnel step.
 *
 * @example
 * const step: FunnelStep = { name: "signed up", count: 120 };
 */
export interface FunnelStep {
  name: string;
  count: number;
  /** The breakdown this step belongs to, when the funnel has one. */
  breakdown?: string;
}

/**
 * A funnel's steps, one list per breakdown value (one list without a breakdown), or undefined
 * when `result` is not a steps funnel (reference §11.6).
 *
 * @example
 * parseFunnel([{ order: 0, name: "$pageview", count: 100 }, { order: 1, name: "signup", count: 40 }]);
 */
export function parseFunnel(result: unknown): FunnelStep[][] | undefined {
  if (!Array.isArray(result) || result.length === 0) {
    return undefined;
  }
  if (result.every(Array.isArray)) {
    const groups: FunnelStep[][] = [];
    for (const group of result) {
      const steps = parseSteps(group);
      if (steps === undefined) {
        return undefined;
      }
      groups.push(steps);
    }
    return groups;
  }
  const steps = parseSteps(result);
  return steps === undefined ? undefined : [steps];
}

function parseSteps(items: unknown[]): FunnelStep[] | undefined {
  const steps: FunnelStep[] = [];
  for (const item of items) {
    if (!isRecord(item) || !isNumber(item.count)) {
      return undefined;
    }
    const step: FunnelStep = {
      name: text(item.custom_name) ?? text(item.name) ?? `step ${steps.length + 1}`,
      count: item.count,
    };
    const breakdown = breakdownText(item.breakdown_value ?? item.breakdown);
    if (breakdown !== undefined) {
      step.breakdown = breakdown;
    }
    steps.push(step);
  }
  const ordered = items.every((item) => isRecord(item) && isNumber(item.order));
  if (ordered) {
    const order = (i: number): number => {
      const item = items[i];
      return isRecord(item) && isNumber(item.order) ? item.order : i;
    };
    return steps
      .map((step, i) => ({ step, at: order(i) }))
      .sort((a, b) => a.at - b.at)
      .map(({ step }) => step);
  }
  return steps;
}

/**
 * A time-to-convert funnel: the histogram of conversion times in seconds.
 *
 * @example
 * const histogram: ConversionTimes = { average: 3600, bins: [[0, 10], [3600, 4]] };
 */
export interface ConversionTimes {
  average: number | undefined;
  bins: Array<[number, number]>;
}

/**
 * A time-to-convert funnel (`{average_conversion_time, bins}`), or undefined.
 *
 * @example
 * parseConversionTimes({ average_conversion_time: 60, bins: [[0, 5], [60, 2]] });
 */
export function parseConversionTimes(result: unknown): ConversionTimes | undefined {
  if (!isRecord(result) || !Array.isArray(result.bins)) {
    return undefined;
  }
  const bins: Array<[number, number]> = [];
  for (const bin of result.bins) {
    if (!Array.isArray(bin) || !isNumber(bin[0]) || !isNumber(bin[1])) {
      return undefined;
    }
    bins.push([bin[0], bin[1]]);
  }
  return { average: isNumber(result.average_conversion_time) ? result.average_conversion_time : undefined, bins };
}

/**
 * One retention cohort: its label or date, and how many came back in each period (period 0 is
 * the cohort's size).
 *
 * @example
 * const cohort: Cohort = { label: "2024-05-01", counts: [100, 40, 25], periods: ["Day 0", "Day 1", "Day 2"] };
 */
export interface Cohort {
  label: string;
  counts: number[];
  /** Each period's label, when PostHog gives one. */
  periods: Array<string | undefined>;
  breakdown?: string;
}

/**
 * A retention result (`[{values: [{count}], label, date}]`), or undefined.
 *
 * @example
 * parseRetention([{ label: "Day 0", date: "2024-05-01T00:00:00Z", values: [{ count: 10 }, { count: 4 }] }]);
 */
export function parseRetention(result: unknown): Cohort[] | undefined {
  if (!Array.isArray(result) || result.length === 0) {
    return undefined;
  }
  const cohorts: Cohort[] = [];
  for (const item of result) {
    if (!isRecord(item) || !Array.isArray(item.values)) {
      return undefined;
    }
    const counts: number[] = [];
    const periods: Array<string | undefined> = [];
    for (const value of item.values) {
      if (!isRecord(value) || !isNumber(value.count)) {
        return undefined;
      }
      counts.push(value.count);
      periods.push(text(value.label));
    }
    const date = text(item.date);
    const cohort: Cohort = { label: date ?? text(item.label) ?? `cohort ${cohorts.length + 1}`, counts, periods };
    const breakdown = breakdownText(item.breakdown_value);
    if (breakdown !== undefined) {
      cohort.breakdown = breakdown;
    }
    cohorts.push(cohort);
  }
  return cohorts;
}

/**
 * Rows of a SQL (HogQL) result with their column names, or undefined when `result` is not an
 * array of rows.
 *
 * @example
 * parseRows([["signup", 12]], ["event", "count()"]); // { columns: ["event", "count()"], rows: [["signup", 12]] }
 */
export function parseRows(result: unknown, columns: unknown): { columns: string[]; rows: unknown[][] } | undefined {
  if (!Array.isArray(result) || !result.every(Array.isArray)) {
    return undefined;
  }
  const rows: unknown[][] = result;
  const width = Math.max(0, ...rows.map((row) => row.length));
  const names = strings(columns);
  return { columns: Array.from({ length: width }, (_, i) => names[i] ?? `column ${i + 1}`), rows };
}

// The keys of PostHog's MarketingAnalyticsItem: a SQL row of other objects is not taken for one.
const CELL_KEYS = new Set([
  "key",
  "kind",
  "value",
  "previous",
  "changeFromPreviousPct",
  "hasComparison",
  "isIncreaseBad",
]);

function isCell(cell: unknown): cell is Record_ {
  return (
    isRecord(cell) &&
    typeof cell.key === "string" &&
    typeof cell.kind === "string" &&
    Object.keys(cell).every((key) => CELL_KEYS.has(key))
  );
}

/**
 * Rows of `{key, value}` cells (a marketing-analytics table) as rows of their values, under the
 * insight's `columns` or else the cells' keys; undefined for any other value.
 *
 * @example
 * parseCells([[{ key: "campaign", kind: "unit", value: "Q4" }, { key: "spend", kind: "currency", value: 12 }]], null);
 */
export function parseCells(result: unknown, columns: unknown): { columns: string[]; rows: unknown[][] } | undefined {
  if (!Array.isArray(result) || result.length === 0) {
    return undefined;
  }
  if (!result.every((row: unknown) => Array.isArray(row) && row.length > 0 && row.every(isCell))) {
    return undefined;
  }
  const rows: Record_[][] = result;
  const names = strings(columns);
  const width = Math.max(0, ...rows.map((row) => row.length));
  return {
    columns: Array.from({ length: width }, (_, i) => names[i] ?? String(rows[0]?.[i]?.key ?? `column ${i + 1}`)),
    rows: rows.map((row) => row.map((cell) => cell.value ?? null)),
  };
}

/**
 * An array of objects as rows under the union of their keys (paths edges, or any result this
 * module has no special view for), or undefined.
 *
 * @example
 * parseObjects([{ source: "1_/", target: "2_/pricing", value: 40 }]);
 */
export function parseObjects(result: unknown): { columns: string[]; rows: unknown[][] } | undefined {
  if (!Array.isArray(result) || result.length === 0 || !result.every(isRecord)) {
    return undefined;
  }
  const records: Record_[] = result;
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  return { columns, rows: records.map((record) => columns.map((column) => record[column])) };
}

/**
 * One edge of a paths result: how many went from `source` to `target`.
 *
 * @example
 * const edge: PathEdge = { source: "1_/", target: "2_/pricing", value: 40 };
 */
export interface PathEdge {
  source: string;
  target: string;
  value: number;
}

/**
 * A paths result (`[{source, target, value}]`), or undefined.
 *
 * @example
 * parsePaths([{ source: "1_/", target: "2_/pricing", value: 40, average_conversion_time: 12 }]);
 */
export function parsePaths(result: unknown): PathEdge[] | undefined {
  if (!Array.isArray(result) || result.length === 0) {
    return undefined;
  }
  const edges: PathEdge[] = [];
  for (const item of result) {
    if (
      !isRecord(item) ||
      typeof item.source !== "string" ||
      typeof item.target !== "string" ||
      !isNumber(item.value)
    ) {
      return undefined;
    }
    edges.push({ source: item.source, target: item.target, value: item.value });
  }
  return edges;
}

/**
 * A calendar heatmap as a grid: `cells[day][hour]`, Monday (0) to Sunday (6) by hour 0-23
 * (hours without a cell are 0), with PostHog's totals per day and in all.
 *
 * @example
 * const heatmap: Heatmap = { cells: [[0, 3]], dayTotals: [3], total: 3 };
 */
export interface Heatmap {
  cells: number[][];
  dayTotals: number[];
  total: number;
}

/**
 * A `CalendarHeatmapQuery` result (`{data: [{row, column, value}], rowAggregations, ...}`,
 * `row` 1 = Monday), or undefined when the value is not one. The totals are PostHog's
 * `rowAggregations` and `allAggregations`, not sums of the cells: for unique users a day's
 * total counts each user once, however many hours they came in. Sums stand in only when
 * PostHog gives no total.
 *
 * @example
 * parseHeatmap({ data: [{ row: 1, column: 9, value: 150 }], rowAggregations: [], allAggregations: 150 });
 */
export function parseHeatmap(result: unknown): Heatmap | undefined {
  if (!isRecord(result) || !Array.isArray(result.data)) {
    return undefined;
  }
  const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const cell of result.data) {
    if (!isRecord(cell) || !isNumber(cell.row) || !isNumber(cell.column) || !isNumber(cell.value)) {
      return undefined;
    }
    const day = cells[cell.row - 1];
    if (day === undefined || !Number.isInteger(cell.column) || cell.column < 0 || cell.column > 23) {
      return undefined;
    }
    day[cell.column] = (day[cell.column] ?? 0) + cell.value;
  }
  const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
  const dayTotals = cells.map(sum);
  for (const day of Array.isArray(result.rowAggregations) ? result.rowAggregations : []) {
    if (isRecord(day) && isNumber(day.row) && isNumber(day.value) && day.row >= 1 && day.row <= 7) {
      dayTotals[day.row - 1] = day.value;
    }
  }
  const total = isNumber(result.allAggregations) ? result.allAggregations : sum(dayTotals);
  return { cells, dayTotals, total };
}
