// How the view commands name an insight on the command line: its numeric id or its short id
// (the letters and digits in its URL). Resolves a short id through the client's list filter;
// nothing else here talks to PostHog.
import type { PostHogClient } from "../client.js";
import type { Insight } from "../types.js";
import { CliError, UsageError } from "./errors.js";

const SHORT_ID = /^(?=[0-9A-Za-z]*[A-Za-z])[0-9A-Za-z]{8,12}$/;

/**
 * The numeric id an argument names: digits as they are, a short id looked up in the project.
 * A value that is neither is bad usage (exit 2); an unknown short id a failure (exit 1).
 *
 * @example
 * const id = await resolveInsightId(posthog, "AaVQ8Ijw"); // 7
 */
export async function resolveInsightId(client: PostHogClient, ref: string): Promise<number> {
  if (/^\d+$/.test(ref) && Number(ref) > 0 && Number.isSafeInteger(Number(ref))) {
    return Number(ref);
  }
  if (!SHORT_ID.test(ref)) {
    throw new UsageError(
      `"${ref}" is not an insight id: give its number (7) or its short id from the insight's URL (AaVQ8Ijw).`,
    );
  }
  const page = await client.insights.list({ short_id: ref, basic: true, limit: 1 });
  const found = page.results.find((insight) => insight.short_id === ref);
  if (found === undefined) {
    throw new CliError(`No insight with short id ${ref} in project ${client.projectId}: check the id and --project.`);
  }
  return found.id;
}

/**
 * An insight with its result: the cached one, calculated when there is none (or always with
 * `refresh`), through the client's `compute` (async calculation, polled, paced).
 *
 * @example
 * const insight = await insightWithResult(posthog, 7, { refresh: false });
 */
export async function insightWithResult(
  client: PostHogClient,
  id: number,
  options: { refresh: boolean },
): Promise<Insight> {
  if (options.refresh) {
    return client.insights.compute(id, { refresh: "force_async" });
  }
  const cached = await client.insights.retrieve(id);
  if (cached.result !== null && cached.result !== undefined) {
    return cached;
  }
  return client.insights.compute(id);
}
