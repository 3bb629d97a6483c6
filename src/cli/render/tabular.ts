// An insight's result as one flat table (columns and rows of raw values) for export to CSV,
// and the CSV text itself (RFC 4180). Pure: the export command writes the files.
import { heatmapTable } from "./heatmap.js";
import {
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

/**
 * Columns and rows of raw values (numbers stay numbers).
 *
 * @example
 * const table: Tabular = { columns: ["date", "$pageview"], rows: [["2024-05-01", 12]] };
 */
export interface Tabular {
  columns: string[];
  rows: unknown[][];
}

/**
 * A result as a spreadsheet would want it: trends one row per date and a column per series;
 * funnels one row per step with its conversion rates; retention one row per cohort with the
 * count of each period; SQL its rows; anything else its objects' keys, or one JSON cell.
 *
 * @example
 * resultTable("TrendsQuery", insight.result, insight.columns);
 */
export function resultTable(kind: string, result: unknown, columns: unknown): Tabular {
  const series = kind === "RetentionQuery" || kind === "PathsQuery" ? undefined : parseSeries(result);
  if (series !== undefined) {
    const points = Math.max(0, ...series.map((one) => one.data.length));
    if (points === 0) {
      return { columns: ["series", "total"], rows: series.map((one) => [one.label, one.total]) };
    }
    const first = series[0];
    const names = first?.days.length === points ? first.days : (first?.labels ?? []);
    return {
      columns: ["date", ...series.map((one) => (one.status ? `${one.label} (${one.status})` : one.label))],
      rows: Array.from({ length: points }, (_, i) => [names[i] ?? i + 1, ...series.map((one) => one.data[i] ?? null)]),
    };
  }
  const times = parseConversionTimes(result);
  if (times !== undefined) {
    return { columns: ["seconds", "conversions"], rows: times.bins.map(([seconds, count]) => [seconds, count]) };
  }
  const funnel = kind === "FunnelsQuery" ? parseFunnel(result) : undefined;
  if (funnel !== undefined) {
    return {
      columns: ["breakdown", "step", "name", "count", "conversion_from_first", "conversion_from_previous"],
      rows: funnel.flatMap((steps) =>
        steps.map((step, i) => {
          const firstCount = steps[0]?.count ?? 0;
          const previous = i === 0 ? step.count : (steps[i - 1]?.count ?? 0);
          return [
            step.breakdown ?? null,
            i + 1,
            step.name,
            step.count,
            ratio(step.count, firstCount),
            ratio(step.count, previous),
          ];
        }),
      ),
    };
  }
  const cohorts = parseRetention(result);
  if (cohorts !== undefined) {
    const periods = Math.max(0, ...cohorts.map((cohort) => cohort.counts.length));
    return {
      columns: ["breakdown", "cohort", ...Array.from({ length: periods }, (_, i) => `period_${i}`)],
      rows: cohorts.map((cohort) => [
        cohort.breakdown ?? null,
        cohort.label,
        ...Array.from({ length: periods }, (_, i) => cohort.counts[i] ?? null),
      ]),
    };
  }
  const edges = parsePaths(result);
  if (edges !== undefined) {
    return {
      columns: ["source", "target", "value"],
      rows: edges.map((edge) => [edge.source, edge.target, edge.value]),
    };
  }
  const heatmap = kind === "CalendarHeatmapQuery" ? parseHeatmap(result) : undefined;
  if (heatmap !== undefined) {
    return heatmapTable(heatmap);
  }
  return (
    parseCells(result, columns) ??
    parseRows(result, columns) ??
    parseObjects(result) ?? { columns: ["result"], rows: [[result]] }
  );
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

/**
 * CSV text (RFC 4180, CRLF line ends) of a table: numbers as JavaScript prints them, null
 * empty, objects as JSON; fields with commas, quotes or line breaks quoted.
 *
 * @example
 * toCsv({ columns: ["a", "b"], rows: [[1, "x,y"]] }); // 'a,b\r\n1,"x,y"\r\n'
 */
export function toCsv(table: Tabular): string {
  const line = (cells: unknown[]): string => cells.map(csvField).join(",");
  return [line(table.columns), ...table.rows.map(line)].map((row) => `${row}\r\n`).join("");
}

function csvField(value: unknown): string {
  let text = "";
  if (typeof value === "string") {
    text = value;
  } else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    text = String(value);
  } else if (value !== null && value !== undefined) {
    text = JSON.stringify(value);
  }
  // A leading = + - @ makes spreadsheets run the cell as a formula: quote it as text.
  if (typeof value === "string" && /^[=+\-@]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
