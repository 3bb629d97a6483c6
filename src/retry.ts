// When to try a request again, and how long to wait first (our backoff, or the server's word).
// It decides and computes only; it never sleeps or sends.
import { isRecord } from "./guards.js";

/** Statuses worth another attempt: timeouts, throttling and transient server failures. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** A server-told wait longer than this is not slept: the call fails at once with the wait. */
export const MAX_SERVER_WAIT_MS = 60_000;

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/** Whether a method may be sent again after its response was lost (POST creates things). */
export function isIdempotent(method: string): boolean {
  return method !== "POST";
}

/**
 * Whether an attempt that got a response should be retried. A POST only on 429: the throttle
 * responds before the application ran, so nothing was created.
 */
export function retryableStatus(status: number, method: string): boolean {
  return RETRYABLE_STATUSES.has(status) && (isIdempotent(method) || status === 429);
}

/**
 * Whether an attempt that got no response should be retried. A POST only when the request
 * provably never reached the server (refused connection, unknown host).
 */
export function retryableFailure(error: unknown, method: string, timedOut: boolean): boolean {
  if (isIdempotent(method)) {
    return true;
  }
  return !timedOut && neverSent(error);
}

function neverSent(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND") {
      return true;
    }
  }
  return false;
}

/**
 * Exponential backoff with jitter: 0.5 s, 1 s, 2 s, ... capped at 8 s, each reduced by up
 * to 25 % at random so that many clients do not retry in step.
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** retry, MAX_DELAY_MS);
  return ceiling * (1 - 0.25 * random());
}

/**
 * The wait a server asked for, in milliseconds: `Retry-After` (seconds or an HTTP date),
 * else PostHog's 429 detail "Expected available in N seconds" (`body` is the parsed body or
 * its text). `undefined` when it said nothing usable.
 */
export function serverWaitMs(headers: Headers, body: unknown): number | undefined {
  const header = headers.get("retry-after")?.trim() ?? "";
  if (/^\d+(\.\d+)?$/.test(header)) {
    return Math.round(Number(header) * 1000);
  }
  const date = Date.parse(header);
  if (!Number.isNaN(date)) {
    return Math.max(0, date - Date.now());
  }
  // The `detail` of an error body, or the body itself when it is text.
  const detail = isRecord(body) ? body.detail : body;
  const seconds = /Expected available in (\d+(\.\d+)?) second/.exec(String(detail))?.[1];
  if (seconds === undefined) {
    return undefined;
  }
  return Math.round(Number(seconds) * 1000);
}
