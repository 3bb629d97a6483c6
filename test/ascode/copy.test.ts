// The copy engine on two fakes in process: the adoption rules in the destination (an action by
// name, even with other steps, which the copy leaves as they are; a cohort by name only when
// exactly one cohort there has it), a dry run that sends nothing, keys that never take one a copy
// from another source holds in the same state, ids nothing maps carried and reported, and an
// action naming a cohort written after it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copy } from "../../src/ascode/copy.js";
import { ConflictError } from "../../src/ascode/errors.js";
import { createFakePostHog, type FakePostHog } from "../../src/testing/index.js";

let dir: string;
let source: FakePostHog;
let destination: FakePostHog;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-copy-engine-"));
  source = createFakePostHog({ projectId: 11 });
  destination = createFakePostHog({ projectId: 22 });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const clients = () => [source.client({ rateLimit: false }), destination.client({ rateLimit: false })] as const;
const statePath = () => join(dir, "copy-state.json");
const writes = (fake: FakePostHog) => fake.requests.filter((r) => r.method !== "GET").length;
const dynamic = (event: string) => ({
  properties: {
    type: "AND",
    values: [
      {
        type: "behavioral",
        key: event,
        event_type: "events",
        value: "performed_event",
        time_value: 30,
        time_interval: "day",
      },
    ],
  },
});

async function seed(cohortsThere: number) {
  const [from, to] = clients();
  const action = await from.actions.create({ name: "Signed up", steps: [{ event: "user signed up" }] });
  const cohort = await from.cohorts.create({ name: "Power users", filters: dynamic("purchase") } as never);
  const insight = await from.insights.create({
    name: "Signups of power users",
    query: {
      kind: "InsightVizNode",
      source: {
        kind: "TrendsQuery",
        series: [{ kind: "ActionsNode", id: action.id }],
        properties: [{ type: "cohort", key: "id", value: cohort.id }],
      },
    },
  } as never);
  const there = await to.actions.create({ name: "Signed up", steps: [{ event: "signup" }] });
  const theirs: number[] = [];
  for (let n = 0; n < cohortsThere; n++) {
    theirs.push((await to.cohorts.create({ name: "Power users", filters: dynamic(`e${n}`) } as never)).id);
  }
  return { action, cohort, insight, there, theirs };
}

