// PostHog's own sharing tests, ported to the testing kit: each `it` names its source as
// `path::test_name`. Read at (PostHog/posthog):
//   posthog/api/test/test_sharing.py                            @ 013b53a12e81e7b4ce28c1df3391a8e8332b53cf
//   products/product_analytics/backend/api/test/test_insight.py @ 034dda24c3102d29e42cf8df1d3e3af8b689d7fb
//     (the `sharing_access_token` tests)
// and the code they exercise: posthog/api/sharing.py @ 011aac22 / e9788209 (activity entries),
// posthog/auth.py SharingAccessTokenAuthentication (the token's answers).
//
// Adaptations: PostHog's serializer tests drive the dashboard's sharing endpoint; the insight's is
// the same SharingConfigurationSerializer and viewset, so they run against it here (each says so).
// The "live link" checks of test_reenabling_sharing_issues_a_new_link read `/shared/<token>` pages,
// which are not API; here a token is live when `?sharing_access_token=` reads the insight.
//
// Left out, and why:
// - Rendered pages and images, not API: /shared/, /embedded/, /exporter/ (open graph images,
//   placeholders, asset tokens, cache_keys, cohort inlining, the warehouse-backed shared page),
//   shared_url_as_png, and the 5-minute grace of test_refresh_token_grace_period (dashboard
//   pages; the kit implements it for the API token).
// - Dashboards, recordings and notebooks sharing, legacy dashboard share tokens: the kit shares
//   insights only (its dashboards have no sharing routes).
// - Passwords (a paid feature: Advanced Permissions) and their activity logging.
// - Model internals: token uniqueness constraints, rotate_access_token() rows, duplicate active
//   configurations, the model's default settings.
// - Another user, access control or a feature flag: TestSharingConfigurationReadAccess,
//   TestSharingPublishGate, TestSaveTimeAccessBlock, TestSharedLinkWarehouseExecution,
//   test_should_not_be_affected_by_collaboration_rules, organisation-level sharing switches.
import { afterEach, describe, expect, it } from "vitest";
import { createFakePostHog } from "../../src/testing/index.js";
import { freezeTime, posthogClient, unfreezeTime } from "./posthog-api.js";

const S = "posthog/api/test/test_sharing.py";
const P = "products/product_analytics/backend/api/test/test_insight.py";
const filters = { events: [{ id: "$pageview" }], properties: [{ key: "$browser", value: "Mac OS X" }] };
const invalidToken = {
  type: "authentication_error",
  code: "authentication_failed",
  detail: "Sharing access token is invalid.",
  attr: null,
};
const notFound = { type: "invalid_request", code: "not_found", detail: "Not found.", attr: null };

async function setup(body: Record<string, unknown> = { filters }) {
  const fake = createFakePostHog();
  const client = posthogClient(fake);
  const insight = (await client.post("/insights/", body)).json as { id: number; short_id: string };
  const sharing = `/insights/${insight.id}/sharing`;
  /** Reads the insight with a sharing token and no key, as a logged-out visitor of the link. */
  const asVisitor = (token: string, id = insight.id) =>
    client.get(`/insights/${id}/`, { sharing_access_token: token }, { key: null });
  return { fake, client, insight, sharing, asVisitor };
}

afterEach(unfreezeTime);

