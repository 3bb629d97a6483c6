// How values read in the terminal: numbers with separators, percentages, table cells. Pure and
// locale-free (always en-US), so output and snapshots are the same on every machine.

const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/**
 * A number as people read it: `1,234`, `3.5`, `-0.25`.
 *
 * @example
 * formatNumber(1234.567); // "1,234.57"
 */
export function formatNumber(value: number): string {
  return NUMBER.format(value);
}

/**
 * A number in at most a few columns, for chart axes: `950`, `12.3K`, `4.1M`.
 *
 * @example
 * formatCompact(12_345); // "12.3K"
 */
export function formatCompact(value: number): string {
  return Math.abs(value) < 10_000 ? formatNumber(Math.round(value * 10) / 10) : COMPACT.format(value);
}

/**
 * A ratio as a percentage with one decimal; `–` when there is nothing to divide by.
 *
 * @example
 * formatPercent(1, 3); // "33.3%"
 */
export function formatPercent(part: number, whole: number): string {
  if (!(whole > 0)) {
    return "–";
  }
  return `${((part / whole) * 100).toFixed(1)}%`;
}

/**
 * Any JSON value as a table cell: numbers formatted, null empty, objects as compact JSON.
 *
 * @example
 * formatCell(null); // ""
 */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) {
    return "";
  }
  if (typeof value === "number") {
    return formatNumber(value);
  }
  if (typeof value === "string") {
    return value.replace(/\s+/g, " ");
  }
  if (typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  return JSON.stringify(value);
}

/**
 * A timestamp as a short UTC date and time (`2024-05-01 10:11`), or the text itself when it
 * is not a date.
 *
 * @example
 * formatTimestamp("2024-05-01T10:11:12.345Z"); // "2024-05-01 10:11"
 */
export function formatTimestamp(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    return value;
  }
  return new Date(time).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * A cohort or bucket date: the day alone when the time is midnight.
 *
 * @example
 * formatDay("2024-05-01T00:00:00Z"); // "2024-05-01"
 */
export function formatDay(value: string): string {
  const stamp = formatTimestamp(value);
  return stamp.endsWith(" 00:00") ? stamp.slice(0, 10) : stamp;
}
