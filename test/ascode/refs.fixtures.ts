// Documents holding project-local references, one or more per location of src/ascode/ref-locations.ts,
// each from PostHog's own tests, fixtures or schema (cited), with the references PostHog finds in
// it and, where PostHog's test states it, the document after PostHog rewrites one id. Data only.
import type { Json } from "../../src/ascode/canonical.js";
import type { RefContainer } from "../../src/ascode/refs.js";

/** A reference expected in a fixture: location id, value, readable path from the container root. */
export type Expected = [location: string, value: string | number, path: string];

export interface RefFixture {
  name: string;
  /** Repository, path, commit (and the case name inside the file). */
  source: string;
  container: RefContainer;
  document: Json;
  refs: Expected[];
  /** PostHog's own expectation after replacing one id by another (`old_pk -> new_pk`). */
  rewrite?: { from: number; to: number; expected: Json };
}

const VISITORS =
  "PostHog/posthog posthog/models/resource_transfer/test/test_visitors.py @ 3ed4934cbbd3daa3e4e3351b1f2f061f6819bcac";
const FILTER_TO_QUERY =
  "PostHog/posthog posthog/hogql_queries/legacy_compatibility/test/test_filter_to_query.py @ 5cfd3f27275adda9ec369633a8cdc8d8148e3b27";
const SCHEMA =
  "PostHog/posthog frontend/src/queries/schema/schema-general.ts @ 0011b583fc88b9543820216ac27a70d82ea96b68";
const DEMO =
  "PostHog/posthog posthog/demo/products/hedgebox/matrix.py @ b1648757bd4fd59c6029d0bd9caa7589696983ef (via test/corpus/demo.json)";
const EXAMPLES =
  "PostHog/posthog frontend/src/queries/examples.ts @ d781993cdf19d401ab3c4cdcd3004edfa9ac231f (via test/corpus/examples.json)";
const COHORT_MODEL = "PostHog/posthog posthog/models/cohort/cohort.py @ cd49df6cbcaf18f57ec0dc09ed117f306735696f";
const COHORT_API = "PostHog/posthog posthog/api/cohort.py @ 18f8a88b63ae9d5f42dcc60921b0f60f8299bf41";
const ACTION_MODEL = "PostHog/posthog posthog/models/action/action.py @ a6e3cd83a8e653036341a236edd2cbfe268470e5";
const DASHBOARD_FILTERS =
  "PostHog/posthog products/dashboards/backend/api/test/test_dashboard_filters_validation.py @ 550f4b2634ec5334d3dd8b948cfb79876dc3a469";
const VARIABLES = "PostHog/posthog posthog/api/insight_variable.py map_stale_to_latest (index id 55948460205)";
const FLAG_FILTER = "PostHog/posthog posthog/schema.py FlagPropertyFilter (index id 841772341)";

const cohortFilter = (value: number): Json => ({ key: "id", value, type: "cohort" });
const orAnd = (values: Json[]): Json => ({ properties: { type: "OR", values: [{ type: "AND", values }] } });

