// The built command (`dist/cli.js`, what `npx posthog-insights` runs) as a child process against
// the fake served over real loopback HTTP: exit codes, stdout for results only, plain non-TTY text.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakePostHog } from "../../src/testing/index.js";

const bin = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
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

/** Runs the built command with the fake's key and host, as CI would (not a terminal). */
function cli(args: string[]): Promise<Outcome> {
  const env = { ...process.env, POSTHOG_PERSONAL_API_KEY: fake.apiKey, CI: "true", NO_COLOR: "1" };
  return new Promise((resolve) => {
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
});
