// Longer CLI jobs against the stateful fake: a copy of insights between two hosts (two fakes over
// loopback HTTP; copy.test.ts copies dashboards, actions and cohorts), one directory pushed to
// two targets, a push cut off midway and resumed, and a 300-insight pull and push paced to
// throttle windows the fake enforces.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFakePostHog, type FakePostHog } from "../../src/testing/index.js";
import { earliestSchedule } from "../support/throttle.js";
import { funnel, runCli, trends } from "./support.js";

// Action 7 and cohort 42 exist only in the source project.
const withRefs = {
  kind: "InsightVizNode" as const,
  source: {
    kind: "TrendsQuery" as const,
    series: [{ kind: "ActionsNode" as const, id: 7, name: "Signed up" }],
    properties: [{ type: "cohort" as const, key: "id" as const, value: 42 }],
    interval: "week" as const,
  },
};

// Whole jobs through the CLI: seconds each here, many more under a loaded 2-core CI.
vi.setConfig({ testTimeout: 120_000 });

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-jobs-"));
});

afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const live = (fake: FakePostHog) => fake.insights.filter((insight) => !insight.deleted);
const creates = (fake: FakePostHog) => fake.requests.filter((r) => r.method === "POST" && /\/insights\/$/.test(r.path));
const writes = (fake: FakePostHog) => fake.requests.filter((r) => r.method === "POST" || r.method === "PATCH");

/** How many requests of each method, as "GET 3, POST 15". */
function byMethod(requests: { method: string }[]): string {
  const counts = new Map<string, number>();
  for (const { method } of requests) {
    counts.set(method, (counts.get(method) ?? 0) + 1);
  }
  return [...counts].map(([method, count]) => `${method} ${count}`).join(", ");
}

/** The insights part of each target of the state file. */
function readState(): { targets: Record<string, { entries: Record<string, { id: number }>; pending: object }> } {
  const doc = JSON.parse(readFileSync(join(dir, "insights", ".posthog-insights", "state.json"), "utf8")) as {
    targets: Record<string, { insights?: { entries: Record<string, { id: number }>; pending: object } }>;
  };
  const targets = Object.entries(doc.targets).map(([id, t]) => [id, t.insights ?? { entries: {}, pending: {} }]);
  return { targets: Object.fromEntries(targets) };
}

function insightFiles(): string[] {
  return readdirSync(join(dir, "insights"))
    .filter((f) => f.endsWith(".insight.yaml"))
    .sort();
}

