// `pull [DIR] [--only KINDS] [--force]`: writes every insight, dashboard, action and cohort of
// the project (or the kinds asked for) into DIR and records the target. Never overwrites or
// deletes a file that differs from its last-synced content (it is kept and named; exit 1 when
// PostHog changed it too), unless --force; never overwrites an unreadable file. Static cohorts
// are pulled without their members, and said so.
import { pull as pullDir } from "../../ascode/engine.js";
import { counted, KIND_NAMES, type KindName, PLURALS } from "../../ascode/kind-names.js";
import type { CommandModule } from "../command.js";
import { EXIT } from "../errors.js";
import { parseOnly } from "../kinds.js";

/** The `pull` command. */
export const pull: CommandModule = {
  register(program, act) {
    program
      .command("pull")
      .description(
        "write every insight, dashboard, action and cohort of the project into DIR, one file each, and record the target in DIR's state",
      )
      .argument("[dir]", "directory of files", "insights")
      .option("--only <kinds>", "only these kinds, comma-separated: insights, dashboards, actions, cohorts", parseOnly)
      .option("--force", "replace local edits with PostHog's version (files that cannot be read are still kept)")
      .action(
        act(async (context, command) => {
          const dir = context.dir(command.processedArgs[0]);
          const { force, only } = command.opts<{ force?: boolean; only?: ReturnType<typeof parseOnly> }>();
          const result = await pullDir(context.client(), dir, {
            force: force === true,
            progress: context.progress(),
            ...(only ? { only } : {}),
          });
          if (result.tookOverLock) {
            context.warn(`took over the lock a killed run left (${result.tookOverLock}).`);
          }
          if (result.migrated.length > 0) {
            context.info(`State: ${result.migrated.join(", ")} recorded under the project's canonical target now.`);
          }
          if (context.json) {
            context.out(JSON.stringify(result));
          } else {
            const pulled = KIND_NAMES.filter((kind) => (result.counts[kind] ?? 0) > 0);
            const kinds =
              pulled.length > 0
                ? pulled.map((kind) => counted(result.counts[kind] ?? 0, kind)).join(", ")
                : `0 ${only?.length === 1 ? PLURALS[only[0] as KindName] : "objects"}`;
            context.info(
              `Pulled ${kinds} into ${context.show(dir)}: ${result.written.length} written, ` +
                `${result.unchanged} unchanged, ${result.removed.length} removed, ${result.kept.length} kept as they are.`,
            );
          }
          if (result.rekeyed.length > 0) {
            context.info(
              `References by key written in ${result.rekeyed.join(", ")} (now managed here; nothing else changed).`,
            );
          }
          if (result.staticCohorts.length > 0) {
            context.info(
              `Static cohorts pulled without their members (people of this project are never copied): ${result.staticCohorts.join(", ")}.`,
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
