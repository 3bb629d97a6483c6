// No drift for dashboards, tiles, actions, cohorts and group types: a scripted tour of every
// operation through the fake, errors included, with every answer validated against the spec.
import { describe, expect, it } from "vitest";
import { type Step, tour } from "../support/fake-tour.js";

const trends = {
  kind: "InsightVizNode",
  source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview" }] },
};
const paying = {
  properties: {
    type: "OR",
    values: [{ type: "AND", values: [{ type: "person", key: "plan", operator: "exact", value: ["pro"] }] }],
  },
};
const cohortOf = (id: number) => ({ properties: { type: "AND", values: [{ type: "cohort", key: "id", value: id }] } });

describe("the fake's dashboards, actions, cohorts and group types against the spec", () => {
  it("answers every operation as the spec declares, errors included", async () => {
    const steps: Step[] = [
      ["POST", "/dashboards/", { name: "Growth", pinned: true, tags: ["kpi"], filters: { date_from: "-30d" } }],
      ["POST", "/dashboards/", { name: "Retention", tiles: [{ text: { body: "ignored" } }] }],
      ["POST", "/dashboards/", { name: "x".repeat(401) }],
      ["POST", "/dashboards/", { name: "Copy", use_dashboard: 99 }],
      ["POST", "/insights/", { name: "Signups", query: trends, dashboards: [1, 2] }],
      ["POST", "/insights/", { name: "Nowhere", dashboards: [99] }],
      [
        "POST",
        "/dashboards/1/create_text_tile/",
        { body: "## Activation", layouts: { sm: { x: 0, y: 5, w: 12, h: 1 } } },
      ],
      ["POST", "/dashboards/1/create_text_tile/", { body: "a".repeat(4001) }],
      ["GET", "/dashboards/?search=gro&tags=kpi&limit=1"],
      ["GET", "/dashboards/1/"],
      ["GET", "/dashboards/1/?filters_override=%7B%22date_from%22%3A%22-7d%22%7D"],
      [
        "PATCH",
        "/dashboards/1/",
        {
          tiles: [
            { id: 1, layouts: { sm: { x: 0, y: 0, w: 12, h: 5 } }, color: "blue" },
            { id: 999, color: "red" },
          ],
        },
      ],
      ["PATCH", "/dashboards/1/", { tiles: [{ text: { body: "a".repeat(4001) } }] }],
      ["POST", "/dashboards/1/update_text_tile/", { tile_id: 3, body: "## Weekly" }],
      ["POST", "/dashboards/1/update_text_tile/", { tile_id: 1, body: "not text" }],
      ["POST", "/dashboards/1/delete_tile/", { tile_id: 3 }],
      ["POST", "/dashboards/1/delete_tile/", { tile_id: 3 }],
      ["POST", "/dashboards/1/delete_tile/", {}],
      ["GET", "/insights/1/?include_dashboards=true&from_dashboard=1"],
      ["PATCH", "/insights/1/", { dashboards: [1] }],
      ["GET", "/insights/?basic=true&dashboards=%5B1%5D"],
      ["DELETE", "/dashboards/1/"],
      ["PATCH", "/dashboards/2/", { deleted: true }],
      ["GET", "/dashboards/2/"],
      ["PATCH", "/dashboards/2/", { name: "Still deleted" }],
      ["PATCH", "/dashboards/2/", { deleted: false }],
      ["POST", "/dashboards/", { name: "Copy", use_dashboard: 1, duplicate_tiles: true }],
      [
        "POST",
        "/actions/",
        { name: "Signed up", steps: [{ event: "$autocapture", selector: "div > button", url: "/signup" }] },
      ],
      ["POST", "/actions/", { name: "Signed up" }],
      ["POST", "/actions/", { name: "   " }],
      [
        "POST",
        "/insights/",
        {
          name: "Uses it",
          query: { ...trends, source: { kind: "TrendsQuery", series: [{ kind: "ActionsNode", id: 1 }] } },
        },
      ],
      ["GET", "/actions/?include_reference_count=1"],
      ["GET", "/actions/1/"],
      ["PATCH", "/actions/1/", { pinned_at: "2021-01-01T00:00:00Z", tags: ["growth"] }],
      ["PATCH", "/actions/1/", { steps: [{ url_matching: "sometimes" }] }],
      ["PATCH", "/actions/1/", { deleted: true }],
      ["GET", "/actions/1/"],
      ["DELETE", "/actions/1/"],
      ["GET", "/actions/999/"],
      ["POST", "/cohorts/", { name: "Paying", filters: paying }],
      ["POST", "/cohorts/", { name: "Beta", is_static: true }],
      ["POST", "/cohorts/", { name: "Nested", filters: cohortOf(1) }],
      ["PATCH", "/cohorts/1/", { filters: cohortOf(3) }],
      ["POST", "/cohorts/", { name: "Broken", filters: { type: "OR" } }],
      ["POST", "/cohorts/", { name: "Unknown", filters: cohortOf(99) }],
      ["GET", "/cohorts/?type=dynamic&limit=1"],
      ["GET", "/cohorts/1/"],
      ["PATCH", "/cohorts/2/", { deleted: true }],
      ["GET", "/cohorts/2/"],
      ["DELETE", "/cohorts/1/"],
      ["GET", "/groups_types/"],
      ["GET", "/dashboards/", undefined, null],
      ["GET", "/cohorts/", undefined, "phx_wrong"],
    ];
    const statuses = await tour(steps, { groupTypes: ["company", { group_type: "project", name_plural: "Projects" }] });
    expect(statuses).toEqual([
      "POST /dashboards/ 201",
      "POST /dashboards/ 201",
      "POST /dashboards/ 400",
      "POST /dashboards/ 400",
      "POST /insights/ 201",
      "POST /insights/ 400",
      "POST /dashboards/1/create_text_tile/ 201",
      "POST /dashboards/1/create_text_tile/ 400",
      "GET /dashboards/?search=gro&tags=kpi&limit=1 200",
      "GET /dashboards/1/ 200",
      "GET /dashboards/1/?filters_override=%7B%22date_from%22%3A%22-7d%22%7D 200",
      "PATCH /dashboards/1/ 200",
      "PATCH /dashboards/1/ 400",
      "POST /dashboards/1/update_text_tile/ 200",
      "POST /dashboards/1/update_text_tile/ 400",
      "POST /dashboards/1/delete_tile/ 204",
      "POST /dashboards/1/delete_tile/ 404",
      "POST /dashboards/1/delete_tile/ 400",
      "GET /insights/1/?include_dashboards=true&from_dashboard=1 200",
      "PATCH /insights/1/ 200",
      "GET /insights/?basic=true&dashboards=%5B1%5D 200",
      "DELETE /dashboards/1/ 405",
      "PATCH /dashboards/2/ 200",
      "GET /dashboards/2/ 404",
      "PATCH /dashboards/2/ 404",
      "PATCH /dashboards/2/ 200",
      "POST /dashboards/ 201",
      "POST /actions/ 201",
      "POST /actions/ 400",
      "POST /actions/ 400",
      "POST /insights/ 201",
      "GET /actions/?include_reference_count=1 200",
      "GET /actions/1/ 200",
      "PATCH /actions/1/ 200",
      "PATCH /actions/1/ 400",
      "PATCH /actions/1/ 200",
      "GET /actions/1/ 200",
      "DELETE /actions/1/ 405",
      "GET /actions/999/ 404",
      "POST /cohorts/ 201",
      "POST /cohorts/ 201",
      "POST /cohorts/ 201",
      "PATCH /cohorts/1/ 400",
      "POST /cohorts/ 400",
      "POST /cohorts/ 400",
      "GET /cohorts/?type=dynamic&limit=1 200",
      "GET /cohorts/1/ 200",
      "PATCH /cohorts/2/ 200",
      "GET /cohorts/2/ 200",
      "DELETE /cohorts/1/ 405",
      "GET /groups_types/ 200",
      "GET /dashboards/ 403",
      "GET /cohorts/ 403",
    ]);
    // Compiling the spec's schemas takes a while on a loaded machine.
  }, 120_000);

  it("answers scope refusals, the default throttle class (shared with sharing) and the dashboards opt-in as the spec declares", async () => {
    const refused = await tour(
      [
        ["GET", "/dashboards/"],
        ["POST", "/actions/", { name: "A" }],
        ["GET", "/groups_types/"],
      ],
      { scopes: ["insight:read", "action:read"] },
    );
    expect(refused).toEqual(["GET /dashboards/ 403", "POST /actions/ 403", "GET /groups_types/ 403"]);
    const throttled = await tour(
      [
        ["GET", "/cohorts/"],
        ["GET", "/actions/"],
        ["GET", "/insights/"],
      ],
      { rateLimit: { default: [{ requests: 1, windowMs: 60_000 }] } },
    );
    expect(throttled).toEqual(["GET /cohorts/ 200", "GET /actions/ 429", "GET /insights/ 200"]);
    // Sharing routes and the default class share PostHog's default throttle (one scope, one key).
    const two = [{ requests: 2, windowMs: 60_000 }];
    const shared = await tour(
      [
        ["POST", "/insights/", { name: "I" }],
        ["GET", "/insights/1/sharing/"],
        ["GET", "/cohorts/"],
        ["GET", "/insights/1/sharing/"],
        ["GET", "/dashboards/"],
      ],
      { rateLimit: { sharing: two, default: two } },
    );
    expect(shared).toEqual([
      "POST /insights/ 201",
      "GET /insights/1/sharing/ 200",
      "GET /cohorts/ 200",
      "GET /insights/1/sharing/ 429",
      "GET /dashboards/ 429",
    ]);
    await tour(
      [
        ["POST", "/dashboards/", { name: "D" }],
        ["POST", "/insights/", { name: "I", dashboards: [1] }],
        ["GET", "/insights/1/"],
        ["GET", "/insights/?basic=true"],
      ],
      { enforceDashboardsOptIn: true },
    );
  });
});
