// Insights as code in the situations teams meet, as CLI jobs against the stateful fake (in
// process): invalid files never reach PostHog; no duplicate when two pushes race, when the state
// is missing, stale, edited or keyed by another spelling of the target, when a file is renamed
// or an insight fetched into the directory; pull never loses local work; an edit made in the UI
// is never overwritten or deleted unseen; and the exit codes and messages CI relies on.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFakePostHog, type FakePostHog } from "../../src/testing/index.js";
import { funnel, runCli, trends } from "./support.js";

vi.setConfig({ testTimeout: 60_000 });

let dir: string;
let fake: FakePostHog;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-safety-"));
  fake = createFakePostHog({ projectId: 7 });
  const posthog = fake.client();
  await posthog.insights.create({ name: "Daily signups", query: trends, tags: ["growth"] });
  await posthog.insights.create({ name: "Signup funnel", query: funnel, description: "From visit to signup" });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI on the fake, in the test's directory; `host`/`project` default to the fake's. */
function cli(args: string[], options: { host?: string; project?: string | null; env?: Record<string, string> } = {}) {
  // null: no --project at all (@current).
  const project = options.project === null ? [] : ["--project", options.project ?? "7"];
  return runCli([...args, "--host", options.host ?? fake.origin, ...project, "--no-progress"], {
    env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey, ...options.env },
    cwd: dir,
    fetch: fake.fetch,
  });
}

const live = () => fake.insights.filter((insight) => !insight.deleted);
const writes = () => fake.requests.filter((r) => r.method !== "GET");
const sent = () => fake.requests.length;
const path = (...parts: string[]) => join(dir, "insights", ...parts);
const read = (file: string) => readFileSync(path(file), "utf8");
const write = (file: string, text: string) => writeFileSync(path(file), text);
const edit = (file: string, from: string, to: string) => {
  const text = read(file);
  expect(text).toContain(from);
  write(file, text.replace(from, to));
};
type Entries = Record<string, { id: number; hash: string }>;
function state(): {
  targets: Record<string, { insights?: { entries: Entries; pending: object } }>;
} {
  return JSON.parse(readFileSync(path(".posthog-insights", "state.json"), "utf8"));
}
const entries = () => Object.values(state().targets)[0]?.insights?.entries ?? {};
const files = () =>
  readdirSync(join(dir, "insights"))
    .filter((f) => /\.insight\.ya?ml$/.test(f))
    .sort();
const uiEdit = (id: number, fields: { name?: string; description?: string }) =>
  fake.client().insights.update(id, fields);
const idOf = (name: string) => live().find((insight) => insight.name === name)?.id as number;

