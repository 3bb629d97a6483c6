// `plan [DIR] [--exit-code] [--prune]`: what push would do, and why. Validates every file first
// (an invalid one exits 2 before any request); with --exit-code, 3 for any difference between
// the files and the project, orphaned insights included.
import { Option } from "commander";
import { planDir } from "../../ascode/engine.js";
import type { CommandModule } from "../command.js";
import { EXIT } from "../errors.js";
import { formatPlan, planJson, warningLines } from "../plan-output.js";

/** The `plan` command. */
export const plan: CommandModule = {
  register(program, act) {
    program
      .command("plan")
      .description("show what push would do, and why (files, state and project compared)")
      .argument("[dir]", "directory of insight files", "insights")
      .option("--exit-code", "exit 3 when the files and the project differ in any way, 0 when they match")
      .addOption(new Option("--prune", "plan deletes for managed insights whose file was removed"))
      .action(
        act(async (context, command) => {
          const options = command.opts<{ exitCode?: boolean; prune?: boolean }>();
          const { plan: result, warnings } = await planDir(context.client(), context.dir(command.processedArgs[0]), {
            prune: options.prune === true,
            progress: context.progress(),
          });
          for (const line of warningLines(warnings, (path) => context.show(path))) {
            context.info(line);
          }
          context.out(context.json ? JSON.stringify(planJson(result)) : formatPlan(result));
          return options.exitCode && result.differs ? EXIT.changes : EXIT.ok;
        }),
      );
  },
};
