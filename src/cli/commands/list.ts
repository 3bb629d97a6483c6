// `list [--search S] [--json]`: one line per insight (id, short id, kind, name, last modified)
// in a table that fits the terminal, or the insights as a JSON array with --json.
import type { Command } from "commander";
import type { Insight } from "../../types.js";
import { formatTimestamp } from "../render/format.js";
import { insightKind, kindLabel } from "../render/insight.js";
import { renderTable } from "../render/table.js";
import type { CommandModule } from "../command.js";
import { stdoutTerminal } from "../terminal.js";
import type { CliContext } from "../context.js";

/** What a line of `list` shows; `basic: true` items have these fields. */
export type ListedInsight = Pick<Insight, "id" | "short_id" | "name" | "derived_name" | "query" | "last_modified_at">;

/** Page size of the list requests: PostHog has no maximum; 100 is its default. */
const PAGE = 100;

/**
 * The `list` command.
 *
 * @example
 * // posthog-insights list --search signup
 */
export const list: CommandModule = {
  register(program, act) {
    program
      .command("list")
      .description("one line per insight: id, short id, kind, name, last modified")
      .option("--search <text>", "only insights whose name or description contains this")
      .option("--json", "the insights as a JSON array")
      .action(act(runList));
  },
};

async function runList(context: CliContext, command: Command): Promise<number> {
  const { search } = command.opts<{ search?: string }>();
  const client = context.client();
  const insights: Insight[] = [];
  // basic: no result fields, so a large project lists quickly; pages are paced by the client.
  const params = search === undefined ? { basic: true, limit: PAGE } : { basic: true, limit: PAGE, search };
  for await (const insight of client.insights.list(params)) {
    insights.push(insight);
  }
  if (context.json) {
    context.out(JSON.stringify(insights, null, 2));
    return 0;
  }
  if (insights.length === 0) {
    context.info(search === undefined ? "No insights in this project." : `No insight matches "${search}".`);
    return 0;
  }
  const terminal = stdoutTerminal(context.io);
  context.out(listTable(insights, terminal.columns, terminal.color));
  return 0;
}

/**
 * The insights as a table of `columns` width.
 *
 * @example
 * listTable(insights, 100, false);
 */
export function listTable(insights: ListedInsight[], columns: number, color: boolean): string {
  return renderTable(
    [
      { header: "id", align: "end" },
      { header: "short id", minWidth: 8 },
      { header: "kind", minWidth: 6 },
      { header: "name", minWidth: 12 },
      { header: "last modified", minWidth: 16 },
    ],
    insights.map((insight) => [
      String(insight.id),
      insight.short_id,
      kindLabel(insightKind(insight.query)),
      insight.name || insight.derived_name || "(untitled)",
      insight.last_modified_at ? formatTimestamp(insight.last_modified_at) : "",
    ]),
    { columns, color },
  );
}
