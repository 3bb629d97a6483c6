// PostHog's `DashboardAPI` test helper, and a short form of the raw client of
// test/testing/posthog-api.ts (path after `/api/projects/{id}`, JSON body, status and JSON
// answer), for the dashboard, action and cohort tests ported from PostHog.
import type { FakePostHog } from "../../src/testing/index.js";
import { posthogClient, type Reply } from "../testing/posthog-api.js";

/** An answer: its status and parsed JSON body (undefined when it has none). */
export type Answered = Reply;

/** A client for one fake: `get`, `post`, `patch`, `delete` on project paths (query strings in the path). */
export function posthogApi(fake: FakePostHog) {
  const client = posthogClient(fake);
  return {
    get: (path: string) => client.get(path),
    post: (path: string, body: unknown = {}) => client.post(path, body),
    patch: (path: string, body: unknown) => client.patch(path, body),
    delete: (path: string) => client.delete(path),
  };
}

/** PostHog's `DashboardAPI` test helper (posthog/api/test/dashboards/__init__.py), over a fake. */
export function dashboardApi(fake: FakePostHog) {
  const api = posthogApi(fake);
  const expectStatus = (answer: Answered, status: number, what: string) => {
    if (answer.status !== status) {
      throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.json)}`);
    }
    return answer;
  };
  return {
    api,
    async createDashboard(data: object, status = 201): Promise<[number, Answered["json"]]> {
      const answer = expectStatus(await api.post("/dashboards/", data), status, "create dashboard");
      return [answer.status === 201 ? answer.json.id : -1, answer.json];
    },
    async updateDashboard(id: number, data: object, status = 200): Promise<[number, Answered["json"]]> {
      const answer = expectStatus(await api.patch(`/dashboards/${id}/`, data), status, "update dashboard");
      return [answer.status === 200 ? answer.json.id : -1, answer.json];
    },
    async getDashboard(id: number, status = 200, query = ""): Promise<Answered["json"]> {
      return expectStatus(await api.get(`/dashboards/${id}/${query}`), status, "get dashboard").json;
    },
    async listDashboards(query = ""): Promise<Answered["json"]> {
      return expectStatus(await api.get(`/dashboards/${query}`), 200, "list dashboards").json;
    },
    async createInsight(data: object, status = 201): Promise<[number, Answered["json"]]> {
      const answer = expectStatus(await api.post("/insights/", data), status, "create insight");
      return [answer.json?.id, answer.json];
    },
    async updateInsight(id: number, data: object, status = 200): Promise<[number, Answered["json"]]> {
      const answer = expectStatus(await api.patch(`/insights/${id}/`, data), status, "update insight");
      return [answer.json?.id, answer.json];
    },
    async getInsight(id: number, status = 200, query = ""): Promise<Answered["json"]> {
      return expectStatus(await api.get(`/insights/${id}/${query}`), status, "get insight").json;
    },
    async listInsights(query = ""): Promise<Answered["json"]> {
      return expectStatus(await api.get(`/insights/?basic=true&limit=30${query}`), 200, "list insights").json;
    },
    /** PostHog's helper adds a text tile through the dashboard PATCH. */
    async createTextTile(
      id: number,
      text = "I AM TEXT!",
      extra: object = {},
      status = 200,
    ): Promise<[number, Answered["json"]]> {
      const answer = expectStatus(
        await api.patch(`/dashboards/${id}/`, { tiles: [{ text: { body: text }, ...extra }] }),
        status,
        "create text tile",
      );
      return [answer.json?.id, answer.json];
    },
    async updateTextTile(id: number, tile: object, status = 200): Promise<[number, Answered["json"]]> {
      const answer = expectStatus(await api.patch(`/dashboards/${id}/`, { tiles: [tile] }), status, "update text tile");
      return [answer.json?.id, answer.json];
    },
    async addInsightToDashboard(dashboardIds: number[], insightId: number, status = 200): Promise<void> {
      expectStatus(
        await api.patch(`/insights/${insightId}/`, { dashboards: dashboardIds }),
        status,
        "add to dashboard",
      );
    },
    async softDelete(id: number, kind: "insights" | "dashboards", extra: object = {}, getStatus = 404): Promise<void> {
      expectStatus(await api.patch(`/${kind}/${id}/`, { deleted: true, ...extra }), 200, "soft delete");
      expectStatus(await api.get(`/${kind}/${id}/`), getStatus, "get after soft delete");
    },
    /** Sets every tile's layout as PostHog's helper does: string numbers and stray keys, one PATCH per tile. */
    async setTileLayout(id: number, expectedTiles: number): Promise<void> {
      const tiles = (await this.getDashboard(id)).tiles as { id: number }[];
      if (tiles.length !== expectedTiles) {
        throw new Error(`expected ${expectedTiles} tiles, got ${tiles.length}`);
      }
      let n = 0;
      for (const tile of tiles) {
        n++;
        const layouts = {
          sm: { w: "7", h: "5", x: String(n), y: String(n), moved: "False", static: "False" },
          xs: { x: "0", y: "0", w: "6", h: "5" },
        };
        expectStatus(await api.patch(`/dashboards/${id}/`, { tiles: [{ id: tile.id, layouts }] }), 200, "set layout");
      }
    },
    async insightActivity(id?: number): Promise<Answered["json"]> {
      const path = id === undefined ? "/insights/activity/" : `/insights/${id}/activity/`;
      return expectStatus(await api.get(path), 200, "activity").json;
    },
  };
}
