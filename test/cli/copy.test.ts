// `copy` between two fakes on two loopback hosts (two keys), through the CLI in process: two
// dashboards with every insight on them, the actions and cohorts those need (one action adopted
// by name, a nested cohort, a static one), group types mapped by name; a walk over every
// id-holding location of the destination; the report, --json and --dry-run; a rerun that creates
// nothing and one that carries a change; a group type the destination lacks refused by name.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FakePostHog } from "../../src/testing/index.js";
import { COPIED, copyProjects, holdings, walkDestination } from "../support/copy-projects.js";
import { runCli } from "./support.js";

// Whole jobs over loopback HTTP: a second or two each here, more under a loaded 2-core CI.
vi.setConfig({ testTimeout: 120_000 });

let dir: string;
let projects: Awaited<ReturnType<typeof copyProjects>>;
/** Requests each fake had seen once seeded. */
let seeded: Map<FakePostHog, number>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-copy-"));
  projects = await copyProjects();
  seeded = new Map([projects.source, projects.destination].map((fake) => [fake, fake.requests.length]));
});

afterEach(async () => {
  await projects.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The writes a fake was sent since it was seeded. */
const writes = (fake: FakePostHog) => fake.requests.slice(seeded.get(fake)).filter((r) => r.method !== "GET");
const live = <T extends { deleted?: boolean | null }>(items: T[]) => items.filter((item) => !item.deleted);
const names = (items: { name?: string | null; deleted?: boolean | null }[]) =>
  live(items)
    .map((item) => item.name)
    .sort();

function cli(args: string[]) {
  return runCli(["copy", ...projects.args, "--no-progress", ...args], { env: projects.keys, cwd: dir });
}

interface Report {
  dryRun: boolean;
  mapped: { kind: string; source: number; destination?: number; name?: string; outcome: string; why: string }[];
  refused: { kind: string; id: number; name?: string; reason: string }[];
  created: string[];
  adopted: string[];
  updated: string[];
}

describe("copy --dashboards between two hosts", () => {
  it("copies both dashboards with every insight, action and cohort they need, every id remapped; the report says how; a rerun creates nothing", async () => {
    const { source, destination, ids, existing } = projects;
    const dry = await cli(["--dashboards", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(0);
    expect(writes(source)).toHaveLength(0);
    expect(dry.stdout).toContain(
      `action ${ids.actions.signedUp} "Signed up" -> ${existing.signedUp} (would be adopted by name)`,
    );
    expect(dry.stdout).toMatch(
      /cohort \d+ "Beta testers" -> new \(would be created empty: static, its members are people of the source project/,
    );
    expect(dry.stdout).toContain("Dry run: nothing was sent to PostHog.");

    const first = await cli(["--dashboards", "--json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toMatch(/phx_/);
    const report = JSON.parse(first.stdout) as Report;

    // What the destination has now: its own objects, and the copies.
    expect(holdings(destination)).toEqual(COPIED);
    const growth = live(destination.dashboards).find((d) => d.name === "Growth");
    const signupsTile = growth?.tiles.find((t) => t.insight?.name === "Signups");
    expect(signupsTile?.layouts).toMatchObject({ sm: { x: 0, y: 0, w: 6, h: 5 } });
    expect(signupsTile?.color).toBe("blue");
    const beta = live(destination.cohorts).find((c) => c.name === "Beta testers");
    expect(beta?.is_static).toBe(true);

    // Every id-holding location of the destination names, in the destination, what the source
    // names at the same place: no source id left anywhere.
    const walked = walkDestination(source, destination);
    expect(walked.length).toBeGreaterThanOrEqual(10);
    for (const ref of walked) {
      expect(ref.names, ref.where).toBeDefined();
      expect(ref.names, ref.where).toBe(ref.sourceNames);
    }
    expect(new Set(walked.map((ref) => ref.kind))).toEqual(new Set(["action", "cohort", "group_type_index"]));
    // Tile filter overrides too: a cohort's and a group type's.
    const overrides = walked.filter((ref) => ref.where.includes("filters_overrides"));
    expect(overrides.map((ref) => `${ref.kind} ${ref.names}`).sort()).toEqual([
      "cohort Beta testers",
      "group_type_index company",
    ]);
    const companies = live(destination.insights).find((i) => i.name === "Companies signing up");
    expect(JSON.stringify(companies?.query)).toContain('"math_group_type_index":0');

    // The report: one line per id mapped, and why.
    const line = (kind: string, id: number) => report.mapped.find((m) => m.kind === kind && m.source === id);
    const idOf = (items: { id: number; name?: string | null; deleted?: boolean | null }[], name: string) =>
      live(items).find((item) => item.name === name)?.id;
    expect(line("action", ids.actions.signedUp)).toMatchObject({
      destination: existing.signedUp,
      outcome: "adopted",
      why: "adopted by name",
    });
    expect(line("action", ids.actions.purchased)).toMatchObject({
      destination: idOf(destination.actions, "Purchased"),
      outcome: "created",
    });
    expect(line("cohort", ids.cohorts.beta)?.why).toMatch(
      /^created empty: static, its members are people of the source project/,
    );
    expect(line("cohort", ids.cohorts.engaged)).toMatchObject({
      destination: idOf(destination.cohorts, "Engaged beta testers"),
      why: "created",
    });
    expect(line("dashboard", ids.dashboards.growth)).toMatchObject({
      destination: idOf(destination.dashboards, "Growth"),
      why: "created, 4 tiles (1 with filter overrides)",
    });
    expect(line("dashboard", ids.dashboards.companies)?.why).toBe("created, 3 tiles (1 with filter overrides)");
    expect(report.mapped.map((m) => `${m.kind} ${m.outcome}`)).toEqual([
      "action adopted",
      "action created",
      "action created",
      "cohort created",
      "cohort created",
      ...Array(5).fill("insight created"),
      "dashboard created",
      "dashboard created",
    ]);
    expect(report.refused).toEqual([]);
    // Nothing was written to the source.
    expect(writes(source)).toHaveLength(0);

    // The text report of the same mapping, on a rerun that creates nothing.
    const before = writes(destination).length;
    const again = await cli(["--dashboards"]);
    expect(again.code, again.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(before);
    expect(again.stdout).toContain(
      `action ${ids.actions.signedUp} "Signed up" -> ${existing.signedUp} (unchanged since the last copy)`,
    );
    expect(again.stdout).toContain(
      `dashboard ${ids.dashboards.growth} "Growth" -> ${idOf(destination.dashboards, "Growth")} (unchanged since the last copy, 4 tiles (1 with filter overrides))`,
    );
    expect(again.stderr).toContain("Copied: 0 created, 0 adopted, 0 updated, 0 refused.");

    // A change in the source is carried by the next copy as one update.
    await source.client({ rateLimit: false }).insights.update(ids.insights.funnel, { name: "Signup funnel (v2)" });
    const third = await cli(["--dashboards", "--json"]);
    expect(third.code, third.stderr).toBe(0);
    const updated = JSON.parse(third.stdout) as Report;
    expect(updated.mapped.filter((m) => m.outcome !== "unchanged")).toMatchObject([
      { kind: "insight", source: ids.insights.funnel, outcome: "updated", why: "updated: name" },
    ]);
    expect(names(destination.insights)).toContain("Signup funnel (v2)");

    // The state holds the mapping per target: the source's keys and the destination's ids.
    const state = JSON.parse(readFileSync(join(dir, ".posthog-insights", "copy-state.json"), "utf8"));
    const targets = Object.keys(state.targets).sort();
    expect(targets).toHaveLength(2);
    expect(targets.some((id) => id.endsWith("/project/101"))).toBe(true);
  });

  it("refuses an insight whose group type the destination lacks, by name, and copies the rest", async () => {
    const { destination, ids } = projects;
    const { code, stdout, stderr } = await cli([String(ids.organizations), String(ids.insights.companies)]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      new RegExp(`insight ${ids.organizations} "Organizations signing up" refused: .*group type "organization"`),
    );
    expect(stderr).toMatch(
      /refused: insight \d+ "Organizations signing up": .*project 202 has no group type "organization"/,
    );
    expect(names(destination.insights)).toEqual(["Companies signing up", "EU only"]);
  });

  it("paces each host to its own windows with its own key: no 429 on either, each key's requests remembered under its own host", async () => {
    // Both fakes throttle every route to 12 requests a second; the copy is paced to the same.
    const windows = [{ requests: 12, windowMs: 1_000 }];
    const paced = await copyProjects({ rateLimit: { insights: windows, default: windows } });
    const cache = mkdtempSync(join(tmpdir(), "posthog-insights-copy-cache-"));
    try {
      const { source, destination, us, eu } = paced;
      // The seeding's requests leave the fakes' windows first (the copy's pacer cannot know of them).
      await new Promise((resolve) => setTimeout(resolve, windows[0]?.windowMs ?? 0));
      const [sourceSeeded, destinationSeeded] = [source.requests.length, destination.requests.length];
      const { code, stderr } = await runCli(
        ["copy", "--dashboards", ...paced.args, "--rate-limit", "12/s", "--no-progress"],
        { env: { ...paced.keys, XDG_CACHE_HOME: cache }, cwd: dir },
      );
      expect(code, stderr).toBe(0);
      const sourceJob = source.requests.slice(sourceSeeded);
      const destinationJob = destination.requests.slice(destinationSeeded);
      expect(destinationJob.length).toBeGreaterThan(2 * 12);
      // No 429 on either; and no 403: each fake accepts only its own key, so each host got its own.
      expect(sourceJob.filter((r) => r.status >= 400)).toEqual([]);
      expect(destinationJob.filter((r) => r.status >= 400)).toEqual([]);
      // One pacer per host and key: each one's request times kept apart for the next run.
      const pacing = JSON.parse(readFileSync(join(cache, "posthog-insights", "pacing.json"), "utf8")) as {
        buckets: Record<string, unknown>;
      };
      const origins = new Set(Object.keys(pacing.buckets).map((bucket) => bucket.split(" ")[0]));
      expect(origins).toEqual(new Set([us.url, eu.url]));
    } finally {
      await paced.close();
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it("refuses to copy into its own source project", async () => {
    const { source, us } = projects;
    const { code, stderr } = await runCli(
      ["copy", "--host", us.url, "--project", "101", "--to-project", "101", "--no-progress"],
      { env: { POSTHOG_PERSONAL_API_KEY: source.apiKey }, cwd: dir },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/destination is the source itself/);
    expect(writes(source)).toHaveLength(0);
  });
});
