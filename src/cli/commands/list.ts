// `list [--kind K] [--search S] [--json]`: one line per insight (id, short id, kind, name, last
// modified), or per dashboard, action or cohort with --kind, in a table that fits the terminal;
// or the objects as a JSON array with --json.
import type { Command } from "commander";
import type { KindName } from "../../ascode/kind-names.js";
import type { Action, Cohort, DashboardBasic } from "../../object-types.js";
import type { Insight } from "../../types.js";
import { formatTimestamp } from "../render/format.js";
import { insightKind, kindLabel } from "../render/insight.js";
import { renderTable } from "../render/table.js";
import type { CommandModule } from "../command.js";
import { stdoutTerminal } from "../terminal.js";
import type { CliContext } from "../context.js";
import { parseKind } from "../kinds.js";

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
      .description("one line per insight (id, short id, kind, name, last modified), or per dashboard, action or cohort")
      .option("--kind <kind>", "insight (default), dashboard, action or cohort", parseKind)
      .option("--search <text>", "only objects whose name (or description) contains this")
      .option("--json", "the objects as a JSON array")
      .action(act(runList));
  },
};

async function runList(context: CliContext, command: Command): Promise<number> {
  const { search, kind = "insight" } = command.opts<{ search?: string; kind?: KindName }>();
  if (kind !== "insight") {
    return listOther(context, kind, search);
  }
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

/** The dashboards, actions or cohorts of the project, as a table or JSON. */
async function listOther(context: CliContext, kind: Exclude<KindName, "insight">, search: string | undefined) {
  const client = context.client();
  const query = search === undefined ? {} : { search };
  let rows: string[][];
  let objects: object[];
  let headers: string[];
  if (kind === "dashboard") {
    const dashboards: DashboardBasic[] = [];
    for await (const dashboard of client.dashboards.list({ limit: PAGE, ...query })) {
      dashboards.push(dashboard);
    }
    objects = dashboards;
    headers = ["id", "name", "pinned", "tags"];
    rows = dashboards.map((d) => [String(d.id), d.name || "(untitled)", d.pinned ? "yes" : "", d.tags.join(", ")]);
  } else if (kind === "action") {
    // Actions are not paged, nor searched by PostHog: the name is matched here.
    const needle = (search ?? "").toLowerCase();
    const actions: Action[] = (await client.actions.list()).filter((a) =>
      (a.name ?? "").toLowerCase().includes(needle),
    );
    objects = actions;
    headers = ["id", "name", "steps", "tags"];
    rows = actions.map((a) => [
      String(a.id),
      a.name || "(untitled)",
      String(a.steps.length),
      (a.tags ?? []).join(", "),
    ]);
  } else {
    const cohorts: Cohort[] = [];
    for await (const cohort of client.cohorts.list({ limit: PAGE, ...query })) {
      cohorts.push(cohort);
    }
    objects = cohorts;
    headers = ["id", "name", "type", "people"];
    rows = cohorts.map((c) => [
      String(c.id),
      c.name || "(untitled)",
      c.is_static ? "static" : "dynamic",
      c.count === null || c.count === undefined ? "" : String(c.count),
    ]);
  }
  if (context.json) {
    context.out(JSON.stringify(objects, null, 2));
    return 0;
  }
  if (rows.length === 0) {
    context.info(search === undefined ? `No ${kind}s in this project.` : `No ${kind} matches "${search}".`);
    return 0;
  }
  const terminal = stdoutTerminal(context.io);
  const columns = headers.map((header, index) => ({
    header,
    ...(index === 0 ? { align: "end" as const } : {}),
    ...(header === "name" ? { minWidth: 12 } : {}),
  }));
  context.out(renderTable(columns, rows, { columns: terminal.columns, color: terminal.color }));
  return 0;
}
