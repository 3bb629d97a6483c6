// `get <id|short_id> [--json]`: one insight in the insight-file form `pull` writes (writable
// fields, canonical order, no nulls), as YAML on stdout, or JSON with --json. A SQL insight's
// HogQL stays inline: stdout is one document, there is no sidecar file.
import type { Command } from "commander";
import { stringify } from "yaml";
import { canonicalFile, canonicalJson } from "../../ascode/canonical.js";
import { SCHEMA_URL } from "../../ascode/files.js";
import type { CliContext } from "../context.js";
import { resolveInsightId } from "../insight-ref.js";
import type { CommandModule } from "../command.js";

/**
 * The `get` command.
 *
 * @example
 * // posthog-insights get AaVQ8Ijw > daily-signups.insight.yaml
 */
export const get: CommandModule = {
  register(program, act) {
    program
      .command("get")
      .description("one insight as an insight file (YAML, or JSON with --json) on stdout")
      .argument("<id>", "the insight's id or short id")
      .option("--json", "the insight file as JSON")
      .action(act(runGet));
  },
};

async function runGet(context: CliContext, command: Command): Promise<number> {
  const [ref = ""] = command.args;
  const client = context.client();
  const insight = await client.insights.retrieve(await resolveInsightId(client, ref));
  const file = canonicalJson(canonicalFile(insight));
  if (context.json) {
    context.out(JSON.stringify(file, null, 2));
  } else {
    context.out(
      `# yaml-language-server: $schema=${SCHEMA_URL}\n` +
        stringify(file, { lineWidth: 0, aliasDuplicateObjects: false }),
    );
  }
  return 0;
}
