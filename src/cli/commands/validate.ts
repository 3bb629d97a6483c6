// `validate [DIR]`: checks every file offline against its kind's schema, and the references
// between files (a key no file defines, a tile naming a missing insight, a cohort cycle, an
// action or cohort name used twice): one line per problem (file, line, field), exit 2 on any,
// and on a missing directory. Unknown query kinds are warnings: PostHog may be newer than this package.
import { counted, KIND_NAMES } from "../../ascode/kind-names.js";
import { validateDir } from "../../ascode/session.js";
import type { CommandModule } from "../command.js";
import { EXIT } from "../errors.js";
import { warningLines } from "../plan-output.js";

/** The `validate` command. */
export const validate: CommandModule = {
  register(program, act) {
    program
      .command("validate")
      .description(
        "check every file offline against the spec's schemas, and the references between files (errors name file, line and field)",
      )
      .argument("[dir]", "directory of files", "insights")
      .action(
        act(async (context, command) => {
          const { count, counts, problems, warnings } = await validateDir(context.dir(command.processedArgs[0]));
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
          const kinds = KIND_NAMES.filter((kind) => counts[kind] > 0).map((kind) => counted(counts[kind], kind));
          context.info(`${count} file(s) valid${kinds.length > 0 ? ` (${kinds.join(", ")})` : ""}.`);
          return EXIT.ok;
        }),
      );
  },
};
