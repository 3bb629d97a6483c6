// Handlers of the activity routes: `{results, next, previous, total_count}` paged by `page`
// and `limit` (default 10), newest first. Read-only.
import { type Answer, json, notFound } from "../answers.js";
import { type Context, intParam, withQuery } from "../context.js";
import { activityCsv } from "../serialize.js";
import type { StoredActivity } from "../store.js";

function page(ctx: Context, entries: StoredActivity[]): Answer {
  const limit = intParam(ctx.url, "limit", 10, 1);
  const number = intParam(ctx.url, "page", 1, 1);
  const results = entries.slice((number - 1) * limit, number * limit);
  if (ctx.url.searchParams.get("format") === "csv") {
    return { status: 200, text: { body: activityCsv(results), type: "text/csv; charset=utf-8" } };
  }
  const link = (n: number) => withQuery(ctx.url, { page: String(n), limit: String(limit) });
  return json(200, {
    results: structuredClone(results),
    next: number * limit < entries.length ? link(number + 1) : null,
    previous: number > 1 ? link(number - 1) : null,
    total_count: entries.length,
  });
}

/** GET /insights/activity/: every insight's activity. */
export function projectActivity(ctx: Context): Answer {
  return page(ctx, ctx.store.activity);
}

/** GET /insights/{id}/activity/: one insight's activity (also of a soft-deleted one). */
export function insightActivity(ctx: Context): Answer {
  const insight = ctx.store.find(ctx.params.id ?? "", ctx.config.api === "current");
  if (!insight) {
    return notFound();
  }
  const id = String(insight.id);
  return page(
    ctx,
    ctx.store.activity.filter((e) => e.item_id === id),
  );
}
