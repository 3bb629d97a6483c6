// The built command (`dist/cli.js`, what `npx posthog-insights` runs) as a child process against
// the fake served over real loopback HTTP: exit codes, stdout for results only, plain non-TTY text;
// pull, plan and push as a CI job runs them, a missing key, and a push killed midway then resumed.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { planDir, pull } from "../../src/ascode/engine.js";
import { PostHogClient } from "../../src/client.js";
import { createFakePostHog, type FakeRequest } from "../../src/testing/index.js";
import { seededFake } from "../support/analytics-project.js";
import { CACHE_DIR } from "./support.js";

const bin = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
// Each run starts a Node process: a second or two here, up to ten under a loaded 2-core CI, and
// some tests run five of them.
vi.setConfig({ testTimeout: 120_000 });
const fake = createFakePostHog({ projectId: 5 });
let server: { url: string; close(): Promise<void> };
let dir: string;
let signups: { id: number; short_id: string };

beforeAll(async () => {
  if (!existsSync(bin)) {
    throw new Error("dist/cli.js is missing: run `npm run build` first (npm test does).");
  }
  signups = await fake.client().insights.create({
    name: "Daily signups",
    query: {
      kind: "InsightVizNode",
      source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "user signed up" }], interval: "day" },
    },
  });
  server = await fake.listen();
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-child-"));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a CI job: this process's, without any PostHog variable. */
function ciEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", NO_COLOR: "1", XDG_CACHE_HOME: CACHE_DIR };
  for (const name of Object.keys(env).filter((n) => n.startsWith("POSTHOG_") || n === "FORCE_COLOR")) {
    delete env[name];
  }
  return env;
}

