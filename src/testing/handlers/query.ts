// Handlers of `/query/{query_id}/`: polling an async calculation (202 `computeSteps` times,
// then 200) and cancelling it.
import { type Answer, json, notFound } from "../answers.js";
import { poll, queryStatus } from "../calculations.js";
import type { Context } from "../context.js";

/** GET /query/{query_id}/. */
export function queryStatusHandler(ctx: Context): Answer {
  const query = ctx.store.queries.get(ctx.params.query_id ?? "");
  if (!query) {
    return notFound();
  }
  poll(ctx.store, query, ctx.config.computeSteps, ctx.now);
  return json(query.computed || query.error !== undefined ? 200 : 202, {
    query_status: queryStatus(query, ctx.config.projectId),
  });
}

/** DELETE /query/{query_id}/: forgets the calculation; later polls get 404. */
export function cancelQuery(ctx: Context): Answer {
  if (!ctx.store.queries.delete(ctx.params.query_id ?? "")) {
    return notFound();
  }
  return json(200, { message: "Query cancelled" });
}