function edit(file: string, from: string, to: string): void {
  const path = join(dir, "insights", file);
  const text = readFileSync(path, "utf8");
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

describe("copy between two hosts", () => {
  let us: FakePostHog;
  let eu: FakePostHog;
  let usServer: { url: string; close(): Promise<void> };
  let euServer: { url: string; close(): Promise<void> };

  beforeEach(async () => {
    us = createFakePostHog({ projectId: 101, apiKey: "phx_us_source_key" });
    eu = createFakePostHog({ projectId: 202, apiKey: "phx_eu_destination_key" });
    const source = us.client({ rateLimit: false });
    await source.insights.create({ name: "Daily signups", query: trends, tags: ["growth"] });
    await source.insights.create({ name: "Signup funnel", query: funnel, description: "From visit to signup" });
    await source.insights.create({ name: "Signups of cohort 42", query: withRefs, favorited: true });
    await eu.client({ rateLimit: false }).insights.create({ name: "EU only", query: trends });
    usServer = await us.listen();
    euServer = await eu.listen();
  });

  afterEach(async () => {
    await usServer.close();
    await euServer.close();
  });

  /** The CLI over real loopback HTTP (no injected fetch), with both keys in the environment. */
  function cli(args: string[]) {
    return runCli([...args, "--no-progress"], {
      env: { POSTHOG_PERSONAL_API_KEY: us.apiKey, POSTHOG_TO_PERSONAL_API_KEY: eu.apiKey },
      cwd: dir,
    });
  }
  const copyArgs = () => [
    "copy",
    "--host",
    usServer.url,
    "--project",
    "101",
    "--to-host",
    euServer.url,
    "--to-project",
    "202",
  ];

  it("copies every insight with its name and query, refuses by name the one naming ids the source does not have, and a rerun creates nothing", async () => {
    const first = await cli([...copyArgs(), "--json"]);
    expect(first.stderr).not.toMatch(/phx_/);
    // One insight could not be carried: the copy says so (exit 1) and copies the rest.
    expect(first.code).toBe(1);

    // The destination has the two insights besides its own, same names and queries.
    const sources = live(us).filter((insight) => insight.name !== "Signups of cohort 42");
    const copied = live(eu).filter((insight) => insight.name !== "EU only");
    expect(copied.map((i) => i.name).sort()).toEqual(sources.map((i) => i.name).sort());
    for (const source of sources) {
      const copy = copied.find((i) => i.name === source.name);
      expect(copy?.query, source.name ?? "").toEqual(source.query);
      expect(copy?.tags).toEqual(source.tags);
      expect(copy?.description).toEqual(source.description);
      expect(copy?.favorited).toEqual(source.favorited);
    }
    // Only creates went to the destination, with no server-side or numeric id fields.
    const posted = writes(eu).filter((r) => (r.body as { name?: string }).name !== "EU only");
    expect(posted.map((r) => r.method)).toEqual(["POST", "POST"]);
    for (const request of posted) {
      const body = request.body as Record<string, unknown>;
      for (const field of ["id", "short_id", "created_at", "created_by", "last_modified_at", "dashboards"]) {
        expect(body, field).not.toHaveProperty(field);
      }
    }
    expect(writes(us)).toHaveLength(3); // the seeding creates: the copy only read the source

    // Action 7 and cohort 42 are not in the source project: the insight naming them is refused,
    // by name, with each id and where it is, never sent with ids that mean nothing there.
    const result = JSON.parse(first.stdout) as {
      created: string[];
      mapped: { kind: string; source: number; destination: number }[];
      refused: { kind: string; id: number; name: string; reason: string }[];
    };
    expect(result.created).toHaveLength(2);
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0]).toMatchObject({ kind: "insight", name: "Signups of cohort 42" });
    expect(result.refused[0]?.reason).toContain("action 7 at query.source.series[0].id is not in the source project");
    expect(result.refused[0]?.reason).toContain(
      "cohort 42 at query.source.properties[0].value is not in the source project",
    );
    expect(first.stderr).toMatch(/^refused: insight \d+ "Signups of cohort 42": .*action 7 at /m);
    expect(result.mapped.map((line) => line.source).sort()).toEqual(sources.map((i) => i.id).sort());
    expect(existsSync(join(dir, ".posthog-insights", "copy-state.json"))).toBe(true);

    // A second copy finds its copies and creates nothing twice.
    const before = writes(eu).length;
    const second = await cli([...copyArgs(), "--json"]);
    expect(second.code).toBe(1);
    expect(writes(eu).length).toBe(before);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: [], updated: [], adopted: [] });
    expect(live(eu)).toHaveLength(3);

    // A dry run sends no write either.
    const dry = await cli([...copyArgs(), "--search", "funnel", "--dry-run", "--rate-limit", "off"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/insight \d+ "Signup funnel" -> \d+ \(would be unchanged since the last copy\)/);
    expect(writes(eu).length).toBe(before);
  });

  it("pulls from one target and pushes the same directory to another, each with its own state", async () => {
    const onUs = ["--host", usServer.url, "--project", "101"];
    // The destination's key for a push is its POSTHOG_PERSONAL_API_KEY.
    const onEu = (args: string[]) =>
      runCli([...args, "--host", euServer.url, "--project", "202", "--no-progress"], {
        env: { POSTHOG_PERSONAL_API_KEY: eu.apiKey },
        cwd: dir,
      });

    expect((await cli(["pull", ...onUs])).code).toBe(0);
    expect(insightFiles()).toHaveLength(3);
    const euPlan = await onEu(["plan", "--exit-code"]);
    expect(euPlan.code).toBe(3);
    expect(euPlan.stdout).toMatch(/project-local ids.*action 7/);

    const pushed = await onEu(["push"]);
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toMatch(/project-local ids.*action 7 at query\.source\.series\[0\]\.id/);
    expect(pushed.stdout).toMatch(/project-local ids.*cohort 42 at query\.source\.properties\[0\]\.value/);
    expect(writes(eu).filter((r) => (r.body as { name?: string }).name !== "EU only")).toHaveLength(3);
    expect(
      live(eu)
        .map((i) => i.name)
        .sort(),
    ).toEqual(["Daily signups", "EU only", "Signup funnel", "Signups of cohort 42"]);

    const state = readState();
    // Filed under the canonical origin: every loopback name is localhost.
    const canonical = (url: string) => url.replace("127.0.0.1", "localhost");
    expect(Object.keys(state.targets).sort()).toEqual(
      [`${canonical(usServer.url)}/project/101`, `${canonical(euServer.url)}/project/202`].sort(),
    );
    for (const target of Object.values(state.targets)) {
      expect(Object.keys(target.entries)).toHaveLength(3);
    }
    expect(await cli(["plan", "--exit-code", ...onUs])).toMatchObject({ code: 0 });
    expect(await onEu(["plan", "--exit-code"])).toMatchObject({ code: 0 });

    // One edit goes to both targets as one update each.
    const file = insightFiles().find((f) => readFileSync(join(dir, "insights", f), "utf8").includes("Signup funnel"));
    edit(file as string, "name: Signup funnel", "name: Signup funnel (v2)");
    const usWrites = writes(us).length;
    const euWrites = writes(eu).length;
    expect((await cli(["push", ...onUs])).code).toBe(0);
    expect((await onEu(["push"])).code).toBe(0);
    expect(
      writes(us)
        .slice(usWrites)
        .map((r) => r.method),
    ).toEqual(["PATCH"]);
    expect(
      writes(eu)
        .slice(euWrites)
        .map((r) => r.method),
    ).toEqual(["PATCH"]);
    expect(live(us).map((i) => i.name)).toContain("Signup funnel (v2)");
    expect(live(eu).map((i) => i.name)).toContain("Signup funnel (v2)");
    expect(await cli(["plan", "--exit-code", ...onUs])).toMatchObject({ code: 0 });
    expect(await onEu(["plan", "--exit-code"])).toMatchObject({ code: 0 });
  });
});

