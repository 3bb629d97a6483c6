// The main job end to end: list with pagination, create, retrieve, update, compute, sharing,
// soft delete. `npm start` runs it against the embedded mock (Prism serving the spec);
// `npm start -- --live` runs only its read-only calls against the PostHog in
// POSTHOG_HOST with POSTHOG_PERSONAL_API_KEY.
import { PostHogClient, type InsightCreate } from "posthog-insights";

export type Log = (line: string) => void;

/** Runs the tour. With `readOnly`, makes no call that changes anything. */
export async function quickstart(posthog: PostHogClient, log: Log = console.log, readOnly = false): Promise<void> {
  log(`PostHog ${posthog.host}, project ${posthog.projectId}${readOnly ? " (read-only)" : ""}`);

  let listed = 0;
  for await (const insight of posthog.insights.list({ limit: 100, order: "-last_modified_at" })) {
    if (listed < 3) {
      log(`  list      #${insight.id} ${insight.short_id} ${JSON.stringify(insight.name ?? insight.derived_name)}`);
    }
    listed++;
    if (listed >= 250) {
      break;
    }
  }
  log(`list      ${listed} insight(s), fetched page by page`);

  const first = await posthog.insights.list({ limit: 1 });
  let id = first.results[0]?.id;

  if (!readOnly) {
    const body: InsightCreate = {
      name: "Daily signups (posthog-insights quickstart)",
      query: {
        kind: "InsightVizNode",
        source: {
          kind: "TrendsQuery",
          series: [{ kind: "EventsNode", event: "user signed up", name: "user signed up", math: "total" }],
          interval: "day",
          dateRange: { date_from: "-30d" },
        },
      },
    };
    const created = await posthog.insights.create(body);
    id = created.id;
    log(
      `create    #${created.id} ${created.short_id} (result ${created.result === null ? "not calculated yet" : "cached"})`,
    );
  }
  if (id === undefined) {
    log("No insight to read: the project has none.");
    return;
  }

  const insight = await posthog.insights.retrieve(id);
  log(
    `retrieve  #${insight.id} ${JSON.stringify(insight.name)}, query kind ${insight.query?.kind ?? "none"}, cached ${insight.is_cached}`,
  );

  if (!readOnly) {
    const updated = await posthog.insights.update(id, {
      description: "Created by the posthog-insights quickstart",
      favorited: true,
    });
    log(`update    #${updated.id} favorited=${updated.favorited}`);
  }

  const computed = await posthog.insights.compute(id, { timeoutMs: 120_000 });
  const series = Array.isArray(computed.result) ? computed.result.length : 0;
  log(`compute   #${computed.id}: ${series} result row(s), last refresh ${computed.last_refresh ?? "never"}`);

  const sharing = readOnly
    ? await posthog.insights.sharing.retrieve(id)
    : await posthog.insights.sharing.update(id, { enabled: true });
  log(
    `sharing   enabled=${sharing.enabled}${sharing.access_token ? `, token ${sharing.access_token.slice(0, 6)}…` : ""}`,
  );

  const activity = await posthog.insights.activity(id, { limit: 5 });
  log(
    `activity  ${activity.total_count} entr${activity.total_count === 1 ? "y" : "ies"}, latest: ${activity.results[0]?.activity ?? "none"}`,
  );

  if (!readOnly) {
    const deleted = await posthog.insights.delete(id);
    log(`delete    #${deleted.id} soft-deleted (PATCH deleted=true; PostHog refuses a real DELETE)`);
  }
}

// Run directly: `node --import ./scripts/ts-register.mjs examples/quickstart.ts` with the
// POSTHOG_* environment variables set.
if (import.meta.url === `file://${process.argv[1]}`) {
  await quickstart(new PostHogClient(), console.log, process.argv.includes("--live"));
}
