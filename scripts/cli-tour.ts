// The CLI tour of `npm start`: the `posthog-insights` command run in process against the stateful
// fake (no account, no network): pull into a temporary directory, edit a file, plan, push, show.
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
  await posthog.insights.create({
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
    await cli(["pull", "insights"], "every insight of the project, one file each");
    log(readdirSync(join(dir, "insights")).join("  "));
    const file = join(dir, "insights", "daily-signups.insight.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("name: Daily signups", "name: Daily signups (all)"));
    log("\n(edited insights/daily-signups.insight.yaml: renamed the insight)");
    await cli(["plan", "insights"], "what push would change, field by field");
    await cli(["push", "insights"], "the project now matches the files");
    await cli(["show", signups.short_id, "--refresh"], "a trends insight drawn in the terminal");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return steps;
}
