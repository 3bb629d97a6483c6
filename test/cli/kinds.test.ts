// Dashboards, actions and cohorts through the command, in process against the kit: pull (and
// --only), static cohorts, list/get --kind, the plan's lines per kind, validate's checks between
// files, subfolders, the tile protocol's care for memberships it does not manage, the push order,
// tiles PostHog places, and filters cleared.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakePostHog } from "../../src/testing/index.js";
import { type Seeded, seededFake } from "../support/analytics-project.js";
import { runCli } from "./support.js";

let dir: string;
let fake: FakePostHog;
let ids: Seeded;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-kinds-"));
  // Servers that serve an insight's dashboards only when asked (include_dashboards).
  ({ fake, ids } = await seededFake(1, { enforceDashboardsOptIn: true }));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) =>
  runCli([...args, "--host", fake.origin, "--project", "1", "--no-progress", "--rate-limit", "off"], {
    env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey },
    cwd: dir,
    fetch: fake.fetch,
  });
const path = (...parts: string[]) => join(dir, "insights", ...parts);
const read = (name: string) => readFileSync(path(name), "utf8");
const write = (name: string, text: string) => writeFileSync(path(name), text);
const edit = (name: string, from: string, to: string) => {
  const text = read(name);
  expect(text).toContain(from);
  write(name, text.replace(from, to));
};
const posthog = () => fake.client({ rateLimit: false });
const writesSince = (count: number) =>
  fake.requests
    .slice(count)
    .filter((r) => r.method !== "GET")
    .map((r) => `${r.method} ${r.path.replace("/api/projects/1", "")}`);

