// `copy` between two fakes on two loopback hosts (two keys), through the CLI in process: two
// dashboards with every insight on them, the actions and cohorts those need (one action adopted
// by name, a nested cohort, a static one), group types mapped by name; a walk over every
// id-holding location of the destination; the report, --json and --dry-run; a rerun that creates
// nothing and one that carries a change; a group type the destination lacks refused by name; an
// action or cohort adopted by name left as the destination has it, on every run; tile filter
// overrides mapped (group types read for them alone) and cleared when the source drops them; a
// chain dev -> staging -> prod in one state; a conflict refused in copy's words with the report;
// ids in HogQL text warned of; a copy edited in the destination, unchanged in the source, left as
// it is (until --force), its baseline kept so that a later change in the source is a conflict.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFakePostHog, type FakePostHog } from "../../src/testing/index.js";
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

/** Sets the filter overrides of the tile showing `insight` on a source dashboard. */
async function override(board: number, insight: number, filters_overrides: object) {
  const client = projects.source.client({ rateLimit: false });
  const shown = await client.dashboards.retrieve(board);
  const tile = shown.tiles.find((candidate) => candidate.insight?.id === insight);
  await client.dashboards.update(board, { tiles: [{ id: tile?.id as number, filters_overrides }] } as never);
}

/** The filter overrides of the destination's tile showing `insight` on dashboard `board` (by names). */
const overridesThere = (board: string, insight: string) =>
  live(projects.destination.dashboards)
    .find((d) => d.name === board)
    ?.tiles.find((t) => t.insight?.name === insight)?.filters_overrides;

interface Report {
  dryRun: boolean;
  mapped: {
    kind: string;
    source: number;
    destination?: number;
    name?: string;
    outcome: string;
    why: string;
    adopted?: true;
    differs?: string[];
  }[];
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

