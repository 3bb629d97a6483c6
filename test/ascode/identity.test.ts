// The generic mechanisms under every kind: one canonical spelling per target, the state read
// strictly (path and field named) and folded from older spellings, and the directory lock.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockedError, StateError } from "../../src/ascode/errors.js";
import { acquireLock, lockPath, releaseHeldLocksSync, withLock } from "../../src/ascode/lock.js";
import { sharedIds, StateStore } from "../../src/ascode/state.js";
import { canonicalOrigin, targetId } from "../../src/ascode/target.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-identity-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("canonicalOrigin", () => {
  it("spells each server one way", () => {
    for (const same of [
      "us",
      "US",
      "https://us.posthog.com",
      "https://us.posthog.com/",
      "https://US.PostHog.com:443",
      "https://app.posthog.com",
    ]) {
      expect(canonicalOrigin(same), same).toBe("https://us.posthog.com");
    }
    expect(canonicalOrigin("eu")).toBe("https://eu.posthog.com");
    for (const same of [
      "http://127.0.0.1:8000",
      "http://localhost:8000/",
      "http://[::1]:8000",
      "http://127.0.0.2:8000",
    ]) {
      expect(canonicalOrigin(same), same).toBe("http://localhost:8000");
    }
    expect(canonicalOrigin("https://posthog.example.com:8443/")).toBe("https://posthog.example.com:8443");
    expect(canonicalOrigin("http://localhost:80")).toBe("http://localhost");
  });

  it("is idempotent and ignores a trailing slash, a default port and case, for any host", () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        (labels, slash, port) => {
          const host = labels.join(".");
          const canonical = canonicalOrigin(`https://${host}`);
          expect(canonicalOrigin(canonical)).toBe(canonical);
          expect(canonicalOrigin(`https://${host.toUpperCase()}${port ? ":443" : ""}${slash ? "/" : ""}`)).toBe(
            canonical,
          );
        },
      ),
    );
  });
});

describe("state", () => {
  const path = () => join(dir, "state.json");
  const entry = (id: number) => ({ id, short_id: `s${id}`, last_modified_at: null, hash: `h${id}` });

  it("is empty when there is none", async () => {
    const state = await StateStore.load(path());
    expect(state.byId()).toEqual([]);
  });

  it.each([
    ["cut off", '{"version": 1, "tar', /not valid JSON/],
    ["another version", '{"version": 3, "targets": {}}', /version is 3, not 1 or 2/],
    ["a list of targets", '{"version": 1, "targets": []}', /targets must be an object/],
    [
      "an id that is not a number",
      JSON.stringify({
        version: 1,
        targets: {
          t: {
            origin: "https://us.posthog.com",
            project: "1",
            entries: { a: { ...entry(1), id: "one" } },
            pending: {},
          },
        },
      }),
      /targets\["t"\]\.entries\["a"\]\.id: "one" is not an id/,
    ],
    [
      "a pending create without a time",
      JSON.stringify({
        version: 1,
        targets: { t: { origin: "o", project: "1", entries: {}, pending: { a: { hash: "h", name: null } } } },
      }),
      /pending\["a"\] needs hash, name and started_at/,
    ],
    [
      "a dashboard's tile without an id",
      JSON.stringify({
        version: 2,
        targets: {
          t: {
            origin: "o",
            project: "1",
            dashboards: {
              entries: { g: { id: 3, last_modified_at: null, hash: "h", tiles: [{ x: 1 }] } },
              pending: {},
            },
          },
        },
      }),
      /targets\["t"\]\.dashboards\.entries\["g"\]\.tiles\[0\]\.id is not an id/,
    ],
  ])("names its path, the problem and how to recover when %s", async (_, text, problem) => {
    writeFileSync(path(), text);
    const error = await StateStore.load(path()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).path).toBe(path());
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toMatch(/Restore it from git .*pull again into a new state/);
  });

  it("folds targets filed under older spellings into the canonical one, @current only when resolved from it", async () => {
    writeFileSync(
      path(),
      JSON.stringify({
        version: 1,
        targets: {
          "http://127.0.0.1:8000/project/5": {
            origin: "http://127.0.0.1:8000",
            project: "5",
            entries: { a: entry(1) },
            pending: {},
          },
          "http://localhost:8000/project/@current": {
            origin: "http://localhost:8000",
            project: "@current",
            entries: { b: entry(2) },
            pending: {},
          },
          "http://localhost:8000/project/6": {
            origin: "http://localhost:8000",
            project: "6",
            entries: { c: entry(3) },
            pending: {},
          },
        },
      }),
    );
    const origin = canonicalOrigin("http://127.0.0.1:8000");
    const byNumber = await StateStore.load(path());
    const five = byNumber.target({ origin, project: 5, id: targetId(origin, 5) });
    expect(Object.keys(five.kinds.insight.entries)).toEqual(["a"]);
    expect(byNumber.migrated).toEqual(["http://127.0.0.1:8000/project/5"]);

    const byCurrent = await StateStore.load(path());
    const current = byCurrent.target({ origin, project: 5, id: targetId(origin, 5) }, { fromCurrent: true });
    expect(Object.keys(current.kinds.insight.entries).sort()).toEqual(["a", "b"]);
    await byCurrent.save();
    const saved = JSON.parse(readFileSync(path(), "utf8")) as { targets: Record<string, unknown> };
    expect(Object.keys(saved.targets).sort()).toEqual([
      "http://localhost:8000/project/5",
      "http://localhost:8000/project/6",
    ]);
  });

  it("finds keys that point at one id", () => {
    expect(sharedIds({ entries: { b: entry(1), a: entry(1), c: entry(2) }, pending: {} })).toEqual([[1, ["a", "b"]]]);
  });

  it("upgrades a version 1 state (insights only) without loss: same entries and pending, saved as version 2", async () => {
    const pending = { hash: "h9", name: "New", started_at: "2026-01-01T00:00:00Z" };
    const v1 = {
      version: 1,
      targets: {
        "https://us.posthog.com/project/5": {
          origin: "https://us.posthog.com",
          project: "5",
          entries: { a: { ...entry(1), pulled: true }, b: entry(2) },
          pending: { c: pending },
        },
      },
    };
    writeFileSync(path(), JSON.stringify(v1));
    const state = await StateStore.load(path());
    expect(state.readVersion).toBe(1);
    const origin = "https://us.posthog.com";
    const target = state.target({ origin, project: 5, id: targetId(origin, 5) });
    expect(target.kinds.insight).toEqual({
      entries: v1.targets[`${origin}/project/5`].entries,
      pending: { c: pending },
    });
    expect(target.kinds.dashboard).toEqual({ entries: {}, pending: {} });
    await state.save();
    const saved = JSON.parse(readFileSync(path(), "utf8"));
    expect(saved).toEqual({
      version: 2,
      targets: {
        [`${origin}/project/5`]: {
          origin,
          project: "5",
          insights: { entries: v1.targets[`${origin}/project/5`].entries, pending: { c: pending } },
        },
      },
    });
    // And read back, nothing lost or changed.
    const again = await StateStore.load(path());
    expect(again.readVersion).toBe(2);
    expect(again.target({ origin, project: 5, id: targetId(origin, 5) })).toEqual(target);
  });
});

