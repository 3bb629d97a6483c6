import { APITimeoutError, APIUserAbortError, PostHogError, QueryError } from "./errors.js";
import { queryId } from "./ids.js";
import { errorOf, type RequestCore, type RequestOptions } from "./request.js";
import { abortReason, sleep } from "./sleep.js";
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

const QUERY = "/api/projects/{project_id}/query/{query_id}/";

type Retrieve = (
  refresh: "async" | "force_async" | "lazy_async" | "force_cache",
  options: RequestOptions,
) => Promise<Insight>;

/** Starts an async calculation, polls it to the end, and re-reads the insight. */
export async function compute(
  core: RequestCore,
  retrieve: Retrieve,
  { refresh = "async", timeoutMs = 300_000, pollIntervalMs = 500, signal, ...rest }: ComputeOptions = {},
): Promise<Insight> {
  if (!/^(async|force_async|lazy_async)$/.test(refresh) || !(timeoutMs > 0 && pollIntervalMs > 0)) {
    throw new PostHogError("Invalid compute() options.");
  }
  const project = core.project(rest);
  // One signal for every request of the computation: the caller's abort or the deadline.
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new APITimeoutError(`The calculation did not finish within ${timeoutMs} ms.`)),
    timeoutMs,
  );
  const onAbort = (): void => controller.abort(new APIUserAbortError());
  if (signal?.aborted) {
    onAbort();
  }
  signal?.addEventListener("abort", onAbort);
  const call: RequestOptions = { ...rest, signal: controller.signal };
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
      running = queryId(status.id);
    }
    for (let wait = pollIntervalMs; running; wait = Math.min(wait * 1.5, 5_000)) {
      await sleep(wait, controller.signal);
      const query_id = running;
      const result = await core.perform(
        (init) => core.api.GET(QUERY, { ...init, params: { path: { project_id: project, query_id } } }),
        call,
      );
      const code = result.response.status;
      if (code === 202) {
        continue;
      }
      // 200: done (unless it carries error: true); 400: failed with a message; 5xx: failed without one.
      const body = (result.data ?? result.error) as
        | { query_status?: { error?: boolean; error_message?: string | null }; detail?: string }
        | undefined;
      if (code !== 200 && code !== 400 && code < 500) {
        throw errorOf(result);
      }
      if (code !== 200 || body?.query_status?.error) {
        throw new QueryError(query_id, body?.query_status?.error_message || body?.detail || undefined);
      }
      running = undefined;
    }
    return await retrieve("force_cache", call);
  } catch (err) {
    if (!controller.signal.aborted) {
      throw err;
    }
    // Ask the server to stop the calculation first; best effort, it expires abandoned ones anyway.
    if (running) {
      const query_id = running;
      await core
        .perform((init) => core.api.DELETE(QUERY, { ...init, params: { path: { project_id: project, query_id } } }), {
          ...rest,
          timeoutMs: 10_000,
          maxRetries: 0,
        })
        .catch(() => undefined);
    }
    throw abortReason(controller.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
