// Trends as a terminal line chart (asciichart draws the lines): one line per series, a y axis,
// a date axis with the first, middle and last dates, and a legend with each series' total.
// Narrow terminals and single-value series get a table of totals instead. Pure.
import { plot } from "asciichart";
import { formatCompact, formatNumber } from "./format.js";
import type { Series } from "./shapes.js";
import { dim, note, pad, paint, seriesColor, type Terminal, truncate } from "./style.js";
import { renderTable } from "./table.js";

/** Below this many columns a chart is unreadable: totals instead. */
export const NARROW_COLUMNS = 60;
/** Rows of the plot area. */
const HEIGHT = 10;
/** Widest the plot is stretched to, however wide the terminal. */
const MAX_PLOT_WIDTH = 100;

/**
 * Draws trends series as a line chart with a date axis and a legend, or a table of totals on a
 * narrow terminal or when the series have fewer than two points.
 *
 * @example
 * const days = ["2012-01-12", "2012-01-13", "2012-01-14"];
 * renderTrends([{ label: "$pageview", data: [0, 2, 1], days, labels: [], total: 3 }], { columns: 80, color: false });
 */
export function renderTrends(series: Series[], terminal: Terminal): string {
  const points = Math.max(...series.map((one) => one.data.length));
  if (terminal.columns < NARROW_COLUMNS || points < 2) {
    return renderTotals(series, terminal);
  }
  const values = series.flatMap((one) => one.data);
  const min = Math.min(0, ...values);
  const max = Math.max(...values);
  const integral = values.every(Number.isInteger);
  // Integer counts with a small range get one row per unit, so the axis shows whole numbers.
  const height = integral && max - min > 0 && max - min < HEIGHT ? max - min : HEIGHT;
  // asciichart lays labels of 3 columns or more out as "label ┤"; narrower ones lose the space.
  const labelWidth = Math.max(3, ...axisValues(min, max, height).map((value) => formatCompact(value).length));
  // With asciichart's offset 3 the axis sits at column labelWidth + 1, point i at labelWidth + 1 + i.
  const axis = labelWidth + 1;
  const width = Math.max(2, Math.min(terminal.columns - axis - 1, MAX_PLOT_WIDTH));
  const colors = series.map((_, i) => seriesColor(terminal, i));
  const chart = plot(
    series.map((one) => resample(one.data, width)),
    {
      min,
      max,
      height,
      offset: 3,
      colors: terminal.color ? colors : [],
      format: (value: number) => pad(formatCompact(value), labelWidth, "end"),
    },
  );
  const lines = chart.split("\n").map((line) => line.trimEnd());
  const days = series.find((one) => one.data.length === points);
  const axisLine = days ? dateAxis(days, points, width, axis) : "";
  return [...lines, dim(terminal, axisLine), "", legend(series, terminal)].join("\n");
}

/** The values asciichart labels its rows with (its own arithmetic), to size the label column. */
function axisValues(min: number, max: number, height: number): number[] {
  const range = max - min;
  const ratio = range === 0 ? 1 : height / range;
  const low = Math.round(min * ratio);
  const rows = Math.abs(Math.round(max * ratio) - low);
  return Array.from({ length: rows + 1 }, (_, k) => (rows > 0 ? max - (k * range) / rows : low));
}

/**
 * `data` stretched or squeezed to `width` points: linear interpolation when stretching, the
 * mean of each bucket when squeezing (so a spike still shows).
 */
export function resample(data: number[], width: number): number[] {
  const n = data.length;
  if (n === 0 || n === width) {
    return [...data];
  }
  if (n === 1) {
    return Array.from({ length: width }, () => data[0] ?? 0);
  }
  if (n < width) {
    return Array.from({ length: width }, (_, x) => {
      const t = (x * (n - 1)) / (width - 1);
      const i = Math.floor(t);
      const a = data[i] ?? 0;
      const b = data[Math.min(i + 1, n - 1)] ?? a;
      return a + (b - a) * (t - i);
    });
  }
  return Array.from({ length: width }, (_, x) => {
    const from = Math.floor((x * n) / width);
    const to = Math.max(from + 1, Math.floor(((x + 1) * n) / width));
    const bucket = data.slice(from, to);
    return bucket.reduce((sum, value) => sum + value, 0) / bucket.length;
  });
}

/** First, middle and last dates under the plot, where their points are drawn. */
function dateAxis(series: Series, points: number, width: number, axis: number): string {
  const names = series.days.length === points ? series.days : series.labels;
  if (names.length !== points) {
    return "";
  }
  const column = (i: number): number => axis + Math.round((i * (width - 1)) / (points - 1));
  const line = Array.from({ length: axis + width }, () => " ");
  const place = (text: string, start: number): boolean => {
    const from = Math.max(0, Math.min(start, line.length - text.length));
    const clear = line.slice(Math.max(0, from - 2), from + text.length + 2).every((cell) => cell === " ");
    if (clear) {
      [...text].forEach((char, k) => {
        line[from + k] = char;
      });
    }
    return clear;
  };
  const first = names[0] ?? "";
  const last = names[points - 1] ?? "";
  place(first, axis);
  place(last, column(points - 1) - last.length + 1);
  const middle = Math.floor((points - 1) / 2);
  const mid = names[middle] ?? "";
  if (middle > 0 && middle < points - 1) {
    place(mid, column(middle) - Math.floor(mid.length / 2));
  }
  return line.join("").trimEnd();
}

/** One line per series: its colour, label and total, aligned. */
function legend(series: Series[], terminal: Terminal): string {
  const totals = series.map((one) => formatNumber(one.total));
  const totalWidth = Math.max(...totals.map((total) => total.length));
  const labelWidth = Math.min(
    Math.max(...series.map((one) => one.label.length)),
    Math.max(8, terminal.columns - totalWidth - 12),
  );
  return series
    .map((one, i) => {
      const marker = paint(terminal, seriesColor(terminal, i), "──");
      const total = pad(totals[i] ?? "", totalWidth, "end");
      return `${marker} ${pad(truncate(one.label, labelWidth), labelWidth)}  total ${total}`;
    })
    .join("\n");
}

/**
 * Each series' total in a table, with the date range it covers: the view for narrow terminals
 * and total-value displays (BoldNumber, pie, table).
 *
 * @example
 * renderTotals(series, { columns: 40, color: false });
 */
export function renderTotals(series: Series[], terminal: Terminal): string {
  const table = renderTable(
    [{ header: "series" }, { header: "total", align: "end" }],
    series.map((one) => [one.label, formatNumber(one.total)]),
    terminal,
  );
  const days = series.find((one) => one.days.length > 0)?.days;
  const first = days?.[0];
  const last = days?.at(-1);
  if (first === undefined || last === undefined) {
    return table;
  }
  return `${note(terminal, first === last ? first : `${first} to ${last}`)}\n${table}`;
}
