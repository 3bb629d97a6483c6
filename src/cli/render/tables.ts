// The table views of results: retention cohorts (percentages of each cohort), series per date
// (stickiness, lifecycle), paths edges, SQL rows, and any other array. Pure.
import { formatCell, formatDay, formatNumber, formatPercent } from "./format.js";
import type { Cohort, PathEdge, Series } from "./shapes.js";
import { heading, type Terminal } from "./style.js";
import { type Column, renderTable } from "./table.js";

/**
 * Retention as a cohort table: each cohort's size, then the share of it that came back in
 * each period.
 *
 * @example
 * const cohort = { label: "2024-05-01T00:00:00Z", counts: [10, 4], periods: ["Day 0", "Day 1"] };
 * renderRetention([cohort], { columns: 80, color: false });
 */
export function renderRetention(cohorts: Cohort[], terminal: Terminal): string {
  const groups = new Map<string | undefined, Cohort[]>();
  for (const cohort of cohorts) {
    groups.set(cohort.breakdown, [...(groups.get(cohort.breakdown) ?? []), cohort]);
  }
  return [...groups]
    .map(([breakdown, members]) => {
      const table = retentionTable(members, terminal);
      return breakdown === undefined ? table : `${heading(terminal, breakdown)}\n${table}`;
    })
    .join("\n\n");
}

function retentionTable(cohorts: Cohort[], terminal: Terminal): string {
  const periods = Math.max(0, ...cohorts.map((cohort) => cohort.counts.length));
  const names = Array.from(
    { length: periods },
    (_, i) => cohorts.find((cohort) => cohort.periods[i] !== undefined)?.periods[i] ?? `Period ${i}`,
  );
  const columns: Column[] = [
    { header: "cohort" },
    { header: "size", align: "end" },
    ...names.map((name): Column => ({ header: name, align: "end", minWidth: 6 })),
  ];
  const rows = cohorts.map((cohort) => {
    const size = cohort.counts[0] ?? 0;
    return [
      formatDay(cohort.label),
      formatNumber(size),
      ...names.map((_, i) => {
        const count = cohort.counts[i];
        return count === undefined ? "" : formatPercent(count, size);
      }),
    ];
  });
  return renderTable(columns, rows, terminal);
}

const DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * Series side by side, one row per date or interval (stickiness, lifecycle), with totals.
 *
 * @example
 * const series = { label: "$pageview", data: [5, 2], days: [], labels: ["1 day", "2 days"], total: 7 };
 * renderSeriesTable([series], { columns: 80, color: false });
 */
export function renderSeriesTable(series: Series[], terminal: Terminal): string {
  const points = Math.max(0, ...series.map((one) => one.data.length));
  const first = series[0];
  // Lifecycle has dates; stickiness has interval numbers in `days` and "1 day" in `labels`.
  const dated = first !== undefined && first.days.length > 0 && first.days.every((day) => DATE.test(day));
  const names = (dated ? first?.days : first?.labels) ?? [];
  const rowName = (i: number): string => names[i] ?? String(i + 1);
  const columns: Column[] = [
    { header: dated ? "date" : "interval" },
    ...series.map((one): Column => ({ header: one.status ?? one.label, align: "end" })),
  ];
  const rows = Array.from({ length: points }, (_, i) => [
    rowName(i),
    ...series.map((one) => {
      const value = one.data[i];
      return value === undefined ? "" : formatNumber(value);
    }),
  ]);
  rows.push(["total", ...series.map((one) => formatNumber(one.total))]);
  return renderTable(columns, rows, terminal);
}

/**
 * Rows under column names, cells formatted (SQL results, paths edges, any array of objects).
 *
 * @example
 * renderRows({ columns: ["event", "count()"], rows: [["signup", 12]] }, { columns: 80, color: false });
 */
export function renderRows(table: { columns: string[]; rows: unknown[][] }, terminal: Terminal): string {
  const numeric = table.columns.map((_, i) =>
    table.rows.every((row) => row[i] === null || row[i] === undefined || typeof row[i] === "number"),
  );
  return renderTable(
    table.columns.map((header, i): Column => ({ header, align: numeric[i] ? "end" : "start" })),
    table.rows.map((row) => table.columns.map((_, i) => formatCell(row[i]))),
    terminal,
  );
}

/**
 * Paths edges, the busiest first.
 *
 * @example
 * renderPaths([{ source: "1_/", target: "2_/pricing", value: 40 }], { columns: 80, color: false });
 */
export function renderPaths(edges: PathEdge[], terminal: Terminal): string {
  const sorted = [...edges].sort((a, b) => b.value - a.value);
  return renderTable(
    [{ header: "from" }, { header: "to" }, { header: "count", align: "end" }],
    sorted.map((edge) => [edge.source, edge.target, formatNumber(edge.value)]),
    terminal,
  );
}
