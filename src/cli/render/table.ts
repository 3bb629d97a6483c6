// A text table that fits the terminal: the widest columns are cut first (with an ellipsis),
// and columns that still do not fit are left off with a note saying how many. Pure.
import { bold, dim, note, pad, type Terminal, truncate, visibleWidth } from "./style.js";

/**
 * One column: its header and how its cells align (numbers on the right).
 *
 * @example
 * const column: Column = { header: "count", align: "end" };
 */
export interface Column {
  header: string;
  align?: "start" | "end";
  /** The narrowest this column may be cut to. @default 8 */
  minWidth?: number;
}

const GAP = "  ";

/**
 * Draws `rows` under `columns`, fitted to `terminal.columns`.
 *
 * @example
 * const columns: Column[] = [{ header: "name" }, { header: "count", align: "end" }];
 * renderTable(columns, [["signups", "1,204"]], { columns: 80, color: false });
 */
export function renderTable(columns: Column[], rows: string[][], terminal: Terminal): string {
  const widths = columns.map((column, i) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[i] ?? ""))),
  );
  const minimums = columns.map((column, i) => Math.min(widths[i] ?? 0, column.minWidth ?? 8));
  let shown = columns.length;
  const total = (): number => widths.slice(0, shown).reduce((sum, width) => sum + width, 0) + GAP.length * (shown - 1);
  while (shown > 1 && total() > terminal.columns) {
    const widest = widestCuttable(widths, minimums, shown);
    if (widest === -1) {
      shown -= 1;
    } else {
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  if (shown === 1 && total() > terminal.columns) {
    widths[0] = terminal.columns;
  }
  const line = (cells: string[], header: boolean): string =>
    cells
      .slice(0, shown)
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        const text = visibleWidth(cell) > width ? truncate(cell, width) : cell;
        const padded = pad(text, width, columns[i]?.align ?? "start");
        return header ? bold(terminal, padded) : padded;
      })
      .join(GAP)
      .trimEnd();
  const lines = [
    line(
      columns.map((column) => column.header),
      true,
    ),
    dim(
      terminal,
      widths
        .slice(0, shown)
        .map((width) => "─".repeat(width))
        .join(GAP),
    ),
    ...rows.map((row) => line(row, false)),
  ];
  if (shown < columns.length) {
    const hidden = columns.length - shown;
    lines.push(
      note(terminal, `(${hidden} more column${hidden === 1 ? "" : "s"} not shown: widen the terminal, or use export)`),
    );
  }
  return lines.join("\n");
}

function widestCuttable(widths: number[], minimums: number[], shown: number): number {
  let widest = -1;
  for (let i = 0; i < shown; i++) {
    const width = widths[i] ?? 0;
    if (width > (minimums[i] ?? 0) && (widest === -1 || width > (widths[widest] ?? 0))) {
      widest = i;
    }
  }
  return widest;
}
