// `pull [DIR] [--force]`: writes every insight of the project into DIR and records the target.
// Never overwrites or deletes a file that differs from its last-synced content (it is kept and
// named; exit 1 when PostHog changed it too), unless --force; never overwrites an unreadable file.
import { pull as pullDir } from "../../ascode/engine.js";
import type { CommandModule } from "../command.js";
import { EXIT } from "../errors.js";

/** The `pull` command. */
export const pull: CommandModule = {
  register(program, act) {
    program
      .command("pull")
      .description("write every insight of the project into DIR, one file each, and record the target in DIR's state")
      .argument("[dir]", "directory of insight files", "insights")
      .option("--force", "replace local edits with PostHog's version (files that cannot be read are still kept)")
      .action(
        act(async (context, command) => {
          const dir = context.dir(command.processedArgs[0]);
          const { force } = command.opts<{ force?: boolean }>();
          const result = await pullDir(context.client(), dir, { force: force === true, progress: context.progress() });
          if (result.tookOverLock) {
            context.warn(`took over the lock a killed run left (${result.tookOverLock}).`);
          }
          if (result.migrated.length > 0) {
            context.info(`State: ${result.migrated.join(", ")} recorded under the project's canonical target now.`);
          }
          if (context.json) {
            context.out(JSON.stringify(result));
          } else {
            context.info(
              `Pulled ${result.total} insight(s) into ${context.show(dir)}: ${result.written.length} written, ` +
                `${result.unchanged} unchanged, ${result.removed.length} removed, ${result.kept.length} kept as they are.`,
            );
          }
          const conflicts = result.kept.filter((kept) => kept.conflict);
          for (const kept of result.kept.filter((k) => !k.conflict)) {
            context.info(`kept ${context.show(kept.path)}: ${kept.reason}.`);
          }
          context.error(conflicts.map((kept) => `conflict: ${context.show(kept.path)}: ${kept.reason}.`));
          return conflicts.length > 0 ? EXIT.failed : EXIT.ok;
        }),
      );
  },
};