describe(S, () => {
  it(`${S}::test_gets_sharing_config (on the insight's endpoint)`, async () => {
    const { client, sharing } = await setup();
    const reply = await client.get(sharing);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      access_token: reply.json.access_token,
      created_at: null,
      enabled: false,
      password_required: false,
      settings: null,
      share_passwords: [],
      user_access_level: "editor",
    });
  });

  it.each(["insight", "insight_disabled_before_rotation_existed"])(
    `${S}::test_reenabling_sharing_issues_a_new_link (%s)`,
    async (resource) => {
      const { client, sharing, asVisitor } = await setup();
      const revoked = new Set<string>();
      if (resource === "insight_disabled_before_rotation_existed") {
        // A configuration saved disabled before: its token must not come back.
        await client.patch(sharing, { enabled: true });
        const disabled = (await client.patch(sharing, { enabled: false })).json.access_token as string;
        revoked.add(disabled);
      }
      const onlyLive = async (token: string) => {
        expect.soft((await asVisitor(token)).status, `live ${token}`).toBe(200);
        for (const dead of revoked) {
          expect.soft((await asVisitor(dead)).json, `revoked ${dead}`).toEqual(invalidToken);
        }
      };

      freezeTime("2025-01-01T00:00:00Z");
      const first = (await client.patch(sharing, { enabled: true })).json.access_token as string;
      expect.soft(revoked.has(first)).toBe(false);

      freezeTime("2025-01-01T01:00:00Z");
      await client.get(sharing);
      await onlyLive(first);
      const refreshed = (await client.post(`${sharing}/refresh/`)).json.access_token as string;
      await client.patch(sharing, { enabled: false });
      revoked.add(first);
      revoked.add(refreshed);

      freezeTime("2025-01-01T01:00:30Z");
      const again = (await client.patch(sharing, { enabled: true })).json.access_token as string;
      expect.soft(revoked.has(again)).toBe(false);
      expect.soft((await client.get(sharing)).json.access_token).toBe(again);
      await onlyLive(again);

      freezeTime("2025-01-01T02:00:00Z");
      await client.get(sharing);
      await onlyLive(again);
    },
  );

  it(`${S}::test_can_edit_enabled_state_for_insight`, async () => {
    const { client, insight, sharing } = await setup();
    let reply = await client.patch(sharing, { enabled: true });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.enabled).toBe(true);
    reply = await client.patch(sharing, { enabled: false });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.enabled).toBe(false);
    // ActivityLog.objects.filter(scope="Insight").order_by("created_at"): oldest first.
    const activity = (await client.activity(insight.id)).map((a) => a.activity).reverse();
    expect.soft(activity).toEqual(["sharing enabled", "exported for opengraph image", "sharing disabled"]);
  });

  it(`${S}::test_can_refresh_sharing_access_token_for_insight`, async () => {
    const { client, insight, sharing } = await setup();
    const initial = (await client.patch(sharing, { enabled: true })).json.access_token;
    expect.soft(initial).toBeTruthy();
    const reply = await client.post(`${sharing}/refresh/`);
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.access_token).not.toBe(initial);
    expect.soft(reply.json.enabled).toBe(true);
    const refreshed = (await client.activity(insight.id)).filter((a) => a.activity === "access token refreshed");
    expect.soft(refreshed).toHaveLength(1);
    expect.soft(refreshed[0]?.item_id).toBe(String(insight.id));
  });

  it(`${S}::test_sharing_configuration_settings_field_defaults (on the insight's endpoint)`, async () => {
    const { client, sharing } = await setup();
    const reply = await client.patch(sharing, { enabled: true });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json).toHaveProperty("settings");
    expect.soft(reply.json.settings).toBeNull();
  });

  it(`${S}::test_can_update_settings_field (on the insight's endpoint)`, async () => {
    const { client, sharing } = await setup();
    expect((await client.patch(sharing, { enabled: true })).status).toBe(200);
    const reply = await client.patch(sharing, { settings: { whitelabel: true, customSetting: "value" } });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.settings).toEqual({ whitelabel: true });
    expect.soft((await client.get(sharing)).json.settings).toEqual({ whitelabel: true });
  });

  it(`${S}::test_settings_preserved_on_token_rotation (on the insight's endpoint)`, async () => {
    const { client, sharing } = await setup();
    const settings = { whitelabel: true, noHeader: true, showInspector: false, legend: true, detailed: false };
    const reply = await client.patch(sharing, { enabled: true, settings: { ...settings, customOption: "test2" } });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.settings).toEqual(settings);
    const rotated = await client.post(`${sharing}/refresh/`);
    expect.soft(rotated.status).toBe(200);
    expect.soft(rotated.json.settings).toEqual(settings);
  });

  it(`${S}::test_settings_field_works_for_both_insights_and_dashboards (insights)`, async () => {
    const { client, sharing } = await setup();
    const settings = { whitelabel: true, noHeader: false, showInspector: true, legend: false, detailed: true };
    const reply = await client.patch(sharing, { enabled: true, settings: { ...settings, customOption: "test" } });
    expect.soft(reply.status).toBe(200);
    expect.soft(reply.json.settings).toEqual(settings);
    expect.soft((await client.get(sharing)).json.settings).toEqual(settings);
  });

  it.each([
    [
      "test_valid_settings_are_accepted",
      { whitelabel: true, noHeader: false, showInspector: true, legend: false, detailed: true, theme: "dark" },
      { whitelabel: true, noHeader: false, showInspector: true, legend: false, detailed: true, theme: "dark" },
    ],
    [
      "test_partial_settings_are_filled_with_defaults",
      { whitelabel: true, legend: true, theme: "light" },
      { whitelabel: true, legend: true, theme: "light" },
    ],
    [
      "test_unknown_settings_are_filtered_out",
      { whitelabel: true, unknownField: "should be removed", anotherBadField: 123, legend: false },
      { whitelabel: true, legend: false },
    ],
    ["test_null_settings_are_accepted", null, null],
    ["test_empty_settings_get_defaults", {}, {}],
    [
      "test_settings_validation_works_for_insights_too",
      { whitelabel: true, detailed: true },
      { whitelabel: true, detailed: true },
    ],
  ])(
    `${S}::TestSharingConfigurationSerializerValidation::%s (on the insight's endpoint)`,
    async (_, settings, expected) => {
      const { client, sharing } = await setup();
      const reply = await client.patch(sharing, { enabled: true, settings });
      expect.soft(reply.status).toBe(200);
      expect.soft(reply.json.settings).toEqual(expected);
    },
  );

  it(`${S}::TestSharingConfigurationSerializerValidation::test_invalid_settings_type_rejected (on the insight's endpoint)`, async () => {
    const { client, sharing } = await setup();
    const reply = await client.patch(sharing, { enabled: true, settings: "invalid string" });
    expect.soft(reply.status).toBe(400);
    expect.soft(reply.json.detail).toContain("settings");
    expect.soft(String(reply.json.detail)).toContain("Invalid settings format");
  });
});

