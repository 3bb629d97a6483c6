// The GitHub Actions workflow cannot run here, so its shape is checked instead: it runs the
// same command as .ci/run and the README, on every supported Node, and the live contract job
// touches nothing without its secret.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number>;
}
interface Job {
  if?: string;
  env?: Record<string, string>;
  strategy?: { matrix?: { node?: number[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: { test: Job; "contract-live": Job };
}

const workflow = parse(read(".github/workflows/ci.yml")) as Workflow;
const { test: testJob, "contract-live": liveJob } = workflow.jobs;
const runs = (job: Job) => job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));
const KEY_PRESENT = "env.POSTHOG_PERSONAL_API_KEY != ''";
/** A GitHub Actions expression as the YAML writes it: `${{ ... }}`. */
const expression = (inner: string) => `\${{ ${inner} }}`;

/** The test command as .ci/run and the README write it. */
function testCommands(): { ci: string | undefined; readme: string | undefined } {
  const ci = /^npm ci && npm test$/m.exec(read(".ci/run"))?.[0];
  const readme = /^(npm ci && npm test)\s+#/m.exec(read("README.md"))?.[1];
  return { ci, readme };
}

describe(".github/workflows/ci.yml", () => {
  it("runs the README's test command, the one .ci/run runs, step by step", () => {
    const { ci, readme } = testCommands();
    expect(ci).toBe("npm ci && npm test");
    expect(readme).toBe(ci);
    expect(runs(testJob).join(" && ")).toBe(ci);
  });

  it("tests on Node 20, 22 and 24", () => {
    expect(testJob.strategy?.matrix?.node).toEqual([20, 22, 24]);
    const setup = testJob.steps.find((step) => step.uses?.startsWith("actions/setup-node@"));
    expect(setup?.with?.["node-version"]).toBe(expression("matrix.node"));
  });

  it("calls only scripts that package.json defines", () => {
    const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);
    const called = [...runs(testJob), ...runs(liveJob)].flatMap((line) =>
      [...line.matchAll(/npm (?:run ([\w:-]+)|(test)\b)/g)].map((m) => m[1] ?? m[2] ?? ""),
    );
    expect(called).toEqual(["test", "contract:live"]);
    expect(scripts).toEqual(expect.arrayContaining(called));
  });

  it("runs contract:live on a schedule and by hand, and npm test not on the schedule", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["schedule", "workflow_dispatch"]));
    expect(liveJob.if).toBe("github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
    expect(testJob.if).toBe("github.event_name != 'schedule'");
  });

  it("reads the live key from the repository secret, and host and project from variables", () => {
    expect(liveJob.env).toEqual({
      POSTHOG_PERSONAL_API_KEY: expression("secrets.POSTHOG_PERSONAL_API_KEY"),
      POSTHOG_HOST: expression("vars.POSTHOG_HOST || 'us'"),
      POSTHOG_PROJECT_ID: expression("vars.POSTHOG_PROJECT_ID || '@current'"),
    });
  });

  it("skips every live step, green, when the secret is absent, and says so", () => {
    const [notice, ...rest] = liveJob.steps;
    expect(notice?.if).toBe("env.POSTHOG_PERSONAL_API_KEY == ''");
    expect(notice?.run).toMatch(/^echo "::notice::.*skipped/);
    expect(rest.map((step) => step.if)).toEqual(rest.map(() => KEY_PRESENT));
    expect(runs(liveJob).at(-1)).toBe("npm run contract:live");
  });

  it("caches the runtimes where the packed test fetches them, keyed on their pinned versions", () => {
    const cache = testJob.steps.find((step) => step.uses?.startsWith("actions/cache@"));
    expect(cache?.with?.path).toBe("~/.cache/posthog-insights/runtimes");
    expect(cache?.with?.key).toContain("hashFiles('test/support/runtimes.ts')");
  });
});
