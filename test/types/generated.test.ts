// Type tests of the generated schema. `tsc --noEmit` (part of `npm test`) checks them;
// each @ts-expect-error fails the typecheck if the line it guards ever compiles.
import { describe, expectTypeOf, it } from "vitest";
import type { components, operations } from "../../generated/schema.js";

type Schemas = components["schemas"];
type Insight = Schemas["Insight"];

describe("generated types", () => {
  it("types the computed fields as PostHog really returns them, not as string", () => {
    expectTypeOf<Insight["result"]>().not.toEqualTypeOf<string>();
    // Text is a result only for a Hog program (HogQueryResult); every other kind has a shape.
    expectTypeOf<Extract<Schemas["HogQueryResult"], string>>().toEqualTypeOf<string>();
    expectTypeOf<string>().not.toMatchTypeOf<Schemas["TrendsResult"] | Schemas["QueryRowsResult"] | null>();
    expectTypeOf<Insight["hasMore"]>().toEqualTypeOf<boolean | null>();
    expectTypeOf<Insight["is_cached"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Insight["query_status"]>().toEqualTypeOf<Schemas["QueryStatus"] | null>();
    expectTypeOf<Insight["last_refresh"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Insight["created_by"]>().toEqualTypeOf<Schemas["UserBasic"] | null>();
  });

  it("types refresh as the union of PostHog's modes and its legacy booleans", () => {
    type Refresh = NonNullable<NonNullable<operations["retrieveInsight"]["parameters"]["query"]>["refresh"]>;
    // PostHog's own tests still send `refresh=true` (force_blocking) and `refresh=false` (force_cache).
    expectTypeOf<Refresh>().toEqualTypeOf<
      | "force_cache"
      | "blocking"
      | "async"
      | "lazy_async"
      | "force_blocking"
      | "force_async"
      | "async_except_on_cache_miss"
      | "true"
      | "false"
    >();
    // @ts-expect-error not a mode
    const bad: Refresh = "sometimes";
    void bad;
  });

  it("narrows query on kind", () => {
    const q = {} as Schemas["InsightQuery"];
    if (q.kind === "InsightVizNode") {
      expectTypeOf(q.source.kind).toEqualTypeOf<
        | "TrendsQuery"
        | "FunnelsQuery"
        | "RetentionQuery"
        | "PathsQuery"
        | "StickinessQuery"
        | "LifecycleQuery"
        | "CalendarHeatmapQuery"
        | "WebOverviewQuery"
        | "WebStatsTableQuery"
        | Schemas["UnknownQueryNode"]["kind"]
      >();
      if (q.source.kind === "RetentionQuery") {
        expectTypeOf(q.source.retentionFilter).toEqualTypeOf<Schemas["RetentionFilter"]>();
      }
    } else if (q.kind === "DataVisualizationNode") {
      expectTypeOf(q.source.query).toEqualTypeOf<string>();
    }
  });

  it("gives a hand-written trends insight completion and compile errors on misspelt enums", () => {
    const ok: Schemas["InsightWrite"] = {
      name: "Pageviews",
      query: {
        kind: "InsightVizNode",
        source: {
          kind: "TrendsQuery",
          series: [
            {
              kind: "EventsNode",
              event: "$pageview",
              math: "dau",
              properties: [{ type: "person", key: "email", operator: "icontains", value: "@example.com" }],
            },
          ],
          interval: "week",
          breakdownFilter: { breakdown_type: "event", breakdown: "$browser" },
          trendsFilter: { display: "ActionsBar" },
        },
      },
    };
    void ok;
    const misspelt: Schemas["TrendsQuery"] = {
      kind: "TrendsQuery",
      // @ts-expect-error "dau" misspelt
      series: [{ kind: "EventsNode", event: "$pageview", math: "daus" }],
    };
    void misspelt;
    // @ts-expect-error "weekly" is not an interval
    const interval: Schemas["IntervalType"] = "weekly";
    void interval;
    // @ts-expect-error unknown query kind
    const kind: Schemas["InsightQuery"]["kind"] = "TrendsNode";
    void kind;
  });

  it("keeps read-only fields out of request bodies", () => {
    type Body = Schemas["InsightWrite"];
    expectTypeOf<Body>().not.toHaveProperty("id");
    expectTypeOf<Body>().not.toHaveProperty("short_id");
    expectTypeOf<Body>().not.toHaveProperty("result");
    expectTypeOf<Body>().not.toHaveProperty("created_by");
    // @ts-expect-error short_id is read-only
    const body: Body = { name: "x", short_id: "AaVQ8Ijw" };
    void body;
    // @ts-expect-error read-only fields are readonly on the response type too
    (({}) as Insight).id = 3;
  });
});