describe("a push cut off midway, then run again", () => {
  const FILES = 10;
  const CUT_AFTER = 4;
  let fake: FakePostHog;

  beforeEach(() => {
    fake = createFakePostHog({ projectId: 7 });
    mkdirSync(join(dir, "insights"));
    for (let n = 1; n <= FILES; n++) {
      const query = { ...trends, source: { ...trends.source, series: [{ kind: "EventsNode", event: `event ${n}` }] } };
      // JSON is YAML: a file as someone might write it by hand.
      writeFileSync(
        join(dir, "insights", `metric-${String(n).padStart(2, "0")}.insight.yaml`),
        JSON.stringify({ name: `Metric ${n}`, query }),
      );
    }
  });

  function cli(args: string[], fetch: typeof fake.fetch = fake.fetch) {
    return runCli([...args, "--host", fake.origin, "--project", "7", "--no-progress"], {
      env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey },
      cwd: dir,
      fetch,
    });
  }

  /**
   * A network that goes down during the create after the first `CUT_AFTER`: that create's
   * request reaches PostHog (`lost: "answer"`) or not (`lost: "request"`), and nothing gets
   * through after it.
   */
  function failingNetwork(lost: "answer" | "request"): typeof fake.fetch {
    let made = 0;
    let down = false;
    return async (input, init) => {
      const isCreate = init?.method === "POST" && /\/insights\/$/.test(String(input));
      if (down || (isCreate && made === CUT_AFTER && lost === "request")) {
        down = true;
        throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      }
      const response = await fake.fetch(input, init);
      if (isCreate && ++made > CUT_AFTER) {
        down = true;
        throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      }
      return response;
    };
  }

  it.each(["answer", "request"] as const)(
    "exits 1 with one line when the network goes down after %s of create 5 of 10 is lost; the rerun makes exactly 10 insights in all",
    async (lost) => {
      const cut = await runCli(["push", "--host", fake.origin, "--project", "7", "--quiet"], {
        env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey },
        cwd: dir,
        fetch: failingNetwork(lost),
      });
      expect(cut.code).toBe(1);
      expect(cut.stdout).toBe("");
      const lines = cut.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/network.*run again/i);
      expect(cut.stderr).not.toContain(fake.apiKey);

      // Recorded as each create succeeded: four done, the fifth noted as under way.
      const reachedFirst = lost === "answer" ? CUT_AFTER + 1 : CUT_AFTER;
      expect(creates(fake)).toHaveLength(reachedFirst);
      const [cutState] = Object.values(readState().targets);
      expect(Object.keys(cutState?.entries ?? {})).toHaveLength(CUT_AFTER);
      expect(Object.keys(cutState?.pending ?? {})).toEqual(["metric-05"]);

      const resumed = await cli(["push"]);
      expect(resumed.code).toBe(0);
      const adopted = lost === "answer" ? 1 : 0;
      expect(resumed.stdout).toContain(
        `Plan: ${FILES - CUT_AFTER - adopted} to create, ${adopted} to adopt, 0 to update`,
      );
      expect(resumed.stderr).toContain(`Pushed: ${FILES - CUT_AFTER - adopted} created, ${adopted} adopted`);

      // Every file made exactly one insight, over both runs.
      expect(creates(fake)).toHaveLength(FILES);
      const names = live(fake).map((i) => i.name);
      expect(names).toHaveLength(FILES);
      expect(new Set(names).size).toBe(FILES);
      const [state] = Object.values(readState().targets);
      expect(state?.pending).toEqual({});
      const recorded = Object.entries(state?.entries ?? {}).map(
        ([key, entry]) => `${key} ${live(fake).find((i) => i.id === entry.id)?.name}`,
      );
      expect(recorded.sort()).toEqual(
        Array.from({ length: FILES }, (_, i) => `metric-${String(i + 1).padStart(2, "0")} Metric ${i + 1}`).sort(),
      );
      expect(await cli(["plan", "--exit-code"])).toMatchObject({ code: 0 });
      console.log(`resume (${lost} lost): ${creates(fake).length} creates for ${FILES} files over two runs`);
    },
  );
});