export const FIXTURES: RefFixture[] = [
  // --- PostHog's resource-transfer visitor tests: insight legacy filters -----------------------
  {
    name: "legacy filters: actions list",
    source: `${VISITORS} (filters_actions_list, replaces_matching_action_in_list)`,
    container: "insight_filters",
    document: {
      actions: [
        { id: 1, type: "actions" },
        { id: 2, type: "actions" },
      ],
    },
    refs: [
      ["action.entity", 1, "actions[0].id"],
      ["action.entity", 2, "actions[1].id"],
    ],
    rewrite: {
      from: 1,
      to: 99,
      expected: {
        actions: [
          { id: 99, type: "actions" },
          { id: 2, type: "actions" },
        ],
      },
    },
  },
  {
    name: "legacy filters: funnel exclusions of actions only",
    source: `${VISITORS} (filters_exclusions_action_type, replaces_in_exclusions)`,
    container: "insight_filters",
    document: {
      exclusions: [
        { id: 3, type: "actions" },
        { id: 4, type: "events" },
      ],
    },
    refs: [["action.entity", 3, "exclusions[0].id"]],
    rewrite: {
      from: 3,
      to: 99,
      expected: {
        exclusions: [
          { id: 99, type: "actions" },
          { id: 4, type: "events" },
        ],
      },
    },
  },
  {
    name: "legacy filters: retention entities",
    source: `${VISITORS} (filters_retention_entities, replaces_retention_target_entity)`,
    container: "insight_filters",
    document: { target_entity: { id: 5, type: "actions" }, returning_entity: { id: 6, type: "actions" } },
    refs: [
      ["action.entity", 5, "target_entity.id"],
      ["action.entity", 6, "returning_entity.id"],
    ],
    rewrite: {
      from: 5,
      to: 99,
      expected: { target_entity: { id: 99, type: "actions" }, returning_entity: { id: 6, type: "actions" } },
    },
  },
  {
    name: "legacy filters: an event retention entity is not a reference",
    source: `${VISITORS} (filters_retention_event_entity_ignored)`,
    container: "insight_filters",
    document: { target_entity: { id: 5, type: "events" } },
    refs: [],
  },
  {
    name: "legacy filters: cohort property, flat",
    source: `${VISITORS} (filters_flat_properties, replaces_flat_property)`,
    container: "insight_filters",
    document: { properties: [cohortFilter(100)] },
    refs: [["cohort.property", 100, "properties[0].value"]],
    rewrite: { from: 100, to: 999, expected: { properties: [cohortFilter(999)] } },
  },
  {
    name: "legacy filters: cohort property in a property group",
    source: `${VISITORS} (filters_grouped_properties, replaces_grouped_property)`,
    container: "insight_filters",
    document: { properties: { type: "AND", values: [{ type: "AND", values: [cohortFilter(200)] }] } },
    refs: [["cohort.property", 200, "properties.values[0].values[0].value"]],
    rewrite: {
      from: 200,
      to: 999,
      expected: { properties: { type: "AND", values: [{ type: "AND", values: [cohortFilter(999)] }] } },
    },
  },
  {
    name: "legacy filters: cohort property of an action entity",
    source: `${VISITORS} (filters_entity_properties)`,
    container: "insight_filters",
    document: { actions: [{ id: 1, type: "actions", properties: [cohortFilter(300)] }] },
    refs: [
      ["action.entity", 1, "actions[0].id"],
      ["cohort.property", 300, "actions[0].properties[0].value"],
    ],
  },
  {
    name: "legacy filters: cohort property of an event entity",
    source: `${VISITORS} (replaces_entity_property)`,
    container: "insight_filters",
    document: { events: [{ id: "$pageview", properties: [cohortFilter(100)] }] },
    refs: [["cohort.property", 100, "events[0].properties[0].value"]],
    rewrite: { from: 100, to: 999, expected: { events: [{ id: "$pageview", properties: [cohortFilter(999)] }] } },
  },
  {
    name: "legacy filters: cohort breakdown, a list",
    source: `${VISITORS} (filters_breakdown_cohort_list, replaces_breakdown_list)`,
    container: "insight_filters",
    document: { breakdown_type: "cohort", breakdown: [400, 401] },
    refs: [
      ["cohort.breakdown", 400, "breakdown[0]"],
      ["cohort.breakdown", 401, "breakdown[1]"],
    ],
    rewrite: { from: 400, to: 999, expected: { breakdown_type: "cohort", breakdown: [999, 401] } },
  },
  {
    name: "legacy filters: cohort breakdown, one id",
    source: `${VISITORS} (filters_breakdown_cohort_single, replaces_breakdown_single)`,
    container: "insight_filters",
    document: { breakdown_type: "cohort", breakdown: 500 },
    refs: [["cohort.breakdown", 500, "breakdown"]],
    rewrite: { from: 500, to: 999, expected: { breakdown_type: "cohort", breakdown: 999 } },
  },
  {
    name: "legacy filters: an event breakdown is not a reference",
    source: `${VISITORS} (filters_breakdown_not_cohort_ignored)`,
    container: "insight_filters",
    document: { breakdown_type: "event", breakdown: [1, 2] },
    refs: [],
  },
  {
    name: "legacy filters: cohort property of a retention entity",
    source: `${VISITORS} (filters_retention_entity_properties)`,
    container: "insight_filters",
    document: { target_entity: { id: 1, type: "actions", properties: [cohortFilter(1000)] } },
    refs: [
      ["action.entity", 1, "target_entity.id"],
      ["cohort.property", 1000, "target_entity.properties[0].value"],
    ],
  },
  // --- PostHog's resource-transfer visitor tests: insight queries ------------------------------
  {
    name: "query: ActionsNode in series",
    source: `${VISITORS} (query_series_actions_node, replaces_in_series)`,
    container: "query",
    document: {
      source: {
        series: [
          { kind: "ActionsNode", id: 10 },
          { kind: "EventsNode", event: "$pageview" },
        ],
      },
    },
    refs: [["action.entity", 10, "source.series[0].id"]],
    rewrite: {
      from: 10,
      to: 99,
      expected: {
        source: {
          series: [
            { kind: "ActionsNode", id: 99 },
            { kind: "EventsNode", event: "$pageview" },
          ],
        },
      },
    },
  },
  {
    name: "query: funnel exclusion of an action",
    source: `${VISITORS} (query_funnels_exclusion, replaces_in_funnel_exclusions)`,
    container: "query",
    document: { source: { funnelsFilter: { exclusions: [{ kind: "ActionsNode", id: 20 }] } } },
    refs: [["action.entity", 20, "source.funnelsFilter.exclusions[0].id"]],
    rewrite: {
      from: 20,
      to: 99,
      expected: { source: { funnelsFilter: { exclusions: [{ kind: "ActionsNode", id: 99 }] } } },
    },
  },
  {
    name: "query: retention entities",
    source: `${VISITORS} (query_retention_entities, replaces_retention_entities)`,
    container: "query",
    document: {
      source: {
        retentionFilter: { targetEntity: { id: 30, type: "actions" }, returningEntity: { id: 31, type: "actions" } },
      },
    },
    refs: [
      ["action.entity", 30, "source.retentionFilter.targetEntity.id"],
      ["action.entity", 31, "source.retentionFilter.returningEntity.id"],
    ],
    rewrite: {
      from: 30,
      to: 99,
      expected: {
        source: {
          retentionFilter: { targetEntity: { id: 99, type: "actions" }, returningEntity: { id: 31, type: "actions" } },
        },
      },
    },
  },
  {
    name: "query: conversion goal",
    source: `${VISITORS} (query_conversion_goal, replaces_conversion_goal)`,
    container: "query",
    document: { source: { conversionGoal: { actionId: 40 } } },
    refs: [["action.action-id", 40, "source.conversionGoal.actionId"]],
    rewrite: { from: 40, to: 99, expected: { source: { conversionGoal: { actionId: 99 } } } },
  },
  {
    name: "query: source actionId",
    source: `${VISITORS} (query_source_action_id, replaces_source_action_id)`,
    container: "query",
    document: { source: { actionId: 50 } },
    refs: [["action.action-id", 50, "source.actionId"]],
    rewrite: { from: 50, to: 99, expected: { source: { actionId: 99 } } },
  },
  {
    name: "query: no source, nothing",
    source: `${VISITORS} (no_source_key_is_noop)`,
    container: "query",
    document: { kind: "InsightVizNode" },
    refs: [],
  },
  {
    name: "query: cohort property of the source",
    source: `${VISITORS} (query_source_properties, replaces_source_property)`,
    container: "query",
    document: { source: { properties: [cohortFilter(600)] } },
    refs: [["cohort.property", 600, "source.properties[0].value"]],
    rewrite: { from: 600, to: 999, expected: { source: { properties: [cohortFilter(999)] } } },
  },
  {
    name: "query: cohort property of a series",
    source: `${VISITORS} (query_series_properties, replaces_series_property)`,
    container: "query",
    document: { source: { series: [{ kind: "EventsNode", properties: [cohortFilter(700)] }] } },
    refs: [["cohort.property", 700, "source.series[0].properties[0].value"]],
    rewrite: {
      from: 700,
      to: 999,
      expected: { source: { series: [{ kind: "EventsNode", properties: [cohortFilter(999)] }] } },
    },
  },
  {
    name: "query: cohort in fixedProperties of a series",
    source: `${VISITORS} (query_series_fixed_properties, replaces_series_fixed_properties)`,
    container: "query",
    document: { source: { series: [{ kind: "EventsNode", fixedProperties: [cohortFilter(800)] }] } },
    refs: [["cohort.property", 800, "source.series[0].fixedProperties[0].value"]],
    rewrite: {
      from: 800,
      to: 999,
      expected: { source: { series: [{ kind: "EventsNode", fixedProperties: [cohortFilter(999)] }] } },
    },
  },
  {
    name: "query: cohort breakdown",
    source: `${VISITORS} (query_breakdown_cohort, replaces_breakdown_filter)`,
    container: "query",
    document: { source: { breakdownFilter: { breakdown_type: "cohort", breakdown: [900, 901] } } },
    refs: [
      ["cohort.breakdown", 900, "source.breakdownFilter.breakdown[0]"],
      ["cohort.breakdown", 901, "source.breakdownFilter.breakdown[1]"],
    ],
    rewrite: {
      from: 900,
      to: 999,
      expected: { source: { breakdownFilter: { breakdown_type: "cohort", breakdown: [999, 901] } } },
    },
  },
  {
    name: "query: cohort property of a retention entity",
    source: `${VISITORS} (replaces_retention_entity_property)`,
    container: "query",
    document: {
      source: { retentionFilter: { targetEntity: { id: 1, type: "actions", properties: [cohortFilter(100)] } } },
    },
    refs: [
      ["action.entity", 1, "source.retentionFilter.targetEntity.id"],
      ["cohort.property", 100, "source.retentionFilter.targetEntity.properties[0].value"],
    ],
    rewrite: {
      from: 100,
      to: 999,
      expected: {
        source: { retentionFilter: { targetEntity: { id: 1, type: "actions", properties: [cohortFilter(999)] } } },
      },
    },
  },
  // --- PostHog's resource-transfer visitor tests: cohort filters ---------------------------------
  {
    name: "cohort filters: nested cohort",
    source: `${VISITORS} (simple_cohort_reference, replaces_matching_cohort)`,
    container: "cohort_filters",
    document: orAnd([{ key: "id", type: "cohort", value: 8814, negation: false }]),
    refs: [["cohort.property", 8814, "properties.values[0].values[0].value"]],
    rewrite: { from: 8814, to: 999, expected: orAnd([{ key: "id", type: "cohort", value: 999, negation: false }]) },
  },
  {
    name: "cohort filters: two nested cohorts, one rewritten",
    source: `${VISITORS} (multiple_cohort_references, replaces_only_matching_among_multiple)`,
    container: "cohort_filters",
    document: orAnd([
      { key: "id", type: "cohort", value: 100 },
      { key: "id", type: "cohort", value: 200 },
    ]),
    refs: [
      ["cohort.property", 100, "properties.values[0].values[0].value"],
      ["cohort.property", 200, "properties.values[0].values[1].value"],
    ],
    rewrite: {
      from: 100,
      to: 999,
      expected: orAnd([
        { key: "id", type: "cohort", value: 999 },
        { key: "id", type: "cohort", value: 200 },
      ]),
    },
  },
  {
    name: "cohort filters: person property only",
    source: `${VISITORS} (no_cohort_references, person_property_ignored)`,
    container: "cohort_filters",
    document: orAnd([{ key: "email", type: "person", value: "test@example.com" }]),
    refs: [],
  },
  {
    name: "cohort filters: behavioral filter on an action",
    source: `${VISITORS} (behavioral_action_reference, replaces_matching_behavioral_action_key)`,
    container: "cohort_filters",
    document: orAnd([
      {
        key: 42,
        type: "behavioral",
        value: "performed_event",
        event_type: "actions",
        time_value: 30,
        time_interval: "day",
      },
    ]),
    refs: [["action.behavioral", 42, "properties.values[0].values[0].key"]],
    rewrite: {
      from: 42,
      to: 999,
      expected: orAnd([
        {
          key: 999,
          type: "behavioral",
          value: "performed_event",
          event_type: "actions",
          time_value: 30,
          time_interval: "day",
        },
      ]),
    },
  },
  {
    name: "cohort filters: behavioral filter on an event is not a reference",
    source: `${VISITORS} (behavioral_event_reference_ignored, ignores_event_type_events)`,
    container: "cohort_filters",
    document: orAnd([{ key: "$pageview", type: "behavioral", value: "performed_event", event_type: "events" }]),
    refs: [],
  },
  {
    name: "cohort filters: event sequence ending on an action",
    source: `${VISITORS} (seq_event_action_reference, replaces_seq_event_action)`,
    container: "cohort_filters",
    document: orAnd([
      {
        key: "$pageview",
        type: "behavioral",
        value: "performed_event_sequence",
        event_type: "events",
        seq_event: 99,
        seq_event_type: "actions",
      },
    ]),
    refs: [["action.sequence", 99, "properties.values[0].values[0].seq_event"]],
    rewrite: {
      from: 99,
      to: 999,
      expected: orAnd([
        {
          key: "$pageview",
          type: "behavioral",
          value: "performed_event_sequence",
          event_type: "events",
          seq_event: 999,
          seq_event_type: "actions",
        },
      ]),
    },
  },
  {
    name: "cohort filters: sequence of two actions",
    source: `${VISITORS} (both_key_and_seq_event_are_actions, replaces_both_key_and_seq_event)`,
    container: "cohort_filters",
    document: orAnd([
      {
        key: 42,
        type: "behavioral",
        value: "performed_event_sequence",
        event_type: "actions",
        seq_event: 42,
        seq_event_type: "actions",
      },
    ]),
    refs: [
      ["action.behavioral", 42, "properties.values[0].values[0].key"],
      ["action.sequence", 42, "properties.values[0].values[0].seq_event"],
    ],
    rewrite: {
      from: 42,
      to: 999,
      expected: orAnd([
        {
          key: 999,
          type: "behavioral",
          value: "performed_event_sequence",
          event_type: "actions",
          seq_event: 999,
          seq_event_type: "actions",
        },
      ]),
    },
  },
  {
    name: "cohort filters: actions in two groups",
    source: `${VISITORS} (multiple_actions_across_groups)`,
    container: "cohort_filters",
    document: {
      properties: {
        type: "OR",
        values: [
          { type: "AND", values: [{ key: 1, type: "behavioral", value: "performed_event", event_type: "actions" }] },
          { type: "AND", values: [{ key: 2, type: "behavioral", value: "performed_event", event_type: "actions" }] },
        ],
      },
    },
    refs: [
      ["action.behavioral", 1, "properties.values[0].values[0].key"],
      ["action.behavioral", 2, "properties.values[1].values[0].key"],
    ],
  },
  // --- Legacy filters as PostHog's filter_to_query tests hold them ------------------------------
  {
    name: "legacy filters: untyped actions",
    source: `${FILTER_TO_QUERY} (test_series_custom)`,
    container: "insight_filters",
    document: { events: [{ id: "$pageview" }], actions: [{ id: 1 }, { id: 1, math: "dau" }] },
    refs: [
      ["action.legacy-list", 1, "actions[0].id"],
      ["action.legacy-list", 1, "actions[1].id"],
    ],
  },
  {
    name: "legacy filters: funnel with an action step",
    source: `${FILTER_TO_QUERY} (insight_2)`,
    container: "insight_filters",
    document: {
      events: [
        { id: "signed_up", name: "signed_up", type: "events", order: 2, custom_name: "Signed up" },
        { id: "upgraded_plan", name: "upgraded_plan", type: "events", order: 4, custom_name: "Upgraded plan" },
      ],
      actions: [{ id: 1, name: "Interacted with file", type: "actions", order: 3 }],
      insight: "FUNNELS",
    },
    refs: [["action.entity", 1, "actions[0].id"]],
  },
  {
    name: "legacy filters: unique groups",
    source: `${FILTER_TO_QUERY} (insight_7)`,
    container: "insight_filters",
    document: {
      events: [{ id: "paid_bill", math: "unique_group", type: "events", order: 0, math_group_type_index: 0 }],
      actions: [],
      insight: "TRENDS",
    },
    refs: [["group_type_index.math_group_type_index", 0, "events[0].math_group_type_index"]],
  },
  {
    name: "legacy filters: group and cohort properties",
    source: `${FILTER_TO_QUERY} (properties_9)`,
    container: "insight_filters",
    document: {
      properties: {
        type: "AND",
        values: [
          {
            type: "AND",
            values: [
              { key: "$browser", value: ["Chrome"], operator: "exact", type: "event" },
              {
                key: "site_url",
                value: ["http://localhost:8000"],
                operator: "exact",
                type: "group",
                group_type_index: 1,
              },
              { key: "id", value: 2, type: "cohort" },
              { type: "hogql", key: "properties.name", value: null },
            ],
          },
          { type: "OR", values: [{}] },
        ],
      },
    },
    refs: [
      ["group_type_index.group_type_index", 1, "properties.values[0].values[1].group_type_index"],
      ["cohort.property", 2, "properties.values[0].values[2].value"],
    ],
  },
  // --- Queries from PostHog's demo data and query examples (test/corpus) ------------------------
  {
    name: "query: funnel with an action step",
    source: `${DEMO} (Activation)`,
    container: "query",
    document: {
      kind: "InsightVizNode",
      source: {
        kind: "FunnelsQuery",
        series: [
          { kind: "EventsNode", event: "signed_up", name: "signed_up", custom_name: "Signed up" },
          { kind: "ActionsNode", id: 1, name: "Interacted with file" },
          { kind: "EventsNode", event: "upgraded_plan", name: "upgraded_plan", custom_name: "Upgraded plan" },
        ],
        funnelsFilter: { funnelVizType: "steps" },
      },
    },
    refs: [["action.entity", 1, "source.series[1].id"]],
  },
  {
    name: "query: unique groups",
    source: `${DEMO} (Bills paid)`,
    container: "query",
    document: {
      kind: "InsightVizNode",
      source: {
        kind: "TrendsQuery",
        series: [
          { kind: "EventsNode", event: "paid_bill", name: "paid_bill", math: "unique_group", math_group_type_index: 0 },
        ],
        trendsFilter: { display: "BoldNumber" },
      },
    },
    refs: [["group_type_index.math_group_type_index", 0, "source.series[0].math_group_type_index"]],
  },
  {
    name: "query: cohort in a series filter",
    source: `${EXAMPLES} (InsightCalendarHeatmap)`,
    container: "query",
    document: {
      kind: "InsightVizNode",
      source: {
        kind: "CalendarHeatmapQuery",
        properties: [],
        series: [
          {
            kind: "EventsNode",
            event: "$pageview",
            properties: [
              { type: "event", key: "$browser", operator: "exact", value: "Chrome" },
              { type: "cohort", key: "id", operator: "in", value: 2 },
            ],
          },
        ],
      },
    },
    refs: [["cohort.property", 2, "source.series[0].properties[1].value"]],
  },
  // --- Shapes from PostHog's query schema (no PostHog test holds them with ids) ----------------
  {
    name: "query: group aggregation, group breakdown and a group property filter",
    source: `${SCHEMA} (InsightsQueryBase.aggregation_group_type_index, BreakdownFilter, Breakdown, GroupPropertyFilter)`,
    container: "query",
    document: {
      kind: "InsightVizNode",
      source: {
        kind: "TrendsQuery",
        aggregation_group_type_index: 1,
        series: [{ kind: "EventsNode", event: "$pageview", math: "dau" }],
        properties: [{ type: "group", key: "industry", value: "saas", operator: "exact", group_type_index: 2 }],
        breakdownFilter: {
          breakdown_type: "group",
          breakdown: "name",
          breakdown_group_type_index: 1,
          breakdowns: [{ type: "group", property: "plan", group_type_index: 0 }],
        },
      },
    },
    refs: [
      ["group_type_index.aggregation_group_type_index", 1, "source.aggregation_group_type_index"],
      ["group_type_index.group_type_index", 2, "source.properties[0].group_type_index"],
      ["group_type_index.breakdown_group_type_index", 1, "source.breakdownFilter.breakdown_group_type_index"],
      ["group_type_index.group_type_index", 0, "source.breakdownFilter.breakdowns[0].group_type_index"],
    ],
  },
  {
    name: "query: cohort in multiple breakdowns",
    source: `${SCHEMA} (Breakdown, MultipleBreakdownType includes "cohort")`,
    container: "query",
    document: {
      kind: "TrendsQuery",
      series: [],
      breakdownFilter: {
        breakdowns: [
          { type: "event", property: "$browser" },
          { type: "cohort", property: 12 },
        ],
      },
    },
    refs: [["cohort.multiple-breakdown", 12, "breakdownFilter.breakdowns[1].property"]],
  },
  {
    name: "query: all users is not a cohort",
    source: `${SCHEMA} (BreakdownFilter; PostHog's cohort breakdown names all users "all")`,
    container: "query",
    document: { kind: "TrendsQuery", series: [], breakdownFilter: { breakdown_type: "cohort", breakdown: ["all", 7] } },
    refs: [["cohort.breakdown", 7, "breakdownFilter.breakdown[1]"]],
  },
  {
    name: "query: persons of a cohort",
    source: `${SCHEMA} (PersonsNode.cohort)`,
    container: "query",
    document: { kind: "DataTableNode", source: { kind: "PersonsNode", cohort: 33 } },
    refs: [["cohort.persons-node", 33, "source.cohort"]],
  },
  {
    name: "query: actors of a cohort breakdown",
    source: `${SCHEMA} (InsightActorsQuery.breakdown; FunnelsActorsQuery.funnelStepBreakdown "an integer for cohorts")`,
    container: "query",
    document: {
      kind: "ActorsQuery",
      source: {
        kind: "InsightActorsQuery",
        breakdown: 14,
        source: { kind: "TrendsQuery", series: [], breakdownFilter: { breakdown_type: "cohort", breakdown: [14] } },
      },
    },
    refs: [
      ["cohort.actors-breakdown", 14, "source.breakdown"],
      ["cohort.breakdown", 14, "source.source.breakdownFilter.breakdown[0]"],
    ],
  },
  {
    name: "query: funnel actors of a cohort breakdown",
    source: `${SCHEMA} (FunnelsActorsQuery.funnelStepBreakdown)`,
    container: "query",
    document: {
      kind: "FunnelsActorsQuery",
      funnelStep: 2,
      funnelStepBreakdown: 15,
      source: { kind: "FunnelsQuery", series: [], breakdownFilter: { breakdown_type: "cohort", breakdown: 15 } },
    },
    refs: [
      ["cohort.funnel-actors-breakdown", 15, "funnelStepBreakdown"],
      ["cohort.breakdown", 15, "source.breakdownFilter.breakdown"],
    ],
  },
  {
    name: "query: events of an action and of a person",
    source: `${SCHEMA} (EventsQuery.actionId, EventsQuery.personId)`,
    container: "query",
    document: {
      kind: "DataTableNode",
      source: {
        kind: "EventsQuery",
        select: ["*"],
        actionId: 8,
        personId: "01890c2e-7f3a-7000-8000-000000000001",
      },
    },
    refs: [
      ["action.action-id", 8, "source.actionId"],
      ["person.person-id", "01890c2e-7f3a-7000-8000-000000000001", "source.personId"],
    ],
  },
  {
    name: "query: recordings of a person",
    source: `${SCHEMA} (RecordingsQuery.person_uuid)`,
    container: "query",
    document: { kind: "RecordingsQuery", person_uuid: "01890c2e-7f3a-7000-8000-000000000002" },
    refs: [["person.person-uuid", "01890c2e-7f3a-7000-8000-000000000002", "person_uuid"]],
  },
  {
    name: "query: property taxonomy of a group type",
    source: `${SCHEMA} (ActorsPropertyTaxonomyQuery.groupTypeIndex)`,
    container: "query",
    document: { kind: "ActorsPropertyTaxonomyQuery", properties: ["industry"], groupTypeIndex: 3 },
    refs: [["group_type_index.groupTypeIndex", 3, "groupTypeIndex"]],
  },
  {
    name: "query: colour theme",
    source: `${SCHEMA} (InsightsQueryBase.dataColorTheme)`,
    container: "query",
    document: { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [], dataColorTheme: 4 } },
    refs: [["data_color_theme.query", 4, "source.dataColorTheme"]],
  },
  {
    name: "query: SQL insight variables",
    source: `${SCHEMA} (HogQLQuery.variables: Record<string, HogQLVariable>); ${VARIABLES} (keyed by the variable's id)`,
    container: "query",
    document: {
      kind: "DataVisualizationNode",
      source: {
        kind: "HogQLQuery",
        query: "select {variables.country}",
        variables: {
          "0191b5b8-0000-7000-8000-00000000000a": {
            variableId: "0191b5b8-0000-7000-8000-00000000000a",
            code_name: "country",
            value: "NZ",
          },
        },
      },
    },
    refs: [
      [
        "insight_variable.entry",
        "0191b5b8-0000-7000-8000-00000000000a",
        'source.variables["0191b5b8-0000-7000-8000-00000000000a"].variableId',
      ],
    ],
  },
  {
    name: "query: feature flag dependency",
    source: `${FLAG_FILTER} ("The key should be the flag ID")`,
    container: "query",
    document: {
      kind: "EventsNode",
      properties: [{ type: "flag", key: "123", operator: "flag_evaluates_to", value: true }],
    },
    refs: [["feature_flag.dependency", "123", "properties[0].key"]],
  },
  // --- Cohorts, actions and dashboards ---------------------------------------------------------
  {
    name: "cohort filters: the model's documented cohort filter",
    source: `${COHORT_MODEL} (Cohort.filters help_text, "Cohort filter"); ${COHORT_API} (CohortFilter: key "id", value int)`,
    container: "cohort_filters",
    document: orAnd([{ key: "id", type: "cohort", value: 8814, negation: false }]),
    refs: [["cohort.property", 8814, "properties.values[0].values[0].value"]],
  },
  {
    name: "cohort groups: legacy action and property groups",
    source: `${COHORT_MODEL} (Group: action_id / event_id / properties; Cohort.properties converts them)`,
    container: "cohort_groups",
    document: [
      { action_id: 3, days: 7, count: 2, count_operator: "gte" },
      { event_id: "$pageview", days: 30 },
      { properties: [{ key: "id", type: "cohort", value: 9 }] },
    ],
    refs: [
      ["action.cohort-group", 3, "[0].action_id"],
      ["cohort.property", 9, "[2].properties[0].value"],
    ],
  },
  {
    name: "action steps: a cohort filter on a step",
    source: `${ACTION_MODEL} (ActionStepJSON.properties); posthog/hogql/property.py action_to_expr passes step properties to property_to_expr, which resolves "cohort" (index id 238362722)`,
    container: "action_steps",
    document: [
      { event: "$pageview", url: "/pricing", url_matching: "contains", properties: [cohortFilter(12)] },
      { event: "$autocapture", selector: "button.buy", text: "Buy", text_matching: "exact" },
    ],
    refs: [["cohort.property", 12, "[0].properties[0].value"]],
  },
  {
    name: "dashboard filters: cohort and group properties, cohort breakdown",
    source: `${SCHEMA} (DashboardFilter: properties, breakdown_filter); ${DASHBOARD_FILTERS} (flat properties list)`,
    container: "dashboard_filters",
    document: {
      date_from: "-7d",
      properties: [
        { key: "$browser", value: "Chrome", type: "event" },
        cohortFilter(21),
        { key: "name", value: "Acme", type: "group", group_type_index: 0 },
      ],
      breakdown_filter: { breakdown_type: "cohort", breakdown: [21, 22] },
    },
    refs: [
      ["cohort.property", 21, "properties[1].value"],
      ["group_type_index.group_type_index", 0, "properties[2].group_type_index"],
      ["cohort.breakdown", 21, "breakdown_filter.breakdown[0]"],
      ["cohort.breakdown", 22, "breakdown_filter.breakdown[1]"],
    ],
  },
  {
    name: "dashboard filters: a property group as stored before normalisation",
    source: `${DASHBOARD_FILTERS} (test_normalizes_property_group_dict_to_flat_list)`,
    container: "dashboard_filters",
    document: { date_from: "-7d", properties: { type: "AND", values: [{ type: "AND", values: [cohortFilter(5)] }] } },
    refs: [["cohort.property", 5, "properties.values[0].values[0].value"]],
  },
  {
    name: "tile filters: overrides with a cohort",
    source: `${SCHEMA} (TileFilters); ${DASHBOARD_FILTERS} (test_normalizes_property_group_dict_on_tile_filters_overrides)`,
    container: "tile_filters",
    document: {
      date_from: "-30d",
      properties: [cohortFilter(31)],
      breakdown_filter: { breakdown_type: "cohort", breakdown: 31 },
    },
    refs: [
      ["cohort.property", 31, "properties[0].value"],
      ["cohort.breakdown", 31, "breakdown_filter.breakdown"],
    ],
  },
  {
    name: "dashboard variables",
    source: `${VARIABLES} (variables keyed by str(variable.id), entries keep code_name)`,
    container: "dashboard_variables",
    document: {
      "0191b5b8-0000-7000-8000-00000000000b": {
        variableId: "0191b5b8-0000-7000-8000-00000000000b",
        code_name: "plan",
        value: "pro",
      },
    },
    refs: [
      [
        "insight_variable.entry",
        "0191b5b8-0000-7000-8000-00000000000b",
        '["0191b5b8-0000-7000-8000-00000000000b"].variableId',
      ],
    ],
  },
];
