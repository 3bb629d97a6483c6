// `push [DIR] [--dry-run] [--force] [--prune]`: makes the project match DIR. Validates every
// file first; holds the directory's lock; a dry run prints the plan and says that nothing was
// sent; a write stopped because PostHog changed since the plan is named, and exits 1.
import { push as pushDir } from "../../ascode/engine.js";
import type { CommandModule } from "../command.js";
import { conflictLines, EXIT } from "../errors.js";
import { formatPlan, planJson, warningLines } from "../plan-output.js";

/** The `push` command. */
export const push: CommandModule = {
  register(program, act) {
    program
      .command("push")
      .description("make the project match DIR: creates, then updates, then (with --prune) soft-deletes")
      .argument("[dir]", "directory of insight files", "insights")
      .option("--dry-run", "print the plan and send no write")
      .option("--force", "overwrite insights edited in PostHog since the last sync (conflicts)")
      .option("--prune", "soft-delete managed insights whose file was removed")
      .action(
        act(async (context, command) => {
          const options = command.opts<{ dryRun?: boolean; force?: boolean; prune?: boolean }>();
          const dryRun = options.dryRun === true;
          const result = await pushDir(context.client(), context.dir(command.processedArgs[0]), {
            dryRun,
            force: options.force === true,
            prune: options.prune === true,
            progress: context.progress(),
          });
          for (const line of warningLines(result.warnings, (path) => context.show(path))) {
            context.info(line);
          }
          if (result.tookOverLock) {
            context.warn(`took over the lock a killed run left (${result.tookOverLock}).`);
          }
          if (result.migrated.length > 0) {
            context.info(`State: ${result.migrated.join(", ")} recorded under the project's canonical target now.`);
          }
          const { plan, warnings: _warnings, ...done } = result;
          if (context.json) {
            context.out(JSON.stringify({ ...done, dryRun, plan: planJson(plan) }));
          } else {
            context.out(formatPlan(plan) + (dryRun ? "Dry run: nothing was sent to PostHog.\n" : ""));
          }
          if (dryRun) {
            const refused = plan.conflicts > 0 && options.force !== true;
            if (refused) {
              context.error([...conflictLines(plan), "push would refuse these: nothing would be sent."]);
            }
            return refused ? EXIT.failed : EXIT.ok;
          }
          const renamed = result.renamed.length > 0 ? `${result.renamed.length} renamed, ` : "";
          context.info(
            `Pushed: ${result.created.length} created, ${result.adopted.length} adopted, ${renamed}` +
              `${result.updated.length} updated, ${result.deleted.length} deleted.`,
          );
          if (result.conflicts.length > 0) {
            context.error(
              result.conflicts.map((conflict) => `conflict: ${context.show(conflict.path)}: ${conflict.reason}.`),
            );
            return EXIT.failed;
          }
          return EXIT.ok;
        }),
      );
  },
};
