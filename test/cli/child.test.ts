// The built command (`dist/cli.js`, what `npx posthog-insights` runs) as a child process against
// the fake served over real loopback HTTP: exit codes, stdout for results only, plain non-TTY text;
// pull, plan and push as a CI job runs them, a missing key, and a push killed midway then resumed.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFakePostHog } from "../../src/testing/index.js";
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
  for (const name of Object.keys(env).filter((n) => n.startsWith("POSTHOG_"))) {
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
    const other = createFakePostHog({ projectId: 6 });
    const listening = await other.listen();
    const work = mkdtempSync(join(tmpdir(), "posthog-insights-kill-"));
    try {
      mkdirSync(join(work, "insights"));
      for (let n = 1; n <= 10; n++) {
        const query = {
          kind: "InsightVizNode",
          source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: `e${n}` }] },
        };
        writeFileSync(
          join(work, "insights", `metric-${n}.insight.yaml`),
          JSON.stringify({ name: `Metric ${n}`, query }),
        );
      }
      const env = { ...ciEnv(), POSTHOG_PERSONAL_API_KEY: other.apiKey };
      const args = [bin, "push", "--host", listening.url, "--project", "6", "--rate-limit", "2/s"];
      const creates = () => other.requests.filter((r) => r.method === "POST").length;
      const killed = await new Promise<{ signal: NodeJS.Signals | null; createsAtKill: number }>((resolve) => {
        const child = execFile(process.execPath, args, { cwd: work, env, timeout: 60_000 });
        let createsAtKill = 0;
        const poll = setInterval(() => {
          if (creates() >= 4) {
            createsAtKill = creates();
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
      expect(creates()).toBeLessThan(10);

      const again = (argv: string[]) =>
        new Promise<Outcome>((resolve) => {
          execFile(process.execPath, argv, { cwd: work, env, timeout: 60_000 }, (err, stdout, stderr) =>
            resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
          );
        });
      const resumed = await again(args);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(creates()).toBe(10);
      const names = other.insights.filter((i) => !i.deleted).map((i) => i.name);
      expect(new Set(names).size).toBe(10);
      expect(names).toHaveLength(10);
      const state = JSON.parse(readFileSync(join(work, "insights", ".posthog-insights", "state.json"), "utf8"));
      const [target] = Object.values(state.targets) as { entries: object; pending: object }[];
      expect(Object.keys(target?.entries ?? {})).toHaveLength(10);
      expect(target?.pending).toEqual({});
      const plan = await again([bin, "plan", "--exit-code", "--host", listening.url, "--project", "6"]);
      expect(plan.code, plan.stdout).toBe(0);
      console.log(
        `SIGKILL push: killed with ${killed.createsAtKill} creates sent; ${creates()} creates in all for 10 files`,
      );
    } finally {
      await listening.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
