// The built command (`dist/cli.js`) copying two dashboards between two fakes on two loopback hosts,
// killed (SIGKILL) mid-copy at one step after another (a cohort's create, an insight's create, an
// insight put on a dashboard, the layouts' update), each run resuming the last: the copy ends
// complete, with no duplicate of anything and nothing lost, and a rerun writes nothing.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FakeRequest } from "../../src/testing/index.js";
import { COPIED, copyProjects, holdings, walkDestination } from "../support/copy-projects.js";
import { CACHE_DIR } from "./support.js";

const bin = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
// Each run starts a Node process: a second or two here, up to ten under a loaded 2-core CI.
vi.setConfig({ testTimeout: 120_000 });

let projects: Awaited<ReturnType<typeof copyProjects>>;
let dir: string;

beforeAll(async () => {
  if (!existsSync(bin)) {
    throw new Error("dist/cli.js is missing: run `npm run build` first (npm test does).");
  }
  projects = await copyProjects();
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-copy-child-"));
});

afterAll(async () => {
  await projects?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Starts the built copy as a CI job would (not a terminal, both keys in the environment). */
function spawn(args: string[], done?: (outcome: Outcome, signal: NodeJS.Signals | null) => void) {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", NO_COLOR: "1", XDG_CACHE_HOME: CACHE_DIR };
  for (const name of Object.keys(env).filter((n) => n.startsWith("POSTHOG_"))) {
    delete env[name];
  }
  Object.assign(env, projects.keys);
  return execFile(
    process.execPath,
    [bin, "copy", "--dashboards", ...projects.args, ...args],
    { cwd: dir, env, timeout: 60_000 },
    (err, stdout, stderr) =>
      done?.(
        { code: err ? Number(err.code ?? 1) : 0, stdout, stderr },
        err ? ((err as { signal?: NodeJS.Signals }).signal ?? null) : null,
      ),
  );
}

describe("copy as a child process, killed mid-copy", () => {
  it("a copy killed (SIGKILL) at each step in turn, each run resuming the last, ends complete with no duplicate; a rerun writes nothing", async () => {
    const { destination } = projects;
    const steps: [string, (r: FakeRequest) => boolean][] = [
      ["a cohort's create", (r) => r.method === "POST" && /\/cohorts\/$/.test(r.path)],
      ["an insight's create", (r) => r.method === "POST" && /\/insights\/$/.test(r.path)],
      ["an insight put on a dashboard", (r) => r.method === "PATCH" && /\/insights\/\d+\/$/.test(r.path)],
      ["the layouts' update", (r) => r.method === "PATCH" && /\/dashboards\/\d+\/$/.test(r.path)],
    ];
    const figures: string[] = [];
    for (const [step, matches] of steps) {
      const before = destination.requests.length;
      // Paced while it may be killed, so that the kill lands at the step.
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
        const child = spawn(["--rate-limit", "8/s"]);
        const poll = setInterval(() => {
          if (destination.requests.slice(before).some(matches)) {
            clearInterval(poll);
            child.kill("SIGKILL");
          }
        }, 5);
        child.on("exit", (_code, killed) => {
          clearInterval(poll);
          resolve(killed);
        });
      });
      expect(signal, step).toBe("SIGKILL");
      figures.push(`at ${step} after ${destination.requests.length - before} requests`);
    }

    const resumed = await new Promise<Outcome>((resolve) => spawn(["--rate-limit", "off"], resolve));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/warning: took over the lock a killed run left/);

    // One of everything: no duplicate, nothing lost.
    expect(holdings(destination)).toEqual(COPIED);
    for (const ref of walkDestination(projects.source, destination)) {
      expect(ref.names, ref.where).toBe(ref.sourceNames);
    }
    const state = JSON.parse(readFileSync(join(dir, ".posthog-insights", "copy-state.json"), "utf8"));
    for (const target of Object.values(state.targets) as Record<string, { pending?: object }>[]) {
      for (const kind of ["actions", "cohorts", "insights", "dashboards"]) {
        expect(target[kind]?.pending ?? {}, kind).toEqual({});
      }
    }

    const writes = destination.requests.filter((r) => r.method !== "GET").length;
    const again = await new Promise<Outcome>((resolve) => spawn(["--rate-limit", "off"], resolve));
    expect(again.code, again.stderr).toBe(0);
    expect(destination.requests.filter((r) => r.method !== "GET")).toHaveLength(writes);
    expect(again.stdout).not.toMatch(/\((created|updated|adopted)/);
    console.log(`SIGKILL copy, each run resuming the last: killed ${figures.join("; ")}`);
  });
});
