// The terminal stdout draws on, from the CLI's streams and environment: its width and whether
// colours are allowed. No drawing here (render/ does that).
import type { CliIo } from "./io.js";
import { type Terminal, terminalColumns, useColor } from "./render/style.js";

/**
 * The stdout terminal of a run: width from the stream (or `COLUMNS`), colours only on a TTY
 * without `NO_COLOR`.
 *
 * @example
 * const terminal = stdoutTerminal(context.io);
 */
export function stdoutTerminal(io: CliIo): Terminal {
  const stream = io.stdout;
  const columns = "columns" in stream && typeof stream.columns === "number" ? stream.columns : undefined;
  return { columns: terminalColumns(columns, io.env), color: useColor(stream.isTTY, io.env) };
}
