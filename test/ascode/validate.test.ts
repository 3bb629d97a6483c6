// Validation of insight files, pure: every real query of the corpus passes; one mistake gives one
// line, whichever query it is made in; "did you mean" for near misses; unknown kinds are warnings.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineCounter, parseDocument } from "yaml";
import type { LoadedFile } from "../../src/ascode/files.js";
import { editDistance, nearest } from "../../src/ascode/suggest.js";
import { insightKinds, prepareSchema, validateLoaded } from "../../src/ascode/validate.js";
// @ts-expect-error: a plain .mjs script without type declarations; its exports are checked in the corpus test.
import { corpusEntries } from "../../scripts/corpus-types.mjs";

interface Entry {
  name: string;
  query: unknown;
}
const entries = (corpusEntries as () => Entry[])();

/** A file in memory, as readInsightDir would load it. */
function loaded(raw: unknown): LoadedFile {
  const lines = new LineCounter();
  const document = parseDocument(JSON.stringify(raw, null, 2), { lineCounter: lines });
  return { key: "x", path: "x.insight.yaml", raw: document.toJS(), file: {}, document, lines };
}

/** Every path in `value` to an object's string `kind`. */
function kindPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => kindPaths(item, [...path, i]));
  }
  if (value === null || typeof value !== "object") {
    return [];
  }
  const record = value as Record<string, unknown>;
  const own = typeof record.kind === "string" ? [[...path, "kind"]] : [];
  return [...own, ...Object.entries(record).flatMap(([key, item]) => kindPaths(item, [...path, key]))];
}

function setAt(value: unknown, path: (string | number)[], to: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const part of path.slice(0, -1)) {
    node = node[part] as Record<string | number, unknown>;
  }
  node[path.at(-1) as string | number] = to;
  return copy;
}

describe("the corpus of real queries", () => {
  it.each(entries.map((e) => [e.name, e] as const))("%s validates as an insight file, with no warning", (_, e) => {
    expect(validateLoaded(loaded({ name: e.name, query: e.query }))).toEqual({ problems: [], warnings: [] });
  });
});

describe("one line per real problem", () => {
  it("a node kind one edit off, anywhere in any real query: exactly one problem, with did you mean", () => {
    const cases = entries.flatMap((e) => kindPaths(e.query).map((path) => ({ e, path })));
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.nat(),
        fc.constantFrom("drop", "double", "lower"),
        ({ e, path }, at, how) => {
          const raw = { name: e.name, query: e.query };
          const full = ["query", ...path];
          let node: unknown = raw;
          for (const part of full) {
            node = (node as Record<string | number, unknown>)[part];
          }
          const kind = node as string;
          const i = at % kind.length;
          const typos = {
            drop: kind.slice(0, i) + kind.slice(i + 1),
            double: kind.slice(0, i) + (kind[i] ?? "") + kind.slice(i),
            lower: kind.slice(0, i) + (kind[i] ?? "").toLowerCase() + kind.slice(i + 1),
          };
          const typo = typos[how];
          // A typo that is itself a kind the schema knows is checked as that kind instead.
          fc.pre(typo !== kind && !insightKinds().has(typo));
          const { problems } = validateLoaded(loaded(setAt(raw, full, typo)));
          expect(problems, JSON.stringify(problems)).toHaveLength(1);
          expect(problems[0]?.message).toMatch(/did you mean|must be one of|is not allowed/);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a misspelt field at the top of any real file: exactly one problem naming the field it meant", () => {
    fc.assert(
      fc.property(fc.constantFrom(...entries), fc.constantFrom("nmae", "descripton", "favorite", "tag"), (e, field) => {
        const raw: Record<string, unknown> = { query: e.query, [field]: "x" };
        const { problems } = validateLoaded(loaded(raw));
        expect(problems).toHaveLength(1);
        expect(problems[0]?.message).toMatch(new RegExp(`^${field}: not a field here: did you mean "\\w+"\\?$`));
      }),
      { numRuns: 40 },
    );
  });

  it("interval: weekly is one line saying week, not one line per union branch", () => {
    const query = { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [], interval: "weekly" } };
    const { problems } = validateLoaded(loaded({ name: "A", query }));
    expect(problems.map((p) => p.message)).toEqual([
      'query.source.interval: "weekly" is not allowed: did you mean "week"? (one of "second", "minute", "hour", "day", "week", "month")',
    ]);
  });

  it("an unknown kind far from every known one is a warning, not an error", () => {
    const query = { kind: "InsightVizNode", source: { kind: "SomethingNewQuery", anything: [1, 2] } };
    const { problems, warnings } = validateLoaded(loaded({ query }));
    expect(problems).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^query\.source\.kind: unknown kind "SomethingNewQuery"/),
    ]);
  });
});

describe("prepareSchema", () => {
  it("dispatches a kind union to the branch the kind names, keeps unknown kinds open, and types X | null", () => {
    const schema = {
      $defs: {
        A: { type: "object", required: ["kind"], properties: { kind: { enum: ["A"] }, a: { type: "string" } } },
        B: { type: "object", properties: { kind: { const: "B" } } },
        Other: { type: "object", properties: { kind: { type: "string", not: { enum: ["A", "B"] } } } },
      },
      properties: {
        node: { oneOf: [{ $ref: "#/$defs/A" }, { $ref: "#/$defs/B" }, { $ref: "#/$defs/Other" }] },
        when: { oneOf: [{ type: "string", enum: ["day"] }, { type: "null" }] },
        mixed: { oneOf: [{ type: "string" }, { type: "string", enum: ["x"] }] },
      },
    };
    const prepared = prepareSchema(schema) as { properties: Record<string, Record<string, unknown>> };
    expect(prepared.properties.node).toMatchObject({
      type: "object",
      required: ["kind"],
      properties: { kind: { type: "string" } },
    });
    expect(prepared.properties.node?.allOf).toHaveLength(3);
    expect(prepared.properties.when).toMatchObject({ type: ["string", "null"] });
    // Branches that overlap are left as they are.
    expect(prepared.properties.mixed).toHaveProperty("oneOf");
  });
});

describe("did you mean", () => {
  it("counts edits, swaps included", () => {
    expect(editDistance("TrendQuery", "TrendsQuery")).toBe(1);
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => editDistance(a, b) === editDistance(b, a)));
  });

  it("suggests within two edits only", () => {
    expect(nearest("EventNode", ["EventsNode", "ActionsNode"])).toBe("EventsNode");
    expect(nearest("weekly", ["day", "week", "month"])).toBe("week");
    expect(nearest("Funnels", ["TrendsQuery"])).toBeUndefined();
    expect(nearest("week", ["week"])).toBeUndefined();
  });
});
