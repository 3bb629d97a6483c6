// Properties of findRefs / rewriteRefs over generated documents: reference-holding shapes from
// every location mixed with arbitrary JSON, in every container. Identity changes nothing; a -> b
// then b -> a returns the input; every path resolves; only locations ever change.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Json } from "../../src/ascode/canonical.js";
import { GROUP_TYPE_INDEX_KEYS } from "../../src/ascode/ref-locations.js";
import { findRefs, REF_CONTAINERS, type RefContainer, rewriteRefs, valueAt } from "../../src/ascode/refs.js";

const runs = { numRuns: 300 };

/** What a location may hold: ids as numbers and strings, uuids, key references. */
const idArb: fc.Arbitrary<Json> = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: 0, max: 40 }).map(String),
  fc.constantFrom("action:signed-up", "cohort:power-users", "cohort:a/b c"),
  fc.uuid(),
);

/** Objects shaped like every location, around children drawn from the whole document grammar. */
function shaped(child: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  const props = fc.array(child, { maxLength: 2 });
  return fc.oneof(
    fc.record({ kind: fc.constant("ActionsNode"), id: idArb, properties: props }, { requiredKeys: ["kind", "id"] }),
    fc.record({ type: fc.constant("actions"), id: idArb, order: fc.nat(3) }),
    fc.record({ actions: fc.array(fc.record({ id: idArb }), { maxLength: 2 }) }),
    fc.record({ actionId: idArb }),
    fc.record({ conversionGoal: fc.record({ actionId: idArb }) }),
    fc.record({
      type: fc.constant("behavioral"),
      event_type: fc.constantFrom("actions", "events"),
      key: idArb,
      seq_event_type: fc.constantFrom("actions", "events"),
      seq_event: idArb,
    }),
    fc.record({ action_id: idArb, days: fc.nat(30) }),
    fc.record({
      type: fc.constantFrom("cohort", "static-cohort", "precalculated-cohort"),
      key: fc.constant("id"),
      value: idArb,
    }),
    fc.record({
      breakdown_type: fc.constantFrom("cohort", "event"),
      breakdown: fc.oneof(idArb, fc.array(fc.oneof(idArb, fc.constant("all")), { maxLength: 3 })),
    }),
    fc.record({ type: fc.constant("cohort"), property: idArb }),
    fc.record({ kind: fc.constant("PersonsNode"), cohort: idArb }),
    fc.record({
      kind: fc.constantFrom("InsightActorsQuery", "FunnelsActorsQuery"),
      breakdown: idArb,
      funnelStepBreakdown: idArb,
      source: fc.constant({ kind: "TrendsQuery", breakdownFilter: { breakdown_type: "cohort" } }),
    }),
    fc
      .tuple(fc.constantFrom(...GROUP_TYPE_INDEX_KEYS), idArb, child)
      .map(([key, value, other]): Json => ({ [key]: value, other })),
    fc.uniqueArray(fc.uuid(), { maxLength: 3 }).map(
      (ids): Json => ({
        variables: Object.fromEntries(ids.map((id, i) => [id, { variableId: id, code_name: `v${i}`, value: i }])),
      }),
    ),
    fc.record({ dataColorTheme: idArb }),
    fc.record({
      kind: fc.constantFrom("EventsQuery", "SessionsQuery"),
      personId: fc.uuid(),
      select: fc.constant<Json>(["*"]),
    }),
    fc.record({ kind: fc.constant("RecordingsQuery"), person_uuid: fc.uuid() }),
    fc.record({ type: fc.constant("flag"), key: idArb, value: fc.boolean() }),
  );
}

const keyArb = fc.oneof(
  fc.constantFrom("source", "series", "properties", "values", "filters", "variables", "__proto__", "a b"),
  fc.string({ maxLength: 6 }),
);

const { document: documentArb } = fc.letrec<{ document: Json }>((tie) => ({
  document: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
    shaped(tie("document")),
    fc.array(tie("document"), { maxLength: 3 }),
    fc.dictionary(keyArb, tie("document"), { maxKeys: 3 }) as fc.Arbitrary<Json>,
  ),
}));

const containerArb = fc.constantFrom(...REF_CONTAINERS);

/** A value that appears nowhere in a generated document. */
const fresh = (i: number): string => `\u0000fresh-${i}`;

