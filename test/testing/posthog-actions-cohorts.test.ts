// PostHog's action and cohort API tests, ported to the fake: those that need no event data, no
// other team or user, and no feature flag. Each test names its source as `path::test_name`; the
// describe names the commit read. ORM set-up in the originals is done through the API here.
import { afterEach, describe, expect, it } from "vitest";
import { createFakePostHog } from "../../src/testing/index.js";
import { posthogApi } from "../support/posthog-api.js";

const fake = createFakePostHog();
afterEach(() => fake.reset());
const api = () => posthogApi(fake);

const TEST_ACTION = "products/actions/backend/api/test/test_action.py";
const TEST_COHORT = "posthog/api/test/test_cohort.py";

/** A step as PostHog stores it: every field present, `url_matching` defaulting to `contains`. */
const stored = (step: object) => ({
  event: null,
  properties: null,
  selector: null,
  selector_regex: null,
  tag_name: null,
  text: null,
  text_matching: null,
  href: null,
  href_matching: null,
  url: null,
  url_matching: "contains",
  ...step,
});

describe(`${TEST_ACTION} @ 5310d0c81f8c3f9826bdbfbdf14617e2b3672337`, () => {
  const port = (name: string) => `${TEST_ACTION}::${name}`;

  it(port("test_create_action"), async () => {
    const response = await api().post("/actions/", {
      name: "user signed up",
      steps: [{ text: "sign up", selector: "div > button", url: "/signup" }],
      description: "Test description",
    });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({
      id: expect.any(Number),
      name: "user signed up",
      description: "Test description",
      post_to_slack: false,
      slack_message_format: "",
      steps: [
        stored({ selector: "div > button", selector_regex: expect.any(String), text: "sign up", url: "/signup" }),
      ],
      created_at: expect.any(String),
      created_by: expect.any(Object),
      pinned_at: null,
      deleted: false,
      creation_context: null,
      is_calculating: false,
      last_calculated_at: expect.any(String),
      team_id: fake.projectId,
      is_action: true,
      bytecode_error: null,
      tags: [],
      user_access_level: "manager",
    });
  });

  it(port("test_cant_create_action_with_the_same_name"), async () => {
    const original = (await api().post("/actions/", { name: "user signed up" })).json;
    const response = await api().post("/actions/", { name: "user signed up" });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      type: "validation_error",
      code: "unique",
      detail: `This project already has an action with this name, ID ${original.id}`,
      attr: "name",
    });
    expect(fake.actions).toHaveLength(1);
  });

  it.each([
    ["test_cant_create_action_with_empty_name", ""],
    ["test_cant_create_action_with_whitespace_only_name", "   "],
  ])(`${TEST_ACTION}::%s`, async (_name, name) => {
    const response = await api().post("/actions/", { name });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      type: "validation_error",
      code: "blank",
      detail: "This field may not be blank.",
      attr: "name",
    });
    expect(fake.actions).toHaveLength(0);
  });

  it(`${port("test_update_action")} (one user: a created_by sent is ignored)`, async () => {
    const action = (
      await api().post("/actions/", { name: "user signed up", steps: [{ event: "$autocapture", text: "sign me up!" }] })
    ).json;
    const before = Date.now();
    const response = await api().patch(`/actions/${action.id}/`, {
      name: "user signed up 2",
      steps: [
        {
          event: "$autocapture",
          text: "sign up NOW",
          selector: "div > button",
          properties: [{ key: "$browser", value: "Chrome" }],
          url: null,
        },
        { event: "$pageview", href: "/a-new-link" },
      ],
      description: "updated description",
      created_by: {
        id: 1,
        distinct_id: "BLKJzxHq4z2d8P1icfpg5wo4eIHaSrMtnotkwdtD8Ok",
        first_name: "person",
        email: "person@email.com",
      },
      pinned_at: "2021-12-11T00:00:00Z",
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ name: "user signed up 2", description: "updated description" });
    expect(response.json.created_by.distinct_id).toBe("fake-user");
    expect(response.json.steps).toEqual([
      stored({
        event: "$autocapture",
        properties: [{ key: "$browser", value: "Chrome" }],
        selector: "div > button",
        selector_regex: expect.any(String),
        text: "sign up NOW",
      }),
      stored({ event: "$pageview", href: "/a-new-link" }),
    ]);
    // The server pins with its own time, not the one sent.
    expect(Date.parse(response.json.pinned_at)).toBeGreaterThanOrEqual(before - 1000);
    expect((await api().get(`/actions/${action.id}/`)).json.name).toBe("user signed up 2");
  });

  it(port("test_update_action_remove_all_steps"), async () => {
    const action = (await api().post("/actions/", { name: "user signed up", steps: [{ text: "sign me up!" }] })).json;
    const response = await api().patch(`/actions/${action.id}/`, { name: "user signed up 2", steps: [] });
    expect(response.status).toBe(200);
    expect(response.json.steps).toHaveLength(0);
  });

  it(port("test_create_action_event_with_space"), async () => {
    const response = await api().post("/actions/", { name: "test event", steps: [{ event: "test_event " }] });
    expect(response.status).toBe(201);
    expect(fake.actions[0]?.steps[0]?.event).toBe("test_event ");
  });

  it(`${port("test_get_tags_returns_list")} (tagged through the API)`, async () => {
    const action = (await api().post("/actions/", { name: "bla", tags: ["random"] })).json;
    const response = await api().get(`/actions/${action.id}/`);
    expect(response.status).toBe(200);
    expect(response.json.tags).toEqual(["random"]);
    expect(fake.actions).toHaveLength(1);
  });

  it(port("test_create_action_with_tags"), async () => {
    const response = await api().post("/actions/", { name: "Default", tags: ["random", "hello"] });
    expect(response.status).toBe(201);
    expect([...response.json.tags].sort()).toEqual(["hello", "random"]);
  });

  it(port("test_update_action_tags"), async () => {
    const action = (await api().post("/actions/", { name: "private dashboard", tags: ["random"] })).json;
    const response = await api().patch(`/actions/${action.id}/`, {
      name: "action new name",
      tags: ["random", "hello"],
      description: "Internal system metrics.",
    });
    expect(response.status).toBe(200);
    expect([...response.json.tags].sort()).toEqual(["hello", "random"]);
  });

  it(port("test_undefined_tags_allows_other_props_to_update"), async () => {
    const action = (await api().post("/actions/", { name: "private action", tags: ["random"] })).json;
    const response = await api().patch(`/actions/${action.id}/`, {
      name: "action new name",
      description: "Internal system metrics.",
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      name: "action new name",
      description: "Internal system metrics.",
      tags: ["random"],
    });
  });

  it(port("test_empty_tags_clears_all_tags"), async () => {
    const action = (await api().post("/actions/", { name: "private dashboard", tags: ["random"] })).json;
    const response = await api().patch(`/actions/${action.id}/`, {
      name: "action new name",
      description: "Internal system metrics.",
      tags: [],
    });
    expect(response.status).toBe(200);
    expect(response.json.tags).toEqual([]);
  });

  it(port("test_hard_deletion_is_forbidden"), async () => {
    const response = await api().post("/actions/", {
      name: "user signed up",
      // An unknown step key is dropped, not refused.
      steps: [{ text: "sign up", selector: "div > button", url: "/signup", isNew: "asdf" }],
      description: "Test description",
    });
    expect(response.status).toBe(201);
    expect((await api().delete(`/actions/${response.json.id}/`)).status).toBe(405);
  });

  const usingInsight = (actionId: number) => ({
    name: "Referencing insight",
    query: { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [{ kind: "ActionsNode", id: actionId }] } },
  });

  it(port("test_include_reference_count_param_adds_count_to_list"), async () => {
    const action = (await api().post("/actions/", { name: "action with refs", steps: [{ event: "$pageview" }] })).json;
    await api().post("/insights/", usingInsight(action.id));
    const results = (await api().get("/actions/?include_reference_count=1")).json.results;
    expect(results.find((r: { id: number }) => r.id === action.id).reference_count).toBe(1);
  });

  it(port("test_list_without_include_reference_count_omits_count"), async () => {
    await api().post("/actions/", { name: "some action", steps: [{ event: "$pageview" }] });
    const response = await api().get("/actions/");
    expect(response.status).toBe(200);
    expect(response.json.results.length).toBeGreaterThan(0);
    for (const result of response.json.results) {
      expect("reference_count" in result).toBe(false);
    }
  });

  it(port("test_include_reference_count_returns_correct_counts_for_multiple_actions"), async () => {
    const withRefs = (await api().post("/actions/", { name: "action with refs", steps: [{ event: "$pageview" }] }))
      .json;
    const withoutRefs = (
      await api().post("/actions/", { name: "action without refs", steps: [{ event: "$pageleave" }] })
    ).json;
    await api().post("/insights/", usingInsight(withRefs.id));
    const results = (await api().get("/actions/?include_reference_count=1")).json.results as {
      id: number;
      reference_count: number;
    }[];
    const counts = Object.fromEntries(results.map((r) => [r.id, r.reference_count]));
    expect(counts[withRefs.id]).toBe(1);
    expect(counts[withoutRefs.id]).toBe(0);
  });
});

