// The CLI tour of `npm start`: the `posthog-insights` command run in process against the stateful
// fake (no account, no network): pull a project's insights and dashboard into a temporary
// directory, rename an insight and move a tile in the dashboard's file, plan, push, show.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../src/cli/run.ts";
import { createFakePostHog } from "../src/testing/index.ts";

/** What one step printed and how it exited. */
export interface TourStep {
  command: string;
  code: number;
  stdout: string;
}

/**
 * Runs the tour and reports each step through `log`; resolves to the steps, for tests.
 *
 * @example
 * await cliTour(console.log);
 */
export async function cliTour(log: (line: string) => void): Promise<TourStep[]> {
  const fake = createFakePostHog({ projectId: 1 });
  const posthog = fake.client();
  const signups = await posthog.insights.create({
    name: "Daily signups",
    query: {
      kind: "InsightVizNode",
      source: {
        kind: "TrendsQuery",
        series: [
          { kind: "EventsNode", event: "user signed up" },
          { kind: "EventsNode", event: "$pageview", math: "dau" },
        ],
        interval: "day",
      },
    },
  });
  const funnel = await posthog.insights.create({
    name: "Signup funnel",
    query: {
      kind: "InsightVizNode",
      source: {
        kind: "FunnelsQuery",
        series: [
          { kind: "EventsNode", event: "$pageview" },
          { kind: "EventsNode", event: "user signed up" },
        ],
      },
    },
  });

  // A dashboard showing both, side by side, with a note under them.
  const growth = await posthog.dashboards.create({ name: "Growth", pinned: true });
  for (const insight of [signups, funnel]) {
    await posthog.insights.update(insight.id, { dashboards: [growth.id] });
  }
  const { tiles } = await posthog.dashboards.retrieve(growth.id);
  await posthog.dashboards.update(growth.id, {
    tiles: tiles.map((tile) => ({
      id: tile.id,
      layouts: { sm: { x: tile.insight?.id === signups.id ? 0 : 6, y: 0, w: 6, h: 5 } },
    })),
  });
  await posthog.dashboards.createTextTile(growth.id, {
    body: "Signups by day, and how many visitors sign up.",
    layouts: { sm: { x: 0, y: 5, w: 12, h: 1 } },
  });

  const dir = mkdtempSync(join(tmpdir(), "posthog-insights-tour-"));
  const steps: TourStep[] = [];
  const cli = async (args: string[], what: string): Promise<TourStep> => {
    let stdout = "";
    const code = await run([...args, "--host", fake.origin, "--project", "1", "--no-progress"], {
      env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey },
      cwd: dir,
      fetch: fake.fetch,
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
    });
    const step = { command: `posthog-insights ${args.join(" ")}`, code, stdout };
    steps.push(step);
    log(`\n$ ${step.command}    # ${what} (exit ${code})`);
    if (stdout.trim()) {
      log(stdout.trimEnd());
    }
    return step;
  };

  try {
    await cli(["pull", "insights"], "every insight, dashboard, action and cohort of the project, one file each");
    log(readdirSync(join(dir, "insights")).join("  "));
    const dashboard = join(dir, "insights", "growth.dashboard.yaml");
    log("\n$ cat insights/growth.dashboard.yaml");
    log(readFileSync(dashboard, "utf8").trimEnd());
    const file = join(dir, "insights", "daily-signups.insight.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("name: Daily signups", "name: Daily signups (all)"));
    // The funnel moves under the signups, full width: a tile moved in the file.
    const moved = "- insight: signup-funnel\n    layout:\n      x: 0\n      y: 6\n      w: 12\n";
    writeFileSync(
      dashboard,
      readFileSync(dashboard, "utf8").replace(
        /- insight: signup-funnel\n {4}layout:\n {6}x: 6\n {6}y: 0\n {6}w: 6\n/,
        moved,
      ),
    );
    log("\n(edited insights/daily-signups.insight.yaml: renamed the insight;");
    log(" edited insights/growth.dashboard.yaml: moved the funnel's tile under the note, full width)");
    await cli(["plan", "insights"], "what push would change, field by field, tiles included");
    await cli(["push", "insights"], "the project now matches the files");
    await cli(["show", signups.short_id, "--refresh"], "a trends insight drawn in the terminal");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return steps;
}