describe("pull", () => {
  it("writes every kind, says so per kind, and names static cohorts pulled without members", async () => {
    await posthog().cohorts.create({ name: "Beta testers", is_static: true });
    const pulled = await cli(["pull"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toContain(
      "Pulled 3 actions, 3 cohorts, 4 insights, 2 dashboards into insights: 12 written, 0 unchanged",
    );
    expect(pulled.stderr).toContain(
      "Static cohorts pulled without their members (people of this project are never copied): beta-testers.",
    );
    expect(read("beta-testers.cohort.yaml")).toBe(
      "# yaml-language-server: $schema=https://unpkg.com/posthog-insights@0/generated/cohort-file.schema.json\n" +
        "is_static: true\nname: Beta testers\n",
    );
    expect(read("signed-up.action.yaml")).toMatch(/^# yaml-language-server: \$schema=.*action-file\.schema\.json\n/);
  });

  it("--only pulls the kinds named; a bad kind is bad usage naming the choices", async () => {
    const pulled = await cli(["pull", "--only", "actions,cohorts"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toContain("Pulled 3 actions, 2 cohorts into insights");
    expect(
      readdirSync(path())
        .filter((f) => !f.startsWith("."))
        .sort(),
    ).toEqual([
      "paying-power-users.cohort.yaml",
      "power-users.cohort.yaml",
      "purchased.action.yaml",
      "signed-up.action.yaml",
      "visited-pricing.action.yaml",
    ]);
    const bad = await cli(["pull", "--only", "insights,widgets"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"widgets" is not a kind: use actions, cohorts, insights, dashboards/);
  });

  it("a later pull of every kind writes by key the ids of objects now managed, and keeps local edits", async () => {
    expect((await cli(["pull", "--only", "insights,dashboards"])).code).toBe(0);
    expect(read("daily-signups.insight.yaml")).toContain(`id: ${ids.actions.signedUp}\n`);
    expect(read("growth.dashboard.yaml")).toContain(`value: ${ids.cohorts.powerUsers}\n`);
    // Tiles reordered in the file (no change to PostHog); an insight edited here.
    const growth = read("growth.dashboard.yaml");
    const [head = "", ...tiles] = growth.split(/(?=^ {2}- )/m);
    write("growth.dashboard.yaml", head + [...tiles].reverse().join(""));
    edit("pricing-views.insight.yaml", "name: Pricing views", "name: Pricing page views");
    const edited = read("pricing-views.insight.yaml");
    const pulled = await cli(["pull"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toContain(
      "References by key written in daily-signups, signup-funnel, purchases-by-power-users, dashboard:growth (now managed here; nothing else changed).",
    );
    expect(read("daily-signups.insight.yaml")).toContain("id: action:signed-up\n");
    expect(read("purchases-by-power-users.insight.yaml")).toContain("value: cohort:paying-power-users\n");
    expect(read("growth.dashboard.yaml")).toBe(
      head.replace(`value: ${ids.cohorts.powerUsers}\n`, "value: cohort:power-users\n") + [...tiles].reverse().join(""),
    );
    expect(read("pricing-views.insight.yaml")).toBe(edited);
    expect(pulled.stderr).toContain("kept insights/pricing-views.insight.yaml: edited here, unchanged in PostHog");
    // The edit is an update to push, not a conflict with PostHog.
    const planned = await cli(["plan"]);
    expect(planned.stdout).toMatch(/^update {4}pricing-views /m);
    expect(planned.stdout).toMatch(/^Plan: 0 to create, 0 to adopt, 1 to update/m);
    // And a pull after that writes nothing.
    expect((await cli(["pull"])).stderr).toMatch(/: 0 written/);
  });
});

describe("list and get --kind", () => {
  it("lists dashboards, actions and cohorts, as a table or JSON", async () => {
    const dashboards = await cli(["list", "--kind", "dashboards"]);
    expect(dashboards.stdout).toMatch(/Growth\s+yes/);
    expect(dashboards.stdout).toContain("Team");
    const actions = await cli(["list", "--kind", "action", "--json"]);
    expect(
      JSON.parse(actions.stdout)
        .map((a: { name: string }) => a.name)
        .sort(),
    ).toEqual(["Purchased", "Signed up", "Visited pricing"]);
    const cohorts = await cli(["list", "--kind", "cohort"]);
    expect(cohorts.stdout).toMatch(/Paying power users\s+dynamic/);
    expect((await cli(["list", "--kind", "chart"])).code).toBe(2);
  });

  it("get --kind dashboard prints its file, ids as PostHog has them (no directory, no keys)", async () => {
    const got = await cli(["get", String(ids.dashboards.team), "--kind", "dashboard"]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toMatch(/^# yaml-language-server: \$schema=.*dashboard-file\.schema\.json\n/);
    expect(got.stdout).toContain(`- insight: ${ids.insights.funnel}\n`);
    const action = await cli(["get", String(ids.actions.pricing), "--kind", "action", "--json"]);
    expect(JSON.parse(action.stdout)).toEqual({
      name: "Visited pricing",
      steps: [{ event: "$pageview", url: "/pricing" }],
    });
  });
});

describe("plan and push", () => {
  it("names each object by kind and key, shows tile changes and notes, and writes in dependency order", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    write("new-action.action.yaml", "name: Shared\nsteps:\n  - event: share\n");
    write(
      "sharers.cohort.yaml",
      "name: Sharers\nfilters:\n  properties:\n    type: AND\n    values:\n      - type: behavioral\n        key: action:new-action\n        event_type: actions\n        value: performed_event\n",
    );
    write("testers.cohort.yaml", "name: Testers\nis_static: true\n");
    write(
      "shares.insight.yaml",
      "name: Shares\nquery:\n  kind: InsightVizNode\n  source:\n    kind: TrendsQuery\n    series:\n      - kind: ActionsNode\n        id: action:new-action\n    properties:\n      - type: cohort\n        key: id\n        value: cohort:sharers\n",
    );
    edit("team.dashboard.yaml", "tiles:\n", "tiles:\n  - insight: shares\n    layout: { x: 0, y: 9, w: 12, h: 4 }\n");
    const planned = await cli(["plan"]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain("create    action:new-action\n");
    expect(planned.stdout).toContain(
      "create    cohort:testers\n    note: a static cohort: made or kept without members (people of one project are never copied; upload them in PostHog)\n",
    );
    expect(planned.stdout).toMatch(
      /^update {4}dashboard:team \(#\d+\)\n {4}tiles\[0\]: \(absent\) -> \{"insight":"shares","layout":\{"h":4,"w":12,"x":0,"y":9\}\}$/m,
    );
    expect(planned.stdout).toMatch(/^Plan: 4 to create, 0 to adopt, 1 to update/m);

    const before = fake.requests.length;
    const pushed = await cli(["push"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain("Pushed: 4 created, 0 adopted, 1 updated, 0 deleted.");
    const writes = writesSince(before);
    const at = (pattern: RegExp) => writes.findIndex((w) => pattern.test(w));
    // Actions, then cohorts (the one naming the action), insights, then the dashboard's tiles.
    expect(at(/^POST \/actions\/$/)).toBeLessThan(at(/^POST \/cohorts\/$/));
    expect(at(/^POST \/cohorts\/$/)).toBeLessThan(at(/^POST \/insights\/$/));
    expect(at(/^POST \/insights\/$/)).toBeLessThan(at(/^PATCH \/insights\/\d+\/$/));
    const created = fake.insights.find((i) => i.name === "Shares");
    const action = fake.actions.find((a) => a.name === "Shared");
    const sharers = fake.cohorts.find((c) => c.name === "Sharers");
    expect(created?.query).toMatchObject({
      source: { series: [{ id: action?.id }], properties: [{ value: sharers?.id }] },
    });
    expect(sharers?.filters).toMatchObject({ properties: { values: [{ key: action?.id }] } });
    expect(
      fake.dashboards
        .find((d) => d.id === ids.dashboards.team)
        ?.tiles.map((t) => t.insight?.name)
        .sort(),
    ).toEqual(["Shares", "Signup funnel"]);
    expect(await cli(["plan", "--exit-code"])).toMatchObject({ code: 0 });
  });

  it("creates a cohort an action's step names before the action; refuses a loop through an action", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    write(
      "pros.cohort.yaml",
      "name: Pros\nfilters:\n  properties:\n    type: AND\n    values:\n      - type: person\n        key: plan\n        operator: exact\n        value: [pro]\n",
    );
    write(
      "pro-signup.action.yaml",
      "name: Pro signup\nsteps:\n  - event: signed up\n    properties:\n      - type: cohort\n        key: id\n        value: cohort:pros\n",
    );
    const before = fake.requests.length;
    const pushed = await cli(["push"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(writesSince(before)).toEqual(["POST /cohorts/", "POST /actions/"]);
    const pros = fake.cohorts.find((c) => c.name === "Pros");
    expect(fake.actions.find((a) => a.name === "Pro signup")?.steps?.[0]?.properties).toEqual([
      { type: "cohort", key: "id", value: pros?.id },
    ]);
    expect(await cli(["plan", "--exit-code"])).toMatchObject({ code: 0 });

    // Power users names the Signed up action: a step of that action naming Power users is a loop.
    edit(
      "signed-up.action.yaml",
      "  - event: user signed up\n",
      "  - event: user signed up\n    properties:\n      - type: cohort\n        key: id\n        value: cohort:power-users\n",
    );
    const checked = await cli(["validate"]);
    expect(checked.code).toBe(2);
    expect(checked.stderr.trim().split("\n")).toEqual([
      "insights/signed-up.action.yaml:8: action:signed-up -> cohort:power-users -> action:signed-up name each other in a loop: neither can be created before the other in PostHog; remove one of these references",
    ]);
  });

  it("changes only this dashboard in an insight's dashboards: a tile on a dashboard no file manages stays", async () => {
    expect((await cli(["pull", "--only", "insights,dashboards"])).code).toBe(0);
    // A dashboard made in the UI after the pull shows the funnel too.
    const ui = await posthog().dashboards.create({ name: "Made in the UI" });
    await posthog().insights.update(ids.insights.funnel, {
      dashboards: [ids.dashboards.growth, ids.dashboards.team, ui.id],
    });
    edit("growth.dashboard.yaml", "  - insight: signup-funnel\n", "  - insight: pricing-views\n");
    const pushed = await cli(["push"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const funnel = await posthog().insights.retrieve(ids.insights.funnel, { include_dashboards: true });
    expect(funnel.dashboards?.sort()).toEqual([ids.dashboards.team, ui.id].sort());
    // Each membership read asked for the dashboards (served only when asked, here).
    const reads = fake.requests.filter((r) => r.method === "GET" && /\/insights\/\d+\/$/.test(r.path));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.query.include_dashboards === "true")).toBe(true);
  });

  it("--prune soft-deletes a dashboard whose file was removed, never its insights", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    rmSync(path("team.dashboard.yaml"));
    const before = fake.requests.length;
    const pushed = await cli(["push", "--prune"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const deletes = fake.requests.slice(before).filter((r) => r.method === "PATCH");
    expect(deletes.map((r) => [r.path.replace("/api/projects/1", ""), r.body])).toEqual([
      [`/dashboards/${ids.dashboards.team}/`, { deleted: true }],
    ]);
    expect(fake.insights.find((i) => i.id === ids.insights.funnel)?.deleted).toBe(false);
  });

  it("--prune deletes an action before another takes its name (PostHog refuses two with one name)", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    // Visited pricing is retired; Purchased takes its name, and the insight naming it names Purchased.
    rmSync(path("visited-pricing.action.yaml"));
    edit("purchased.action.yaml", "name: Purchased", "name: Visited pricing");
    edit("pricing-views.insight.yaml", "action:visited-pricing", "action:purchased");
    const before = fake.requests.length;
    const pushed = await cli(["push", "--prune"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(writesSince(before)).toEqual([
      `PATCH /actions/${ids.actions.pricing}/`,
      `PATCH /actions/${ids.actions.purchased}/`,
      `PATCH /insights/${ids.insights.pricingViews}/`,
    ]);
    expect(fake.actions.filter((a) => !a.deleted).map((a) => [a.id, a.name])).toEqual([
      [ids.actions.signedUp, "Signed up"],
      [ids.actions.purchased, "Visited pricing"],
    ]);
    expect(await cli(["plan", "--prune", "--exit-code"])).toMatchObject({ code: 0 });
  });

  it("a tile without a layout is placed by PostHog: not a change after the push; a drag in the UI is", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    write(
      "team.dashboard.yaml",
      `${read("team.dashboard.yaml")}  - insight: pricing-views\n  - text: Placed by PostHog\n`,
    );
    expect((await cli(["push"])).code).toBe(0);
    expect(await cli(["plan", "--exit-code"])).toMatchObject({ code: 0 });
    const pulled = await cli(["pull"]);
    expect(pulled.stderr).toContain(" 0 written,");
    expect(read("team.dashboard.yaml")).toMatch(/- insight: pricing-views\n {2}- text: Placed by PostHog\n$/);
    // Dragged in the UI: the file shows the new layout.
    const team = await posthog().dashboards.retrieve(ids.dashboards.team);
    const tile = team.tiles.find((t) => t.insight?.id === ids.insights.pricingViews);
    await posthog().dashboards.update(ids.dashboards.team, {
      tiles: [{ id: tile?.id as number, layouts: { sm: { x: 6, y: 40, w: 6, h: 5 } } }],
    });
    expect((await cli(["pull"])).code).toBe(0);
    expect(read("team.dashboard.yaml")).toMatch(/- insight: pricing-views\n {4}layout:\n {6}x: 6\n {6}y: 40\n/);
  });

  it("filters removed from a dashboard file are cleared in PostHog (an empty filters is not sent)", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const text = read("growth.dashboard.yaml");
    write("growth.dashboard.yaml", text.replace(/filters:\n( {2}.*\n)+/, ""));
    expect((await cli(["push"])).code).toBe(0);
    expect(await cli(["plan", "--exit-code"])).toMatchObject({ code: 0 });
    const growth = await posthog().dashboards.retrieve(ids.dashboards.growth);
    expect(Object.values(growth.persisted_filters ?? {}).every((v) => v === null)).toBe(true);
  });

  it("files in subfolders are read, planned and pulled in place", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    mkdirSync(path("dashboards"));
    mkdirSync(path("defs", "people"), { recursive: true });
    renameSync(path("growth.dashboard.yaml"), path("dashboards", "growth.dashboard.yaml"));
    renameSync(path("power-users.cohort.yaml"), path("defs", "people", "power-users.cohort.yaml"));
    expect(await cli(["plan", "--exit-code"])).toMatchObject({ code: 0 });
    await posthog().dashboards.update(ids.dashboards.growth, { description: "Edited in the UI" });
    expect((await cli(["pull"])).code).toBe(0);
    expect(readFileSync(path("dashboards", "growth.dashboard.yaml"), "utf8")).toContain(
      "description: Edited in the UI",
    );
    expect(readdirSync(path()).includes("growth.dashboard.yaml")).toBe(false);
  });
});

describe("validate", () => {
  it("fails on references no file defines, a missing tile insight, a cohort cycle, names used twice, one key twice", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    expect((await cli(["validate"])).stderr).toBe(
      "11 file(s) valid (3 actions, 2 cohorts, 4 insights, 2 dashboards).\n",
    );
    edit("daily-signups.insight.yaml", "id: action:signed-up", "id: action:signed-in");
    // A reference of the wrong kind: the schema refuses it where it checks ids, the references check elsewhere.
    edit("purchases-by-power-users.insight.yaml", "value: cohort:paying-power-users", "value: action:purchased");
    edit("team.dashboard.yaml", "insight: signup-funnel", "insight: churn");
    edit("growth.dashboard.yaml", "  - insight: purchases-by-power-users", "  - insight: daily-signups");
    edit(
      "power-users.cohort.yaml",
      "type: AND\n    values:\n",
      "type: AND\n    values:\n      - type: cohort\n        key: id\n        value: cohort:paying-power-users\n",
    );
    edit("visited-pricing.action.yaml", "name: Visited pricing", "name: Signed up");
    mkdirSync(path("old"));
    write("old/team.dashboard.yaml", "name: Old team\n");
    const checked = await cli(["validate"]);
    expect(checked.code).toBe(2);
    const lines = checked.stderr.trim().split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "insights/team.dashboard.yaml:1: two files for the key team: old/team.dashboard.yaml and team.dashboard.yaml; keep one",
        'insights/purchases-by-power-users.insight.yaml:11: query.source.properties[0].value: "action:purchased" is not a cohort id or a reference "cohort:<key>" to a cohort file of this directory',
      ]),
    );
    rmSync(path("old"), { recursive: true });
    edit("purchases-by-power-users.insight.yaml", "value: action:purchased", "value: cohort:paying-power-users");
    edit("paying-power-users.cohort.yaml", "value: cohort:power-users", "value: action:purchased");
    edit(
      "paying-power-users.cohort.yaml",
      "- pro\n",
      "- pro\n          - type: cohort\n            key: id\n            value: cohort:power-users\n",
    );
    const again = (await cli(["validate"])).stderr.trim().split("\n");
    expect(again).toEqual([
      'insights/daily-signups.insight.yaml:10: query.source.series[0].id: "action:signed-in": no action file defines the key signed-in (no signed-in.action.yaml here)',
      "insights/growth.dashboard.yaml:25: tiles[2].insight: daily-signups is on this dashboard already (tiles[0]): PostHog shows an insight once per dashboard",
      'insights/paying-power-users.cohort.yaml:8: filters.properties.values[0].value: "action:purchased" names an action where PostHog expects a cohort',
      "insights/paying-power-users.cohort.yaml:16: cohorts name each other in a loop (paying-power-users -> power-users -> paying-power-users): PostHog refuses it; remove one of these references",
      'insights/team.dashboard.yaml:4: tiles[0].insight: "churn": no insight file defines the key churn (no churn.insight.yaml here)',
      'insights/visited-pricing.action.yaml:2: name: "Signed up" is the name of signed-up.action.yaml too: PostHog refuses two actions with one name in a project; give each its own name',
    ]);
    // And plan refuses to start, sending nothing.
    const before = fake.requests.length;
    expect((await cli(["plan"])).code).toBe(2);
    expect(fake.requests.length).toBe(before);
  });

  it("fails on one insight twice on a dashboard, once by key and once by its id", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    write("team.dashboard.yaml", `${read("team.dashboard.yaml")}  - insight: ${ids.insights.funnel}\n`);
    const problem =
      "insights/team.dashboard.yaml:10: tiles[1].insight: signup-funnel is on this dashboard already (tiles[0]): " +
      `PostHog shows an insight once per dashboard (ids read as the keys they are in ${fake.origin}/project/1)`;
    const checked = await cli(["validate"]);
    expect(checked.code).toBe(2);
    expect(checked.stderr.trim().split("\n")).toEqual([problem]);
    const before = fake.requests.length;
    const planned = await cli(["plan"]);
    expect(planned.code).toBe(2);
    expect(planned.stderr).toContain(problem);
    expect((await cli(["push"])).code).toBe(2);
    expect(fake.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
  });
});
