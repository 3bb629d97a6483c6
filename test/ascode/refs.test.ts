// The reference module against PostHog's own fixtures: every location found where PostHog finds
// it, rewritten as PostHog's resource transfer rewrites it, key references, refusals, variables.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Json } from "../../src/ascode/canonical.js";
import {
  describeRefs,
  describeRefusal,
  findRefs,
  formatKeyRef,
  formatPath,
  LOCATIONS,
  localRefs,
  parseKeyRef,
  REF_CONTAINERS,
  refId,
  refuse,
  rewriteRefs,
  valueAt,
} from "../../src/ascode/refs.js";
import { FIXTURES } from "./refs.fixtures.js";

/** Freezes a document deeply, so any mutation by the module throws. */
function frozen<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) {
      frozen(child);
    }
    Object.freeze(value);
  }
  return value;
}

const found = (container: Parameters<typeof findRefs>[0], document: Json) =>
  findRefs(container, document).map((ref) => [ref.location, ref.value, formatPath(ref.path)]);

describe("PostHog's fixtures, one or more per location", () => {
  for (const fixture of FIXTURES) {
    it(`${fixture.name} (${fixture.container})`, () => {
      const document = frozen(structuredClone(fixture.document));
      expect(found(fixture.container, document)).toEqual(fixture.refs);
      for (const ref of findRefs(fixture.container, document)) {
        expect(valueAt(document, ref.path)).toBe(ref.value);
      }
      if (fixture.rewrite) {
        const { from, to, expected } = fixture.rewrite;
        const result = rewriteRefs(fixture.container, document, (ref) => (refId(ref) === from ? to : ref.value));
        expect(result).toEqual({ ok: true, value: expected });
      }
    });
  }

  it("has a fixture for every location, and every fixture names where it comes from", () => {
    const covered = new Set(FIXTURES.flatMap((fixture) => fixture.refs.map(([location]) => location)));
    expect(LOCATIONS.map((l) => l.id).filter((id) => !covered.has(id))).toEqual([]);
    for (const fixture of FIXTURES) {
      expect(fixture.source, fixture.name).toMatch(/PostHog\/posthog \S+/);
    }
    const containers = new Set(FIXTURES.map((fixture) => fixture.container));
    expect(REF_CONTAINERS.filter((c) => !containers.has(c))).toEqual([]);
  });

  it("REFERENCES.md lists every location and container", () => {
    const doc = readFileSync(new URL("../../src/ascode/REFERENCES.md", import.meta.url), "utf8");
    for (const id of [...LOCATIONS.map((l) => l.id), ...REF_CONTAINERS]) {
      expect(doc, id).toContain(`\`${id}\``);
    }
  });
});

