// `copy --to-project ID [--to-host H] [--search S | IDS...] [--dashboards [IDS...]]`: copies
// insights (or dashboards and every insight on them) with the actions and cohorts they need into
// another project, on the same or another host, every id remapped; prints the report (one line per
// id mapped, and why), or it as data with --json. Never into its own source.
import { resolve } from "node:path";
import { type CopyResult, copy as copyObjects, type Mapped } from "../../ascode/copy.js";
import { describeRefs } from "../../ascode/refs.js";
import type { CommandModule } from "../command.js";
import { KEY_VARIABLE, TO_KEY_VARIABLE } from "../context.js";
import { conflictLines, EXIT } from "../errors.js";

/** The `copy` command. */
export const copy: CommandModule = {
  register(program, act) {
    program
      .command("copy")
      .description(
        "copy insights (all, --search matches, or the listed ids), or --dashboards with every insight on them, " +
          "with the actions and cohorts they need, to another project or host, every id remapped; " +
          "destination key: POSTHOG_TO_PERSONAL_API_KEY, else the same key",
      )
      .argument("[ids...]", "insight ids or short ids")
      .requiredOption("--to-project <id>", "destination project id")
      .option("--to-host <host>", "destination host: us, eu or an origin (default: the source host)")
      .option("--search <text>", "only insights whose name matches")
      .option("--dashboards [ids...]", "copy dashboards (all, or these ids) and every insight on them")
      .option(
        "--state <file>",
        "the mapping of source to destination ids, per target (commit it: a rerun creates nothing)",
        ".posthog-insights/copy-state.json",
      )
      .option("--dry-run", "print the report and send no write")
      .option("--force", "overwrite copies edited in the destination since the last copy")
      .action(
        act(async (context, command) => {
          const options = command.opts<{
            toProject: string;
            toHost?: string;
            search?: string;
            dashboards?: true | string[];
            state: string;
            dryRun?: boolean;
            force?: boolean;
          }>();
          const ids = command.processedArgs[0] as string[];
          if (ids.length > 0 && options.search !== undefined) {
            context.error(["copy takes insight ids or --search, not both."]);
            return EXIT.usage;
          }
          const from = context.client();
          const to = context.client({
            keyVariables: [TO_KEY_VARIABLE, KEY_VARIABLE],
            host: options.toHost ?? from.host,
            project: options.toProject,
          });
          const result = await copyObjects(from, to, {
            statePath: resolve(context.io.cwd, options.state),
            ids,
            ...(options.search === undefined ? {} : { search: options.search }),
            ...(options.dashboards === undefined ? {} : { dashboards: options.dashboards }),
            dryRun: options.dryRun === true,
            force: options.force === true,
            progress: context.progress(),
          });
          if (result.tookOverLock) {
            context.warn(`took over the lock a killed run left (${result.tookOverLock}).`);
          }
          for (const line of result.mapped.filter((mapped) => mapped.carried)) {
            context.warn(
              `${describe(line)}: carried as is, nothing maps them in project ${result.destination.project}: ` +
                `${describeRefs(line.carried ?? [])}.`,
            );
          }
          if (context.json) {
            context.out(JSON.stringify(asJson(result)));
          } else {
            context.out(formatReport(result));
          }
          const problems = result.refused.map(
            (refused) => `refused: ${refused.kind} ${refused.id}${named(refused.name)}: ${refused.reason}.`,
          );
          if (result.dryRun) {
            if (result.plan.conflicts > 0 && options.force !== true) {
              problems.push(...conflictLines(result.plan), "copy would refuse these: nothing would be sent.");
            }
            context.error(problems);
            return problems.length > 0 ? EXIT.failed : EXIT.ok;
          }
          context.info(
            `Copied: ${result.created.length} created, ${result.adopted.length} adopted, ` +
              `${result.updated.length} updated, ${result.refused.length} refused.`,
          );
          problems.push(
            ...result.conflicts.map((conflict) => `conflict: ${conflict.kind} ${conflict.key}: ${conflict.reason}.`),
          );
          context.error(problems);
          return problems.length > 0 ? EXIT.failed : EXIT.ok;
        }),
      );
  },
};

function named(name: string | undefined): string {
  return name === undefined ? "" : ` ${JSON.stringify(name)}`;
}

/** A source object as the report names it: `action 17 "Signed up"`. */
function describe(line: Mapped): string {
  return `${line.kind} ${line.source}${named(line.name)}`;
}

/**
 * The report: where it goes, one line per id mapped (`action 17 "Signed up" -> 42 (adopted by
 * name)`), and what was refused.
 */
export function formatReport(result: CopyResult): string {
  const lines = [
    `Copy from project ${result.source.project} on ${result.source.origin} ` +
      `to project ${result.destination.project} on ${result.destination.origin}:`,
  ];
  for (const line of result.mapped) {
    lines.push(`  ${describe(line)} -> ${line.destination ?? "new"} (${line.why})`);
  }
  for (const refused of result.refused) {
    lines.push(`  ${refused.kind} ${refused.id}${named(refused.name)} refused: ${refused.reason}`);
  }
  if (result.mapped.length === 0 && result.refused.length === 0) {
    lines.push("  nothing to copy");
  }
  if (result.dryRun) {
    lines.push("Dry run: nothing was sent to PostHog.");
  }
  return `${lines.join("\n")}\n`;
}

/** The report as data: both targets, every line, what was refused and what each write did. */
function asJson(result: CopyResult) {
  const { source, destination, dryRun, mapped, refused, created, adopted, updated, conflicts, overridden } = result;
  return { source, destination, dryRun, mapped, refused, created, adopted, updated, overridden, conflicts };
}
