// `copy --to-project ID [--to-host H] [--search S] [ID|SHORT_ID ...]`: copies insights into
// another project, on the same or another host, with push's guarantees; never into its source.
import { resolve } from "node:path";
import { copy as copyInsights } from "../../ascode/engine.js";
import type { CommandModule } from "../command.js";
import { KEY_VARIABLE, TO_KEY_VARIABLE } from "../context.js";
import { conflictLines, EXIT } from "../errors.js";
import { formatPlan, planJson } from "../plan-output.js";

/** The `copy` command. */
export const copy: CommandModule = {
  register(program, act) {
    program
      .command("copy")
      .description(
        "copy insights (all, --search matches, or the listed ids) to another project; " +
          "destination key: POSTHOG_TO_PERSONAL_API_KEY, else the same key",
      )
      .argument("[ids...]", "insight ids or short ids")
      .requiredOption("--to-project <id>", "destination project id")
      .option("--to-host <host>", "destination host: us, eu or an origin (default: the source host)")
      .option("--search <text>", "only insights whose name matches")
      .option("--state <file>", "where copies are recorded, so a rerun resumes", ".posthog-insights/copy-state.json")
      .option("--dry-run", "print the plan and send no write")
      .option("--force", "overwrite copies edited in the destination since the last copy")
      .action(
        act(async (context, command) => {
          const options = command.opts<{
            toProject: string;
            toHost?: string;
            search?: string;
            state: string;
            dryRun?: boolean;
            force?: boolean;
          }>();
          const from = context.client();
          const to = context.client({
            keyVariables: [TO_KEY_VARIABLE, KEY_VARIABLE],
            host: options.toHost ?? from.host,
            project: options.toProject,
          });
          const result = await copyInsights(from, to, {
            statePath: resolve(context.io.cwd, options.state),
            ids: command.processedArgs[0] as string[],
            ...(options.search === undefined ? {} : { search: options.search }),
            dryRun: options.dryRun === true,
            force: options.force === true,
            progress: context.progress(),
          });
          const withRefs = result.plan.actions.filter((action) => action.refs && action.refs.length > 0);
          for (const action of withRefs) {
            context.warn(
              `${action.key}: its query names ids of the source project that mean nothing ` +
                `in project ${options.toProject}; fix them in PostHog.`,
            );
          }
          const { plan, warnings: _warnings, ...done } = result;
          if (context.json) {
            context.out(JSON.stringify({ ...done, dryRun: options.dryRun === true, plan: planJson(plan) }));
          } else {
            context.out(formatPlan(plan) + (options.dryRun ? "Dry run: nothing was sent to PostHog.\n" : ""));
          }
          if (options.dryRun) {
            const refused = plan.conflicts > 0 && options.force !== true;
            if (refused) {
              context.error([...conflictLines(plan), "copy would refuse these: nothing would be sent."]);
            }
            return refused ? EXIT.failed : EXIT.ok;
          }
          context.info(
            `Copied: ${result.created.length} created, ${result.updated.length} updated, ` +
              `${result.adopted.length} adopted.`,
          );
          if (result.conflicts.length > 0) {
            context.error(result.conflicts.map((conflict) => `conflict: ${conflict.path}: ${conflict.reason}.`));
            return EXIT.failed;
          }
          return EXIT.ok;
        }),
      );
  },
};
