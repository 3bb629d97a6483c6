// How output is drawn: the width to fit and whether to colour. Pure: the command decides
// these from its streams and environment; renderers only read them.

/**
 * The terminal a renderer draws for.
 *
 * @example
 * const terminal: Terminal = { columns: 100, color: false };
 */
export interface Terminal {
  /** Columns available; renderers never draw a line longer than this. */
  columns: number;
  /** Whether ANSI colours may be used. */
  color: boolean;
}

/**
 * Colours only on a terminal, and never when `NO_COLOR` is set to anything but the empty string
 * (https://no-color.org).
 *
 * @example
 * useColor(process.stdout.isTTY, process.env); // false when piped or NO_COLOR=1
 */
export function useColor(isTTY: boolean | undefined, env: Record<string, string | undefined>): boolean {
  const noColor = env.NO_COLOR;
  return isTTY === true && (noColor === undefined || noColor === "");
}

/** The columns to draw in: the stream's, else `COLUMNS`, else 80; never below 20. */
export function terminalColumns(columns: number | undefined, env: Record<string, string | undefined>): number {
  const fromEnv = Number(env.COLUMNS);
  let width = 80;
  if (columns !== undefined && columns > 0) {
    width = columns;
  } else if (Number.isInteger(fromEnv) && fromEnv > 0) {
    width = fromEnv;
  }
  return Math.max(20, width);
}

/** ANSI colour codes, cycled for series: asciichart draws with the same codes. */
export const PALETTE = ["\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m", "\x1b[34m", "\x1b[31m"] as const;
const RESET = "\x1b[0m";
const BOLD = "\x1b[1m";
const DIM = "\x1b[2m";

/** The series colour for index `i`, or `undefined` without colours. */
export function seriesColor(terminal: Terminal, i: number): string | undefined {
  return terminal.color ? PALETTE[i % PALETTE.length] : undefined;
}

/** `text` in `code`, when colours are on. */
export function paint(terminal: Terminal, code: string | undefined, text: string): string {
  return terminal.color && code !== undefined ? `${code}${text}${RESET}` : text;
}

/** Bold, for titles and headers, when colours are on. */
export function bold(terminal: Terminal, text: string): string {
  return paint(terminal, BOLD, text);
}

/** Dim, for secondary text, when colours are on. */
export function dim(terminal: Terminal, text: string): string {
  return paint(terminal, DIM, text);
}

/** A secondary line (dates covered, notes), dim and cut to the terminal's width. */
export function note(terminal: Terminal, text: string): string {
  return dim(terminal, truncate(text, terminal.columns));
}

/** A heading line (a breakdown value), bold and cut to the terminal's width. */
export function heading(terminal: Terminal, text: string): string {
  return bold(terminal, truncate(text, terminal.columns));
}

// Escape sequences take no columns; strip them to measure.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\x1b\[[0-9;]*m/g;

/** The columns `text` takes on screen (ANSI escapes excluded; one column per code point). */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, "")].length;
}

/** `text` cut to `width` columns, with an ellipsis when cut. Plain text only. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) {
    return text;
  }
  if (width <= 1) {
    return chars.slice(0, width).join("");
  }
  return `${chars.slice(0, width - 1).join("")}…`;
}

/** `text` padded with spaces to `width` columns, on the right (`start`) or left (`end`). */
export function pad(text: string, width: number, align: "start" | "end" = "start"): string {
  const fill = " ".repeat(Math.max(0, width - visibleWidth(text)));
  return align === "start" ? `${text}${fill}` : `${fill}${text}`;
}
