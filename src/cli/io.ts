// The CLI's view of the outside world (streams, environment, fetch), so every command runs
// in process in tests. Holds no logic; must not import the commands.
import type { ClientOptions } from "../config.js";

/** A text sink: stdout for results, stderr for everything else. */
export interface Sink {
  write(text: string): unknown;
  /** True when the stream is a terminal (progress bars and colours only then). */
  isTTY?: boolean | undefined;
}

/**
 * What a CLI run reads and writes. `main.ts` builds it from `process`; tests pass their own.
 *
 * @example
 * const io: CliIo = {
 *   stdout: { write: (s) => out.push(s) },
 *   stderr: { write: (s) => err.push(s) },
 *   env: {},
 *   cwd: "/tmp",
 * };
 */
export interface CliIo {
  stdout: Sink;
  stderr: Sink;
  env: Record<string, string | undefined>;
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** A fetch for the client (tests pass the fake's); the global one otherwise. */
  fetch?: ClientOptions["fetch"];
  /** stderr as a terminal, when it is one: the progress bar draws there; absent, plain lines. */
  terminal?: NodeJS.WriteStream | undefined;
}

/**
 * The real process as a `CliIo`.
 *
 * @example
 * const code = await run(process.argv.slice(2), processIo());
 */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    terminal: process.stderr.isTTY ? process.stderr : undefined,
  };
}
