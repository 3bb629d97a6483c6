// `pull [DIR]`: writes every insight of the project into DIR and records the target.
import { resolve } from "node:path";
import { pull as pullDir } from "../../ascode/engine.js";
import { EXIT } from "../errors.js";
import type { CommandModule } from "../program.js";

/** The `pull` command. */
export const pull: CommandModule = {
  register(program, act) {
    program
      .command("pull")
      .description("write every insight of the project into DIR, one file each, and record the target in DIR's state")
      .argument("[dir]", "directory of insight files", "insights")
      .action(
        act(async (context, command) => {
          const dir = resolve(context.io.cwd, String(command.processedArgs[0] ?? "insights"));
          const client = context.client();
          const result = await pullDir(client, dir, context.progress());
          if (context.json) {
            context.out(JSON.stringify(result));
          } else {
            context.info(
              `Pulled ${result.total} insight(s) into ${dir}: ${result.written.length} written, ` +
                `${result.unchanged} unchanged, ${result.removed.length} removed.`,
            );
          }
          return EXIT.ok;
        }),
      );
  },
};