describe("validated before every write", () => {
  const valid = (name: string) => JSON.stringify({ name, query: trends });

  it.each([
    ["a misspelt field", "nmae: Signups\n", /new\.insight\.yaml:1: nmae: not a field here: did you mean "name"\?/],
    ["a number for a name", "name: 2024\n", /new\.insight\.yaml:1: name: must be string, not 2024/],
    ["an unknown top-level field", "name: A\ncolour: red\n", /new\.insight\.yaml:2: colour: not a field here/],
    [
      "a bad interval, in one line",
      `name: A\nquery:\n  kind: InsightVizNode\n  source:\n    kind: TrendsQuery\n    series: []\n    interval: weekly\n`,
      /^\S+new\.insight\.yaml:7: query\.source\.interval: "weekly" is not allowed: did you mean "week"\? \(one of .*\)\n$/,
    ],
    [
      "a misspelt source kind",
      "name: A\nquery:\n  kind: InsightVizNode\n  source:\n    kind: TrendQuery\n    series: []\n",
      /new\.insight\.yaml:5: query\.source\.kind: "TrendQuery" is not a kind PostHog knows: did you mean "TrendsQuery"\?\n$/,
    ],
    [
      "a misspelt wrapper kind",
      "name: A\nquery:\n  kind: InsightVizNod\n  source:\n    kind: TrendsQuery\n    series: []\n",
      /query\.kind: "InsightVizNod" is not a kind PostHog knows: did you mean "InsightVizNode"\?\n$/,
    ],
    [
      "a misspelt series kind",
      "name: A\nquery:\n  kind: InsightVizNode\n  source:\n    kind: TrendsQuery\n    series:\n      - kind: EventNode\n        event: x\n",
      /new\.insight\.yaml:7: query\.source\.series\[0\]\.kind: "EventNode" is not a kind PostHog knows: did you mean "EventsNode"\?\n$/,
    ],
    [
      "a SQL insight without its sidecar",
      "name: A\nquery:\n  kind: DataVisualizationNode\n  source:\n    kind: HogQLQuery\n",
      /new\.insight\.yaml:5: query\.source\.query: missing: expected the SQL in \S*new\.sql[^\n]*\n$/,
    ],
    ["a YAML syntax error", "name: [A\n", /new\.insight\.yaml:\d+: /],
  ])(
    "refuses %s: validate, plan and push exit 2 with file, line and field, and nothing is sent",
    async (_, text, line) => {
      mkdirSync(path());
      write("ok.insight.yaml", valid("Fine"));
      write("new.insight.yaml", text);
      for (const command of ["validate", "plan", "push"]) {
        const before = sent();
        const result = await cli([command]);
        expect(result.code, `${command}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toMatch(line);
        expect(result.stdout).toBe("");
        expect(sent(), command).toBe(before);
      }
      expect(live()).toHaveLength(2);
    },
  );

  it("refuses a file that is not UTF-8 (Latin-1), naming its line", async () => {
    mkdirSync(path());
    writeFileSync(
      path("cafe.insight.yaml"),
      Buffer.concat([Buffer.from("name: Caf"), Buffer.from([0xe9]), Buffer.from("\n")]),
    );
    const pushed = await cli(["push"]);
    expect(pushed.code).toBe(2);
    expect(pushed.stderr).toMatch(/cafe\.insight\.yaml:1: not UTF-8/);
    expect(writes()).toHaveLength(2); // the seeding only
  });

  it("refuses a YAML alias bomb by name, without expanding it", async () => {
    mkdirSync(path());
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let n = 1; n <= 8; n++) {
      lines.push(
        `${String.fromCharCode(97 + n)}: &${String.fromCharCode(97 + n)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + n)}`)
          .join(", ")}]`,
      );
    }
    write("bomb.insight.yaml", `${lines.join("\n")}\nname: B\n`);
    const result = await cli(["plan"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bomb\.insight\.yaml:1: more than 100 YAML alias expansions/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("accepts an unknown kind (PostHog may be newer) with a warning, and plans it", async () => {
    mkdirSync(path());
    write("new.insight.yaml", "name: New\nquery:\n  kind: InsightVizNode\n  source:\n    kind: FancyFutureQuery\n");
    const validated = await cli(["validate"]);
    expect(validated.code).toBe(0);
    expect(validated.stderr).toMatch(
      /new\.insight\.yaml:5: warning: query\.source\.kind: unknown kind "FancyFutureQuery"/,
    );
    const planned = await cli(["plan", "--exit-code"]);
    expect(planned.code).toBe(3);
    expect(planned.stderr).toMatch(/warning: .*FancyFutureQuery/);
  });

  it("reads .insight.yml files like .insight.yaml ones, and refuses two files for one key", async () => {
    mkdirSync(path());
    write("weekly.insight.yml", valid("Weekly"));
    expect((await cli(["push"])).code).toBe(0);
    expect(live().map((i) => i.name)).toContain("Weekly");
    expect(Object.keys(entries())).toEqual(["weekly"]);
    expect(await cli(["plan", "--prune", "--exit-code"])).toMatchObject({ code: 0 });
    // Pull writes it back where it is, not beside it.
    expect((await cli(["pull"])).code).toBe(0);
    expect(files()).toContain("weekly.insight.yml");
    expect(files()).not.toContain("weekly.insight.yaml");
    write("weekly.insight.yaml", valid("Weekly"));
    const twice = await cli(["plan"]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/two files for the key weekly: weekly\.insight\.yaml and weekly\.insight\.yml/);
  });
});

describe("no duplicate, ever", () => {
  const metric = (n: number) =>
    JSON.stringify({
      name: `Metric ${n}`,
      query: { ...trends, source: { ...trends.source, series: [{ kind: "EventsNode", event: `event ${n}` }] } },
    });

  it("two pushes at once on one directory: one holds the lock, the other stops with a clear message; 20 files make 20 insights", async () => {
    mkdirSync(path());
    for (let n = 1; n <= 20; n++) {
      write(`metric-${String(n).padStart(2, "0")}.insight.yaml`, metric(n));
    }
    const [a, b] = await Promise.all([cli(["push"]), cli(["push"])]);
    const [won, lost] = a.code === 0 ? [a, b] : [b, a];
    expect(won.code, won.stderr).toBe(0);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toMatch(
      /\.posthog-insights\/lock is held by push \(pid \d+ on .+, since .+\): wait for it to finish, then run again\. Nothing was read or sent\.\n$/,
    );
    expect(live()).toHaveLength(22);
    // The lock is released: the loser's rerun finds everything done.
    const again = await cli(["push"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("Pushed: 0 created, 0 adopted, 0 updated, 0 deleted.");
    expect(live()).toHaveLength(22);
    expect(existsSync(path(".posthog-insights", "lock"))).toBe(false);
  });

  it("a second checkout whose state was not committed adopts what is live instead of creating it again", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const second = join(dir, "second");
    mkdirSync(second);
    for (const file of files()) {
      cpSync(path(file), join(second, file));
    }
    const planned = await cli(["plan", "second", "--exit-code"]);
    expect(planned.code).toBe(3);
    expect(planned.stdout).toMatch(
      /^adopt\s+daily-signups \(#\d+ \w+\): identical to an insight no file manages: adopted, not created again$/m,
    );
    expect(planned.stdout).toMatch(/Plan: 0 to create, 2 to adopt/);
    const pushed = await cli(["push", "second"]);
    expect(pushed.code).toBe(0);
    expect(pushed.stderr).toContain("Pushed: 0 created, 2 adopted, 0 updated, 0 deleted.");
    expect(writes()).toHaveLength(2); // the seeding only
    expect(await cli(["plan", "second", "--exit-code"])).toMatchObject({ code: 0 });
  });

  it("a stale state (a file added since it was committed) adopts the insight another checkout pushed", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const committed = readFileSync(path(".posthog-insights", "state.json"), "utf8");
    write("weekly.insight.yaml", metric(1));
    expect((await cli(["push"])).code).toBe(0);
    // Another checkout: the new file, and the state as it was before that push.
    writeFileSync(path(".posthog-insights", "state.json"), committed);
    const again = await cli(["push"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^adopt\s+weekly /m);
    expect(live()).toHaveLength(3);
  });

  it("a state entry edited by hand to another id: adopted, not created again, and the reason is honest", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const text = readFileSync(path(".posthog-insights", "state.json"), "utf8");
    const id = entries()["daily-signups"]?.id as number;
    writeFileSync(path(".posthog-insights", "state.json"), text.replace(`"id": ${id},`, `"id": 999,`));
    const planned = await cli(["plan", "--exit-code"]);
    expect(planned.stdout).not.toMatch(/deleted in PostHog since the last sync"/);
    expect(planned.stdout).toMatch(new RegExp(`^adopt\\s+daily-signups \\(#${id} `, "m"));
    expect((await cli(["push"])).code).toBe(0);
    expect(live()).toHaveLength(2);
    expect(entries()["daily-signups"]?.id).toBe(id);
  });

  it("a state entry edited by hand to a non-number: exit 2 naming the state file, the field and how to recover", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const text = readFileSync(path(".posthog-insights", "state.json"), "utf8");
    writeFileSync(path(".posthog-insights", "state.json"), text.replace(/"id": \d+,/, `"id": "one",`));
    const before = sent();
    for (const command of ["plan", "push", "pull"]) {
      const result = await cli([command]);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toMatch(
        /^insights\/\.posthog-insights\/state\.json: not a posthog-insights state \(version 1 or 2\): targets\[".*"\]\.insights\.entries\["daily-signups"\]\.id: "one" is not an id .*pull again into a new state/,
      );
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(sent()).toBe(before);
  });

  it("a corrupt state (cut off mid-write) names its path and how to recover, not a SyntaxError", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    writeFileSync(path(".posthog-insights", "state.json"), '{"version": 1, "targ');
    const result = await cli(["push"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^insights\/\.posthog-insights\/state\.json: not valid JSON .*Restore it from git .*pull again into a new state/,
    );
    expect(result.stderr).not.toMatch(/^SyntaxError/);
  });

  it("the README's `get ID > x.insight.yaml` into a pulled directory is refused as a second file for one insight", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const id = idOf("Daily signups");
    const got = await cli(["get", String(id)]);
    write("copy-of-signups.insight.yaml", got.stdout);
    const planned = await cli(["plan", "--exit-code"]);
    expect(planned.code).toBe(3);
    expect(planned.stdout).toMatch(
      new RegExp(`^duplicate\\s+copy-of-signups \\(#${id} \\w+\\): the same insight as daily-signups`, "m"),
    );
    const pushed = await cli(["push"]);
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toMatch(/^duplicate: copy-of-signups .*remove this one/m);
    expect(live()).toHaveLength(2);
    // Into a directory that does not manage it yet: adopted.
    const other = join(dir, "other");
    mkdirSync(other);
    writeFileSync(join(other, "signups.insight.yaml"), got.stdout);
    const adopted = await cli(["push", "other"]);
    expect(adopted.code).toBe(0);
    expect(adopted.stderr).toContain("0 created, 1 adopted");
    expect(live()).toHaveLength(2);
  });

  it("a renamed file keeps its insight (id, short id, links), even with --prune", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const before = live().find((i) => i.name === "Signup funnel");
    renameSync(path("signup-funnel.insight.yaml"), path("funnel-v2.insight.yaml"));
    edit("funnel-v2.insight.yaml", "description: From visit to signup", "description: From visit to signup, v2");
    const planned = await cli(["plan", "--prune"]);
    expect(planned.stdout).toMatch(
      new RegExp(
        `^rename\\s+funnel-v2 \\(#${before?.id} ${before?.short_id}\\): renamed from signup-funnel: keeps its id, short id and links$`,
        "m",
      ),
    );
    expect(planned.stdout).toContain('description: "From visit to signup" -> "From visit to signup, v2"');
    expect(planned.stdout).toMatch(/0 to create, 0 to adopt, 1 renamed, 0 to update, 0 to delete/);
    const pushed = await cli(["push", "--prune"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain("Pushed: 0 created, 0 adopted, 1 renamed, 1 updated, 0 deleted.");
    const after = live().find((i) => i.id === before?.id);
    expect(after).toMatchObject({ short_id: before?.short_id, description: "From visit to signup, v2" });
    expect(live()).toHaveLength(2);
    expect(Object.keys(entries()).sort()).toEqual(["daily-signups", "funnel-v2"]);
    expect(await cli(["plan", "--prune", "--exit-code"])).toMatchObject({ code: 0 });
  });

  it("two state keys pointing at one insight: exit 2 naming both files, nothing sent", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const doc = state();
    const target = Object.values(doc.targets)[0];
    const signups = target?.insights?.entries["daily-signups"];
    if (target?.insights && signups) {
      target.insights.entries["signup-funnel"] = { ...signups };
    }
    writeFileSync(path(".posthog-insights", "state.json"), JSON.stringify(doc));
    const before = sent();
    for (const command of ["validate", "plan", "push", "pull"]) {
      const result = await cli([command]);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toMatch(
        /^insights\/daily-signups\.insight\.yaml:1: daily-signups\.insight\.yaml and signup-funnel\.insight\.yaml both point at #\d+ in \.posthog-insights\/state\.json/,
      );
    }
    expect(sent()).toBe(before);
  });
});

describe("one identity per target", () => {
  it("pulled through 127.0.0.1, planned through localhost: one target, nothing to do", async () => {
    const server = await fake.listen();
    try {
      const over = (host: string, args: string[]) =>
        runCli([...args, "--host", host, "--project", "7", "--no-progress"], {
          env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey },
          cwd: dir,
        });
      expect((await over(server.url, ["pull"])).code).toBe(0);
      const localhost = server.url.replace("127.0.0.1", "localhost");
      expect(await over(`${localhost}/`, ["plan", "--exit-code"])).toMatchObject({ code: 0 });
      expect(Object.keys(state().targets)).toEqual([`${localhost}/project/7`]);
    } finally {
      await server.close();
    }
  });

  it("us, https://us.posthog.com/ and https://app.posthog.com are one target", async () => {
    expect((await cli(["pull"], { host: "https://us.posthog.com/" })).code).toBe(0);
    expect(await cli(["plan", "--exit-code"], { host: "us" })).toMatchObject({ code: 0 });
    expect(await cli(["plan", "--exit-code"], { host: "https://app.posthog.com" })).toMatchObject({ code: 0 });
    expect(await cli(["plan", "--exit-code"], { host: "https://US.posthog.com:443" })).toMatchObject({ code: 0 });
    expect(Object.keys(state().targets)).toEqual(["https://us.posthog.com/project/7"]);
  });

  it("@current after its number: resolved once (through the kit, sent as %40current) to the same target", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const planned = await cli(["plan", "--exit-code"], { project: null });
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toMatch(/warning: No project given: using @current/);
    expect(fake.requests.filter((r) => r.path === "/api/projects/%40current/")).toHaveLength(1);
    // Every other request of the run went to the number.
    expect(fake.requests.at(-1)?.path).toBe("/api/projects/7/insights/");
  });

  it("a state keyed the old way (127.0.0.1, @current) is read and rewritten, not lost", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const current = state();
    const [key] = Object.keys(current.targets);
    // Written as version 1 (insights only) was: both the old key and the old format are read.
    const { entries: pulled = {} } = current.targets[key as string]?.insights ?? {};
    const old = { origin: "http://127.0.0.1:8000", project: "@current", entries: pulled, pending: {} };
    writeFileSync(
      path(".posthog-insights", "state.json"),
      JSON.stringify({ version: 1, targets: { "http://127.0.0.1:8000/project/@current": old } }),
    );
    const pushed = await cli(["push"], { host: "http://localhost:8000", project: null });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain("Pushed: 0 created, 0 adopted, 0 updated, 0 deleted.");
    expect(pushed.stderr).toMatch(
      /State: http:\/\/127\.0\.0\.1:8000\/project\/@current recorded under the project's canonical target now/,
    );
    expect(Object.keys(state().targets)).toEqual(["http://localhost:8000/project/7"]);
    expect(Object.keys(entries()).sort()).toEqual(["daily-signups", "signup-funnel"]);
  });

  it("@current with a key that may not read projects: exit 2 saying to pass --project", async () => {
    const scoped = createFakePostHog({ projectId: 7, scopes: ["insight:write"] });
    mkdirSync(path());
    const planned = await runCli(["plan", "--host", scoped.origin, "--no-progress"], {
      env: { POSTHOG_PERSONAL_API_KEY: scoped.apiKey },
      cwd: dir,
      fetch: scoped.fetch,
    });
    expect(planned.code).toBe(2);
    expect(planned.stderr).toMatch(/Cannot tell which project @current is: .*project:read.*Pass --project/);
  });
});

describe("nothing lost locally: pull", () => {
  it("keeps a file edited here while PostHog did not change (push sends it), and exits 0", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    edit("daily-signups.insight.yaml", "interval: day", "interval: week");
    const edited = read("daily-signups.insight.yaml");
    const pulled = await cli(["pull"]);
    expect(pulled.code).toBe(0);
    expect(pulled.stderr).toMatch(
      /kept insights\/daily-signups\.insight\.yaml: edited here, unchanged in PostHog: kept \(push sends it\)/,
    );
    expect(read("daily-signups.insight.yaml")).toBe(edited);
    expect((await cli(["plan", "--exit-code"])).stdout).toMatch(/^update\s+daily-signups/m);
  });

  it("keeps a file edited here and in PostHog as a conflict (exit 1), and --force takes PostHog's", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    edit("daily-signups.insight.yaml", "interval: day", "interval: week");
    const edited = read("daily-signups.insight.yaml");
    await uiEdit(idOf("Daily signups"), { name: "Daily signups (UI)" });
    const pulled = await cli(["pull"]);
    expect(pulled.code).toBe(1);
    expect(pulled.stderr).toMatch(
      /^conflict: insights\/daily-signups\.insight\.yaml: edited here and #\d+ changed in PostHog since the last sync: kept your file/m,
    );
    expect(read("daily-signups.insight.yaml")).toBe(edited);
    // The other file was still pulled, and the plan still shows the conflict.
    expect((await cli(["plan"])).stdout).toMatch(/^conflict\s+daily-signups/m);
    const forced = await cli(["pull", "--force"]);
    expect(forced.code).toBe(0);
    expect(read("daily-signups.insight.yaml")).toContain("name: Daily signups (UI)");
    expect(read("daily-signups.insight.yaml")).toContain("interval: day");
  });

  it("keeps a file edited here whose insight was deleted in PostHog, and removes an unedited one", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    edit("daily-signups.insight.yaml", "interval: day", "interval: week");
    await fake.client().insights.delete(idOf("Daily signups"));
    await fake.client().insights.delete(idOf("Signup funnel"));
    const pulled = await cli(["pull"]);
    expect(pulled.code).toBe(1);
    expect(pulled.stderr).toMatch(
      /conflict: insights\/daily-signups\.insight\.yaml: edited here, and #\d+ was deleted in PostHog: kept/,
    );
    expect(files()).toEqual(["daily-signups.insight.yaml"]);
    expect(pulled.stderr).toMatch(/0 written, 0 unchanged, 1 removed, 1 kept/);
  });

  it("never overwrites a file with a syntax error, even with --force", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    write("daily-signups.insight.yaml", "name: [Daily signups\n");
    for (const args of [["pull"], ["pull", "--force"]]) {
      const pulled = await cli(args);
      expect(pulled.code).toBe(1);
      expect(pulled.stderr).toMatch(
        /conflict: insights\/daily-signups\.insight\.yaml: cannot be read .*never overwritten/,
      );
      expect(read("daily-signups.insight.yaml")).toBe("name: [Daily signups\n");
    }
  });

  it("a file removed here is not brought back (push --prune deletes it; pull --force restores it)", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    rmSync(path("signup-funnel.insight.yaml"));
    const pulled = await cli(["pull"]);
    expect(pulled.code).toBe(0);
    expect(pulled.stderr).toMatch(
      /kept insights\/signup-funnel\.insight\.yaml: removed here: push --prune deletes #\d+/,
    );
    expect(files()).toEqual(["daily-signups.insight.yaml"]);
    expect((await cli(["pull", "--force"])).code).toBe(0);
    expect(files()).toEqual(["daily-signups.insight.yaml", "signup-funnel.insight.yaml"]);
  });

  it("a checkout with files and no state: pull matches them to their insights instead of writing twins", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    rmSync(path(".posthog-insights"), { recursive: true });
    const pulled = await cli(["pull"]);
    expect(pulled.code).toBe(0);
    expect(files()).toEqual(["daily-signups.insight.yaml", "signup-funnel.insight.yaml"]);
    expect(Object.keys(entries()).sort()).toEqual(["daily-signups", "signup-funnel"]);
  });
});