/** Runs the built command with the fake's key and host, as CI would (not a terminal). */
function cli(args: string[], env: NodeJS.ProcessEnv = { ...ciEnv(), POSTHOG_PERSONAL_API_KEY: fake.apiKey }) {
  return new Promise<Outcome>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args, "--host", server.url, "--project", "5"],
      { cwd: dir, env, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * Another fake over loopback, and a new directory of `count` insight files (or a copy of the
 * directory `from`) to push to it: the built command runs there (`run` waits for it, `spawn`
 * hands the process over).
 */
async function newProject(projectId: number, count: number, from?: string) {
  const fake = createFakePostHog({ projectId });
  const listening = await fake.listen();
  const work = mkdtempSync(join(tmpdir(), "posthog-insights-job-"));
  mkdirSync(join(work, "insights"));
  if (from) {
    cpSync(from, join(work, "insights"), { recursive: true });
  }
  for (let n = 1; n <= count; n++) {
    const query = {
      kind: "InsightVizNode",
      source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: `e${n}` }] },
    };
    writeFileSync(join(work, "insights", `metric-${n}.insight.yaml`), JSON.stringify({ name: `Metric ${n}`, query }));
  }
  const env = { ...ciEnv(), POSTHOG_PERSONAL_API_KEY: fake.apiKey };
  const spawn = (args: string[], done?: (outcome: Outcome) => void) =>
    execFile(
      process.execPath,
      [bin, ...args, "--host", listening.url, "--project", String(projectId)],
      { cwd: work, env, timeout: 60_000 },
      (err, stdout, stderr) => done?.({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  return {
    work,
    spawn,
    run: (args: string[]) => new Promise<Outcome>((resolve) => spawn(args, resolve)),
    fake,
    /** A client of this project through its loopback URL: the target the command's state is kept for. */
    client: () => new PostHogClient({ apiKey: fake.apiKey, host: listening.url, projectId, rateLimit: false }),
    creates: () => fake.requests.filter((r) => r.method === "POST").length,
    live: () => fake.insights.filter((i) => !i.deleted),
    async close() {
      await listening.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

// The start of every ANSI colour or cursor sequence.
const ESC = "\u001b[";

describe("the posthog-insights command as a child process", () => {
  it("list exits 0 with the insights on stdout and nothing else there", async () => {
    const { code, stdout, stderr } = await cli(["list"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Daily signups");
    expect(stdout).toContain(signups.short_id);
    expect(stdout + stderr).not.toContain(ESC);
  });

  it("get --json prints the insight file as one JSON document", async () => {
    const { code, stdout } = await cli(["get", signups.short_id, "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ name: "Daily signups" });
  });

  it("show draws the chart as plain text when stdout is not a terminal", async () => {
    const { code, stdout } = await cli(["show", String(signups.id), "--refresh"]);
    expect(code).toBe(0);
    expect(stdout).toContain("user signed up");
    expect(stdout).not.toContain(ESC);
  });

  it("export writes the file and lists it with --json", async () => {
    const { code, stdout } = await cli(["export", signups.short_id, "--format", "csv", "--out", "out", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(1);
    expect(readdirSync(join(dir, "out"))).toHaveLength(1);
  });

  it("exits 1 with one line on stderr when the insight does not exist, and prints nothing on stdout", async () => {
    const { code, stdout, stderr } = await cli(["get", "ZzZz9999"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).not.toContain(fake.apiKey);
  });

  it("exits 2 on bad usage", async () => {
    const { code, stdout } = await cli(["list", "--no-such-flag"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
  });

  it("pull, plan --exit-code 0, edit, plan --exit-code 3 with the plan on stdout only, push, plan 0", async () => {
    const pulled = await cli(["pull"]);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toBe("");
    expect(pulled.stderr).toMatch(/Pulled 1 insight/);
    const [file] = readdirSync(join(dir, "insights")).filter((f) => f.endsWith(".insight.yaml"));
    expect(file).toBe("daily-signups.insight.yaml");

    const clean = await cli(["plan", "--exit-code"]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^Plan: 0 to create, 0 to adopt, 0 to update/m);

    const path = join(dir, "insights", file as string);
    writeFileSync(path, readFileSync(path, "utf8").replace("interval: day", "interval: week"));
    const changed = await cli(["plan", "--exit-code"]);
    expect(changed.code).toBe(3);
    expect(changed.stdout).toMatch(/^update\s+daily-signups \(#\d+ \w+\)$/m);
    expect(changed.stdout).toContain('query.source.interval: "day" -> "week"');
    expect(changed.stdout).toMatch(/^Plan: 0 to create, 0 to adopt, 1 to update/m);
    // Progress and messages only on stderr: nothing of the plan there, no escape codes anywhere.
    expect(changed.stderr).not.toMatch(/daily-signups|Plan:/);
    expect(changed.stdout + changed.stderr + pulled.stderr).not.toContain(ESC);

    const pushed = await cli(["push"]);
    expect(pushed.code).toBe(0);
    expect(pushed.stderr).toContain("Pushed: 0 created, 0 adopted, 1 updated, 0 deleted.");
    expect(pushed.stdout + pushed.stderr).not.toContain(ESC);
    expect(fake.insights.find((i) => i.id === signups.id)?.query).toMatchObject({ source: { interval: "week" } });
    expect(await cli(["plan", "--exit-code"])).toMatchObject({ code: 0 });
  });

  it("push without POSTHOG_PERSONAL_API_KEY exits 2 with one line naming it, nothing on stdout, nothing sent", async () => {
    const before = fake.requests.length;
    const { code, stdout, stderr } = await cli(["push"], ciEnv());
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("POSTHOG_PERSONAL_API_KEY");
    expect(fake.requests.length).toBe(before);
  });

  it("a push killed (SIGKILL) midway resumes on the next run: one insight per file, state complete, plan empty", async () => {
    const project = await newProject(6, 10);
    try {
      const push = ["push", "--rate-limit", "2/s"];
      const killed = await new Promise<{ signal: NodeJS.Signals | null; createsAtKill: number }>((resolve) => {
        const child = project.spawn(push);
        let createsAtKill = 0;
        const poll = setInterval(() => {
          if (project.creates() >= 4) {
            createsAtKill = project.creates();
            child.kill("SIGKILL");
            clearInterval(poll);
          }
        }, 10);
        child.on("exit", (_code, signal) => {
          clearInterval(poll);
          resolve({ signal, createsAtKill });
        });
      });
      expect(killed.signal).toBe("SIGKILL");
      expect(project.creates()).toBeLessThan(10);

      // The killed run's lock is stale (its pid is gone): the rerun takes it over.
      const resumed = await project.run(push);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(/warning: took over the lock a killed run left \(pid \d+ on /);
      expect(project.creates()).toBe(10);
      const names = project.live().map((i) => i.name);
      expect(new Set(names).size).toBe(10);
      expect(names).toHaveLength(10);
      const state = JSON.parse(readFileSync(join(project.work, "insights", ".posthog-insights", "state.json"), "utf8"));
      const [target] = Object.values(state.targets) as { insights: { entries: object; pending: object } }[];
      expect(Object.keys(target?.insights.entries ?? {})).toHaveLength(10);
      expect(target?.insights.pending).toEqual({});
      const plan = await project.run(["plan", "--exit-code"]);
      expect(plan.code, plan.stdout).toBe(0);
      console.log(
        `SIGKILL push: killed with ${killed.createsAtKill} creates sent; ${project.creates()} creates in all for 10 files`,
      );
    } finally {
      await project.close();
    }
  });

  it("a push of dashboards killed (SIGKILL) at each step of the tile protocol, run again after each kill, ends complete: no duplicate, nothing lost", async () => {
    // A pulled project with every kind: two dashboards, one with three insight tiles and a card.
    const source = await seededFake();
    const pulled = mkdtempSync(join(tmpdir(), "posthog-insights-pulled-"));
    await pull(source.fake.client({ rateLimit: false }), pulled);
    const project = await newProject(20, 0, pulled);
    // The tile protocol's steps: the dashboard made, an insight put on it, its card, its layouts.
    // Each run resumes the one killed before it, and is killed at the next step.
    const steps: [string, (r: FakeRequest) => boolean][] = [
      ["the dashboard's create", (r) => r.method === "POST" && /\/dashboards\/$/.test(r.path)],
      ["an insight's dashboards set", (r) => r.method === "PATCH" && /\/insights\/\d+\/$/.test(r.path)],
      ["the text card's create", (r) => r.method === "POST" && r.path.endsWith("/create_text_tile/")],
      ["the layouts' update", (r) => r.method === "PATCH" && /\/dashboards\/\d+\/$/.test(r.path)],
    ];
    const figures: string[] = [];
    try {
      for (const [step, matches] of steps) {
        const before = project.fake.requests.length;
        // Paced while it may be killed, so that the kill lands at the step.
        const killed = await new Promise<NodeJS.Signals | null>((resolve) => {
          const child = project.spawn(["push", "--rate-limit", "8/s"]);
          const poll = setInterval(() => {
            if (project.fake.requests.slice(before).some(matches)) {
              clearInterval(poll);
              child.kill("SIGKILL");
            }
          }, 5);
          child.on("exit", (_code, signal) => {
            clearInterval(poll);
            resolve(signal);
          });
        });
        expect(killed, step).toBe("SIGKILL");
        figures.push(`at ${step} after ${project.fake.requests.length - before} requests`);
      }
      const resumed = await project.run(["push", "--rate-limit", "off"]);
      expect(resumed.code, resumed.stderr).toBe(0);
      const live = <T extends { deleted?: boolean | null; name?: string | null }>(items: T[]) =>
        items.filter((item) => !item.deleted).map((item) => item.name);
      expect(live(project.fake.dashboards).sort()).toEqual(["Growth", "Team"]);
      expect(live(project.fake.actions)).toHaveLength(3);
      expect(live(project.fake.cohorts)).toHaveLength(2);
      expect(live(project.fake.insights)).toHaveLength(4);
      const growth = project.fake.dashboards.find((d) => d.name === "Growth");
      expect(growth?.tiles.map((t) => t.insight?.name ?? t.text?.body?.split("\n")[0]).sort()).toEqual([
        "## Notes",
        "Daily signups",
        "Purchases by power users",
        "Signup funnel",
      ]);
      const { plan } = await planDir(project.client(), join(project.work, "insights"));
      expect(
        plan.differs,
        JSON.stringify(plan.actions.filter((a) => a.action !== "unchanged").map(({ file: _f, remote: _r, ...a }) => a)),
      ).toBe(false);
      console.log(
        `SIGKILL during the tile protocol, each run resuming the last: killed ${figures.join("; ")}; ${project.fake.requests.length} requests in all`,
      );
    } finally {
      await project.close();
      rmSync(pulled, { recursive: true, force: true });
    }
  });

  it("two pushes started at once (two CI jobs): one makes every insight, the other stops on the lock; no duplicate", async () => {
    const project = await newProject(8, 20);
    try {
      const outcomes = await Promise.all([0, 1].map(() => project.run(["push", "--rate-limit", "20/s"])));
      expect(new Set(project.live().map((i) => i.name)).size).toBe(20);
      expect(project.live()).toHaveLength(20);
      const codes = outcomes.map((o) => o.code).sort();
      // Both may succeed when the first is done before the second starts; never a duplicate.
      if (codes[1] === 1) {
        const lost = outcomes.find((o) => o.code === 1);
        expect(lost?.stderr).toMatch(/lock is held by push \(pid \d+ on /);
      } else {
        expect(codes).toEqual([0, 0]);
      }
      console.log(`two pushes at once: exit codes ${codes.join(", ")}; ${project.live().length} insights for 20 files`);
    } finally {
      await project.close();
    }
  });

  it("Ctrl-C (SIGINT) during a push exits 130 with a line saying so, leaves no lock, and the rerun resumes", async () => {
    const project = await newProject(9, 6);
    try {
      const push = ["push", "--rate-limit", "3/s"];
      const interrupted = await new Promise<Outcome>((resolve) => {
        const child = project.spawn(push, resolve);
        const poll = setInterval(() => {
          if (project.creates() >= 1) {
            clearInterval(poll);
            child.kill("SIGINT");
          }
        }, 10);
      });
      expect(interrupted.code).toBe(130);
      expect(interrupted.stderr).toMatch(
        /Interrupted \(SIGINT\): nothing is left half-written.*run the same command again to resume/,
      );
      expect(existsSync(join(project.work, "insights", ".posthog-insights", "lock"))).toBe(false);
      const resumed = await project.run(push);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).not.toMatch(/took over the lock/);
      expect(project.live()).toHaveLength(6);
    } finally {
      await project.close();
    }
  });
});