describe("copy's adoption rules", () => {
  it("adopts the action of the same name and the one cohort of the same name, leaving their definitions as they are", async () => {
    const { action, cohort, insight, there, theirs } = await seed(1);
    const [from, to] = clients();
    const before = writes(destination);
    const dry = await copy(from, to, { statePath: statePath(), dryRun: true });
    expect(writes(destination)).toBe(before);
    expect(dry.mapped.map((m) => `${m.kind} ${m.source} -> ${m.destination ?? "new"}: ${m.why}`)).toEqual([
      `action ${action.id} -> ${there.id}: would be adopted by name; its steps differ from the source's: left as they are`,
      `cohort ${cohort.id} -> ${theirs[0]}: would be adopted by name; its filters differ from the source's: left as they are`,
      `insight ${insight.id} -> new: would be created`,
    ]);

    const done = await copy(from, to, { statePath: statePath() });
    expect(done.adopted).toEqual(["action:signed-up", "cohort:power-users"]);
    expect(done.updated).toEqual([]);
    expect(destination.actions.find((a) => a.id === there.id)?.steps?.[0]?.event).toBe("signup");
    expect(JSON.stringify(destination.cohorts.find((c) => c.id === theirs[0])?.filters)).toContain('"key":"e0"');
    const copied = destination.insights.find((i) => i.name === "Signups of power users");
    const query = JSON.stringify(copied?.query);
    expect(query).toContain(`"id":${there.id}`);
    expect(query).toContain(`"value":${theirs[0]}`);
    expect(destination.cohorts.filter((c) => !c.deleted)).toHaveLength(1);

    const again = await copy(from, to, { statePath: statePath() });
    expect(again.mapped.every((m) => m.outcome === "unchanged")).toBe(true);
    expect(again.mapped.filter((m) => m.adopted).map((m) => [m.kind, m.differs])).toEqual([
      ["action", ["steps"]],
      ["cohort", ["filters"]],
    ]);
    expect(again.updated).toEqual([]);
  });

  it("creates a cohort when two cohorts of the destination have its name", async () => {
    const { cohort, theirs } = await seed(2);
    const [from, to] = clients();
    const done = await copy(from, to, { statePath: statePath() });
    const line = done.mapped.find((m) => m.kind === "cohort");
    expect(line).toMatchObject({ source: cohort.id, outcome: "created" });
    expect(theirs).not.toContain(line?.destination);
    expect(destination.cohorts.filter((c) => !c.deleted && c.name === "Power users")).toHaveLength(3);
  });

  it("gives a new object a key that a copy from another source already holds in the state", async () => {
    const [from, to] = clients();
    const other = createFakePostHog({ projectId: 33 });
    await from.insights.create({ name: "Signups", query: { kind: "HogQLQuery", query: "select 1" } } as never);
    await other.client({ rateLimit: false }).insights.create({
      name: "Signups",
      query: { kind: "HogQLQuery", query: "select 2" },
    } as never);
    await copy(from, to, { statePath: statePath() });
    const second = await copy(other.client({ rateLimit: false }), to, { statePath: statePath() });
    expect(second.created).toHaveLength(1);
    expect(second.created[0]).not.toBe("signups");
    expect(destination.insights.filter((i) => !i.deleted && i.name === "Signups")).toHaveLength(2);
  });

  it("carries ids nothing maps (an insight variable) as they are, and says so", async () => {
    const [from, to] = clients();
    const variable = "0190a5b4-8d0e-7c1a-9f00-000000000001";
    await from.insights.create({
      name: "Signups since",
      query: {
        kind: "DataVisualizationNode",
        source: {
          kind: "HogQLQuery",
          query: "select count() from events where timestamp > {variables.since}",
          variables: { [variable]: { variableId: variable, code_name: "since", value: "2026-01-01" } },
        },
      },
    } as never);
    const done = await copy(from, to, { statePath: statePath() });
    expect(done.mapped).toHaveLength(1);
    expect(done.mapped[0]?.carried).toEqual([
      { kind: "insight_variable", id: variable, path: `query.source.variables["${variable}"].variableId` },
    ]);
    expect(JSON.stringify(destination.insights[0]?.query)).toContain(variable);
  });

  it("carries an action naming a cohort in one run: the cohort is written first", async () => {
    const [from, to] = clients();
    const cohort = await from.cohorts.create({ name: "Buyers", filters: dynamic("purchase") } as never);
    const visits = await from.actions.create({
      name: "Buyers' visits",
      steps: [{ event: "$pageview", properties: [{ type: "cohort", key: "id", value: cohort.id }] }],
    } as never);
    await from.insights.create({
      name: "Visits by buyers",
      query: {
        kind: "InsightVizNode",
        source: { kind: "TrendsQuery", series: [{ kind: "ActionsNode", id: visits.id }] },
      },
    } as never);
    const done = await copy(from, to, { statePath: statePath() });
    expect(done.refused).toEqual([]);
    expect(done.created).toEqual(["cohort:buyers", "action:buyers-visits", "visits-by-buyers"]);
    const copied = destination.actions.find((a) => a.name === "Buyers' visits");
    const there = destination.cohorts.find((c) => c.name === "Buyers");
    expect(JSON.stringify(copied?.steps)).toContain(`"value":${there?.id}`);
  });

  it("refuses to overwrite a copy edited in the destination since the last copy, unless forced", async () => {
    const { insight } = await seed(0);
    const [from, to] = clients();
    await copy(from, to, { statePath: statePath() });
    const copied = destination.insights.find((i) => i.name === "Signups of power users");
    await to.insights.update(copied?.id as number, { name: "Renamed in the destination" });
    await from.insights.update(insight.id, { description: "edited in the source" });
    const before = writes(destination);
    await expect(copy(from, to, { statePath: statePath() })).rejects.toThrow(ConflictError);
    expect(writes(destination)).toBe(before);
    const forced = await copy(from, to, { statePath: statePath(), force: true });
    expect(forced.updated).toEqual(["signups-of-power-users"]);
    expect(destination.insights.find((i) => i.id === copied?.id)?.name).toBe("Signups of power users");
  });
});
