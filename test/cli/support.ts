// Runs the CLI in process with captured stdout and stderr.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** One cache directory per test process: the CLI keeps its pacing file there, not in the user's. */
export const CACHE_DIR = mkdtempSync(join(tmpdir(), "posthog-insights-cache-"));

/**
 * Runs `argv` with the given environment and fetch; plain progress (no terminal). The pacing
 * file goes to `CACHE_DIR` unless the environment names another `XDG_CACHE_HOME`.
 */
export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    cwd: process.cwd(),
    ...io,
    env: { XDG_CACHE_HOME: CACHE_DIR, ...io.env },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** A daily trends query, as the end-to-end tests create it in the fake. */
export const trends = {
  kind: "InsightVizNode" as const,
  source: {
    kind: "TrendsQuery" as const,
    series: [{ kind: "EventsNode" as const, event: "user signed up", math: "total" as const }],
    interval: "day" as const,
  },
};

/** A two-step funnel query. */
export const funnel = {
  kind: "InsightVizNode" as const,
  source: {
    kind: "FunnelsQuery" as const,
    series: [
      { kind: "EventsNode" as const, event: "$pageview" },
      { kind: "EventsNode" as const, event: "signed up" },
    ],
  },
};
