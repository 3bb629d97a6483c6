import { APITimeoutError, APIUserAbortError, PostHogError, QueryError, isRecord } from "./errors.js";
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

const REFRESH_MODES = new Set(["async", "force_async", "lazy_async"]);
const MAX_POLL_INTERVAL_MS = 5_000;
const DEFAULT_DEADLINE_MS = 5 * 60_000;
const CANCEL_TIMEOUT_MS = 10_000;
const QUERY = "/api/projects/{project_id}/query/{query_id}/";

type Retrieve = (refresh: "async" | "force_async" | "lazy_async" | "force_cache", options: RequestOptions) => Promise<Insight>;

/** Starts an async calculation, polls it to the end, and re-reads the insight. */
export async function compute(core: RequestCore, retrieve: Retrieve, options: ComputeOptions = {}): Promise<Insight> {
  const refresh = options.refresh ?? "async";
  if (!REFRESH_MODES.has(refresh)) {
    throw new PostHogError(`compute() refresh must be "async", "force_async" or "lazy_async", got ${JSON.stringify(refresh)}.`);
  }
  const deadlineMs = options.timeoutMs ?? DEFAULT_DEADLINE_MS;
  const firstPollMs = options.pollIntervalMs ?? 500;
  if (!(deadlineMs > 0) || !(firstPollMs > 0)) throw new PostHogError("compute() timeoutMs and pollIntervalMs must be positive.");

  const project = core.project(options);

  // One signal for every request of the computation: the caller's abort or the deadline.
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new APITimeoutError(`The calculation did not finish within ${deadlineMs} ms.`)),
    deadlineMs,
  );
  const onAbort = (): void => controller.abort(new APIUserAbortError("The calculation was aborted by the caller's signal."));
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  const call: RequestOptions = { signal: controller.signal, maxRetries: options.maxRetries, headers: options.headers, projectId: options.projectId };
  let running: string | undefined;
  try {
    const first = await retrieve(refresh, call);
    const status = first.query_status;
    if (!status) return first;
    if (status.error) throw new QueryError(status.id, status.error_message ?? undefined);
    if (!status.complete) {
      running = queryId(status.id);
      await poll(core, project, running, firstPollMs, call);
      running = undefined;
    }
    return await retrieve("force_cache", call);
  } catch (err) {
    if (controller.signal.aborted) {
      if (running) await cancelQuietly(core, project, running, options);
      throw abortReason(controller.signal);
    }
    throw err;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** Polls the calculation until it is complete; rejects with `QueryError` if it failed. */
async function poll(core: RequestCore, project: string, id: string, first: number, call: RequestOptions): Promise<void> {
  for (let wait = first; ; wait = Math.min(wait * 1.5, MAX_POLL_INTERVAL_MS)) {
    await sleep(wait, call.signal);
    const result = await core.perform(
      (init) => core.api.GET(QUERY, { ...init, params: { path: { project_id: project, query_id: id } } }),
      call,
    );
    const { status } = result.response;
    if (status === 202) continue;
    const body: unknown = result.response.ok ? result.data : result.error;
    const queryStatus = isRecord(body) && isRecord(body.query_status) ? body.query_status : undefined;
    if (status === 200) {
      if (queryStatus?.error === true) throw new QueryError(id, messageOf(queryStatus.error_message));
      return;
    }
    // 400: failed with a user-facing message; 5xx: failed without one.
    if (status === 400 || status >= 500) {
      throw new QueryError(id, messageOf(queryStatus?.error_message) ?? (isRecord(body) ? messageOf(body.detail) : undefined));
    }
    throw errorOf(result);
  }
}

async function cancelQuietly(core: RequestCore, project: string, id: string, options: ComputeOptions): Promise<void> {
  try {
    await core.perform(
      (init) => core.api.DELETE(QUERY, { ...init, params: { path: { project_id: project, query_id: id } } }),
      { timeoutMs: CANCEL_TIMEOUT_MS, maxRetries: 0, headers: options.headers },
    );
  } catch {
    // Best effort: the server expires abandoned calculations anyway.
  }
}

function messageOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
