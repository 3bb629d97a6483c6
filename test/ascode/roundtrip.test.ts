// The round trip of issue 22's "Done when", through the engine against the testing kit: a
// project with two dashboards (one with three insight tiles and a text tile), three actions and
// two cohorts (one nested, one naming an action) is pulled with references by key, plans empty,
// is edited in every kind, plans exactly those changes, is pushed, plans empty, and pulls unchanged.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { planDir, pull, push } from "../../src/ascode/engine.js";
import { createFakePostHog } from "../../src/testing/index.js";
import { seededFake } from "../support/analytics-project.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-roundtrip-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const read = (name: string) => readFileSync(join(dir, name), "utf8");
const edit = (name: string, from: string, to: string) => {
  const text = read(name);
  expect(text).toContain(from);
  writeFileSync(join(dir, name), text.replace(from, to));
};

describe("every kind round-trips", () => {
  it("pull, plan empty, edit each kind, plan those changes, push, plan empty, pull unchanged", async () => {
    const { fake, ids } = await seededFake();
    const posthog = fake.client({ rateLimit: false });

    const pulled = await pull(posthog, dir);
    expect(pulled.counts).toEqual({ action: 3, cohort: 2, insight: 4, dashboard: 2 });
    expect(readdirSync(dir).sort()).toEqual([
      ".posthog-insights",
      "daily-signups.insight.yaml",
      "growth.dashboard.yaml",
      "paying-power-users.cohort.yaml",
      "power-users.cohort.yaml",
      "pricing-views.insight.yaml",
      "purchased.action.yaml",
      "purchases-by-power-users.insight.yaml",
      "signed-up.action.yaml",
      "signup-funnel.insight.yaml",
      "team.dashboard.yaml",
      "visited-pricing.action.yaml",
    ]);
    // References by key wherever an id of a managed object was.
    expect(read("daily-signups.insight.yaml")).toContain("id: action:signed-up");
    expect(read("purchases-by-power-users.insight.yaml")).toContain("value: cohort:paying-power-users");
    expect(read("power-users.cohort.yaml")).toContain("key: action:signed-up");
    expect(read("paying-power-users.cohort.yaml")).toContain("value: cohort:power-users");
    expect(read("growth.dashboard.yaml")).toBe(
      [
        "# yaml-language-server: $schema=https://unpkg.com/posthog-insights@0/generated/dashboard-file.schema.json",
        "description: Signups and revenue",
        "filters:",
        "  date_from: -30d",
        "  properties:",
        "    - key: id",
        "      type: cohort",
        "      value: cohort:power-users",
        "name: Growth",
        "pinned: true",
        "tiles:",
        "  - insight: daily-signups",
        "    layout:",
        "      x: 0",
        "      y: 0",
        "      w: 6",
        "      h: 5",
        "    color: blue",
        "  - insight: signup-funnel",
        "    layout:",
        "      x: 6",
        "      y: 0",
        "      w: 6",
        "      h: 5",
        "  - insight: purchases-by-power-users",
        "    layout:",
        "      x: 0",
        "      y: 5",
        "      w: 12",
        "      h: 5",
        "  - text: |-",
        "      ## Notes",
        "      Signups count the `Signed up` action.",
        "    layout:",
        "      x: 0",
        "      y: 10",
        "      w: 12",
        "      h: 2",
        "",
      ].join("\n"),
    );
    const clean = await planDir(posthog, dir);
    expect(clean.plan.actions.filter((a) => a.action !== "unchanged")).toEqual([]);
    expect(clean.plan.differs).toBe(false);
    expect((await pull(posthog, dir)).written).toEqual([]);

    // One edit in each kind: a step, a cohort's window, an insight's name, a tile moved and a card edited.
    edit("visited-pricing.action.yaml", "url: /pricing", "url: /pricing/");
    edit("power-users.cohort.yaml", "time_value: 30", "time_value: 60");
    edit("pricing-views.insight.yaml", "name: Pricing views", "name: Pricing page views");
    edit(
      "growth.dashboard.yaml",
      "insight: signup-funnel\n    layout:\n      x: 6\n      y: 0\n",
      "insight: signup-funnel\n    layout:\n      x: 0\n      y: 15\n",
    );
    edit("growth.dashboard.yaml", "Signups count", "Signups counts");

    const planned = await planDir(posthog, dir);
    const changed = planned.plan.actions
      .filter((a) => a.action !== "unchanged")
      .map((a) => [
        a.action,
        a.kind,
        a.key,
        (a.changes ?? []).map((c) => `${c.path}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`),
      ]);
    expect(changed).toEqual([
      ["update", "action", "visited-pricing", ['steps[0].url: "/pricing" -> "/pricing/"']],
      ["update", "cohort", "power-users", ["filters.properties.values[0].time_value: 30 -> 60"]],
      ["update", "insight", "pricing-views", ['name: "Pricing views" -> "Pricing page views"']],
      [
        "update",
        "dashboard",
        "growth",
        [
          "tiles[1].layout.x: 6 -> 0",
          "tiles[1].layout.y: 0 -> 15",
          'tiles[3].text: "## Notes\\nSignups count the `Signed up` action." -> "## Notes\\nSignups counts the `Signed up` action."',
        ],
      ],
    ]);

    const before = fake.requests.length;
    const pushed = await push(posthog, dir);
    expect(pushed.updated).toEqual([
      "action:visited-pricing",
      "cohort:power-users",
      "pricing-views",
      "dashboard:growth",
    ]);
    const growthPath = `/api/projects/1/dashboards/${ids.dashboards.growth}/`;
    const growthWrites = fake.requests
      .slice(before)
      .filter((r) => r.method !== "GET" && r.path.startsWith(growthPath))
      .map((r) => `${r.method} ${r.path.slice(growthPath.length) || "."}`);
    // The card through its route; the moved tile: one layout update, no tile recreated.
    expect(growthWrites).toEqual(["POST update_text_tile/", "PATCH ."]);
    expect((await planDir(posthog, dir)).plan.differs).toBe(false);
    expect((await pull(posthog, dir)).written).toEqual([]);
  });

  it("a dashboard naming insights by id, planned for another project, names those ids as project-local", async () => {
    const { fake, ids } = await seededFake();
    await pull(fake.client({ rateLimit: false }), dir, { only: ["dashboard", "cohort"] });
    expect(read("team.dashboard.yaml")).toContain(`  - insight: ${ids.insights.funnel}\n`);
    const other = createFakePostHog({ projectId: 2 });
    const { plan } = await planDir(other.client({ rateLimit: false }), dir);
    const team = plan.actions.find((a) => a.kind === "dashboard" && a.key === "team");
    expect(team).toMatchObject({ action: "create" });
    expect(team?.refs).toEqual([{ kind: "insight", id: ids.insights.funnel, path: "tiles[0].insight" }]);
    const growth = plan.actions.find((a) => a.kind === "dashboard" && a.key === "growth");
    expect(growth?.refs?.map((ref) => `${ref.kind} ${ref.id} at ${ref.path}`)).toEqual([
      `insight ${ids.insights.dailySignups} at tiles[0].insight`,
      `insight ${ids.insights.funnel} at tiles[1].insight`,
      `insight ${ids.insights.purchases} at tiles[2].insight`,
    ]);
    // In the project it was pulled from, they are its own: nothing to report.
    const home = await planDir(fake.client({ rateLimit: false }), dir);
    expect(home.plan.actions.filter((a) => a.refs)).toEqual([]);
  });

  it("a checkout without its state adopts every kind (a cohort naming a cohort too): nothing created, no twin file", async () => {
    const { fake } = await seededFake();
    const posthog = fake.client({ rateLimit: false });
    await pull(posthog, dir);
    const files = readdirSync(dir).filter((name) => !name.startsWith("."));
    rmSync(join(dir, ".posthog-insights"), { recursive: true });
    const { plan } = await planDir(posthog, dir);
    expect(plan.actions.filter((a) => a.action !== "adopt")).toEqual([]);
    expect(plan.actions).toHaveLength(11);
    // And pull, from the same state-less checkout, keeps each file's key instead of writing a twin.
    const second = mkdtempSync(join(tmpdir(), "posthog-insights-roundtrip-"));
    try {
      for (const name of files) {
        writeFileSync(join(second, name), read(name));
      }
      const pulled = await pull(posthog, second);
      expect(pulled.written).toEqual([]);
      expect(
        readdirSync(second)
          .filter((name) => !name.startsWith("."))
          .sort(),
      ).toEqual(files.sort());
    } finally {
      rmSync(second, { recursive: true, force: true });
    }
    const before = fake.requests.filter((r) => r.method === "POST").length;
    const pushed = await push(posthog, dir);
    expect(pushed.adopted).toHaveLength(11);
    expect(fake.requests.filter((r) => r.method === "POST").length).toBe(before);
    expect((await planDir(posthog, dir)).plan.differs).toBe(false);
  });
});
