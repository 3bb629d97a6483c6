// Real insight queries from PostHog's public sources (test/corpus/*.json, each with its source)
// and real insight responses (test/corpus/responses/): every one must validate against the
// bundled spec, also in the model_dump() form PostHog's exports write (every optional field of
// every node and filter set to null, `response: null` included), and the type test generated from
// them must be in sync with the corpus.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations; its exports are checked here.
import { corpusEntries, generatedPath, renderCorpusTypes } from "../../scripts/corpus-types.mjs";
// @ts-expect-error: a plain .mjs script without type declarations.
import { createModelDump } from "../../scripts/model-dump.mjs";
import { specValidator } from "../support/spec-validator.js";

interface Entry {
  file: string;
  index: number;
  name: string;
  source: string;
  query: unknown;
}

const spec = specValidator();
const modelDump = (createModelDump as () => (query: unknown) => unknown)();
const entries = (corpusEntries as () => Entry[])();
const responsesDir = fileURLToPath(new URL("./responses/", import.meta.url));
const responses = readdirSync(responsesDir)
  .filter((name) => name.endsWith(".json"))
  .map((name) => ({ name, ...(JSON.parse(readFileSync(`${responsesDir}${name}`, "utf8")) as { body: unknown }) }));

describe("query corpus", () => {
  it("holds at least 60 queries from at least three sources, each with its source", () => {
    expect(entries.length).toBeGreaterThanOrEqual(60);
    expect(new Set(entries.map((e) => e.file)).size).toBeGreaterThanOrEqual(3);
    expect(entries.filter((e) => !/^PostHog\/posthog \S+ @ [0-9a-f]{40}/.test(e.source))).toEqual([]);
  });

  it.each(entries.map((e) => [`${e.file} #${e.index} ${e.name}`, e] as const))(
    "%s validates as an InsightQuery",
    (_, e) => {
      expect(spec.schemaErrors("InsightQuery", e.query)).toEqual([]);
    },
  );

  it.each(entries.map((e) => [`${e.file} #${e.index} ${e.name}`, e] as const))("%s is a valid create body", (_, e) => {
    expect(spec.requestErrors("createInsight", { name: e.name, query: e.query })).toEqual([]);
  });

  it.each(entries.map((e) => [`${e.file} #${e.index} ${e.name}`, e] as const))(
    "%s validates as its model_dump() export",
    (_, e) => {
      const dumped = modelDump(e.query);
      expect(JSON.stringify(dumped)).toContain('"response":null');
      expect(spec.schemaErrors("InsightQuery", dumped)).toEqual([]);
      expect(spec.requestErrors("createInsight", { name: e.name, query: dumped })).toEqual([]);
    },
  );

  it("has its type test in sync (node scripts/corpus-types.mjs regenerates it)", () => {
    expect(readFileSync(generatedPath as string, "utf8")).toBe((renderCorpusTypes as () => string)());
  });
});

describe("insight response corpus", () => {
  it.each(responses.map((r) => [r.name, r] as const))("%s is a valid retrieve answer", (_, r) => {
    const answer = { method: "GET", path: "/api/projects/1/insights/1/", status: 200, contentType: "application/json" };
    expect(spec.answerErrors({ ...answer, body: r.body })).toEqual([]);
  });

  it.each(responses.map((r) => [r.name, r] as const))("%s sends its query back as a valid update", (_, r) => {
    const { query } = r.body as { query: unknown };
    expect(spec.requestErrors("updateInsight", { query })).toEqual([]);
  });
});
