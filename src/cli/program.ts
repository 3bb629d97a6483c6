// The commander program: global flags, help, version, and the commands of commands/index.ts.
// Each command lives in its own file under commands/ and registers itself here.
import { Command, Option } from "commander";
import type { Act } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { CliContext, type GlobalOptions } from "./context.js";
import type { CliIo } from "./io.js";

/** What a run of the program ended with. */
export interface Outcome {
  exitCode: number;
  context?: CliContext;
}

/**
 * Builds the program for one run. `outcome` receives the exit code the command chose.
 *
 * @example
 * const outcome: Outcome = { exitCode: 0 };
 * await buildProgram(io, "0.1.0", outcome).parseAsync(["node", "posthog-insights", "plan"]);
 */
export function buildProgram(io: CliIo, version: string, outcome: Outcome): Command {
  const program = new Command("posthog-insights")
    .description(
      "Keep PostHog insights, dashboards, actions and cohorts as files in git: pull, plan, push, copy, validate.",
    )
    .version(version, "--version", "print the version")
    .helpOption("-h, --help", "show help for a command")
    .addOption(new Option("--host <host>", "us, eu or your PostHog origin (default: POSTHOG_HOST, else us)"))
    .addOption(new Option("--project <id>", "project id (default: POSTHOG_PROJECT_ID, else @current)"))
    .addOption(
      new Option("--rate-limit <windows>", 'pacing: "off", or windows like 60/min,500/h (default: PostHog\'s limits)'),
    )
    .option("--json", "machine-readable output on stdout")
    .option("-q, --quiet", "no progress or messages on stderr, only errors")
    .option("--no-progress", "plain progress lines instead of a progress bar")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  program.addHelpText(
    "after",
    "\nThe key comes from POSTHOG_PERSONAL_API_KEY only. " +
      "Exit codes: 0 success, 1 failed, 2 bad usage or invalid files, 3 plan --exit-code found changes.",
  );

  const act: Act =
    (work) =>
    async (...args) => {
      const command = args.at(-1);
      if (!(command instanceof Command)) {
        throw new Error("commander passed no command to the action");
      }
      const context = new CliContext(io, command.optsWithGlobals<GlobalOptions>());
      outcome.context = context;
      outcome.exitCode = await work(context, command);
    };
  for (const module of COMMANDS) {
    module.register(program, act);
  }
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
  return program;
}
