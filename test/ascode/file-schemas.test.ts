// The JSON Schemas of dashboard, action and cohort files, and the insight file's acceptance of
// references by key: every action or cohort id of a real query (the references module's
// fixtures) may be written as a key instead and the file stays valid; a dashboard's tiles and
// layouts are checked as the design says (integers on the sm grid, no xs, no stray keys).
import { describe, expect, it } from "vitest";
import { LineCounter, parseDocument } from "yaml";
import type { Json } from "../../src/ascode/canonical.js";
import type { LoadedFile } from "../../src/ascode/files.js";
import type { KindName } from "../../src/ascode/kind-names.js";
import { findRefs, formatKeyRef, rewriteRefs } from "../../src/ascode/refs.js";
import { validateLoaded } from "../../src/ascode/validate.js";
import { FIXTURES } from "./refs.fixtures.js";

function loaded(kind: KindName, raw: unknown): LoadedFile {
  const lines = new LineCounter();
  const document = parseDocument(JSON.stringify(raw, null, 2), { lineCounter: lines });
  return { kind, key: "x", path: `x.${kind}.yaml`, raw: document.toJS(), file: {}, document, lines };
}

const problems = (kind: KindName, raw: unknown) => validateLoaded(loaded(kind, raw)).problems.map((p) => p.message);

describe("references by key in insight files", () => {
  const queries = FIXTURES.filter(
    (f) =>
      f.container === "query" &&
      findRefs("query", f.document).some((ref) => ref.kind === "action" || ref.kind === "cohort") &&
      problems("insight", { query: f.document }).length === 0,
  );

  it("holds real queries with action and cohort ids", () => {
    expect(queries.length).toBeGreaterThanOrEqual(6);
  });

  it.each(queries.map((f) => [f.name, f] as const))("%s: each action or cohort id may be a key instead", (_, f) => {
    let keyed = 0;
    const result = rewriteRefs("query", f.document, (ref) => {
      if (ref.kind !== "action" && ref.kind !== "cohort") {
        return ref.value;
      }
      keyed += 1;
      return formatKeyRef(ref.kind, `k-${keyed}`);
    });
    expect(result.ok).toBe(true);
    expect(problems("insight", { query: result.ok ? result.value : null })).toEqual([]);
  });

  it("refuses a key reference of the wrong form, saying what the place takes", () => {
    const query: Json = {
      kind: "InsightVizNode",
      source: { kind: "TrendsQuery", series: [{ kind: "ActionsNode", id: "signed-up" }] },
    };
    expect(problems("insight", { query })).toEqual([
      'query.source.series[0].id: "signed-up" is not an action id or a reference "action:<key>" to an action file of this directory',
    ]);
  });
});

describe("dashboard files", () => {
  const tiles = [
    { insight: "daily-signups", layout: { x: 0, y: 0, w: 6, h: 5 }, color: "blue" },
    { insight: 42 },
    { text: "## Notes", layout: { x: 6, y: 0, w: 6, h: 2 } },
  ];

  it("take fields, filters with cohort references, and tiles by key, id or text", () => {
    const file = {
      name: "Growth",
      description: "KPIs",
      pinned: true,
      tags: ["kpi"],
      filters: { date_from: "-30d", properties: [{ type: "cohort", key: "id", value: "cohort:power-users" }] },
      tiles,
    };
    expect(problems("dashboard", file)).toEqual([]);
  });

  it.each([
    ["a tile with both an insight and a text", [{ insight: "a", text: "b" }]],
    ["a tile with neither", [{ color: "blue" }]],
    ["an xs layout", [{ insight: "a", layout: { x: 0, y: 0, w: 6, h: 5, xs: {} } }]],
    ["a width past the grid", [{ insight: "a", layout: { x: 0, y: 0, w: 13, h: 5 } }]],
    ["a number as a string", [{ insight: "a", layout: { x: "0", y: 0, w: 6, h: 5 } }]],
    ["a layout missing its height", [{ insight: "a", layout: { x: 0, y: 0, w: 6 } }]],
    ["an insight key with capitals", [{ insight: "Daily" }]],
    ["an empty text", [{ text: "" }]],
    ["a tile id", [{ insight: "a", id: 7 }]],
  ])("refuse %s", (_, bad) => {
    expect(problems("dashboard", { name: "G", tiles: bad }).length).toBeGreaterThan(0);
  });

  it("refuse an OR group of properties in the filters (PostHog's dashboards take a list or an AND group)", async () => {
    const filters = {
      properties: { type: "OR", values: [{ type: "person", key: "plan", value: "pro", operator: "exact" }] },
    };
    expect(problems("dashboard", { name: "G", filters })).toEqual([]);
    const { dashboardKind } = await import("../../src/ascode/kinds/dashboard.js");
    expect(dashboardKind.checks?.(dashboardKind.fromDocument({ name: "G", filters }))).toEqual([
      {
        path: ["filters", "properties", "type"],
        message:
          "PostHog refuses an OR group in a dashboard's filters: list the properties (they all apply), or use an AND group",
      },
    ]);
    const and = { properties: { type: "AND", values: filters.properties.values } };
    expect(dashboardKind.checks?.(dashboardKind.fromDocument({ name: "G", filters: and }))).toEqual([]);
    // An AND group is what PostHog stores as a list: the same filters.
    expect(dashboardKind.fromDocument({ filters: and })).toEqual(
      dashboardKind.fromDocument({ filters: { properties: filters.properties.values } }),
    );
  });

  it("refuse fields the server computes or ids", () => {
    expect(problems("dashboard", { name: "G", id: 3, restriction_level: 21 })).toEqual([
      "id: not a field here (check its spelling)",
      "restriction_level: not a field here (check its spelling)",
    ]);
  });
});

describe("action and cohort files", () => {
  it("an action: name, description, tags and steps; cohort references in step properties", () => {
    const steps = [
      {
        event: "$pageview",
        url: "/pricing",
        url_matching: "contains",
        properties: [{ type: "cohort", key: "id", value: "cohort:beta" }],
      },
    ];
    expect(problems("action", { name: "Visited pricing", tags: ["web"], steps })).toEqual([]);
    expect(problems("action", { name: "A", steps: [{ url_matching: "startswith" }] })).toHaveLength(1);
    expect(problems("action", { name: "A", post_to_slack: true })).toEqual([
      "post_to_slack: not a field here (check its spelling)",
    ]);
  });

  it("a cohort: filters naming actions and cohorts by key; a static one with no members", () => {
    const filters = {
      properties: {
        type: "OR",
        values: [
          { type: "behavioral", key: "action:signed-up", event_type: "actions", value: "performed_event" },
          { type: "cohort", key: "id", value: "cohort:power-users" },
        ],
      },
    };
    expect(problems("cohort", { name: "Engaged", filters })).toEqual([]);
    expect(problems("cohort", { name: "Beta", is_static: true })).toEqual([]);
    expect(problems("cohort", { name: "Beta", filters: { properties: { type: "XOR", values: [] } } })).toHaveLength(1);
    expect(problems("cohort", { name: "Beta", count: 12 })).toEqual(["count: not a field here (check its spelling)"]);
  });
});
