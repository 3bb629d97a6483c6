// `validate [DIR]`: checks every insight file offline against the insight-file schema: one line
// per problem (file, line, field), exit 2 on any, and on a missing directory. Unknown kinds are
// warnings: PostHog may be newer than this package.
import { validateDir } from "../../ascode/session.js";
import type { CommandModule } from "../command.js";
import { EXIT } from "../errors.js";
import { warningLines } from "../plan-output.js";

/** The `validate` command. */
export const validate: CommandModule = {
  register(program, act) {
    program
      .command("validate")
      .description("check every insight file offline against the spec's schema (errors name file, line and field)")
      .argument("[dir]", "directory of insight files", "insights")
      .action(
        act(async (context, command) => {
          const { count, problems, warnings } = await validateDir(context.dir(command.processedArgs[0]));
          const named = problems.map((problem) => ({ ...problem, path: context.show(problem.path) }));
          if (context.json) {
            const shown = warnings.map((warning) => ({ ...warning, path: context.show(warning.path) }));
            context.out(JSON.stringify({ files: count, problems: named, warnings: shown }));
          }
          context.error(named.map((problem) => `${problem.path}:${problem.line ?? 1}: ${problem.message}`));
          for (const line of warningLines(warnings, (path) => context.show(path))) {
            context.info(line);
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
