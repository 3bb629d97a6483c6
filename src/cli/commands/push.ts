// `push [DIR] [--dry-run] [--force] [--prune]`: makes the project match DIR.
import { resolve } from "node:path";
import { push as pushDir } from "../../ascode/engine.js";
import { EXIT } from "../errors.js";
import type { CommandModule } from "../program.js";
import { formatPlan, planJson } from "../plan-output.js";

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
          const dir = resolve(context.io.cwd, String(command.processedArgs[0] ?? "insights"));
          const result = await pushDir(context.client(), dir, {
            dryRun: options.dryRun === true,
            force: options.force === true,
            prune: options.prune === true,
            progress: context.progress(),
          });
          if (context.json) {
            const { plan, ...done } = result;
            context.out(JSON.stringify({ ...done, dryRun: options.dryRun === true, plan: planJson(plan) }));
          } else if (options.dryRun) {
            context.out(formatPlan(result.plan));
          } else {
            context.out(formatPlan(result.plan));
            context.info(
              `Pushed: ${result.created.length} created, ${result.adopted.length} adopted, ` +
                `${result.updated.length} updated, ${result.deleted.length} deleted.`,
            );
          }
          return EXIT.ok;
        }),
      );
  },
};
