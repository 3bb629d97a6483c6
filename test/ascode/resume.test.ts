// Kill tests in process: a push of every kind is stopped right after each of its requests in
// turn (the request reached PostHog, its answer and everything after it are lost, as when the
// process is killed), then run again. Each time the project ends as an uninterrupted push leaves
// it: no duplicate action, cohort, insight, dashboard or tile, nothing lost, the plan empty.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { planDir, pull, push } from "../../src/ascode/engine.js";
import { createFakePostHog, type FakePostHog } from "../../src/testing/index.js";
import { seededFake } from "../support/analytics-project.js";

// Dozens of pushes per test, each a few hundred milliseconds on a loaded 2-core machine.
vi.setConfig({ testTimeout: 240_000 });

let root: string;
/** A directory pulled from the seeded project: every kind, references by key. */
let pulled: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "posthog-insights-resume-"));
  pulled = join(root, "pulled");
  const { fake } = await seededFake();
  await pull(fake.client({ rateLimit: false }), pulled);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

class Killed extends Error {}

/** `fake.fetch` that delivers the first `limit` requests, loses the answer of the last, and refuses every later one. */
function killedAfter(fake: FakePostHog, limit: number) {
  let sent = 0;
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    sent += 1;
    if (sent > limit) {
      throw new Killed(`killed before request ${sent}`);
    }
    const answer = await fake.fetch(input, init);
    if (sent === limit) {
      throw new Killed(`killed after request ${sent}, its answer lost`);
    }
    return answer;
  };
}

/** `fake.fetch` that loses the answer of the first `method` request to a path matching `path`, and refuses every later one. */
function killedAfterFirst(fake: FakePostHog, method: string, path: RegExp) {
  let dead = false;
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (dead) {
      throw new Killed("killed before this request");
    }
    const url = new URL(input instanceof Request ? input.url : String(input));
    const answer = await fake.fetch(input, init);
    if ((init?.method ?? "GET").toUpperCase() === method && path.test(url.pathname)) {
      dead = true;
      throw new Killed(`killed after ${method} ${url.pathname}, its answer lost`);
    }
    return answer;
  };
}

const client = (fake: FakePostHog, fetch = fake.fetch) => fake.client({ rateLimit: false, maxRetries: 0, fetch });

