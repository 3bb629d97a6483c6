// `validate [DIR]`: checks every insight file offline against the insight-file schema.
import { resolve, relative } from "node:path";
import { validateDir } from "../../ascode/validate.js";
import { EXIT } from "../errors.js";
import type { CommandModule } from "../program.js";

/** The `validate` command. */
export const validate: CommandModule = {
  register(program, act) {
    program
      .command("validate")
      .description("check every insight file offline against the spec's schema (errors name file, line and field)")
      .argument("[dir]", "directory of insight files", "insights")
      .action(
        act(async (context, command) => {
          const dir = resolve(context.io.cwd, String(command.processedArgs[0] ?? "insights"));
          const { count, problems } = await validateDir(dir);
          const named = problems.map((problem) => ({
            ...problem,
            path: relative(context.io.cwd, problem.path) || problem.path,
          }));
          if (context.json) {
            context.out(JSON.stringify({ files: count, problems: named }));
          }
          for (const problem of named) {
            context.io.stderr.write(`${problem.path}:${problem.line ?? 1}: ${problem.message}\n`);
          }
          if (problems.length > 0) {
            return EXIT.usage;
          }
          context.info(`${count} insight file(s) valid.`);
          return EXIT.ok;
        }),
      );
  },
};