describe("a 300-insight job paced to the windows the fake enforces", () => {
  // Scaled down from PostHog's 240/min so the job waits on the window for seconds, not minutes,
  // and tight enough that the window, not the CLI's own work between writes (up to ~100 ms a
  // write on a loaded machine), sets the pace.
  const WINDOW = { requests: 5, windowMs: 1_000 };
  const WINDOWS = [WINDOW];
  const INSIGHTS = 300;
  const EDITS = 15;
  const NEW = 15;

  it(`pulls ${INSIGHTS} insights and pushes ${EDITS + NEW} writes with --rate-limit 5/s: no 429, writes no later than 1.25x the earliest the window allows`, async () => {
    const seedStart = Date.now();
    const fake = createFakePostHog({ projectId: 9, rateLimit: WINDOWS });
    // Seeded an hour ago by the clock of the fake's throttle, one window's worth per second of
    // that clock, so the seeding leaves nothing in the window the job starts with.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 3_600_000 });
    const seed = fake.client({ rateLimit: false, maxRetries: 0 });
    for (let start = 0; start < INSIGHTS; start += WINDOW.requests) {
      await Promise.all(
        Array.from({ length: WINDOW.requests }, (_, i) =>
          seed.insights.create({
            name: `Metric ${String(start + i + 1).padStart(3, "0")}`,
            query: {
              ...trends,
              source: { ...trends.source, series: [{ kind: "EventsNode", event: `e${start + i}` }] },
            },
          }),
        ),
      );
      vi.setSystemTime(Date.now() + WINDOW.windowMs);
    }
    vi.useRealTimers();
    const seedMs = Date.now() - seedStart;
    expect(live(fake)).toHaveLength(INSIGHTS);
    const seeded = fake.requests.length;

    // Every request of the job: when it was sent and answered.
    const log: { method: string; sent: number; answered: number }[] = [];
    const timed: typeof fake.fetch = async (input, init) => {
      const entry = { method: init?.method ?? "GET", sent: Date.now(), answered: Number.NaN };
      log.push(entry);
      try {
        return await fake.fetch(input, init);
      } finally {
        entry.answered = Date.now();
      }
    };
    const cli = (args: string[]) =>
      runCli([...args, "--host", fake.origin, "--project", "9", "--rate-limit", "5/s", "--no-progress"], {
        env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey },
        cwd: dir,
        fetch: timed,
      });

    const pullStart = Date.now();
    const pulled = await cli(["pull"]);
    const pullMs = Date.now() - pullStart;
    expect(pulled.code).toBe(0);
    const files = insightFiles();
    expect(files).toHaveLength(INSIGHTS);
    const pullRequests = log.length;

    for (const file of files.slice(0, EDITS)) {
      edit(file, "name: Metric", "name: Edited metric");
    }
    for (const [n, file] of files.slice(EDITS, EDITS + NEW).entries()) {
      const text = readFileSync(join(dir, "insights", file), "utf8");
      writeFileSync(join(dir, "insights", `new-${n}.insight.yaml`), text.replace(/^name: .*$/m, `name: New ${n}`));
    }

    const pushStart = Date.now();
    const pushed = await cli(["push"]);
    const pushEnd = Date.now();
    expect(pushed.code).toBe(0);
    expect(pushed.stderr).toContain(`Pushed: ${NEW} created, 0 adopted, ${EDITS} updated`);

    const job = fake.requests.slice(seeded);
    const throttled = job.filter((r) => r.status === 429).length;
    expect(throttled).toBe(0);
    expect(job).toHaveLength(log.length);
    const writesSent = log.slice(pullRequests).filter((r) => r.method !== "GET");
    expect(writesSent).toHaveLength(EDITS + NEW);
    // Reads: the listing's pages, and each update's re-read right before its PATCH.
    expect(log.slice(pullRequests).filter((r) => r.method === "GET")).toHaveLength(INSIGHTS / 100 + EDITS);

    // The earliest the window allows: the requests before the first write as they were sent,
    // then every write ready at once when the first one went (the engine had planned by then).
    const firstWrite = log.indexOf(writesSent[0] as (typeof log)[number]);
    const readyAt = (writesSent[0] as (typeof log)[number]).sent;
    const arrivals = log.map((r, i) => (i < firstWrite ? r.sent : readyAt));
    const earliest = earliestSchedule(arrivals, WINDOWS);
    // The first write did not wait for the window: it was ready when it was sent.
    expect(earliest[firstWrite]).toBe(readyAt);
    const earliestMs = (earliest.at(-1) as number) - readyAt;
    const lastSent = (log.at(-1) as (typeof log)[number]).sent;
    const measuredMs = pushEnd - readyAt;
    const lastMs = lastSent - readyAt;
    const figures =
      `${EDITS + NEW} writes: the last sent at ${lastMs} ms after the first, the window allows it at ` +
      `${earliestMs} ms (ratio ${(lastMs / earliestMs).toFixed(2)}); push ended at ${measuredMs} ms; ` +
      `pull of ${INSIGHTS} in ${pullRequests} requests: ${pullMs} ms; push: ${pushEnd - pushStart} ms, ` +
      `${log.length - pullRequests} requests (${byMethod(log.slice(pullRequests))}); 429s: ${throttled}; seeding: ${seedMs} ms`;
    console.log(figures);
    // A lower bound (a fake that let a request through early would fail it) and a loose upper one
    // on the last write's send: what push does after it (files, state, output) is not pacing, and
    // took over a second on a throttled CI machine.
    expect(lastMs, figures).toBeGreaterThanOrEqual(earliestMs);
    expect(lastMs, figures).toBeLessThanOrEqual(1.25 * earliestMs);
  }, 90_000);
});
