// `export <id|short_id>... [--format csv|json] [--out DIR] [--refresh]`: writes each insight's
// results to DIR, one file per insight named by its short id; calculates through the client's
// compute when nothing is cached or with --refresh. Prints each file written on stdout (a JSON
// array with --json); progress on stderr when there is more than one insight.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { writeAtomic } from "../../ascode/atomic.js";
import type { Insight } from "../../types.js";
import type { CliContext } from "../context.js";
import { insightWithResult, resolveInsightId } from "../insight-ref.js";
import type { CommandModule } from "../command.js";
import { SILENT } from "../progress.js";
import { insightKind } from "../render/insight.js";
import { resultTable, toCsv } from "../render/tabular.js";

/** What was written for one insight. */
export interface Exported {
  id: number;
  short_id: string;
  name: string | null;
  file: string;
}

/**
 * The `export` command.
 *
 * @example
 * // posthog-insights export AaVQ8Ijw 42 --format csv --out exports --refresh
 */
export const exportCommand: CommandModule = {
  register(program, act) {
    program
      .command("export")
      .description("calculate (with --refresh, or when nothing is cached) and write each insight's results")
      .argument("<ids...>", "ids or short ids of the insights")
      .addOption(new Option("--format <format>", "file format").choices(["csv", "json"]).default("json"))
      .option("--out <dir>", "directory to write into (created if missing)", ".")
      .option("--refresh", "calculate anew instead of using cached results")
      .option("--json", "list the files written as a JSON array")
      .action(act(runExport));
  },
};

async function runExport(context: CliContext, command: Command): Promise<number> {
  const refs = [...new Set(command.args)];
  const options = command.opts<{ format: "csv" | "json"; out: string; refresh?: boolean }>();
  const client = context.client();
  const dir = resolve(context.io.cwd, options.out);
  await mkdir(dir, { recursive: true });
  const progress = refs.length > 1 ? context.progress() : SILENT;
  progress.start("export", refs.length);
  const written: Exported[] = [];
  try {
    for (const ref of refs) {
      progress.item(ref);
      const id = await resolveInsightId(client, ref);
      const insight = await insightWithResult(client, id, { refresh: options.refresh === true });
      const file = join(dir, `${insight.short_id}.${options.format}`);
      await writeAtomic(file, options.format === "csv" ? csvOf(insight) : jsonOf(insight));
      written.push({ id, short_id: insight.short_id, name: insight.name, file });
      progress.done(ref);
    }
  } finally {
    progress.stop();
  }
  if (context.json) {
    context.out(JSON.stringify(written, null, 2));
  } else {
    context.out(written.map((item) => item.file).join("\n"));
  }
  return 0;
}

/**
 * An insight's results as CSV: one flat table for its kind (see render/tabular.ts).
 *
 * @example
 * csvOf(await posthog.insights.compute(7));
 */
export function csvOf(insight: Pick<Insight, "query" | "result" | "columns">): string {
  return toCsv(resultTable(insightKind(insight.query), insight.result, insight.columns));
}

/**
 * An insight's results as JSON: what it is, when it was computed, and PostHog's result as is.
 *
 * @example
 * jsonOf(await posthog.insights.compute(7));
 */
export function jsonOf(
  insight: Pick<Insight, "id" | "short_id" | "name" | "query" | "result" | "columns" | "last_refresh" | "timezone">,
): string {
  const { id, short_id, name, last_refresh, timezone, columns, result } = insight;
  const kind = insightKind(insight.query);
  return `${JSON.stringify({ id, short_id, name, kind, last_refresh, timezone, columns, result }, null, 2)}\n`;
}
