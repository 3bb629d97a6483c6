// `show <id|short_id> [--refresh]`: draws an insight's result on stdout (trends chart, funnel
// bars, retention cohorts, tables), calculating it when nothing is cached or with --refresh.
// With --json, the result itself.
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { insightWithResult, resolveInsightId } from "../insight-ref.js";
import type { CommandModule } from "../command.js";
import { insightKind, renderInsight } from "../render/insight.js";
import { stdoutTerminal } from "../terminal.js";

/**
 * The `show` command.
 *
 * @example
 * // posthog-insights show AaVQ8Ijw --refresh
 */
export const show: CommandModule = {
  register(program, act) {
    program
      .command("show")
      .description("draw an insight's results in the terminal")
      .argument("<id>", "the insight's id or short id")
      .option("--refresh", "calculate anew instead of using the cached result")
      .option("--json", "the result as JSON instead of a drawing")
      .action(act(runShow));
  },
};

async function runShow(context: CliContext, command: Command): Promise<number> {
  const [ref = ""] = command.args;
  const { refresh = false } = command.opts<{ refresh?: boolean }>();
  const client = context.client();
  const id = await resolveInsightId(client, ref);
  const insight = await insightWithResult(client, id, { refresh });
  if (context.json) {
    const { short_id, name, last_refresh, result, columns } = insight;
    const kind = insightKind(insight.query);
    context.out(JSON.stringify({ id, short_id, name, kind, last_refresh, columns, result }, null, 2));
    return 0;
  }
  context.out(renderInsight(insight, stdoutTerminal(context.io)));
  return 0;
}
