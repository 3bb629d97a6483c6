// `plan [DIR] [--exit-code]`: what push would do, and why.
import { resolve } from "node:path";
import { Option } from "commander";
import { planDir } from "../../ascode/engine.js";
import { EXIT } from "../errors.js";
import type { CommandModule } from "../program.js";
import { formatPlan, planJson } from "../plan-output.js";

/** The `plan` command. */
export const plan: CommandModule = {
  register(program, act) {
    program
      .command("plan")
      .description("show what push would do, and why (files, state and project compared)")
      .argument("[dir]", "directory of insight files", "insights")
      .option("--exit-code", "exit 3 when something would change, 0 when nothing would")
      .addOption(new Option("--prune", "plan deletes for managed insights whose file was removed"))
      .action(
        act(async (context, command) => {
          const options = command.opts<{ exitCode?: boolean; prune?: boolean }>();
          const dir = resolve(context.io.cwd, String(command.processedArgs[0] ?? "insights"));
          const result = await planDir(context.client(), dir, {
            prune: options.prune === true,
            progress: context.progress(),
          });
          context.out(context.json ? JSON.stringify(planJson(result)) : formatPlan(result));
          return options.exitCode && result.changes ? EXIT.changes : EXIT.ok;
        }),
      );
  },
};