describe("no lost update in PostHog", () => {
  it("push --prune never deletes an insight edited in the UI since the last sync; --force does", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    rmSync(path("signup-funnel.insight.yaml"));
    const id = idOf("Signup funnel");
    await uiEdit(id, { name: "Signup funnel (renamed in the UI)" });
    const pushed = await cli(["push", "--prune"]);
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toMatch(
      /^conflict: signup-funnel \(#\d+\): changed in PostHog since the last sync, and its file was removed/m,
    );
    expect(live().map((i) => i.id)).toContain(id);
    const forced = await cli(["push", "--prune", "--force"]);
    expect(forced.code).toBe(0);
    expect(live().map((i) => i.id)).not.toContain(id);
  });

  it("an edit in the UI between the plan and the PATCH stops that write as a conflict; the others go on", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const signups = idOf("Daily signups");
    edit("daily-signups.insight.yaml", "interval: day", "interval: week");
    edit("signup-funnel.insight.yaml", "name: Signup funnel", "name: Signup funnel (v2)");
    const baseline = entries()["daily-signups"]?.hash;
    // The push's re-read of the insight is delayed until someone has edited it in the UI.
    fake.intercept({
      method: "GET",
      path: `/insights/${signups}/`,
      run: () => uiEdit(signups, { name: "Edited in the UI" }),
    });
    const pushed = await cli(["push"]);
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toMatch(
      new RegExp(
        `^conflict: insights/daily-signups\\.insight\\.yaml: #${signups} changed in PostHog after the plan \\(an edit in the UI\\?\\): not overwritten; run plan again\\.$`,
        "m",
      ),
    );
    expect(pushed.stderr).toContain(
      "Pushed: 0 created, 0 adopted, 0 updated, 0 deleted.".replace("0 updated", "1 updated"),
    );
    expect(live().find((i) => i.id === signups)).toMatchObject({ name: "Edited in the UI" });
    expect(live().find((i) => i.name === "Signup funnel (v2)")).toBeDefined();
    expect(fake.requests.filter((r) => r.method === "PATCH" && r.path.endsWith(`/${signups}/`))).toHaveLength(1); // the UI's
    expect(entries()["daily-signups"]?.hash).toBe(baseline);
    expect((await cli(["plan"])).stdout).toMatch(/^conflict\s+daily-signups/m);
  });

  it("an edit in the UI landing between the re-read and the PATCH is never recorded as ours", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    const signups = idOf("Daily signups");
    edit("daily-signups.insight.yaml", "interval: day", "interval: week");
    fake.intercept({
      method: "PATCH",
      path: `/insights/${signups}/`,
      run: () => uiEdit(signups, { description: "Edited in the UI" }),
    });
    expect((await cli(["push"])).code).toBe(0);
    expect(live().find((i) => i.id === signups)).toMatchObject({ description: "Edited in the UI" });
    const planned = await cli(["plan", "--exit-code"]);
    expect(planned.code).toBe(3);
    expect(planned.stdout).toMatch(
      /^update\s+daily-signups \(#\d+ \w+\): changed in PostHog since the last sync: push puts the file back$/m,
    );
    expect(planned.stdout).toContain('description: "Edited in the UI" -> (absent)');
  });
});

