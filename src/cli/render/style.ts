// How output is drawn: the width to fit and whether to colour. Pure: the command decides
// these from its streams and environment; renderers only read them.
import stringWidth from "string-width";

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
 * Colours on a terminal, unless `NO_COLOR` is set to anything but the empty string
 * (https://no-color.org). `FORCE_COLOR` decides before both: `0` or `false` turns colours off,
 * any other value (`1`, `2`, `3`, `true`, empty) turns them on, even when piped.
 *
 * @example
 * useColor(process.stdout.isTTY, process.env); // false when piped, NO_COLOR=1 or FORCE_COLOR=0
 */
export function useColor(isTTY: boolean | undefined, env: Record<string, string | undefined>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    return !/^(0|false)$/i.test(force.trim());
  }
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

/**
 * The columns `text` takes on screen: ANSI escapes take none, East Asian wide characters and
 * emoji take two, combining marks none.
 *
 * @example
 * visibleWidth("売上 📈"); // 7
 */
export function visibleWidth(text: string): number {
  return stringWidth(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * `text` cut to `width` columns, with an ellipsis when cut, never splitting a character or an
 * emoji sequence (a wide one that does not fit is left out whole). Plain text only.
 *
 * @example
 * truncate("週次アクティブユーザー", 9); // "週次アク…"
 */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) {
    return text;
  }
  const room = width <= 1 ? width : width - 1;
  let out = "";
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = visibleWidth(segment);
    if (used + w > room) {
      break;
    }
    out += segment;
    used += w;
  }
  return width <= 1 ? out : `${out}…`;
}

/** `text` padded with spaces to `width` columns, on the right (`start`) or left (`end`). */
export function pad(text: string, width: number, align: "start" | "end" = "start"): string {
  const fill = " ".repeat(Math.max(0, width - visibleWidth(text)));
  return align === "start" ? `${text}${fill}` : `${fill}${text}`;
}
