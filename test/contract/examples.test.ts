// The examples, run against Prism serving the spec: they must work as shipped.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { computeWithTimeout } from "../../examples/compute-with-timeout.js";
import { createTrendsInsight } from "../../examples/create-trends.js";
import { exportInsights } from "../../examples/export-insights.js";
import { quickstart } from "../../examples/quickstart.js";
import { PostHogClient } from "../../src/index.js";
import { usePrism } from "../support/prism-ready.js";

const posthog = new PostHogClient({ apiKey: "phx_examples", host: inject("prismUrl"), projectId: 12345 });

// Prism starts and warms up in the background (see test/prism.globalSetup.ts); this file waits for it.
usePrism();

describe("examples", () => {
  it("quickstart makes every call and logs each", async () => {
    const lines: string[] = [];
    await quickstart(posthog, (line) => lines.push(line));
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(
      expect.arrayContaining(["list", "create", "retrieve", "update", "compute", "sharing", "activity", "delete"]),
    );
    const readOnly: string[] = [];
    await quickstart(posthog, (line) => readOnly.push(line), true);
    expect(readOnly.join("\n")).not.toMatch(/^(create|update|delete)/m);
  });

  it("export-insights writes every insight to a JSON file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "export-"));
    try {
      const file = join(dir, "insights.json");
      expect(await exportInsights(posthog, file)).toBe(1);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual([
        expect.objectContaining({ id: 12, short_id: "Zx81QwEr" }),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("create-trends sends a typed query the spec accepts", async () => {
    await expect(createTrendsInsight(posthog)).resolves.toMatchObject({ id: expect.any(Number) });
  });

  it("compute-with-timeout returns the computed insight", async () => {
    await expect(computeWithTimeout(posthog, 7, 30_000)).resolves.toMatchObject({ id: 7 });
  });
});