/** What the project holds, by kind, as names (and a dashboard's tiles): duplicates show as repeats. */
function contents(fake: FakePostHog): object {
  const live = <T extends { deleted?: boolean | null }>(items: T[]) => items.filter((item) => !item.deleted);
  return {
    actions: live(fake.actions)
      .map((a) => a.name)
      .sort(),
    cohorts: live(fake.cohorts)
      .map((c) => c.name)
      .sort(),
    insights: live(fake.insights)
      .map((i) => i.name)
      .sort(),
    dashboards: live(fake.dashboards)
      .map((d) => ({
        name: d.name,
        tiles: d.tiles
          .map(
            (t) =>
              `${t.insight ? `insight ${t.insight.name}` : `text ${t.text?.body}`} ${JSON.stringify(t.layouts?.sm ?? null)} ${t.color}`,
          )
          .sort(),
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
  };
}

/**
 * Stops `run` after each of its requests in turn; after each stop, runs `between` (if given),
 * runs `run` again and checks the end.
 */
async function killAtEveryRequest(
  prepare: () => Promise<{ fake: FakePostHog; dir: string }>,
  run: (fake: FakePostHog, dir: string, fetch?: FakePostHog["fetch"]) => Promise<unknown>,
  between?: (fake: FakePostHog, dir: string, limit: number) => Promise<void>,
): Promise<{ requests: number; expected: object }> {
  const reference = await prepare();
  const before = reference.fake.requests.length;
  await run(reference.fake, reference.dir);
  const requests = reference.fake.requests.length - before;
  const expected = contents(reference.fake);
  for (let limit = 1; limit <= requests; limit++) {
    const { fake, dir } = await prepare();
    await expect(run(fake, dir, killedAfter(fake, limit)), `stopped after request ${limit}`).rejects.toThrow();
    await between?.(fake, dir, limit);
    await run(fake, dir);
    expect(contents(fake), `stopped after request ${limit}`).toEqual(expected);
    const { plan } = await planDir(client(fake), dir);
    expect(
      plan.differs,
      `stopped after request ${limit}: ${JSON.stringify(plan.actions.filter((a) => a.action !== "unchanged"))}`,
    ).toBe(false);
    expect((await pull(client(fake), dir)).written, `stopped after request ${limit}`).toEqual([]);
  }
  return { requests, expected };
}

describe("a push stopped after any request resumes to the same end state", () => {
  it("into an empty project: actions, cohorts, insights, dashboards and their tiles made once each", async () => {
    let project = 100;
    const prepare = async () => {
      const fake = createFakePostHog({ projectId: project++ });
      const dir = join(root, `empty-${project}`);
      cpSync(pulled, dir, { recursive: true });
      return { fake, dir };
    };
    const { requests, expected } = await killAtEveryRequest(prepare, (fake, dir, fetch) =>
      push(client(fake, fetch), dir),
    );
    expect(expected).toMatchObject({ actions: ["Purchased", "Signed up", "Visited pricing"] });
    // Lists (4), creates (11), Growth's three insights on (a read and a write each), its card,
    // one read for the tile ids and one layout update; Team's insight on, and its read.
    expect(requests).toBe(27);
    console.log(`push into an empty project: stopped after each of its ${requests} requests, resumed each time`);
  });

  it("into an empty project with a pull between the stop and the rerun: no file taken for a conflict, nothing made twice", async () => {
    let project = 200;
    const prepare = async () => {
      const fake = createFakePostHog({ projectId: project++ });
      const dir = join(root, `empty-pulled-${project}`);
      cpSync(pulled, dir, { recursive: true });
      return { fake, dir };
    };
    // Stopped right after a dashboard's create (its answer lost, no tile on it yet), the pull
    // used to keep the file as a conflict and record nothing, and the rerun made a second dashboard.
    const { requests } = await killAtEveryRequest(
      prepare,
      (fake, dir, fetch) => push(client(fake, fetch), dir),
      async (fake, dir, limit) => {
        const between = await pull(client(fake), dir);
        expect(
          between.kept.filter((kept) => kept.conflict),
          `pull after a stop after request ${limit}`,
        ).toEqual([]);
      },
    );
    expect(requests).toBe(27);
  });

  it("an update of every kind with --prune: tiles moved, added, removed and edited, an insight off one dashboard only", async () => {
    const prepare = async () => {
      const { fake } = await seededFake();
      const dir = mkdtempSync(join(root, "edit-"));
      await pull(client(fake), dir);
      const edit = (name: string, from: string, to: string) => {
        const text = readFileSync(join(dir, name), "utf8");
        expect(text).toContain(from);
        writeFileSync(join(dir, name), text.replace(from, to));
      };
      edit("purchased.action.yaml", "description: Checkout completed", "description: Checkout done");
      edit("paying-power-users.cohort.yaml", "- pro", "- pro\n              - team");
      edit("daily-signups.insight.yaml", "interval: day", "interval: week");
      // Growth: the funnel moved, the purchases tile removed, pricing added, the card edited, a card added.
      edit("growth.dashboard.yaml", "      x: 6\n      y: 0\n", "      x: 0\n      y: 20\n");
      edit("growth.dashboard.yaml", "  - insight: purchases-by-power-users\n", "  - insight: pricing-views\n");
      edit("growth.dashboard.yaml", "## Notes", "## Read me");
      writeFileSync(
        join(dir, "growth.dashboard.yaml"),
        `${readFileSync(join(dir, "growth.dashboard.yaml"), "utf8")}  - text: Added\n`,
      );
      // Team is no longer kept here: pruned (its insight stays, and stays on Growth).
      rmSync(join(dir, "team.dashboard.yaml"));
      return { fake, dir };
    };
    const { requests, expected } = await killAtEveryRequest(prepare, (fake, dir, fetch) =>
      push(client(fake, fetch), dir, { prune: true }),
    );
    const { dashboards, insights } = expected as {
      dashboards: { name: string; tiles: string[] }[];
      insights: string[];
    };
    expect(dashboards.map((d) => d.name)).toEqual(["Growth"]);
    expect(dashboards[0]?.tiles.map((tile) => tile.split(" {")[0]?.split(" null")[0])).toEqual([
      "insight Daily signups",
      "insight Pricing views",
      "insight Signup funnel",
      "text ## Read me\nSignups count the `Signed up` action.",
      "text Added",
    ]);
    // Off the dashboard, not deleted; and the insight Team showed stays (on Growth too).
    expect(insights).toContain("Purchases by power users");
    console.log(`update push of every kind: stopped after each of its ${requests} requests, resumed each time`);
  });

  it("a pull between the stopped push and its rerun keeps the file, as a push to finish, not a conflict", async () => {
    const fake = createFakePostHog({ projectId: 300 });
    const dir = join(root, "pull-between");
    cpSync(pulled, dir, { recursive: true });
    // Stopped right after Growth's first insight went on it (lists 4, creates 9 and Growth's,
    // then the insight's read and write): the dashboard is half-written.
    await expect(push(client(fake, killedAfter(fake, 16)), dir)).rejects.toThrow(/create of dashboard:growth failed/);
    expect(fake.requests.at(-1)).toMatchObject({ method: "PATCH", path: expect.stringMatching(/\/insights\/\d+\/$/) });
    expect(fake.dashboards.find((d) => d.name === "Growth")?.tiles).toHaveLength(1);
    const pulledAgain = await pull(client(fake), dir);
    expect(pulledAgain.kept).toEqual([
      expect.objectContaining({
        kind: "dashboard",
        key: "growth",
        conflict: false,
        reason: expect.stringMatching(/^a push was stopped while writing #\d+: kept your file \(push finishes it\)$/),
      }),
    ]);
    await push(client(fake), dir);
    expect((await planDir(client(fake), dir)).plan.differs).toBe(false);
  });

  it("an edit in PostHog after a dashboard push was stopped is a conflict, never overwritten", async () => {
    const { fake, ids } = await seededFake(400);
    const dir = join(root, "edited-after-stop");
    await pull(client(fake), dir);
    const path = join(dir, "growth.dashboard.yaml");
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace("  - insight: purchases-by-power-users\n", "  - insight: pricing-views\n"),
    );
    // Stopped after the first membership write: the dashboard is half-written, as the state notes.
    const stopAt = fake.requests.length;
    const stopped = push(client(fake, killedAfterFirst(fake, "PATCH", /\/insights\/\d+\/$/)), dir);
    await expect(stopped).rejects.toThrow(/update of dashboard:growth failed/);
    expect(fake.requests.slice(stopAt).filter((r) => r.method === "PATCH")).toHaveLength(1);
    await client(fake).dashboards.update(ids.dashboards.growth, { description: "Edited in the UI after the stop" });
    const { plan } = await planDir(client(fake), dir);
    expect(plan.actions.filter((a) => a.action !== "unchanged")).toEqual([
      expect.objectContaining({
        action: "conflict",
        key: "growth",
        changes: expect.arrayContaining([
          { path: "description", before: "Edited in the UI after the stop", after: "Signups and revenue" },
        ]),
      }),
    ]);
    await expect(push(client(fake), dir)).rejects.toThrow(/conflict/i);
    expect(fake.dashboards.find((d) => d.id === ids.dashboards.growth)?.description).toBe(
      "Edited in the UI after the stop",
    );
    // Pull says the same: a conflict, the file kept.
    const pulledAgain = await pull(client(fake), dir);
    expect(pulledAgain.kept).toEqual([expect.objectContaining({ key: "growth", conflict: true })]);
  });
});