describe("lock", () => {
  it("is held by one run at a time, names its holder, and is gone once released", async () => {
    const lock = await acquireLock(dir, "push");
    const second = await acquireLock(dir, "pull").catch((err: unknown) => err);
    expect(second).toBeInstanceOf(LockedError);
    expect((second as LockedError).holder).toMatchObject({ pid: process.pid, host: hostname(), command: "push" });
    expect((second as Error).message).toMatch(
      /is held by push \(pid \d+ on .*\): wait for it to finish, then run again\./,
    );
    await lock.release();
    await expect(withLock(dir, "pull", async () => "done")).resolves.toBe("done");
    expect(() => readFileSync(lockPath(dir))).toThrow();
  });

  it("takes over the lock of a killed run on this host (its pid is gone)", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid;
    writeFileSync(
      lockPath(dir),
      JSON.stringify({ pid: dead, host: hostname(), command: "push", started_at: "2026-01-01T00:00:00Z", token: "x" }),
    );
    const lock = await acquireLock(dir, "push");
    expect(lock.tookOverFrom).toMatchObject({ pid: dead, command: "push" });
    await lock.release();
  });

  it("lets exactly one of several runs take over one killed run's lock, however their steps interleave", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid;
    for (let round = 0; round < 40; round++) {
      writeFileSync(
        lockPath(dir),
        JSON.stringify({
          pid: dead,
          host: hostname(),
          command: "push",
          started_at: "2026-01-01T00:00:00Z",
          token: "x",
        }),
      );
      const runs = await Promise.allSettled([1, 2, 3].map(() => acquireLock(dir, "push")));
      const holders = runs.filter((run) => run.status === "fulfilled");
      expect(holders, `round ${round}`).toHaveLength(1);
      for (const run of runs) {
        if (run.status === "rejected") {
          expect(run.reason).toBeInstanceOf(LockedError);
        }
      }
      const token = (JSON.parse(readFileSync(lockPath(dir), "utf8")) as { token: string }).token;
      expect(token).not.toBe("x");
      await (holders[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value.release();
      releaseHeldLocksSync();
    }
  });

  it("never breaks a lock held on another host", async () => {
    writeFileSync(
      lockPath(dir),
      JSON.stringify({ pid: 1, host: "ci-runner-7", command: "push", started_at: "2026-01-01T00:00:00Z", token: "x" }),
    );
    const error = await acquireLock(dir, "push").catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LockedError);
    expect((error as Error).message).toMatch(/on ci-runner-7.*if that run is dead, delete .*lock/);
  });

  it("is released by the interrupt handler's synchronous release", async () => {
    await acquireLock(dir, "push");
    releaseHeldLocksSync();
    await expect(acquireLock(dir, "push").then((lock) => lock.release())).resolves.toBeUndefined();
  });
});
