import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalFile, contentHash, type InsightFile } from "../../src/ascode/canonical.js";
import { diff } from "../../src/ascode/diff.js";
import { readInsightDir, writeInsightFile } from "../../src/ascode/files.js";
import { computePlan } from "../../src/ascode/plan.js";
import { localRefs } from "../../src/ascode/refs.js";
import { keyFor, slugify, isKey } from "../../src/ascode/slug.js";
import type { TargetState } from "../../src/ascode/state.js";
import { validateDir } from "../../src/ascode/session.js";
import type { Insight } from "../../src/types.js";

const trends = {
  kind: "InsightVizNode",
  source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview" }], interval: "day" },
} as const;

function remote(id: number, fields: Partial<Insight>): Insight {
  return { id, short_id: `s${id}`, created_at: "2026-01-01T00:00:00Z", last_modified_at: null, ...fields } as Insight;
}

function emptyTarget(): TargetState {
  return { origin: "https://us.posthog.com", project: "1", entries: {}, pending: {} };
}

describe("canonical form", () => {
  it("drops nulls, server defaults and version 1, and orders keys with kind first", () => {
    const file = canonicalFile({
      name: "Signups",
      description: "",
      favorited: false,
      tags: [],
      query: { source: { version: 1, kind: "TrendsQuery", series: [], interval: null }, kind: "InsightVizNode" },
    } as never as Insight);
    expect(file).toEqual({
      name: "Signups",
      query: { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [] } },
    });
    expect(Object.keys(file.query as object)).toEqual(["kind", "source"]);
  });

  it("never reports a server-added version marker as a change", () => {
    const withMarkers = canonicalFile({
      query: { ...trends, version: 2, source: { ...trends.source, version: 7 } },
    } as never);
    expect(contentHash(withMarkers)).toBe(contentHash(canonicalFile({ query: trends } as never)));
  });
});

describe("keys", () => {
  it("slugs names into file-safe keys", () => {
    fc.assert(fc.property(fc.string(), (name) => slugify(name) === "" || isKey(slugify(name))));
    expect(slugify("Daily signups (EU) — 2024")).toBe("daily-signups-eu-2024");
  });

  it("adds the short id on a collision", () => {
    expect(keyFor({ name: "Signups", short_id: "AbC12345" }, new Set(["signups"]))).toBe("signups-abc12345");
  });
});

describe("diff", () => {
  it("names each changed field by its JSON path, before and after", () => {
    expect(
      diff(
        { name: "a", query: { source: { interval: "day" } } },
        { name: "b", query: { source: { interval: "week" } } },
      ),
    ).toEqual([
      { path: "name", before: "a", after: "b" },
      { path: "query.source.interval", before: "day", after: "week" },
    ]);
  });
});

