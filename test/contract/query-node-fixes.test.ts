// The query-node shapes the spec used to refuse although PostHog writes them (openapi/QUERY-NODES.md,
// "Fixed here"): each must validate now, and the stricter half of each fix must still refuse.
import { describe, expect, it } from "vitest";
import { specValidator } from "../support/spec-validator.js";

const spec = specValidator();

// PostHog/posthog frontend/src/scenes/web-analytics/tabs/marketing-analytics/frontend/logic/utils.test.ts
// @ 2506df87718170757426e5b47fabcdd32c06d555 ("should filter order by columns that exist in the columns list")
const marketingTable = {
  kind: "MarketingAnalyticsTableQuery",
  properties: [],
  select: ["campaign", "source"],
  orderBy: [
    ["campaign", "ASC"],
    ["source", "DESC"],
    ["non_existent_column", "ASC"],
  ],
};

describe("query-node fixes", () => {
  it("accepts MarketingAnalyticsTableQuery.orderBy as [column, ASC|DESC] pairs", () => {
    expect(spec.schemaErrors("MarketingAnalyticsTableQuery", marketingTable)).toEqual([]);
  });

  it("refuses a MarketingAnalyticsTableQuery.orderBy of plain columns or a bad direction", () => {
    expect(spec.schemaErrors("MarketingAnalyticsTableQuery", { ...marketingTable, orderBy: ["campaign"] })).not.toEqual(
      [],
    );
    expect(
      spec.schemaErrors("MarketingAnalyticsTableQuery", { ...marketingTable, orderBy: [["campaign", "UP"]] }),
    ).not.toEqual([]);
    expect(
      spec.schemaErrors("MarketingAnalyticsTableQuery", { ...marketingTable, orderBy: [["campaign", "ASC", "x"]] }),
    ).not.toEqual([]);
  });

  it("keeps the web-analytics orderBy of WebStatsTableQuery and WebOverviewQuery", () => {
    const orderBy = ["Visitors", "DESC"];
    expect(
      spec.schemaErrors("WebStatsTableQuery", { kind: "WebStatsTableQuery", breakdownBy: "Page", orderBy }),
    ).toEqual([]);
    expect(spec.schemaErrors("WebOverviewQuery", { kind: "WebOverviewQuery", orderBy })).toEqual([]);
  });

  it("accepts PostHog's empty property filter, which has no key", () => {
    expect(spec.schemaErrors("AnyPropertyFilter", { type: "empty" })).toEqual([]);
    expect(spec.schemaErrors("AnyPropertyFilter", { type: "event" })).not.toEqual([]);
  });

  it("accepts a group property filter without group_type_index", () => {
    const filter = { type: "group", key: "industry", operator: "exact", value: ["tech"] };
    expect(spec.schemaErrors("AnyPropertyFilter", filter)).toEqual([]);
    expect(spec.schemaErrors("AnyPropertyFilter", { ...filter, group_type_index: null })).toEqual([]);
  });

  it("accepts a cohort filter with any property operator", () => {
    expect(spec.schemaErrors("AnyPropertyFilter", { type: "cohort", key: "id", value: 3, operator: "exact" })).toEqual(
      [],
    );
    expect(
      spec.schemaErrors("AnyPropertyFilter", { type: "cohort", key: "id", value: 3, operator: "sideways" }),
    ).not.toEqual([]);
  });
});
