// The kit's dashboards, actions, cohorts and group types: the PostHog behaviours no ported test
// covers on its own (each with the source it follows), and the kit's own surface.
import { afterEach, describe, expect, it } from "vitest";
import { BadRequestError, NotFoundError } from "../../src/index.js";
import { createFakePostHog } from "../../src/testing/index.js";
import { dashboardApi, posthogApi } from "../support/posthog-api.js";

const fake = createFakePostHog();
afterEach(() => fake.reset());

describe("the kit's dashboards", () => {
  it("skips a PATCH's display change to a tile id that is not this dashboard's (D1 _update_existing_tile_display_fields)", async () => {
    const d = dashboardApi(fake);
    const [one] = await d.createDashboard({ name: "one" });
    const [two] = await d.createDashboard({ name: "two" });
    await d.createInsight({ name: "on two", dashboards: [two] });
    const otherTile = (await d.getDashboard(two)).tiles[0].id;
    const [, answer] = await d.updateDashboard(one, {
      tiles: [
        { id: 999, layouts: { sm: { x: 0, y: 0, w: 1, h: 1 } } },
        { id: otherTile, color: "red" },
      ],
    });
    expect(answer.tiles).toEqual([]);
    expect((await d.getDashboard(two)).tiles[0].color).toBeNull();
  });

  it("restores every tile a dashboard ever had, removed ones included (D1 _undo_delete_related_tiles)", async () => {
    const d = dashboardApi(fake);
    const [dashboardId] = await d.createDashboard({ name: "d" });
    await d.createInsight({ name: "kept", dashboards: [dashboardId] });
    const [removedId] = await d.createInsight({ name: "removed", dashboards: [dashboardId] });
    await d.addInsightToDashboard([], removedId);
    expect((await d.getDashboard(dashboardId)).tiles).toHaveLength(1);
    await d.softDelete(dashboardId, "dashboards");
    await d.updateDashboard(dashboardId, { deleted: false });
    expect((await d.getDashboard(dashboardId)).tiles).toHaveLength(2);
    expect((await d.getInsight(removedId)).dashboards).toEqual([dashboardId]);
  });

  it("compacts the remaining layouts upwards when a tile is deleted (D1 _compact_tile_layouts)", async () => {
    const d = dashboardApi(fake);
    const [dashboardId] = await d.createDashboard({ name: "d" });
    const ids: number[] = [];
    for (const name of ["top", "below"]) {
      ids.push((await d.createInsight({ name, dashboards: [dashboardId] }))[0]);
    }
    const tiles = (await d.getDashboard(dashboardId)).tiles as { id: number; insight: { id: number } }[];
    const [top, below] = ids.map((id) => tiles.find((t) => t.insight.id === id)?.id as number);
    await d.updateDashboard(dashboardId, {
      tiles: [
        { id: top, layouts: { sm: { x: 0, y: 0, w: 12, h: 4 } } },
        { id: below, layouts: { sm: { x: 0, y: 4, w: 12, h: 5 }, xs: { x: 0, y: 4, w: 1, h: 5 } } },
      ],
    });
    expect((await d.api.post(`/dashboards/${dashboardId}/delete_tile/`, { tile_id: top })).status).toBe(204);
    expect((await d.getDashboard(dashboardId)).tiles[0].layouts).toEqual({
      sm: { x: 0, y: 0, w: 12, h: 5 },
      xs: { x: 0, y: 0, w: 1, h: 5 },
    });
  });

  it("refuses a search over 200 characters, and finds by name, description and tag", async () => {
    const d = dashboardApi(fake);
    await d.createDashboard({ name: "Growth", tags: ["KPI"] });
    await d.createDashboard({ name: "Other", description: "growth by region" });
    await d.createDashboard({ name: "Third" });
    const search = async (q: string) =>
      (await d.api.get(`/dashboards/?search=${q}`)).json.results.map((r: { name: string }) => r.name);
    expect(await search("GROWTH")).toEqual(["Growth", "Other"]);
    expect(await search("kpi")).toEqual(["Growth"]);
    const refused = await d.api.get(`/dashboards/?search=${"a".repeat(201)}`);
    expect(refused).toMatchObject({ status: 400, json: { attr: "search", code: "invalid_input" } });
  });

  it("shows what it stores through fake.dashboards, with no request recorded", async () => {
    const posthog = fake.client();
    const dashboard = await posthog.dashboards.create({ name: "Growth", pinned: true });
    await posthog.dashboards.createTextTile(dashboard.id, { body: "## Hi" });
    const requests = fake.requests.length;
    expect(fake.dashboards).toMatchObject([{ id: dashboard.id, name: "Growth", pinned: true, last_accessed_at: null }]);
    expect(fake.dashboards[0]?.tiles.map((t) => t.text?.body)).toEqual(["## Hi"]);
    expect(fake.requests).toHaveLength(requests);
  });

  it("answers 404 to a soft-deleted dashboard, as NotFoundError through the client", async () => {
    const posthog = fake.client({ maxRetries: 0 });
    const dashboard = await posthog.dashboards.create({ name: "gone" });
    await posthog.dashboards.delete(dashboard.id);
    await expect(posthog.dashboards.retrieve(dashboard.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(posthog.dashboards.createTextTile(dashboard.id, { body: "x" })).rejects.toBeInstanceOf(NotFoundError);
    expect((await posthog.dashboards.restore(dashboard.id)).deleted).toBe(false);
  });
});

describe("the kit's actions, cohorts and group types", () => {
  it("frees an action's name when it is soft-deleted, and refuses a clash on rename (products/actions/backend/api/action.py)", async () => {
    const posthog = fake.client({ maxRetries: 0 });
    const first = await posthog.actions.create({ name: "Signed up" });
    const second = await posthog.actions.create({ name: "Other" });
    await expect(posthog.actions.update(second.id, { name: "Signed up" })).rejects.toMatchObject({
      status: 400,
      code: "unique",
      attr: "name",
    });
    await posthog.actions.delete(first.id);
    expect((await posthog.actions.update(second.id, { name: "Signed up" })).name).toBe("Signed up");
    expect((await posthog.actions.list()).map((a) => a.id)).toEqual([second.id]);
  });

  it("takes two cohorts of the same name, and finishes a calculation before the next read", async () => {
    const posthog = fake.client();
    const filters = {
      properties: {
        type: "AND" as const,
        values: [{ type: "person" as const, key: "plan", operator: "exact", value: ["pro"] }],
      },
    };
    const a = await posthog.cohorts.create({ name: "Pro", filters });
    const b = await posthog.cohorts.create({ name: "Pro", filters });
    expect([a.is_calculating, b.is_calculating]).toEqual([true, true]);
    const read = await posthog.cohorts.retrieve(a.id);
    expect(read).toMatchObject({
      is_calculating: false,
      last_calculation: expect.any(String),
      count: expect.any(Number),
    });
    expect((await posthog.cohorts.list()).results.map((c) => c.id)).toEqual([b.id, a.id]);
  });

  it("refuses cohort filters PostHog's models refuse, with its messages (posthog/api/cohort.py)", async () => {
    const api = posthogApi(fake);
    const refused = async (values: unknown[]) =>
      (await api.post("/cohorts/", { name: "x", filters: { properties: { type: "AND", values } } })).json.detail;
    expect(await refused([{ type: "person", key: "plan" }])).toBe(
      "Missing required keys for person filter: value, operator",
    );
    expect(await refused([{ type: "behavioral", key: "$pageview", value: "performed_event" }])).toBe(
      "Missing required keys for behavioral filter: event_type",
    );
    expect(await refused([{ type: "person", key: "plan", operator: "is_set", extra: 1 }])).toBe(
      "Extra inputs are not permitted: extra",
    );
    // A static cohort's filters are not checked.
    expect((await api.post("/cohorts/", { name: "s", is_static: true, filters: { nonsense: true } })).status).toBe(201);
  });

  it("serves the group types it was given, and checks the option", async () => {
    const posthog = createFakePostHog({
      groupTypes: ["company", { group_type: "project", name_singular: "Project" }],
    }).client();
    expect(await posthog.groupTypes.list()).toEqual([
      {
        group_type: "company",
        group_type_index: 0,
        name_singular: null,
        name_plural: null,
        detail_dashboard: null,
        default_columns: null,
        created_at: null,
      },
      expect.objectContaining({ group_type: "project", group_type_index: 1, name_singular: "Project" }),
    ]);
    expect(await fake.client().groupTypes.list()).toEqual([]);
    expect(() => createFakePostHog({ groupTypes: ["a", "a"] })).toThrow(TypeError);
    expect(() => createFakePostHog({ groupTypes: ["a", "b", "c", "d", "e", "f"] })).toThrow(TypeError);
  });

  it("answers a bad action body with PostHog's error, as BadRequestError", async () => {
    const posthog = fake.client({ maxRetries: 0 });
    await expect(
      posthog.actions.create({ name: "x", steps: [{ url_matching: "fuzzy" as "exact" }] }),
    ).rejects.toBeInstanceOf(BadRequestError);
    expect(fake.actions).toEqual([]);
  });
});

describe("the kit's new routes beside the insight ones", () => {
  it("lists with saved=true an unsaved insight on a live dashboard, not one on a deleted dashboard only (PostHog's saved filter)", async () => {
    const d = dashboardApi(fake);
    const [live] = await d.createDashboard({ name: "live" });
    const [gone] = await d.createDashboard({ name: "gone" });
    await d.createInsight({ name: "on live", saved: false, dashboards: [live] });
    await d.createInsight({ name: "on gone", saved: false, dashboards: [gone] });
    await d.createInsight({ name: "nowhere", saved: false });
    await d.softDelete(gone, "dashboards");
    const names = (query: string) =>
      d.api.get(`/insights/?${query}`).then((r) => r.json.results.map((i: { name: string }) => i.name));
    expect(await names("saved=true")).toEqual(["on live"]);
    expect(await names("saved=false")).toEqual(["on live", "on gone", "nowhere"]);
  });

  it("logs an insight's dashboards after its own fields, by id and name (changes_between, then the tiles' change)", async () => {
    const d = dashboardApi(fake);
    const [dashboardId] = await d.createDashboard({ name: "Growth" });
    const [insightId] = await d.createInsight({ name: "before", tags: ["b"] });
    await d.api.patch(`/insights/${insightId}/`, { dashboards: [dashboardId], name: "after", tags: ["b", "a"] });
    const [latest] = (await d.insightActivity(insightId)).results;
    expect(latest.detail.changes.map((c: { field: string }) => c.field)).toEqual(["tags", "name", "dashboards"]);
    expect(latest.detail.changes.at(-1)).toMatchObject({ before: [], after: [{ id: dashboardId, name: "Growth" }] });
  });

  it("takes no sharing token as a credential on dashboards, actions and cohorts, and lets one list group types (sharing_enabled_actions)", async () => {
    const withGroups = createFakePostHog({ groupTypes: ["company"] });
    const api = posthogApi(withGroups);
    const insight = (await api.post("/insights/", { name: "shared" })).json;
    const token = (await api.patch(`/insights/${insight.id}/sharing/`, { enabled: true })).json.access_token;
    const anonymous = (path: string) =>
      withGroups.fetch(
        `${withGroups.origin}/api/projects/${withGroups.projectId}${path}?sharing_access_token=${token}`,
      );
    for (const path of ["/dashboards/", "/actions/", "/cohorts/"]) {
      const answer = await anonymous(path);
      expect(answer.status).toBe(403);
      expect((await answer.json()).code).toBe("not_authenticated");
      // Beside a key, the token changes nothing.
      expect((await api.get(`${path}?sharing_access_token=${token}`)).status).toBe(200);
    }
    const groups = await anonymous("/groups_types/");
    expect(groups.status).toBe(200);
    expect((await groups.json()).map((g: { group_type: string }) => g.group_type)).toEqual(["company"]);
  });
});