describe("findRefs and rewriteRefs over generated documents", () => {
  it("identity rewrite returns an equal document, and never changes the input", () => {
    fc.assert(
      fc.property(containerArb, documentArb, (container, document) => {
        const before = structuredClone(document);
        const result = rewriteRefs(container, document, (ref) => ref.value);
        expect(result).toEqual({ ok: true, value: document });
        expect(JSON.stringify(result.ok && result.value)).toBe(JSON.stringify(document));
        expect(document).toEqual(before);
      }),
      runs,
    );
  });

  it("rewriting a -> b then b -> a returns the input", () => {
    fc.assert(
      fc.property(containerArb, documentArb, (container, document) => {
        const values = [...new Set(findRefs(container, document).map((ref) => ref.value))];
        const forward = new Map<Json, Json>(values.map((value, i) => [value, fresh(i)]));
        const back = new Map<Json, Json>(values.map((value, i) => [fresh(i), value]));
        const there = rewriteRefs(container, document, (ref) => forward.get(ref.value) ?? ref.value);
        expect(there.ok).toBe(true);
        const thereValue = there.ok ? there.value : null;
        expect(findRefs(container, thereValue).map((ref) => ref.value)).toEqual(
          findRefs(container, document).map((ref) => forward.get(ref.value)),
        );
        const again = rewriteRefs(container, thereValue, (ref) => back.get(ref.value) ?? ref.value);
        expect(JSON.stringify(again.ok && again.value)).toBe(JSON.stringify(document));
      }),
      runs,
    );
  });

  it("every found path resolves in the document to the value reported", () => {
    fc.assert(
      fc.property(containerArb, documentArb, (container, document) => {
        for (const ref of findRefs(container, document)) {
          expect(valueAt(document, ref.path)).toBe(ref.value);
        }
      }),
      runs,
    );
  });

  it("nothing outside a location ever changes", () => {
    fc.assert(
      fc.property(containerArb, documentArb, (container, document) => {
        const refs = findRefs(container, document);
        let i = 0;
        const result = rewriteRefs(container, document, () => fresh(i++));
        expect(result.ok).toBe(true);
        const allowed = new Set(refs.map((ref) => JSON.stringify(ref.path)));
        for (const path of differences(document, result.ok ? result.value : null, [])) {
          const isKey = path[path.length - 1] === KEY;
          const at = isKey ? path.slice(0, -2) : path;
          const where = JSON.stringify(at);
          if (isKey) {
            // A variables map entry keyed by its id may move with it, nothing else may.
            const entry = path[path.length - 2] as string;
            expect(isVariablesMap(container, at), where).toBe(true);
            expect(allowed.has(JSON.stringify([...at, entry, "variableId"])), where).toBe(true);
          } else {
            expect(allowed.has(where), where).toBe(true);
          }
        }
      }),
      runs,
    );
  });
});

const KEY = "\u0000key";

function isVariablesMap(container: RefContainer, path: (string | number)[]): boolean {
  return path.length === 0 ? container === "dashboard_variables" : path[path.length - 1] === "variables";
}

/** Paths where two documents differ; objects compared entry by entry in order (a renamed key is `[..., key, KEY]`). */
function differences(a: Json, b: Json, path: (string | number)[]): (string | number)[][] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      return [path];
    }
    return a.flatMap((item, i) => differences(item, b[i] as Json, [...path, i]));
  }
  const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const ea = Object.entries(a);
    const eb = Object.entries(b);
    if (ea.length !== eb.length) {
      return [path];
    }
    return ea.flatMap(([key, value], i) => {
      const [otherKey, otherValue] = eb[i] as [string, Json];
      const moved = key === otherKey ? [] : [[...path, key, KEY]];
      return [...moved, ...differences(value, otherValue, [...path, key])];
    });
  }
  return Object.is(a, b) ? [] : [path];
}

describe("PostHog's real queries (test/corpus)", () => {
  const corpus = ["examples.json", "demo.json", "fixtures.json"].flatMap(
    (file) =>
      JSON.parse(readFileSync(new URL(`../corpus/${file}`, import.meta.url), "utf8")) as {
        name: string;
        query: Json;
      }[],
  );

  it("every reference found resolves, and identity and a fresh mapping round-trip", () => {
    expect(corpus.length).toBeGreaterThan(30);
    let total = 0;
    for (const { name, query } of corpus) {
      const refs = findRefs("query", query);
      total += refs.length;
      for (const ref of refs) {
        expect(valueAt(query, ref.path), name).toBe(ref.value);
      }
      expect(rewriteRefs("query", query, (ref) => ref.value)).toEqual({ ok: true, value: query });
      const there = rewriteRefs("query", query, (ref) => `x${ref.value}`);
      const back = rewriteRefs("query", there.ok ? there.value : null, (ref) => {
        const original = refs.find((r) => `x${r.value}` === ref.value);
        return original ? original.value : ref.value;
      });
      expect(back, name).toEqual({ ok: true, value: query });
    }
    // The corpus holds actions, cohorts and group aggregations: the walk must see them.
    expect(total).toBeGreaterThanOrEqual(6);
  });
});