  it("maps the group type index of a tile filter override on a dashboard whose insights name none", async () => {
    const { ids } = projects;
    // "company" is index 1 in the source and 0 in the destination; Growth's insights hold no group type.
    const industry = { type: "group", key: "industry", value: ["tech"], operator: "exact" };
    await override(ids.dashboards.growth, ids.insights.funnel, { properties: [{ ...industry, group_type_index: 1 }] });
    const { code, stdout, stderr } = await cli(["--dashboards", String(ids.dashboards.growth), "--json"]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as Report;
    const growth = report.mapped.find((m) => m.kind === "dashboard");
    expect(growth?.why).toBe("created, 4 tiles (2 with filter overrides)");
    expect(overridesThere("Growth", "Signup funnel")).toEqual({ properties: [{ ...industry, group_type_index: 0 }] });
  });

  it("clears a tile filter override removed in the source, or no longer copyable, and writes nothing on a rerun", async () => {
    const { ids, destination } = projects;
    const first = await cli(["--dashboards"]);
    expect(first.code, first.stderr).toBe(0);
    expect(overridesThere("Growth", "Signups")).not.toEqual({});
    expect(overridesThere("Companies", "Companies signing up")).not.toEqual({});
    // Removed in the source; and one now on "organization", a group type the destination lacks.
    await override(ids.dashboards.growth, ids.insights.signups, {});
    const organization = { type: "group", key: "industry", value: ["tech"], operator: "exact", group_type_index: 0 };
    await override(ids.dashboards.companies, ids.insights.companies, { properties: [organization] });
    const again = await cli(["--dashboards", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(overridesThere("Growth", "Signups")).toEqual({});
    expect(overridesThere("Companies", "Companies signing up")).toEqual({});
    const report = JSON.parse(again.stdout) as Report & { overridden: string[] };
    expect(report.overridden.sort()).toEqual(["dashboard:companies companies-signing-up", "dashboard:growth signups"]);
    expect(report.mapped.find((m) => m.kind === "dashboard" && m.source === ids.dashboards.companies)?.why).toMatch(
      /^unchanged since the last copy, 3 tiles; left out: the filter overrides of insight \d+ .*no group type "organization"/,
    );
    const before = writes(destination).length;
    const third = await cli(["--dashboards"]);
    expect(third.code, third.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(before);
  });

  it("dev -> staging -> prod with group type indexes that differ, one state for both copies: a change in dev goes down the chain with no conflict", async () => {
    // Source (dev): organization 0, company 1; destination (staging): company 0; prod: organization 0, company 1.
    const { source, destination, ids } = projects;
    const prod = createFakePostHog({ projectId: 303, apiKey: "phx_prod_key", groupTypes: ["organization", "company"] });
    const listening = await prod.listen();
    try {
      const down = () =>
        runCli(
          ["copy", "--host", projects.eu.url, "--project", "202", "--to-host", listening.url, "--to-project", "303"],
          { env: { POSTHOG_PERSONAL_API_KEY: destination.apiKey, POSTHOG_TO_PERSONAL_API_KEY: prod.apiKey }, cwd: dir },
        );
      const companies = String(ids.insights.companies);
      for (const step of [await cli([companies]), await down()]) {
        expect(step.code, step.stderr).toBe(0);
      }
      await source.client({ rateLimit: false }).insights.update(ids.insights.companies, { name: "Companies (v2)" });
      const again = await cli([companies]);
      expect(again.code, again.stderr).toBe(0);
      const further = await down();
      expect(further.code, further.stderr).toBe(0);
      const inProd = live(prod.insights).find((i) => i.name === "Companies (v2)");
      expect(JSON.stringify(inProd?.query)).toContain('"math_group_type_index":1');
      expect(names(prod.insights)).toEqual(["Companies (v2)", "EU only"]);
      // Reruns of both: nothing to write anywhere.
      const before = [writes(destination).length, prod.requests.filter((r) => r.method !== "GET").length];
      for (const step of [await cli([companies]), await down()]) {
        expect(step.code, step.stderr).toBe(0);
      }
      expect([writes(destination).length, prod.requests.filter((r) => r.method !== "GET").length]).toEqual(before);
    } finally {
      await listening.close();
    }
  });

  it("refuses a copy edited in the destination in copy's words, with the report (and --json), until --force", async () => {
    const { source, destination, ids } = projects;
    const signups = String(ids.insights.signups);
    expect((await cli([signups])).code).toBe(0);
    const copied = live(destination.insights).find((i) => i.name === "Signups");
    await destination.client({ rateLimit: false }).insights.update(copied?.id as number, { name: "Signups (EU)" });
    await source.client({ rateLimit: false }).insights.update(ids.insights.signups, { description: "v2" });
    const before = writes(destination).length;

    const refused = await cli([signups, "--json"]);
    expect(refused.code).toBe(1);
    const report = JSON.parse(refused.stdout) as Report;
    expect(report.mapped.find((m) => m.kind === "insight")).toMatchObject({
      source: ids.insights.signups,
      destination: copied?.id,
      outcome: "conflict",
      why: "not copied: edited in the destination since the last copy, and changed in the source",
    });
    expect(refused.stderr).toContain(
      `conflict: insight signups (#${copied?.id} in project 202) was edited in the destination since the last copy, ` +
        "and changed in the source: copy --force puts the source's version back; or leave the destination's edit",
    );
    expect(refused.stderr).toContain("copy refused these: nothing was sent.");
    expect(refused.stderr).not.toMatch(/push|pull/);
    const text = await cli([signups]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`insight ${ids.insights.signups} "Signups" -> ${copied?.id} (not copied: edited in`);
    expect(text.stdout).toContain(`action ${ids.actions.signedUp} "Signed up" -> ${projects.existing.signedUp} (`);
    expect(writes(destination)).toHaveLength(before);

    const forced = await cli([signups, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(live(destination.insights).find((i) => i.id === copied?.id)?.name).toBe("Signups");
  });

  it("warns of the action and cohort ids a SQL insight's HogQL text names, naming the insight", async () => {
    const { source, ids } = projects;
    const hogql =
      `select count() from events where person_id in cohort ${ids.cohorts.beta} ` +
      `and matchesAction(${ids.actions.signedUp}) and inCohort(${ids.cohorts.engaged})`;
    const sql = await source.client({ rateLimit: false }).insights.create({
      name: "SQL signups",
      query: { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: hogql } },
    } as never);
    const { code, stdout, stderr } = await cli([String(sql.id), "--json"]);
    expect(code, stderr).toBe(0);
    const at = "at query.source.query (HogQL text)";
    expect(stderr).toContain(
      `insight ${sql.id} "SQL signups": carried as is, nothing maps them in project 202: ` +
        `cohort ${ids.cohorts.beta} ${at}, cohort ${ids.cohorts.engaged} ${at}, action ${ids.actions.signedUp} ${at}.`,
    );
    const line = (JSON.parse(stdout) as Report).mapped.find((m) => m.kind === "insight") as { carried?: object[] };
    expect(line.carried).toHaveLength(3);
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

describe("copy adopts the destination's own actions and cohorts and leaves them as they are", () => {
  const statePath = () => join(dir, ".posthog-insights", "copy-state.json");
  /** The destination's entries of a kind in the copy's state. */
  const entriesOf = (plural: string): Record<string, { id: number; adopted?: boolean }> => {
    const state = JSON.parse(readFileSync(statePath(), "utf8")) as {
      targets: Record<string, { project: string } & Record<string, { entries: object }>>;
    };
    const target = Object.values(state.targets).find((candidate) => candidate.project === "202");
    return (target?.[plural]?.entries ?? {}) as Record<string, { id: number; adopted?: boolean }>;
  };
  const differs = "its steps differ from the source's: left as they are";

  it("an action adopted by name whose steps differ keeps them, on the copy and on a rerun after the source changed it; the report says they differ", async () => {
    const { source, destination, ids, existing } = projects;
    const theirs = destination.client({ rateLimit: false });
    await theirs.actions.update(existing.signedUp, { steps: [{ event: "signup" }] });
    seeded.set(destination, destination.requests.length);
    const signedUp = () => destination.actions.find((action) => action.id === existing.signedUp);
    const line = `action ${ids.actions.signedUp} "Signed up" -> ${existing.signedUp}`;

    const dry = await cli(["--dashboards", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${line} (would be adopted by name; ${differs})`);

    const first = await cli(["--dashboards"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${line} (adopted by name; ${differs})`);
    expect(signedUp()?.steps?.map((step) => step.event)).toEqual(["signup"]);
    expect(writes(destination).filter((r) => r.path.includes("/actions/"))).toEqual(
      writes(destination).filter((r) => r.method === "POST" && r.path.endsWith("/actions/")),
    );
    // The copies name it all the same; the state says it is adopted.
    const signups = live(destination.insights).find((insight) => insight.name === "Signups");
    expect(JSON.stringify(signups?.query)).toContain(`"id":${existing.signedUp}`);
    expect(Object.values(entriesOf("actions")).find((entry) => entry.id === existing.signedUp)?.adopted).toBe(true);

    // The source changes it, the destination's team edits its own: a rerun writes nothing, refuses nothing.
    await source
      .client({ rateLimit: false })
      .actions.update(ids.actions.signedUp, { steps: [{ event: "user signed up" }, { event: "account created" }] });
    await theirs.actions.update(existing.signedUp, { description: "Ours" });
    const before = writes(destination).length;
    const again = await cli(["--dashboards", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(before);
    expect(signedUp()).toMatchObject({ description: "Ours", steps: [{ event: "signup" }] });
    const report = JSON.parse(again.stdout) as Report;
    expect(report.mapped.find((m) => m.kind === "action" && m.source === ids.actions.signedUp)).toEqual({
      kind: "action",
      key: expect.any(String),
      source: ids.actions.signedUp,
      destination: existing.signedUp,
      name: "Signed up",
      outcome: "unchanged",
      why: "adopted by name; its description and steps differ from the source's: left as they are",
      adopted: true,
      differs: ["description", "steps"],
    });
    expect(report.mapped.filter((m) => m.outcome !== "unchanged")).toEqual([]);
  });

  it("a cohort adopted by name (the one there with the name) keeps its filters, on the copy and on a rerun after the source changed it; a static one keeps its members", async () => {
    const { source, destination, ids } = projects;
    const theirs = destination.client({ rateLimit: false });
    const filters = {
      properties: {
        type: "AND",
        values: [
          {
            type: "behavioral",
            key: "purchase",
            event_type: "events",
            value: "performed_event",
            time_value: 7,
            time_interval: "day",
          },
        ],
      },
    };
    const engaged = await theirs.cohorts.create({ name: "Engaged beta testers", filters } as never);
    const beta = await theirs.cohorts.create({ name: "Beta testers", is_static: true });
    seeded.set(destination, destination.requests.length);
    const kept = () => destination.cohorts.find((cohort) => cohort.id === engaged.id)?.filters;
    const line = `cohort ${ids.cohorts.engaged} "Engaged beta testers" -> ${engaged.id}`;
    const filtersDiffer = "its filters differ from the source's: left as they are";

    const dry = await cli(["--dashboards", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${line} (would be adopted by name; ${filtersDiffer})`);
    expect(dry.stdout).toContain(
      `cohort ${ids.cohorts.beta} "Beta testers" -> ${beta.id} (would be adopted: the same one is there already; static: its members are the destination's own)`,
    );

    const first = await cli(["--dashboards"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${line} (adopted by name; ${filtersDiffer})`);
    expect(kept()).toEqual(filters);
    expect(writes(destination).filter((r) => r.path.includes("/cohorts/"))).toEqual([]);
    expect(names(destination.cohorts)).toEqual(["Beta testers", "EU cohort", "Engaged beta testers"]);
    const purchases = live(destination.insights).find((insight) => insight.name === "Purchases by engaged testers");
    expect(JSON.stringify(purchases?.query)).toContain(`"value":${engaged.id}`);
    const cohorts = Object.values(entriesOf("cohorts"));
    expect(cohorts.map((entry) => [entry.id, entry.adopted]).sort()).toEqual(
      [
        [beta.id, true],
        [engaged.id, true],
      ].sort(),
    );

    const changed = { properties: { type: "AND", values: [{ type: "cohort", key: "id", value: ids.cohorts.beta }] } };
    await source.client({ rateLimit: false }).cohorts.update(ids.cohorts.engaged, { filters: changed } as never);
    const before = writes(destination).length;
    const again = await cli(["--dashboards", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(before);
    expect(kept()).toEqual(filters);
    const report = JSON.parse(again.stdout) as Report;
    expect(report.mapped.find((m) => m.kind === "cohort" && m.source === ids.cohorts.engaged)).toMatchObject({
      destination: engaged.id,
      outcome: "unchanged",
      why: `adopted by name; ${filtersDiffer}`,
      adopted: true,
      differs: ["filters"],
    });
  });

  it("a copy stopped after the adoption (a create refused) leaves the action as it is; the next run finds it adopted", async () => {
    const { destination, ids, existing } = projects;
    await destination.client({ rateLimit: false }).actions.update(existing.signedUp, { steps: [{ event: "signup" }] });
    seeded.set(destination, destination.requests.length);
    destination.fail({ method: "POST", path: "/insights/", status: 400 });
    const stopped = await cli(["--dashboards"]);
    expect(stopped.code).not.toBe(0);
    expect(Object.values(entriesOf("actions")).find((entry) => entry.id === existing.signedUp)?.adopted).toBe(true);

    const resumed = await cli(["--dashboards", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(holdings(destination)).toEqual(COPIED);
    const steps = destination.actions.find((action) => action.id === existing.signedUp)?.steps;
    expect(steps?.map((step) => step.event)).toEqual(["signup"]);
    expect(writes(destination).filter((r) => r.path.includes(`/actions/${existing.signedUp}/`))).toEqual([]);
    const report = JSON.parse(resumed.stdout) as Report;
    expect(report.mapped.find((m) => m.kind === "action" && m.source === ids.actions.signedUp)).toMatchObject({
      outcome: "unchanged",
      why: `adopted by name; ${differs}`,
      adopted: true,
    });
  });
});

describe("copy leaves a copy edited in the destination as it is while the source has not changed", () => {
  const left =
    "edited in the destination since the last copy, unchanged in the source: left as it is " +
    "(copy --force puts the source's version back)";

  /** Copies Growth (and its insights), then edits the copies of Signups and Growth (its name and a tile's layout) in the destination. */
  async function copyThenEditThere() {
    const { destination, ids } = projects;
    const growth = String(ids.dashboards.growth);
    const first = await cli(["--dashboards", growth]);
    expect(first.code, first.stderr).toBe(0);
    const theirs = destination.client({ rateLimit: false });
    const signups = live(destination.insights).find((i) => i.name === "Signups");
    const board = live(destination.dashboards).find((d) => d.name === "Growth");
    const tile = board?.tiles.find((t) => t.insight?.name === "Signups");
    await theirs.insights.update(signups?.id as number, { name: "Signups (EU)" });
    await theirs.dashboards.update(
      board?.id as number,
      {
        name: "Growth (EU)",
        tiles: [{ id: tile?.id as number, layouts: { sm: { x: 6, y: 0, w: 6, h: 8 } } }],
      } as never,
    );
    return { growth, insight: signups?.id as number, board: board?.id as number };
  }
  const insightThere = (id: number) => live(projects.destination.insights).find((i) => i.id === id);
  const boardThere = (id: number) => live(projects.destination.dashboards).find((d) => d.id === id);
  /** The layouts of the tile showing insight `insight` on dashboard `board`, in the destination. */
  const layoutOf = (board: number, insight: number) =>
    boardThere(board)?.tiles.find((t) => t.insight?.id === insight)?.layouts;

  it("writes nothing, says so (text, --json, --dry-run) and exits 0, on every rerun; --force puts the source's version back", async () => {
    const { destination, ids } = projects;
    const { growth, insight, board } = await copyThenEditThere();
    const before = writes(destination).length;

    const dry = await cli(["--dashboards", growth, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`insight ${ids.insights.signups} "Signups" -> ${insight} (${left})`);
    expect(dry.stdout).toContain(`dashboard ${ids.dashboards.growth} "Growth" -> ${board} (${left}, 4 tiles`);

    const again = await cli(["--dashboards", growth, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(before);
    expect(insightThere(insight)?.name).toBe("Signups (EU)");
    expect(boardThere(board)?.name).toBe("Growth (EU)");
    expect(layoutOf(board, insight)).toMatchObject({ sm: { x: 6, y: 0, w: 6, h: 8 } });
    const report = JSON.parse(again.stdout) as Report;
    expect(report.mapped.filter((m) => m.outcome !== "unchanged")).toEqual([
      expect.objectContaining({
        kind: "insight",
        source: ids.insights.signups,
        destination: insight,
        outcome: "kept",
        why: left,
        differs: ["name"],
      }),
      expect.objectContaining({
        kind: "dashboard",
        source: ids.dashboards.growth,
        destination: board,
        outcome: "kept",
      }),
    ]);
    expect(report.updated).toEqual([]);

    // Nothing changed since: the same again, nothing written.
    const text = await cli(["--dashboards", growth]);
    expect(text.code, text.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(before);
    expect(text.stdout).toContain(`insight ${ids.insights.signups} "Signups" -> ${insight} (${left})`);
    expect(text.stderr).toContain(
      "Copied: 0 created, 0 adopted, 0 updated, 2 left as edited in the destination, 0 refused.",
    );

    const forced = await cli(["--dashboards", growth, "--force", "--json"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(insightThere(insight)?.name).toBe("Signups");
    expect(boardThere(board)?.name).toBe("Growth");
    expect(layoutOf(board, insight)).toMatchObject({ sm: { x: 0, y: 0, w: 6, h: 5 } });
    const put = JSON.parse(forced.stdout) as Report;
    expect(put.mapped.find((m) => m.kind === "insight" && m.source === ids.insights.signups)?.why).toBe(
      "updated: name; edited in the destination since the last copy, unchanged in the source: the source's version put back",
    );
    const after = writes(destination).length;
    const rerun = await cli(["--dashboards", growth, "--json"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(after);
    expect((JSON.parse(rerun.stdout) as Report).mapped.filter((m) => m.outcome !== "unchanged")).toEqual([]);
  });

  it("a change in the source after an edit in the destination is a conflict, also once a copy has left the edit as it is", async () => {
    const { source, destination, ids } = projects;
    const { growth, insight, board } = await copyThenEditThere();
    expect((await cli(["--dashboards", growth])).code).toBe(0);
    const before = writes(destination).length;
    await source.client({ rateLimit: false }).insights.update(ids.insights.signups, { description: "v2" });
    await source.client({ rateLimit: false }).dashboards.update(ids.dashboards.growth, { description: "v2" });

    const refused = await cli(["--dashboards", growth, "--json"]);
    expect(refused.code).toBe(1);
    expect(writes(destination)).toHaveLength(before);
    const report = JSON.parse(refused.stdout) as Report;
    expect(report.mapped.filter((m) => m.outcome === "conflict").map((m) => [m.kind, m.destination])).toEqual([
      ["insight", insight],
      ["dashboard", board],
    ]);
    expect(refused.stderr).toContain("copy refused these: nothing was sent.");
    expect(insightThere(insight)?.name).toBe("Signups (EU)");

    const forced = await cli(["--dashboards", growth, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(insightThere(insight)).toMatchObject({ name: "Signups", description: "v2" });
    expect(boardThere(board)).toMatchObject({ name: "Growth", description: "v2" });
  });
});

describe("tile filter overrides edited in the destination", () => {
  /** The destination's Growth dashboard and its tile showing `insight` (by names). */
  const tileThere = (insight: string) => {
    const board = live(projects.destination.dashboards).find((d) => d.name === "Growth");
    return { board, tile: board?.tiles.find((t) => t.insight?.name === insight) };
  };
  /** Sets the filter overrides of the destination's Growth tile showing `insight`. */
  async function overrideThere(insight: string, filters_overrides: object) {
    const { board, tile } = tileThere(insight);
    await projects.destination
      .client({ rateLimit: false })
      .dashboards.update(board?.id as number, { tiles: [{ id: tile?.id as number, filters_overrides }] } as never);
  }
  const mine = { date_from: "-7d" };
  const keptWords =
    "the filter overrides of tile(s) signups edited in the destination since the last copy, unchanged in the source: " +
    "left as they are (copy --force puts the source's back)";

  it("source unchanged: left as they are (kept, text, --json and --dry-run), nothing written on any rerun; --force puts the source's back", async () => {
    const { destination, ids } = projects;
    const first = await cli(["--dashboards"]);
    expect(first.code, first.stderr).toBe(0);
    const theirs = tileThere("Signups").tile?.filters_overrides;
    expect(theirs).not.toEqual({});
    await overrideThere("Signups", mine);
    const before = writes(destination).length;

    const dry = await cli(["--dashboards", "--dry-run", "--json"]);
    expect(dry.code, dry.stderr).toBe(0);
    const dryGrowth = (JSON.parse(dry.stdout) as Report).mapped.find(
      (m) => m.kind === "dashboard" && m.source === ids.dashboards.growth,
    );
    expect(dryGrowth).toMatchObject({ kind: "dashboard", outcome: "kept" });
    expect(dryGrowth?.why).toContain(keptWords);

    const again = await cli(["--dashboards", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(before);
    expect(tileThere("Signups").tile?.filters_overrides).toEqual(mine);
    const report = JSON.parse(again.stdout) as Report & { overridden: string[] };
    expect(report.overridden).toEqual([]);
    expect(report.mapped.find((m) => m.kind === "dashboard" && m.source === ids.dashboards.growth)).toMatchObject({
      kind: "dashboard",
      outcome: "kept",
      why: expect.stringContaining(keptWords),
    });

    const text = await cli(["--dashboards"]);
    expect(text.code, text.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(before);
    expect(text.stdout).toContain(keptWords);
    expect(text.stderr).toContain("1 left as edited in the destination");

    const forced = await cli(["--dashboards", "--force", "--json"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(tileThere("Signups").tile?.filters_overrides).toEqual(theirs);
    expect((JSON.parse(forced.stdout) as Report & { overridden: string[] }).overridden).toEqual([
      "dashboard:growth signups",
    ]);
    const after = writes(destination).length;
    const rerun = await cli(["--dashboards"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(after);
  });

  it("changed in the source too (on a tile the source had none on): a conflict, exit 1, the destination's left; --force writes the source's", async () => {
    const { destination, ids } = projects;
    expect((await cli(["--dashboards"])).code).toBe(0);
    expect(tileThere("Purchases by engaged testers").tile?.filters_overrides ?? {}).toEqual({});
    await overrideThere("Purchases by engaged testers", mine);
    await override(ids.dashboards.growth, ids.insights.purchases, { date_from: "-90d" });
    const before = writes(destination).length;

    const dry = await cli(["--dashboards", "--dry-run"]);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toMatch(/conflict: dashboard growth: the filter overrides of tile purchases\S* were edited/);

    const refused = await cli(["--dashboards", "--json"]);
    expect(refused.code).toBe(1);
    expect(writes(destination)).toHaveLength(before);
    expect(tileThere("Purchases by engaged testers").tile?.filters_overrides).toEqual(mine);
    const report = JSON.parse(refused.stdout) as Report & { overridden: string[] };
    expect(report.mapped.find((m) => m.kind === "dashboard" && m.source === ids.dashboards.growth)?.outcome).toBe(
      "conflict",
    );
    expect(refused.stderr).toContain("copy --force puts the source's back");

    const forced = await cli(["--dashboards", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(tileThere("Purchases by engaged testers").tile?.filters_overrides).toEqual({ date_from: "-90d" });
  });

  it("a state of an older copy (no record of the overrides): overrides the destination has are left as they are", async () => {
    const { destination } = projects;
    expect((await cli(["--dashboards"])).code).toBe(0);
    const path = join(dir, ".posthog-insights", "copy-state.json");
    const stateText = readFileSync(path, "utf8");
    expect(stateText).toContain('"overrides"');
    const older = JSON.parse(stateText, (key, value) => (key === "overrides" ? undefined : value));
    writeFileSync(path, JSON.stringify(older));
    await overrideThere("Signups", mine);
    const before = writes(destination).length;
    const again = await cli(["--dashboards"]);
    expect(again.code, again.stderr).toBe(0);
    expect(writes(destination)).toHaveLength(before);
    expect(tileThere("Signups").tile?.filters_overrides).toEqual(mine);
    expect(again.stdout).toContain(keptWords);
  });

  it("refuses a state whose overrides record is malformed, naming the file", async () => {
    expect((await cli(["--dashboards"])).code).toBe(0);
    const path = join(dir, ".posthog-insights", "copy-state.json");
    writeFileSync(path, readFileSync(path, "utf8").replace(/"overrides":\s*\{/, '"overrides": { "x": 3, '));
    const again = await cli(["--dashboards"]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("overrides must be an object of objects");
  });
});
