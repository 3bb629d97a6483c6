// `copy --to-project ID [--to-host H] [--search S | IDS...] [--dashboards [IDS...]]`: copies
// insights (or dashboards and every insight on them) with the actions and cohorts they need into
// another project, on the same or another host, every id remapped; prints the report (one line per
// id mapped, and why), or it as data with --json. Never into its own source.
import { resolve } from "node:path";
import type { ApplyConflict } from "../../ascode/apply.js";
import { CopyConflictError, type CopyResult, copy as copyObjects, type Mapped } from "../../ascode/copy.js";
import type { Plan } from "../../ascode/plan.js";
import { describeRefs } from "../../ascode/refs.js";
import { canonicalOrigin } from "../../ascode/target.js";
import { AuthenticationError } from "../../errors.js";
import type { CommandModule } from "../command.js";
import { KEY_VARIABLE, TO_KEY_VARIABLE } from "../context.js";
import { CliError, EXIT } from "../errors.js";

/**
 * The `copy` command, registered on the program.
 *
 * @example
 * // posthog-insights copy --to-project 202 --to-host eu --dashboards 5
 * copy.register(program, act);
 */
export const copy: CommandModule = {
  register(program, act) {
    program
      .command("copy")
      .description(
        "copy insights (all, --search matches, or the listed ids), or --dashboards with every insight on them, " +
          "with the actions and cohorts they need, to another project or host, every id remapped; " +
          "destination key: POSTHOG_TO_PERSONAL_API_KEY (within one host, unset: the source key)",
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
          let refusedKey = false;
          const to = context.client(
            {
              keyVariables: [TO_KEY_VARIABLE, KEY_VARIABLE],
              host: options.toHost ?? from.host,
              project: options.toProject,
            },
            (response) => {
              refusedKey ||= response.status === 401 || response.status === 403;
            },
          );
          // The source's key goes to the source's host only: another host needs its own key.
          if (!context.io.env[TO_KEY_VARIABLE]?.trim() && canonicalOrigin(to.host) !== canonicalOrigin(from.host)) {
            context.error([
              `${TO_KEY_VARIABLE} is not set: a copy to another host (${to.host}) needs a key of that host. ` +
                `${KEY_VARIABLE} is only ever sent to ${from.host}. Nothing was sent.`,
            ]);
            return EXIT.usage;
          }
          const result = await copyObjects(from, to, {
            statePath: resolve(context.io.cwd, options.state),
            ids,
            ...(options.search === undefined ? {} : { search: options.search }),
            ...(options.dashboards === undefined ? {} : { dashboards: options.dashboards }),
            dryRun: options.dryRun === true,
            force: options.force === true,
            progress: context.progress(),
          }).catch((err: unknown) => {
            if (refusedKey && err instanceof AuthenticationError) {
              throw new CliError(
                `PostHog on ${to.host} did not accept the destination's key: check ${TO_KEY_VARIABLE} ` +
                  `and that --to-host is the instance it belongs to (${err.message}).`,
              );
            }
            return refusedReport(err);
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
          // Conflicts without --force: the copy refused them and sent nothing (or, dry, would).
          const refusing = result.plan.conflicts > 0 && options.force !== true;
          if (result.dryRun || refusing) {
            if (result.dryRun) {
              // Tile filter overrides a copy would refuse (edited in the destination, changed in the source).
              problems.push(...result.conflicts.map(conflictLine));
            }
            if (refusing) {
              problems.push(
                ...copyConflictLines(result.plan, result.destination.project),
                result.dryRun
                  ? "copy would refuse these: nothing would be sent."
                  : "copy refused these: nothing was sent.",
              );
            }
            context.error(problems);
            return problems.length > 0 ? EXIT.failed : EXIT.ok;
          }
          const kept = result.mapped.filter((line) => line.outcome === "kept").length;
          context.info(
            `Copied: ${result.created.length} created, ${result.adopted.length} adopted, ` +
              `${result.updated.length} updated, ` +
              (kept > 0 ? `${kept} left as edited in the destination, ` : "") +
              `${result.refused.length} refused.`,
          );
          problems.push(...result.conflicts.map(conflictLine));
          context.error(problems);
          return problems.length > 0 ? EXIT.failed : EXIT.ok;
        }),
      );
  },
};

/** A write the copy stopped or refused while it ran: `conflict: dashboard growth: ...`. */
function conflictLine(conflict: ApplyConflict): string {
  return `conflict: ${conflict.kind} ${conflict.key}: ${conflict.reason}.`;
}

/** A copy refused for conflicts still has its report (what it would have done): printed as any other. */
function refusedReport(err: unknown): CopyResult {
  if (err instanceof CopyConflictError) {
    return err.result;
  }
  throw err;
}

/** One line per conflict and duplicate of a copy's plan, with what to do about each, in copy's words. */
function copyConflictLines(plan: Plan, project: number): string[] {
  return plan.actions
    .filter((action) => action.action === "conflict" || action.action === "duplicate")
    .map((action) => {
      const what = `${action.action}: ${action.kind} ${action.key} (#${action.id} in project ${project})`;
      if (action.action === "duplicate" || !action.file) {
        return `${what}: ${action.reason}.`;
      }
      return (
        `${what} was edited in the destination since the last copy, and changed in the source: ` +
        "copy --force puts the source's version back; or leave the destination's edit (copy without it)."
      );
    });
}

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
 *
 * @example
 * process.stdout.write(formatReport(await copy(us, eu, { statePath: "copy-state.json" })));
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
