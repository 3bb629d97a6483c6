// One CLI run, in process: parses the arguments, runs the command, reports errors on stderr as
// one line each, and returns the exit code. Never calls process.exit (tests run it in process).
import { readFileSync } from "node:fs";
import { CommanderError } from "commander";
import { EXIT, describeError } from "./errors.js";
import type { CliIo } from "./io.js";
import { buildProgram, type Outcome } from "./program.js";
import { KEY_VARIABLE, TO_KEY_VARIABLE } from "./context.js";

/**
 * Runs the CLI with `argv` (without `node` and the script) and resolves to its exit code.
 *
 * @example
 * const code = await run(["plan", "insights", "--exit-code"], processIo());
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const outcome: Outcome = { exitCode: EXIT.ok };
  try {
    await buildProgram(io, packageVersion(), outcome).parseAsync(argv, { from: "user" });
    return outcome.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version end with exit code 0; commander already wrote its message.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const secrets = [...(outcome.context?.secrets ?? []), io.env[KEY_VARIABLE], io.env[TO_KEY_VARIABLE]].filter(
      (value): value is string => typeof value === "string",
    );
    const { lines, exitCode } = describeError(err, { debug: Boolean(io.env.DEBUG), secrets, cwd: io.cwd });
    for (const line of lines) {
      io.stderr.write(`${line}\n`);
    }
    return exitCode;
  } finally {
    // The next run on the same key paces on from where this one left the windows.
    outcome.context?.end();
  }
}

/** The package's version, from the nearest package.json up from this file (src/cli/ or dist/). */
function packageVersion(): string {
  for (const relative of ["../package.json", "../../package.json"]) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8"));
      if (isPackage(parsed)) {
        return parsed.version;
      }
    } catch {
      // not this one: try the next
    }
  }
  return "unknown";
}

function isPackage(value: unknown): value is { name: string; version: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { name?: unknown }).name === "posthog-insights" &&
    typeof (value as { version?: unknown }).version === "string"
  );
}
