// `get <id|short_id> [--kind K] [--json]`: one object in the file form `pull` writes (writable
// fields, canonical order, no nulls), as YAML on stdout, or JSON with --json: an insight (by id
// or short id) by default, or a dashboard, action or cohort by id. Ids stay numbers (no
// directory, so no keys); a SQL insight's HogQL stays inline: stdout is one document.
import type { Command } from "commander";
import { stringify } from "yaml";
import { schemaHeader } from "../../ascode/files.js";
import type { KindName } from "../../ascode/kind-names.js";
import { KeyMap } from "../../ascode/keymap.js";
import { kindNamed } from "../../ascode/kinds/index.js";
import { emptyTarget } from "../../ascode/state.js";
import type { CliContext } from "../context.js";
import { resolveInsightId } from "../insight-ref.js";
import type { CommandModule } from "../command.js";
import { parseKind } from "../kinds.js";

/**
 * The `get` command.
 *
 * @example
 * // posthog-insights get AaVQ8Ijw > daily-signups.insight.yaml
 * // posthog-insights get 3 --kind dashboard
 */
export const get: CommandModule = {
  register(program, act) {
    program
      .command("get")
      .description(
        "one object as its file (YAML, or JSON with --json) on stdout: an insight, or --kind dashboard|action|cohort",
      )
      .argument("<id>", "the object's id (or an insight's short id)")
      .option("--kind <kind>", "insight (default), dashboard, action or cohort", parseKind)
      .option("--json", "the file as JSON")
      .action(act(runGet));
  },
};

async function runGet(context: CliContext, command: Command): Promise<number> {
  const [ref = ""] = command.args;
  const { kind: name = "insight" } = command.opts<{ kind?: KindName }>();
  const client = context.client();
  const remote = await retrieve(client, name, ref);
  const kind = kindNamed(name);
  // No directory here: nothing is managed under a key, so every id stays as PostHog has it.
  const file = kind.toFile(remote, { keys: new KeyMap(emptyTarget(client.host, client.projectId)) });
  const document = kind.document(file);
  if (context.json) {
    context.out(JSON.stringify(document, null, 2));
  } else {
    context.out(schemaHeader(kind) + stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }));
  }
  return 0;
}

async function retrieve(client: ReturnType<CliContext["client"]>, kind: KindName, ref: string) {
  switch (kind) {
    case "insight":
      return client.insights.retrieve(await resolveInsightId(client, ref));
    case "dashboard":
      return client.dashboards.retrieve(ref);
    case "action":
      return client.actions.retrieve(ref);
    default:
      return client.cohorts.retrieve(ref);
  }
}
