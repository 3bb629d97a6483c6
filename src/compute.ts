// `insights.compute()`: start an async calculation, poll it to the end, re-read the insight;
// on deadline or abort, cancel it on the server. Requests go through the request path only.
import { APITimeoutError, PostHogError, QueryError } from "./errors.js";
import { parseQueryId } from "./ids.js";
import { errorOf, type FetchResult, type Performed, type RequestCore, type RequestOptions } from "./request.js";
import { abortReason, Deadline, sleep } from "./sleep.js";
import type { Insight } from "./types.js";

/**
 * Options of `insights.compute()`. `timeoutMs` is the deadline of the whole computation.
 *
 * @example
 * await posthog.insights.compute(7, { refresh: "force_async", pollIntervalMs: 1_000, timeoutMs: 60_000 });
 */
export interface ComputeOptions extends Omit<RequestOptions, "timeoutMs"> {
  /** How to start the calculation. @default "async" */
  refresh?: "async" | "force_async" | "lazy_async";
  /** First wait between polls; it grows by half each poll, up to 5 s. @default 500 */
  pollIntervalMs?: number;
  /** Deadline for the whole computation, in milliseconds. @default 300_000 */
  timeoutMs?: number;
}

/** The longest wait between two polls. */
const MAX_POLL_INTERVAL_MS = 5_000;

type Retrieve = (
  refresh: "async" | "force_async" | "lazy_async" | "force_cache",
  options: RequestOptions,
) => Promise<Insight>;

/** What a poll of a running calculation responds with, on success (200) or failure (400, 5xx). */
type PollBody = { query_status?: { error?: boolean; error_message?: string | null }; detail?: string } | undefined;

/** Starts an async calculation, polls it to the end, and re-reads the insight. */
export async function compute(
  core: RequestCore,
  retrieve: Retrieve,
  { refresh = "async", timeoutMs = 300_000, pollIntervalMs = 500, signal, ...rest }: ComputeOptions = {},
): Promise<Insight> {
  if (!/^(async|force_async|lazy_async)$/.test(refresh) || !(timeoutMs > 0 && pollIntervalMs > 0)) {
    throw new PostHogError("Invalid compute() options.");
  }
  const project_id = core.project(rest);
  // One signal for every request of the computation: the caller's abort or the deadline. Its
  // deadline is known to the request path, so that a request whose turn under the rate limit
  // comes after it fails at once with a RateLimitError.
  const limit = new Deadline(
    timeoutMs,
    signal,
    () => new APITimeoutError(`The calculation did not finish within ${timeoutMs} ms.`),
    true,
  );
  const call: RequestOptions = { ...rest, signal: limit.signal };
  let running: string | undefined;
  try {
    const first = await retrieve(refresh, call);
    const status = first.query_status;
    if (!status) {
      return first;
    }
    if (status.error) {
      throw new QueryError(status.id, status.error_message ?? undefined);
    }
    if (!status.complete) {
      running = parseQueryId(status.id);
    }
    for (let wait = pollIntervalMs; running; wait = Math.min(wait * 1.5, MAX_POLL_INTERVAL_MS)) {
      await sleep(wait, limit.signal);
      const path = { project_id, query_id: running };
      const poll = await core.perform(
        (init) => core.api.GET("/api/projects/{project_id}/query/{query_id}/", { ...init, params: { path } }),
        call,
      );
      if (finished(poll, running)) {
        running = undefined;
      }
    }
    return await retrieve("force_cache", call);
  } catch (err) {
    if (!limit.signal.aborted) {
      throw err;
    }
    // Ask the server to stop the calculation first; best effort, it expires abandoned ones anyway.
    if (running) {
      const path = { project_id, query_id: running };
      const cancel = { ...rest, timeoutMs: 10_000, maxRetries: 0 };
      await core
        .perform(
          (init) => core.api.DELETE("/api/projects/{project_id}/query/{query_id}/", { ...init, params: { path } }),
          cancel,
        )
        .catch(() => undefined);
    }
    throw abortReason(limit.signal);
  } finally {
    limit.release();
  }
}

/**
 * Whether a poll says the calculation is done: false while it runs (202); throws when it failed
 * (`QueryError`) or the poll itself was refused (`APIError`).
 */
function finished(poll: Performed<FetchResult>, queryId: string): boolean {
  const status = poll.response.status;
  if (status === 202) {
    return false;
  }
  // 200: done (unless it carries error: true); 400: failed with a message; 5xx: failed without one.
  if (status !== 200 && status !== 400 && status < 500) {
    throw errorOf(poll);
  }
  const body = (poll.data ?? poll.error) as PollBody;
  if (status !== 200 || body?.query_status?.error) {
    throw new QueryError(queryId, body?.query_status?.error_message || body?.detail || undefined);
  }
  return true;
}
