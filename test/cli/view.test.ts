// The read-only commands (list, get, show, export) end to end, in process, against the fake:
// short ids taken like ids, results on stdout only, files written where asked.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createFakePostHog, type FakePostHog } from "../../src/testing/index.js";
import { runCli } from "./support.js";

const trends = {
  kind: "InsightVizNode" as const,
  source: {
    kind: "TrendsQuery" as const,
    series: [{ kind: "EventsNode" as const, event: "user signed up" }],
    interval: "day" as const,
  },
};

let dir: string;
let fake: FakePostHog;
let signups: { id: number; short_id: string };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-view-"));
  fake = createFakePostHog({ projectId: 3 });
  const posthog = fake.client();
  signups = await posthog.insights.create({ name: "Daily signups", query: trends });
  await posthog.insights.create({ name: "Weekly revenue", query: { ...trends, source: { ...trends.source } } });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  return runCli([...args, "--host", fake.origin, "--project", "3", "--no-progress"], {
    env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey },
    cwd: dir,
    fetch: fake.fetch,
  });
}

describe("the viewing commands against the fake", () => {
  it("list prints one line per insight, filters with --search, and --json is an array", async () => {
    const all = await cli(["list"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("Daily signups");
    expect(all.stdout).toContain(signups.short_id);
    const found = await cli(["list", "--search", "revenue", "--json"]);
    expect((JSON.parse(found.stdout) as { name: string }[]).map((i) => i.name)).toEqual(["Weekly revenue"]);
  });

  it("get prints the insight file for an id or a short id, the same either way", async () => {
    const byId = await cli(["get", String(signups.id)]);
    const byShortId = await cli(["get", signups.short_id]);
    expect(byId.code).toBe(0);
    expect(byShortId.stdout).toBe(byId.stdout);
    expect(parse(byId.stdout)).toMatchObject({ name: "Daily signups", query: { source: { interval: "day" } } });
  });

  it("get of an unknown short id fails with exit 1 and nothing on stdout", async () => {
    const missing = await cli(["get", "ZzZz9999"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toContain("ZzZz9999");
  });

  it("show --json prints the calculated result of a trends insight", async () => {
    const shown = await cli(["show", signups.short_id, "--refresh", "--json"]);
    expect(shown.code).toBe(0);
    expect(JSON.stringify(JSON.parse(shown.stdout))).toContain("user signed up");
  });

  it("export writes one results file per insight into --out", async () => {
    const out = join(dir, "results");
    const exported = await cli(["export", String(signups.id), "--format", "csv", "--out", out]);
    expect(exported.code).toBe(0);
    const written = readdirSync(out);
    expect(written).toHaveLength(1);
    expect(readFileSync(join(out, written[0] as string), "utf8").length).toBeGreaterThan(0);
  });

  it("show draws a calendar heatmap by weekday and export writes it as a day-by-hour table", async () => {
    const posthog = fake.client();
    const heatmap = await posthog.insights.create({
      name: "Active hours",
      query: { kind: "InsightVizNode", source: { kind: "CalendarHeatmapQuery", series: trends.source.series } },
    });
    const shown = await cli(["show", heatmap.short_id, "--refresh"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("calendar heatmap");
    expect(shown.stdout).toMatch(/^Sun {2}[·░▒▓█]{48} {2}[\d,]+$/m);
    const out = join(dir, "heatmap");
    expect((await cli(["export", heatmap.short_id, "--format", "csv", "--out", out])).code).toBe(0);
    const [file] = readdirSync(out);
    const lines = readFileSync(join(out, file as string), "utf8")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe(["day", ...Array.from({ length: 24 }, (_, hour) => hour), "total"].join(","));
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
  });
});
