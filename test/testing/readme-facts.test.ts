// README's "What the fake does, and what it does not", as tested facts: every PostHog test the
// section cites is ported (test/testing/posthog-*.test.ts), and each "does not" is checked here.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createFakePostHog } from "../../src/testing/index.js";
import { posthogClient } from "./posthog-api.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(`${root}README.md`, "utf8");
const section = readme.slice(readme.indexOf("### What the fake does, and what it does not"));
const facts = section.slice(0, section.indexOf("\n## "));
const ported = readdirSync(`${root}test/testing`)
  .filter((name) => /^posthog-.*\.test\.ts$/.test(name))
  .map((name) => readFileSync(`${root}test/testing/${name}`, "utf8"))
  .join("\n");

const trends = {
  kind: "InsightVizNode",
  source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview" }] },
};

describe("README: what the fake does", () => {
  const cited = [...facts.matchAll(/`(test_[a-z0-9_]+)`/g)].map((m) => m[1] as string);

  it("cites PostHog tests", () => {
    expect(cited.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cited)("%s is ported", (name) => {
    // Named after `::`, or in the table of an `it.each` whose title is `...::%s`.
    expect(ported).toMatch(new RegExp(`(::|")${name}\\b`));
  });
});

describe("README: what the fake does not do", () => {
  it("invents deterministic numbers: the same query always gives the same result", async () => {
    const results = [];
    for (let i = 0; i < 2; i++) {
      const posthog = createFakePostHog().client();
      const insight = await posthog.insights.create({ name: `Run ${i}`, query: trends as never });
      results.push((await posthog.insights.retrieve(insight.id, { refresh: "blocking" })).result);
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).not.toBeNull();
  });

  it("has one user: it creates every insight and is the one viewer trending counts", async () => {
    const posthog = createFakePostHog().client();
    const a = await posthog.insights.create({ name: "A" });
    const b = await posthog.insights.create({ name: "B" });
    expect(a.created_by).toEqual(b.created_by);
    const trending = await posthog.insights.trending();
    expect(trending.map((i) => [i.view_count, i.viewers])).toEqual([
      [1, [a.created_by]],
      [1, [a.created_by]],
    ]);
  });

  it("never parses SQL: a nonsense query calculates, and variables stay as sent", async () => {
    const posthog = createFakePostHog().client();
    const variables = { v1: { code_name: "org", variableId: "v1" } };
    const insight = await posthog.insights.create({
      query: {
        kind: "DataVisualizationNode",
        source: { kind: "HogQLQuery", query: "select nonsense frm nowhere", variables },
      },
    });
    const computed = await posthog.insights.retrieve(insight.id, { refresh: "blocking" });
    expect(computed.query_status).toBeNull();
    expect(computed.result).not.toBeNull();
    expect((computed.query as { source: { variables: unknown } }).source.variables).toEqual(variables);
  });

  it("serves no pages and no legacy calculation endpoints: 404", async () => {
    const fake = createFakePostHog();
    const client = posthogClient(fake);
    await client.post("/insights/", { name: "A", query: trends });
    const { access_token } = (await client.patch("/insights/1/sharing/", { enabled: true })).json;
    expect((await fake.fetch(`${fake.origin}/shared/${access_token}`)).status).toBe(404);
    expect((await client.get("/insights/trend/", { events: '[{"id":"$pageview"}]' })).status).toBe(404);
    expect((await client.get("/insights/funnel/")).status).toBe(404);
  });

  it("has no feature flags or paid features: tags are kept and legacy filters accepted", async () => {
    const client = posthogClient(createFakePostHog());
    const created = await client.post("/insights/", { filters: { events: [{ id: "$pageview" }] }, tags: ["growth"] });
    expect(created.status).toBe(201);
    expect(created.json.tags).toEqual(["growth"]);
  });
});
