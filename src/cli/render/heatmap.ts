// The views of a calendar heatmap: a grid of shades for `show`, and a day-by-hour table for
// `export`. Pure.
import { formatNumber } from "./format.js";
import type { Heatmap } from "./shapes.js";
import { dim, type Terminal, truncate } from "./style.js";

/** Weekday names in the grid's order (PostHog's `row` 1 = Monday). */
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

// Zero, then four quarters of the busiest hour.
const SHADES = ["·", "░", "▒", "▓", "█"];

/**
 * A calendar heatmap drawn as one line per weekday, two characters per hour, shaded by how
 * close the hour comes to the busiest one; each line ends with the day's total.
 *
 * @example
 * renderHeatmap({ cells: [[0, 5, 10]], dayTotals: [15], total: 15 }, { columns: 80, color: false });
 */
export function renderHeatmap(heatmap: Heatmap, terminal: Terminal): string {
  const busiest = Math.max(0, ...heatmap.cells.flat());
  const totals = heatmap.dayTotals.map(formatNumber);
  // Two characters an hour when the grid, its labels and the longest total fit; one otherwise.
  const width = terminal.columns >= 5 + 48 + 2 + Math.max(0, ...totals.map((total) => total.length)) ? 2 : 1;
  const shade = (value: number): string => {
    const level = busiest > 0 && value > 0 ? Math.ceil((4 * value) / busiest) : 0;
    return (SHADES[level] ?? "█").repeat(width);
  };
  // A label every six columns: every third hour at two characters an hour, every sixth at one.
  const step = 6 / width;
  const hours = Array.from({ length: 24 / step }, (_, i) => String(i * step).padEnd(6)).join("");
  const lines = heatmap.cells.map((day, i) => `${WEEKDAYS[i] ?? ""}  ${day.map(shade).join("")}  ${totals[i] ?? ""}`);
  const legend = `· none  ░ ▒ ▓ █ up to the busiest hour (${formatNumber(busiest)})  total ${formatNumber(heatmap.total)}`;
  const grid = [`     ${hours.trimEnd()}`, ...lines].map((line) => truncate(line, terminal.columns));
  return [...grid, "", dim(terminal, truncate(legend, terminal.columns))].join("\n");
}

/**
 * A calendar heatmap as a table: one row per weekday, one column per hour, then the day's total
 * as PostHog gives it.
 *
 * @example
 * heatmapTable({ cells: [[0, 5]], dayTotals: [5], total: 5 }); // { columns: ["day", "0", ..., "total"], rows }
 */
export function heatmapTable(heatmap: Heatmap): { columns: string[]; rows: unknown[][] } {
  return {
    columns: ["day", ...Array.from({ length: 24 }, (_, hour) => String(hour)), "total"],
    rows: heatmap.cells.map((day, i) => [
      WEEKDAYS[i],
      ...Array.from({ length: 24 }, (_, hour) => day[hour] ?? 0),
      heatmap.dayTotals[i] ?? null,
    ]),
  };
}