describe("plan", () => {
  it("is a conflict when both the file and the remote changed since the last sync", () => {
    const base: InsightFile = { name: "A", query: trends as never };
    const target = emptyTarget();
    target.entries.a = { id: 1, short_id: "s1", last_modified_at: null, hash: contentHash(base) };
    const plan = computePlan(
      new Map([["a", { ...base, name: "file" }]]),
      target,
      [remote(1, { ...base, name: "ui" } as never)],
      {
        prune: false,
      },
    );
    expect(plan.actions[0]).toMatchObject({
      action: "conflict",
      key: "a",
      changes: [{ path: "name", before: "ui", after: "file" }],
    });
  });

  it("adopts the insight an interrupted create made instead of creating it again", () => {
    const file: InsightFile = { name: "New", query: trends as never };
    const target = emptyTarget();
    target.pending.new = { hash: contentHash(file), name: "New", started_at: "2026-01-01T00:00:00Z" };
    const plan = computePlan(new Map([["new", file]]), target, [remote(9, file as never)], { prune: false });
    expect(plan.actions.map((a) => [a.action, a.id])).toEqual([["adopt", 9]]);
  });

  it("lists managed insights without a file as orphaned, or delete with prune", () => {
    const target = emptyTarget();
    target.entries.gone = { id: 3, short_id: "s3", last_modified_at: null, hash: contentHash({ name: "Gone" }) };
    const insights = [remote(3, { name: "Gone" })];
    expect(computePlan(new Map(), target, insights, { prune: false }).actions[0]?.action).toBe("orphaned");
    expect(computePlan(new Map(), target, insights, { prune: true }).actions[0]?.action).toBe("delete");
  });

  it("never deletes an insight changed in PostHog since the last sync: with prune it is a conflict", () => {
    const target = emptyTarget();
    target.entries.gone = { id: 3, short_id: "s3", last_modified_at: null, hash: contentHash({ name: "Gone" }) };
    const insights = [remote(3, { name: "Renamed in the UI" })];
    const plan = computePlan(new Map(), target, insights, { prune: true });
    expect(plan.actions.map((a) => a.action)).toEqual(["conflict"]);
    expect(plan.conflicts).toBe(1);
    expect(plan.actions[0]?.reason).toMatch(/changed in PostHog.*its file was removed/);
  });

  it("before creating, finds what the file already is: a rename, then an unmanaged insight, else a duplicate", () => {
    const signups: InsightFile = { name: "Signups", query: trends as never };
    const target = emptyTarget();
    target.entries.old = { id: 1, short_id: "s1", last_modified_at: null, hash: contentHash(signups) };
    target.entries.other = { id: 2, short_id: "s2", last_modified_at: null, hash: contentHash({ name: "Other" }) };
    const insights = [
      remote(1, signups as never),
      remote(2, { name: "Other" }),
      remote(3, { name: "Loose", query: trends } as never),
    ];
    const files = new Map<string, InsightFile>([
      ["renamed", signups],
      ["loose", { name: "Loose", query: trends as never, description: "now described" }],
      ["other", { name: "Other" }],
      ["other-again", { name: "Other" }],
      ["brand-new", { name: "New" }],
    ]);
    const plan = computePlan(files, target, insights, { prune: true });
    const byKey = Object.fromEntries(plan.actions.map((a) => [a.key ?? `#${a.id}`, a]));
    expect(byKey.renamed).toMatchObject({ action: "rename", id: 1, from: "old" });
    expect(byKey.loose).toMatchObject({
      action: "adopt",
      id: 3,
      changes: [{ path: "description", after: "now described" }],
    });
    expect(byKey["other-again"]).toMatchObject({ action: "duplicate", id: 2, duplicateOf: "other" });
    expect(byKey["brand-new"]).toMatchObject({ action: "create" });
    // The renamed insight is neither orphaned nor deleted; nothing is unmanaged.
    expect(plan.actions.map((a) => a.action).sort()).toEqual(["adopt", "create", "duplicate", "rename", "unchanged"]);
    expect(plan.conflicts).toBe(1);
  });

  it("says the truth when the state names an id the project does not have", () => {
    const target = emptyTarget();
    target.entries.a = { id: 999, short_id: "s999", last_modified_at: null, hash: "x" };
    const plan = computePlan(new Map([["a", { name: "A" }]]), target, [], { prune: false });
    expect(plan.actions[0]).toMatchObject({
      action: "create",
      reason:
        "the state's #999 is not in the project (deleted in PostHog since the last sync, or the state was edited)",
    });
  });

  it("reports project-local ids of a file that did not come from the target", () => {
    const query = {
      kind: "InsightVizNode",
      source: { kind: "TrendsQuery", series: [{ kind: "ActionsNode", id: 42 }] },
    };
    expect(localRefs(query)).toEqual([{ kind: "action", id: 42, path: "query.source.series[0].id" }]);
    const plan = computePlan(new Map([["x", { query } as never]]), emptyTarget(), [], { prune: false });
    expect(plan.actions[0]?.refs).toHaveLength(1);
  });
});

describe("files", () => {
  it("round-trips a SQL insight through its YAML and .sql sidecar byte for byte", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ascode-"));
    const file: InsightFile = {
      name: "Revenue",
      query: { kind: "DataVisualizationNode", source: { kind: "HogQLQuery", query: "select 1\nfrom events" } } as never,
    };
    await writeInsightFile(dir, "revenue", file);
    expect(await readFile(join(dir, "revenue.sql"), "utf8")).toBe("select 1\nfrom events\n");
    const { files } = await readInsightDir(dir);
    expect(files.get("revenue")?.file).toEqual(file);
    expect(await writeInsightFile(dir, "revenue", file)).toBe(false);
  });

  it("validate names the file, line and field of a schema error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ascode-"));
    await writeFile(join(dir, "a.insight.yaml"), "name: A\nfavorited: yes\n");
    const { problems } = await validateDir(dir);
    expect(problems).toEqual([
      { path: join(dir, "a.insight.yaml"), line: 2, message: 'favorited: must be boolean, not "yes"' },
    ]);
  });
});
