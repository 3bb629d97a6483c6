// What the ported PostHog API tests (test/testing/posthog-*.test.ts) drive the kit with: PostHog's
// `self.client` (raw requests on the project's routes, answers as status + JSON) and its
// `freeze_time` (the fake's clock, faked with vitest). Test support only.
import { vi } from "vitest";
import type { FakePostHog } from "../../src/testing/index.js";

/** An answer: status, parsed JSON body (text when not JSON, undefined when empty), headers. */
export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: PostHog's tests index answers freely, as `response.json()` does.
  json: any;
  headers: Headers;
}

interface CallOptions {
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** The personal API key; null sends no Authorization header (PostHog's `self.client.logout()`). */
  key?: string | null;
  headers?: Record<string, string>;
  /** `projects` (default) or `environments`, the alias PostHog also routes. */
  prefix?: "projects" | "environments";
}

/**
 * PostHog's test client on one fake: `path` is relative to the project (`/insights/7/`).
 *
 * @example
 * const client = posthogClient(fake);
 * expect((await client.post("/insights/", { name: "A" })).status).toBe(201);
 */
export function posthogClient(fake: FakePostHog) {
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<Reply> => {
    const url = new URL(`${fake.origin}/api/${options.prefix ?? "projects"}/${fake.projectId}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      url.searchParams.set(name, String(value));
    }
    const headers = new Headers(options.headers);
    const key = options.key === undefined ? fake.apiKey : options.key;
    if (key !== null) {
      headers.set("authorization", `Bearer ${key}`);
    }
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) {
      headers.set("content-type", "application/json");
      init.body = JSON.stringify(options.body);
    }
    const response = await fake.fetch(url, init);
    const text = await response.text();
    const isJson = response.headers.get("content-type")?.startsWith("application/json") ?? false;
    return { status: response.status, json: isJson ? JSON.parse(text) : text || undefined, headers: response.headers };
  };
  return {
    get: (path: string, query?: CallOptions["query"], options: CallOptions = {}) =>
      call("GET", path, { ...options, ...(query ? { query } : {}) }),
    post: (path: string, body?: unknown, options: CallOptions = {}) =>
      call("POST", path, { ...options, ...(body === undefined ? {} : { body }) }),
    patch: (path: string, body?: unknown, options: CallOptions = {}) =>
      call("PATCH", path, { ...options, ...(body === undefined ? {} : { body }) }),
    delete: (path: string, options: CallOptions = {}) => call("DELETE", path, options),
    /** An insight's activity entries, newest first, without their `id` (PostHog's `assert_insight_activity`). */
    activity: async (id: number): Promise<Record<string, unknown>[]> => {
      const reply = await call("GET", `/insights/${id}/activity/`, { query: { limit: 100 } });
      return (reply.json.results as Record<string, unknown>[]).map(({ id: _id, ...entry }) => entry);
    },
  };
}

/** PostHog's `freeze_time`: only `Date` is faked, so the fake's in-process `fetch` still runs. */
export function freezeTime(at: string): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(at));
}

/** `frozen_time.tick(delta)`. */
export function tick(ms: number): void {
  vi.setSystemTime(new Date(Date.now() + ms));
}

/** Back to the real clock (call in `afterEach`). */
export function unfreezeTime(): void {
  vi.useRealTimers();
}

/**
 * The events table PostHog's tests save (test_insight_query.py::test_can_save_valid_events_query_to_an_insight,
 * test_insight.py::test_get_recently_viewed_insights_include_query_based_insights).
 */
export const EVENTS_QUERY = {
  kind: "EventsQuery",
  select: [
    "*",
    "event",
    "person",
    "coalesce(properties.$current_url, properties.$screen_name)",
    "properties.$lib",
    "timestamp",
  ],
  properties: [{ type: "event", key: "$browser", operator: "exact", value: "Chrome" }],
  limit: 100,
};

/** The `created` activity entry PostHog's tests expect for a named insight created at `at`. */
export function createdEntry(
  insight: { id: number; short_id: string; created_by: { first_name: string; email: string } },
  name: string,
  at: string,
): Record<string, unknown> {
  return {
    user: { first_name: insight.created_by.first_name, email: insight.created_by.email },
    activity: "created",
    created_at: at,
    scope: "Insight",
    item_id: String(insight.id),
    detail: { changes: null, trigger: null, type: null, name, short_id: insight.short_id },
  };
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;