describe(`${TEST_COHORT} @ 009128835fdcae0c9b821787c6e72a7e534657c4`, () => {
  const port = (name: string) => `${TEST_COHORT}::${name}`;
  const nested = (id: unknown) => [{ properties: [{ type: "cohort", value: id, key: "id" }] }];

  it(port("test_creating_update_and_calculating"), async () => {
    const created = await api().post("/cohorts/", { name: "whatever", groups: [{ properties: { team_id: 5 } }] });
    expect(created.status).toBe(201);
    expect(created.json.created_by.id).toBe(1);
    // A dynamic cohort is calculated in the background; legacy groups are served as filters.
    expect(created.json.is_calculating).toBe(true);
    expect(created.json.filters).toEqual({
      properties: { type: "OR", values: [{ type: "AND", values: [{ key: "team_id", value: 5, type: "person" }] }] },
    });
    const updated = await api().patch(`/cohorts/${created.json.id}/`, {
      name: "whatever2",
      description: "A great cohort!",
      groups: [{ properties: { team_id: 6 } }],
      created_by: "something something",
      last_calculation: "some random date",
      errors_calculating: 100,
      deleted: false,
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({
      name: "whatever2",
      description: "A great cohort!",
      errors_calculating: 0,
      is_calculating: true,
    });
    expect(updated.json.created_by.id).toBe(1);
  });

  it(port("test_cohort_list"), async () => {
    await api().post("/cohorts/", { name: "whatever", groups: [{ properties: { prop: 5 } }] });
    const response = (await api().get("/cohorts/")).json;
    expect(response.results).toHaveLength(1);
    expect(response.results[0].name).toBe("whatever");
    expect(response.results[0].created_by.id).toBe(1);
  });

  it(port("test_creating_update_and_calculating_with_cycle"), async () => {
    const a = (await api().post("/cohorts/", { name: "cohort A", groups: [{ properties: { team_id: 5 } }] })).json;
    const b = (await api().post("/cohorts/", { name: "cohort B", groups: nested(a.id) })).json;
    const c = (await api().post("/cohorts/", { name: "cohort C", groups: nested(b.id) })).json;
    for (const target of [c.id, a.id]) {
      const response = await api().patch(`/cohorts/${a.id}/`, { name: "Cohort A, reloaded", groups: nested(target) });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({
        detail: "Cohorts cannot reference other cohorts in a loop.",
        type: "validation_error",
      });
    }
    // Refused without a change.
    expect((await api().get(`/cohorts/${a.id}/`)).json.name).toBe("cohort A");
  });

  it(port("test_creating_update_with_non_directed_cycle"), async () => {
    const a = (await api().post("/cohorts/", { name: "cohort A", groups: [{ properties: { team_id: 5 } }] })).json;
    const b = (await api().post("/cohorts/", { name: "cohort B", groups: nested(a.id) })).json;
    const c = (
      await api().post("/cohorts/", {
        name: "cohort C",
        groups: [
          {
            properties: [
              { type: "cohort", value: b.id, key: "id" },
              { type: "cohort", value: a.id, key: "id" },
            ],
          },
        ],
      })
    ).json;
    // Not a loop: C depends on A and B, B on A, A on nothing.
    const response = await api().patch(`/cohorts/${c.id}/`, { name: "Cohort C, reloaded" });
    expect(response.status).toBe(200);
    expect(response.json.is_calculating).toBe(true);
  });

  it(port("test_creating_update_and_calculating_with_invalid_cohort"), async () => {
    const a = (await api().post("/cohorts/", { name: "cohort A", groups: [{ properties: { team_id: 5 } }] })).json;
    const response = await api().patch(`/cohorts/${a.id}/`, { name: "Cohort A, reloaded", groups: nested("99999") });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ detail: "Invalid Cohort ID in filter", type: "validation_error" });
  });

  it(port("test_creating_update_and_calculating_with_new_cohort_query_dynamic_error"), async () => {
    const response = await api().post("/cohorts/", {
      name: "cohort A",
      query: {
        kind: "ActorsQuery",
        properties: [{ key: "$some_prop", value: "something", type: "person", operator: "exact" }],
      },
    });
    expect(response.status).toBe(400);
  });

  it(`${port("test_creating_update_and_calculating_ignore_bad_filters")} (the newer message of posthog/api/cohort.py @ 18f8a88b)`, async () => {
    const created = (await api().post("/cohorts/", { name: "whatever", groups: [{ properties: { team_id: 5 } }] }))
      .json;
    const response = await api().patch(`/cohorts/${created.id}/`, {
      name: "whatever",
      filters: "[Slkasd=lkxcn]",
      groups: [{ properties: { team_id: 5 } }],
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      detail: "Must contain a 'properties' key with type and values",
      type: "validation_error",
    });
  });

  it(port("test_hard_delete_is_forbidden"), async () => {
    const a = (await api().post("/cohorts/", { name: "cohort A", groups: [{ properties: { team_id: 5 } }] })).json;
    expect((await api().delete(`/cohorts/${a.id}/`)).status).toBe(405);
  });
});