describe(`${P} (sharing access tokens)`, () => {
  it(`${P}::test_logged_out_user_can_retrieve_insight_with_correct_insight_sharing_access_token`, async () => {
    const { client, insight, sharing, asVisitor } = await setup({ name: "Foobar", filters });
    await client.post("/insights/", { name: "Foobar", filters }); // not shared
    const other = (await client.post("/insights/", { name: "Other", filters })).json;
    const token = (await client.patch(sharing, { enabled: true })).json.access_token;
    const otherToken = (await client.patch(`/insights/${other.id}/sharing`, { enabled: true })).json.access_token;

    const invalid = await asVisitor("abc");
    expect.soft(invalid.status).toBe(403);
    expect.soft(invalid.json).toEqual(invalidToken);
    const incorrect = await asVisitor(otherToken);
    expect.soft(incorrect.status).toBe(404);
    expect.soft(incorrect.json).toEqual(notFound);
    const correct = await asVisitor(token);
    expect.soft(correct.status).toBe(200);
    expect.soft(correct.json).toMatchObject({ name: "Foobar" });
    const list = await client.get("/insights/", { sharing_access_token: token }, { key: null });
    expect.soft(list.status).toBe(200);
    expect.soft(list.json.count).toBe(1);
    expect.soft(list.json.results[0]).toMatchObject({ id: insight.id, name: "Foobar", short_id: insight.short_id });
  });

  it(`${P}::test_logged_out_user_cannot_retrieve_deleted_insight_with_correct_insight_sharing_access_token`, async () => {
    const { client, insight, sharing, asVisitor } = await setup({ name: "Foobar", filters });
    const token = (await client.patch(sharing, { enabled: true })).json.access_token;
    await client.patch(`/insights/${insight.id}`, { deleted: true });
    const reply = await asVisitor(token);
    expect.soft(reply.status).toBe(404);
    expect.soft(reply.json).toEqual(notFound);
  });

  it(`${P}::test_logged_out_user_cannot_update_insight_with_correct_insight_sharing_access_token`, async () => {
    const { client, insight, sharing } = await setup({ name: "Foobar", filters });
    const token = (await client.patch(sharing, { enabled: true })).json.access_token;
    const reply = await client.patch(
      `/insights/${insight.id}/`,
      { name: "Barfoo" },
      { query: { sharing_access_token: token }, key: null },
    );
    expect.soft(reply.status).toBe(403);
    expect.soft(reply.json).toEqual({
      type: "authentication_error",
      code: "authentication_failed",
      detail: "Sharing access token can only be used for GET requests.",
      attr: null,
    });
  });

  it(`${P}::test_logged_out_user_cannot_retrieve_insight_with_disabled_insight_sharing_access_token`, async () => {
    const { client, insight, sharing, asVisitor } = await setup({ filters });
    await client.patch(sharing, { enabled: true });
    const token = (await client.patch(sharing, { enabled: false })).json.access_token;
    const retrieve = await asVisitor(token);
    expect.soft(retrieve.status).toBe(403);
    expect.soft(retrieve.json).toEqual(invalidToken);
    const list = await client.get(
      "/insights/",
      { short_id: insight.short_id, sharing_access_token: token },
      { key: null },
    );
    expect.soft(list.status).toBe(403);
    expect.soft(list.json).toEqual(invalidToken);
  });
});
