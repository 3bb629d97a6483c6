// Funnels as horizontal bars: each step's count, its conversion from the first step and from
// the previous one; one block per breakdown value. Time-to-convert funnels as a histogram
// table. Pure.
import { formatNumber, formatPercent } from "./format.js";
import type { ConversionTimes, FunnelStep } from "./shapes.js";
import { bold, heading, note, pad, paint, PALETTE, type Terminal, truncate } from "./style.js";
import { renderTable } from "./table.js";

/** Narrower bars than this say nothing: the table alone then. */
const MIN_BAR = 10;
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"] as const;

/**
 * Draws funnel steps as bars with counts and conversion rates, one block per breakdown.
 *
 * @example
 * renderFunnel([[{ name: "$pageview", count: 100 }, { name: "signup", count: 40 }]], { columns: 80, color: false });
 */
export function renderFunnel(groups: FunnelStep[][], terminal: Terminal): string {
  return groups
    .map((steps) => {
      const breakdown = steps[0]?.breakdown;
      const block = renderSteps(steps, terminal);
      return breakdown === undefined ? block : `${heading(terminal, breakdown)}\n${block}`;
    })
    .join("\n\n");
}

function renderSteps(steps: FunnelStep[], terminal: Terminal): string {
  const first = steps[0]?.count ?? 0;
  const rows = steps.map((step, i) => {
    const previous = i === 0 ? step.count : (steps[i - 1]?.count ?? 0);
    return {
      name: `${i + 1}. ${step.name}`,
      count: formatNumber(step.count),
      fromFirst: formatPercent(step.count, first),
      fromPrevious: i === 0 ? "" : formatPercent(step.count, previous),
      value: step.count,
    };
  });
  const nameWidth = Math.min(30, Math.max(4, ...rows.map((row) => row.name.length)));
  const countWidth = Math.max(5, ...rows.map((row) => row.count.length));
  const firstWidth = Math.max(8, ...rows.map((row) => row.fromFirst.length));
  const previousWidth = Math.max(11, ...rows.map((row) => row.fromPrevious.length));
  const fixed = nameWidth + countWidth + firstWidth + previousWidth + 8;
  const barWidth = Math.min(50, terminal.columns - fixed);
  if (barWidth < MIN_BAR) {
    return renderTable(
      [
        { header: "step" },
        { header: "count", align: "end" },
        { header: "of first", align: "end" },
        { header: "of previous", align: "end" },
      ],
      rows.map((row) => [row.name, row.count, row.fromFirst, row.fromPrevious]),
      terminal,
    );
  }
  const most = Math.max(0, ...rows.map((row) => row.value));
  const header = [
    pad("step", nameWidth),
    pad("", barWidth),
    pad("count", countWidth, "end"),
    pad("of first", firstWidth, "end"),
    pad("of previous", previousWidth, "end"),
  ].join("  ");
  const lines = rows.map((row) =>
    [
      pad(truncate(row.name, nameWidth), nameWidth),
      pad(paint(terminal, PALETTE[0], bar(row.value, most, barWidth)), barWidth),
      pad(row.count, countWidth, "end"),
      pad(row.fromFirst, firstWidth, "end"),
      pad(row.fromPrevious, previousWidth, "end"),
    ]
      .join("  ")
      .trimEnd(),
  );
  return [bold(terminal, header.trimEnd()), ...lines].join("\n");
}

/** A bar of `value / most` of `width` columns, in eighths of a column. */
export function bar(value: number, most: number, width: number): string {
  if (!(most > 0) || !(value > 0)) {
    return "";
  }
  const eighths = Math.max(1, Math.round((Math.min(value, most) / most) * width * 8));
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/**
 * A time-to-convert funnel: how many converted within each time bucket.
 *
 * @example
 * renderConversionTimes({ average: 90, bins: [[0, 4], [60, 2]] }, { columns: 80, color: false });
 */
export function renderConversionTimes(times: ConversionTimes, terminal: Terminal): string {
  const table = renderTable(
    [{ header: "converted within" }, { header: "conversions", align: "end" }],
    times.bins.map(([seconds, count]) => [duration(seconds), formatNumber(count)]),
    terminal,
  );
  if (times.average === undefined) {
    return table;
  }
  return `${note(terminal, `average time to convert: ${duration(times.average)}`)}\n${table}`;
}

/** Seconds as `45s`, `3m 5s`, `2h 10m`, `3d 4h`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) {
    return `${s}s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)}m ${s % 60}s`;
  }
  if (s < 86_400) {
    return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  }
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}
