// The group types route: the project's group types, set through the fake's `groupTypes` option,
// as a bare array by index. Read-only: the fake never assigns group types from events.
import { json } from "../answers.js";
import type { KindRoute } from "./kind.js";

/** GET /groups_types/: not paginated; a sharing token may read it (`sharing_enabled_actions = ["list"]`). */
export const groupTypeRoutes: KindRoute[] = [
  {
    method: "GET",
    path: "/groups_types/",
    scope: "group:read",
    sharing: "read",
    handler: (ctx) =>
      json(
        200,
        ctx.config.groupTypes.map((type) => ({
          ...type,
          detail_dashboard: null,
          default_columns: null,
          created_at: null,
        })),
      ),
  },
];
