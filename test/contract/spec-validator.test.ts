// The spec validator the corpus, fixture and fake tests rely on: it must accept the spec's own
// examples and refuse what the spec does not declare, or those tests would prove nothing.
import { describe, expect, it } from "vitest";
import { example } from "../support/fixtures.js";
import { specValidator } from "../support/spec-validator.js";

const spec = specValidator();

describe("spec validator", () => {
  it("accepts a full insight example as an Insight", () => {
    expect(spec.schemaErrors("Insight", example("insight-trends-computed"))).toEqual([]);
  });

  it("refuses an Insight with a field of the wrong type", () => {
    const insight = { ...example("insight-trends-computed"), is_cached: "string" };
    expect(spec.schemaErrors("Insight", insight)).not.toEqual([]);
  });

  it("refuses a trends result written as the seed's string (only a Hog program's result may be text)", () => {
    expect(spec.schemaErrors("TrendsResult", "string")).not.toEqual([]);
    expect(spec.schemaErrors("HogQueryResult", "string")).toEqual([]);
  });

  it("accepts a 200 retrieve answer and names its operation", () => {
    const answer = {
      method: "GET",
      path: "/api/projects/1/insights/7/?refresh=blocking",
      status: 200,
      contentType: "application/json",
      body: example("insight-trends-computed"),
    };
    expect(spec.answerErrors(answer)).toEqual([]);
    expect(spec.operationOf("GET", answer.path)?.operationId).toBe("retrieveInsight");
  });

  it("prefers a literal route to a templated one that also matches", () => {
    expect(spec.operationOf("GET", "/api/projects/1/insights/activity/")?.operationId).toBe("listInsightsActivity");
    expect(spec.operationOf("POST", "/api/projects/1/insights/viewed/")?.operationId).toBe("markInsightsViewed");
    expect(spec.operationOf("POST", "/api/projects/1/insights/7/viewed/")?.operationId).toBe("markInsightViewed");
  });

  it("refuses an undeclared status", () => {
    const errors = spec.answerErrors({ method: "GET", path: "/api/projects/1/insights/7/", status: 418, body: {} });
    expect(errors.join()).toMatch(/status not declared/);
  });

  it("refuses a body where the spec declares none (DELETE answers 405 with no body)", () => {
    const answer = {
      method: "DELETE",
      path: "/api/projects/1/insights/7/",
      status: 405,
      contentType: "application/json",
    };
    expect(spec.answerErrors(answer)).toEqual([]);
    expect(spec.answerErrors({ ...answer, body: { detail: "x" } })).not.toEqual([]);
  });

  it("checks error bodies through shared responses", () => {
    const body = { type: "invalid_request", code: "not_found", detail: "Not found.", attr: null };
    const answer = { method: "GET", path: "/api/projects/1/insights/7/", status: 404, contentType: "application/json" };
    expect(spec.answerErrors({ ...answer, body })).toEqual([]);
    expect(spec.answerErrors({ ...answer, body: { ...body, attr: 3 } })).not.toEqual([]);
  });

  it("checks request bodies by operation", () => {
    expect(spec.requestErrors("createInsight", { name: "x" })).toEqual([]);
    expect(spec.requestErrors("createInsight", { name: 3 })).not.toEqual([]);
    const fortnightly = { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [], interval: "fortnight" } };
    expect(spec.requestErrors("createInsight", { query: fortnightly })).not.toEqual([]);
  });
});
