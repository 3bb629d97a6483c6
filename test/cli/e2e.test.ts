// Insights as code end to end, in process, against the stateful fake: pull, edit, plan, push, pull
// again; a conflict with an edit made in PostHog; a create whose answer was lost, then a rerun.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFakePostHog, type FakePostHog } from "../../src/testing/index.js";
import { funnel, runCli, trends } from "./support.js";

const sql = { kind: "DataVisualizationNode" as const, source: { kind: "HogQLQuery" as const, query: "select 1" } };

let dir: string;
let fake: FakePostHog;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-e2e-"));
  fake = createFakePostHog({ projectId: 7 });
  const posthog = fake.client();
  await posthog.insights.create({ name: "Daily signups", query: trends, tags: ["growth"] });
  await posthog.insights.create({ name: "Signup funnel", query: funnel, description: "From visit to signup" });
  await posthog.insights.create({ name: "Raw SQL", query: sql, favorited: true });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI on the fake, in the test's directory. */
function cli(args: string[], fetch: typeof fake.fetch = fake.fetch) {
  return runCli([...args, "--host", fake.origin, "--project", "7", "--no-progress"], {
    env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey },
    cwd: dir,
    fetch,
  });
}

/** Every insight file of the directory, by name, with its text. */
function files(): Record<string, string> {
  const names = readdirSync(join(dir, "insights")).filter((f) => f.endsWith(".insight.yaml"));
  return Object.fromEntries(names.sort().map((f) => [f, readFileSync(join(dir, "insights", f), "utf8")]));
}

function edit(file: string, from: string, to: string): void {
  const path = join(dir, "insights", file);
  const text = readFileSync(path, "utf8");
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

const writes = () => fake.requests.filter((r) => r.method === "POST" || r.method === "PATCH");

describe("insights as code against the fake", () => {
  it("pull, edit a name and a query field, plan shows exactly those paths, push, and pull again changes nothing", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const pulled = files();
    expect(Object.keys(pulled)).toHaveLength(3);
    expect(await cli(["plan", "--exit-code"])).toMatchObject({ code: 0 });

    const trendsFile = Object.keys(pulled).find((f) => pulled[f]?.includes("Daily signups")) as string;
    edit(trendsFile, "name: Daily signups", "name: Daily signups (all)");
    edit(trendsFile, "interval: day", "interval: week");
    const plan = await cli(["plan", "--json", "--exit-code"]);
    expect(plan.code).toBe(3);
    const json = JSON.stringify(JSON.parse(plan.stdout));
    expect(json).toContain("Daily signups (all)");
    expect(json).toMatch(/query\.source\.interval/);
    expect(json).not.toMatch(/Signup funnel[^}]*"update"/);

    const before = writes().length;
    expect((await cli(["push"])).code).toBe(0);
    const pushed = writes().slice(before);
    expect(pushed.map((r) => r.method)).toEqual(["PATCH"]);
    expect(fake.insights.find((i) => i.name === "Daily signups (all)")?.query).toMatchObject({
      source: { interval: "week" },
    });

    const edited = files();
    expect((await cli(["pull"])).code).toBe(0);
    expect(files()).toEqual(edited);
    expect(await cli(["plan", "--exit-code"])).toMatchObject({ code: 0 });
  });

  it("refuses to push over an edit made in PostHog since the pull, unless --force", async () => {
    await cli(["pull"]);
    const [file] = Object.keys(files()).filter((f) => files()[f]?.includes("Signup funnel"));
    edit(file as string, "name: Signup funnel", "name: Signup funnel (file)");
    const id = fake.insights.find((i) => i.name === "Signup funnel")?.id as number;
    await fake.client().insights.update(id, { name: "Signup funnel (UI)" });

    const plan = await cli(["plan", "--json"]);
    expect(plan.stdout).toContain("conflict");
    const refused = await cli(["push"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/conflict/i);
    expect(fake.insights.find((i) => i.id === id)?.name).toBe("Signup funnel (UI)");

    expect((await cli(["push", "--force"])).code).toBe(0);
    expect(fake.insights.find((i) => i.id === id)?.name).toBe("Signup funnel (file)");
  });

  it("adopts a create whose answer was lost instead of creating it twice", async () => {
    await cli(["pull"]);
    writeFileSync(
      join(dir, "insights", "weekly-visits.insight.yaml"),
      readFileSync(join(dir, "insights", Object.keys(files())[0] as string), "utf8").replace(
        /^name: .*$/m,
        "name: Weekly visits",
      ),
    );
    // The create reaches the fake, which stores the insight, but its answer never comes back.
    const losing: typeof fake.fetch = async (input, init) => {
      const response = await fake.fetch(input, init);
      if (init?.method === "POST" && String(input).endsWith("/insights/")) {
        throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      }
      return response;
    };
    const lost = await cli(["push"], losing);
    expect(lost.code).toBe(1);
    expect(fake.insights.filter((i) => i.name === "Weekly visits")).toHaveLength(1);

    expect((await cli(["push"])).code).toBe(0);
    expect(fake.insights.filter((i) => i.name === "Weekly visits" && !i.deleted)).toHaveLength(1);
    expect(await cli(["plan", "--exit-code"])).toMatchObject({ code: 0 });
  });

  it("exits 2 on an invalid file, naming it, and sends nothing", async () => {
    await cli(["pull"]);
    const [file] = Object.keys(files());
    writeFileSync(join(dir, "insights", file as string), "name: [unclosed\n");
    const before = fake.requests.length;
    const result = await cli(["push"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file as string);
    expect(writes().length).toBe(writes().filter((r) => fake.requests.indexOf(r) < before).length);
  });
});