describe("values a location may hold", () => {
  const series = (id: Json): Json => ({ kind: "TrendsQuery", series: [{ kind: "ActionsNode", id }] });

  it("recognises a number, a numeric string, a key reference, and anything else that is a string", () => {
    for (const id of [7, "7", "action:signed-up", "cohort:oops", "not-an-id"]) {
      expect(findRefs("query", series(id)).map((r) => r.value)).toEqual([id]);
    }
  });

  it("skips null, booleans, empty strings, objects and the all-users cohort", () => {
    for (const id of [null, true, "", { id: 3 }]) {
      expect(findRefs("query", series(id))).toEqual([]);
    }
    expect(findRefs("query", { breakdown_type: "cohort", breakdown: "all" })).toEqual([]);
  });

  it("reads ids and key references", () => {
    const ref = (kind: "cohort" | "person", value: string | number) => ({ kind, value, path: [], location: "x" });
    expect(refId(ref("cohort", 42))).toBe(42);
    expect(refId(ref("cohort", "42"))).toBe(42);
    expect(refId(ref("cohort", "cohort:power-users"))).toBeUndefined();
    expect(refId(ref("cohort", "forty-two"))).toBeUndefined();
    expect(refId(ref("cohort", 4.2))).toBeUndefined();
    expect(refId(ref("person", "01890c2e-7f3a"))).toBe("01890c2e-7f3a");
    expect(refId(ref("person", 5))).toBeUndefined();
    expect(parseKeyRef("action:signed-up")).toEqual({ kind: "action", key: "signed-up" });
    expect(parseKeyRef("cohort:team/power users")).toEqual({ kind: "cohort", key: "team/power users" });
    for (const value of ["action:", "dashboard:x", "signed-up", 7, null, undefined]) {
      expect(parseKeyRef(value)).toBeUndefined();
    }
    expect(formatKeyRef("cohort", "power-users")).toBe("cohort:power-users");
    expect(parseKeyRef(formatKeyRef("action", "a:b"))).toEqual({ kind: "action", key: "a:b" });
    expect(() => formatKeyRef("action", "")).toThrow(/needs a key/);
  });

  it("an object key __proto__ stays data, never a prototype", () => {
    const document = JSON.parse('{"__proto__": {"kind": "ActionsNode", "id": 3}, "x": 1}') as Json;
    const result = rewriteRefs("query", document, () => 4);
    expect(result.ok && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(result.ok && JSON.stringify(result.value)).toBe('{"__proto__":{"kind":"ActionsNode","id":4},"x":1}');
  });
});

describe("references by key, as pull writes them and push resolves them", () => {
  const query: Json = {
    kind: "InsightVizNode",
    source: {
      kind: "FunnelsQuery",
      series: [
        { kind: "ActionsNode", id: 17 },
        { kind: "EventsNode", event: "$pageview", properties: [{ type: "cohort", key: "id", value: 9 }] },
      ],
      funnelsFilter: { exclusions: [{ kind: "ActionsNode", id: 18, funnelFromStep: 0, funnelToStep: 1 }] },
      breakdownFilter: { breakdown_type: "cohort", breakdown: [9, "all"] },
    },
  };
  const keys = new Map([
    ["action 17", "signed-up"],
    ["cohort 9", "power-users"],
  ]);

  it("writes keys for managed objects and keeps ids for the others, then resolves them per target", () => {
    const pulled = rewriteRefs("query", frozen(structuredClone(query)), (ref) => {
      const key = keys.get(`${ref.kind} ${ref.value}`);
      return key && (ref.kind === "action" || ref.kind === "cohort") ? formatKeyRef(ref.kind, key) : ref.value;
    });
    expect(pulled.ok).toBe(true);
    const file = pulled.ok ? pulled.value : null;
    expect(findRefs("query", file).map((r) => r.value)).toEqual([
      "action:signed-up",
      "cohort:power-users",
      18,
      "cohort:power-users",
    ]);
    expect(localRefs(file)).toEqual([{ kind: "action", id: 18, path: "query.source.funnelsFilter.exclusions[0].id" }]);

    const target = new Map([
      ["action:signed-up", 42],
      ["cohort:power-users", 311],
    ]);
    const pushed = rewriteRefs("query", file, (ref) => target.get(String(ref.value)) ?? ref.value);
    expect(pushed).toEqual({
      ok: true,
      value: {
        kind: "InsightVizNode",
        source: {
          kind: "FunnelsQuery",
          series: [
            { kind: "ActionsNode", id: 42 },
            { kind: "EventsNode", event: "$pageview", properties: [{ type: "cohort", key: "id", value: 311 }] },
          ],
          funnelsFilter: { exclusions: [{ kind: "ActionsNode", id: 18, funnelFromStep: 0, funnelToStep: 1 }] },
          breakdownFilter: { breakdown_type: "cohort", breakdown: [311, "all"] },
        },
      },
    });
  });

  it("reports every refusal with its path, and leaves the input as it was", () => {
    const input = frozen(structuredClone(query));
    const result = rewriteRefs("query", input, (ref) =>
      ref.kind === "cohort" ? refuse(`no cohort ${ref.value} in the destination`) : ref.value,
    );
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.refusals.map((refused) => describeRefusal(refused, "query"));
    expect(lines).toEqual([
      "cohort 9 at query.source.series[1].properties[0].value: no cohort 9 in the destination",
      "cohort 9 at query.source.breakdownFilter.breakdown[0]: no cohort 9 in the destination",
    ]);
    expect(input).toEqual(query);
  });

  it("maps a group type index by name and refuses the one the destination lacks", () => {
    const source = new Map([
      [0, "company"],
      [1, "team"],
    ]);
    const destination = new Map([["company", 3]]);
    const document = {
      kind: "TrendsQuery",
      aggregation_group_type_index: 0,
      series: [{ kind: "EventsNode", math: "unique_group", math_group_type_index: 1 }],
    };
    const result = rewriteRefs("query", document, (ref) => {
      if (ref.kind !== "group_type_index") {
        return ref.value;
      }
      const name = source.get(Number(ref.value));
      const index = name === undefined ? undefined : destination.get(name);
      return index ?? refuse(`no group type "${name}" in the destination`);
    });
    expect(result.ok ? [] : result.refusals.map((r) => describeRefusal(r))).toEqual([
      'group_type_index 1 at series[0].math_group_type_index: no group type "team" in the destination',
    ]);
  });
});

describe("variables maps", () => {
  const a = "0191b5b8-0000-7000-8000-00000000000a";
  const b = "0191b5b8-0000-7000-8000-00000000000b";
  const query: Json = {
    kind: "HogQLQuery",
    query: "select {variables.x}, {variables.y}",
    variables: {
      [a]: { variableId: a, code_name: "x", value: 1 },
      [b]: { variableId: b, code_name: "y" },
    },
  };

  it("moves an entry to its new id, in place", () => {
    const result = rewriteRefs("query", query, (ref) => (ref.value === a ? "new-a" : ref.value));
    expect(result.ok && result.value).toEqual({
      ...(query as object),
      variables: { "new-a": { variableId: "new-a", code_name: "x", value: 1 }, [b]: { variableId: b, code_name: "y" } },
    });
    expect(result.ok && Object.keys((result.value as { variables: object }).variables)).toEqual(["new-a", b]);
  });

  it("swaps two ids without losing either", () => {
    const result = rewriteRefs("query", query, (ref) => ({ [a]: b, [b]: a })[String(ref.value)] ?? ref.value);
    const variables = result.ok ? (result.value as { variables: Record<string, { code_name: string }> }).variables : {};
    expect(Object.entries(variables).map(([k, v]) => [k, v.code_name])).toEqual([
      [b, "x"],
      [a, "y"],
    ]);
  });

  it("refuses two variables renamed to one id (one would be lost)", () => {
    const result = rewriteRefs("query", query, () => "same");
    expect(result.ok ? [] : result.refusals.map((r) => r.reason)).toEqual(['two variables would both be keyed "same"']);
  });

  it("keeps an entry whose key is not its id where it is", () => {
    const odd = { variables: { legacy: { variableId: a, code_name: "x" } } };
    expect(rewriteRefs("query", odd, () => b)).toEqual({
      ok: true,
      value: { variables: { legacy: { variableId: b, code_name: "x" } } },
    });
  });
});

describe("the plan's report (localRefs, describeRefs)", () => {
  it("reports ids with readable paths, as before, and now every kind of reference", () => {
    const query = {
      kind: "InsightVizNode",
      source: {
        kind: "TrendsQuery",
        series: [{ kind: "ActionsNode", id: 7 }],
        properties: [{ type: "cohort", key: "id", value: 42 }],
        aggregation_group_type_index: 0,
      },
    };
    const refs = localRefs(query);
    expect(describeRefs(refs)).toBe(
      "action 7 at query.source.series[0].id, cohort 42 at query.source.properties[0].value, " +
        "group_type_index 0 at query.source.aggregation_group_type_index",
    );
    expect(localRefs(undefined)).toEqual([]);
    expect(localRefs({ kind: "ActionsNode", id: 7 }, "file")).toEqual([{ kind: "action", id: 7, path: "file.id" }]);
  });

  it("formats paths a person can follow", () => {
    expect(formatPath([])).toBe("");
    expect(formatPath([0, "a"], "root")).toBe("root[0].a");
    expect(formatPath(["a b", "c"], "q")).toBe('q["a b"].c');
    expect(valueAt({ a: [1] }, ["a", 1])).toBeUndefined();
    expect(valueAt({ a: [1] }, ["b"])).toBeUndefined();
    expect(valueAt([1], ["0"])).toBeUndefined();
  });
});