describe("exits and messages CI relies on", () => {
  it("a missing directory exits 2 for validate, plan and push (and push does not create it)", async () => {
    for (const command of ["validate", "plan", "push"]) {
      const result = await cli([command, "insigths"]);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toBe("insigths does not exist: check the path (pull creates it).\n");
    }
    expect(existsSync(join(dir, "insigths"))).toBe(false);
    expect(sent()).toBe(2);
  });

  it("a file given as the directory exits 2, for every command", async () => {
    writeFileSync(join(dir, "notes.txt"), "hello");
    for (const command of ["validate", "plan", "push", "pull"]) {
      const result = await cli([command, "notes.txt"]);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toMatch(/^notes\.txt is a file, not a directory of insight files/);
    }
  });

  it("plan --exit-code exits 3 for an orphaned insight: the files do not match the project", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    rmSync(path("signup-funnel.insight.yaml"));
    const planned = await cli(["plan", "--exit-code"]);
    expect(planned.code).toBe(3);
    expect(planned.stdout).toMatch(/^orphaned\s+signup-funnel/m);
    expect(await cli(["plan"])).toMatchObject({ code: 0 });
  });

  it("plan --exit-code exits 3 for a delete (--prune) and for a conflict", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    rmSync(path("signup-funnel.insight.yaml"));
    const pruned = await cli(["plan", "--prune", "--exit-code"]);
    expect(pruned.code).toBe(3);
    expect(pruned.stdout).toMatch(/^delete\s+signup-funnel/m);
    edit("daily-signups.insight.yaml", "interval: day", "interval: week");
    await uiEdit(idOf("Daily signups"), { name: "UI" });
    const conflicted = await cli(["plan", "--exit-code"]);
    expect(conflicted.code).toBe(3);
    expect(conflicted.stdout).toMatch(/^conflict\s+daily-signups/m);
  });

  it("push --dry-run prints the plan and says nothing was sent, with a conflict too (exit 1)", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    edit("daily-signups.insight.yaml", "interval: day", "interval: week");
    const before = writes().length;
    const clean = await cli(["push", "--dry-run"]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(
      /^update\s+daily-signups[\s\S]*Plan: [^\n]*\nDry run: nothing was sent to PostHog\.\n$/,
    );
    await uiEdit(idOf("Daily signups"), { name: "UI" });
    const conflicted = await cli(["push", "--dry-run"]);
    expect(conflicted.code).toBe(1);
    expect(conflicted.stdout).toMatch(/^conflict\s+daily-signups[\s\S]*Dry run: nothing was sent to PostHog\.\n$/);
    expect(conflicted.stderr).toMatch(/^conflict: daily-signups/m);
    expect(writes().length).toBe(before + 1); // the UI's edit
  });

  it.each([
    [
      400,
      { type: "validation_error", code: "invalid", detail: "Query is invalid.", attr: "query" },
      "PostHog refused it (400: Query is invalid). Fix the file (or the key's access), then",
    ],
    [
      403,
      {
        type: "authentication_error",
        code: "permission_denied",
        detail: "You do not have permission to perform this action.",
      },
      "PostHog refused the request (403): the key or your user lacks permission " +
        "(POST /api/projects/7/insights/ failed with HTTP 403: You do not have permission to perform this action). Then",
    ],
  ])(
    "a create PostHog refuses (%i) names its file, says running again is safe, and leaves no pending entry",
    async (status, body, refusal) => {
      mkdirSync(path());
      write("new.insight.yaml", JSON.stringify({ name: "New", query: trends }));
      fake.fail({ method: "POST", path: "/insights/", status, body });
      const pushed = await cli(["push", "--quiet"]);
      expect(pushed.code).toBe(1);
      expect(pushed.stderr).toBe(
        `insights/new.insight.yaml: create failed: ${refusal} ` +
          "run again: that is safe, it resumes with no duplicate (0 writes before it are recorded).\n",
      );
      expect(Object.values(state().targets)[0]?.insights?.pending ?? {}).toEqual({});
    },
  );

  it("an update that gets no answer names its file and says running again is safe", async () => {
    expect((await cli(["pull"])).code).toBe(0);
    edit("daily-signups.insight.yaml", "interval: day", "interval: week");
    const down: typeof fake.fetch = async (input, init) => {
      if (init?.method === "PATCH") {
        throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      }
      return fake.fetch(input, init);
    };
    const pushed = await runCli(["push", "--host", fake.origin, "--project", "7", "--no-progress"], {
      env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey },
      cwd: dir,
      fetch: down,
    });
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toMatch(
      /^insights\/daily-signups\.insight\.yaml: update #\d+ failed: PATCH \S+ got no answer: ECONNRESET\. Check the network and --host \/ POSTHOG_HOST, then run again: that is safe/m,
    );
    expect(pushed.stderr).not.toMatch(/\.:|fetch failed/);
  });

  it("copy into its own source project refuses (exit 2) and sends nothing", async () => {
    const before = sent();
    const copied = await cli(["copy", "--to-project", "7"]);
    expect(copied.code).toBe(2);
    expect(copied.stderr).toMatch(
      /The destination is the source itself \(project 7 on https:\/\/posthog\.fake\.test\)/,
    );
    expect(sent()).toBe(before);
  });

  it("progress on an empty project never counts past its total (no list 1/0)", async () => {
    fake.reset();
    const pulled = await cli(["pull"]);
    expect(pulled.code).toBe(0);
    expect(pulled.stderr).toMatch(/^list 1\/1 /m);
    for (const [, done, total] of pulled.stderr.matchAll(/ (\d+)\/(\d+) /g)) {
      expect(Number(done)).toBeLessThanOrEqual(Number(total));
    }
  });
});
