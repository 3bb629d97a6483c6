// What a handler gets for one request, and URL helpers for absolute page links. No state.
import type { FakeConfig } from "./options.js";
import type { Store } from "./store.js";

/** One request, as handlers see it. */
export interface Context {
  store: Store;
  config: FakeConfig;
  url: URL;
  method: string;
  /** The parsed JSON body, or undefined. */
  body: unknown;
  /** The request's headers. */
  headers: Headers;
  now: Date;
  /** `now` as PostHog's API writes timestamps. */
  stamp: string;
  /**
   * The insight a `sharing_access_token` gives read access to, when the request authenticated
   * with one instead of a personal API key.
   */
  shared?: number;
  /** The path parameters of the route (`id`, `insight_id`, `query_id`). */
  params: Record<string, string>;
}

/** The request's URL with `changes` applied to its query (null removes a parameter), absolute. */
export function withQuery(url: URL, changes: Record<string, string | null>): string {
  const next = new URL(url);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) {
      next.searchParams.delete(name);
    } else {
      next.searchParams.set(name, value);
    }
  }
  return next.toString();
}

/** A non-negative integer query parameter, or `fallback` when missing or invalid (DRF's leniency). */
export function intParam(url: URL, name: string, fallback: number, min: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || !/^\d+$/.test(raw)) {
    return fallback;
  }
  const value = Number(raw);
  return value >= min ? value : fallback;
}

/** DRF's boolean parsing of a query parameter. */
export function truthy(value: string | null): boolean {
  return value !== null && ["true", "1", "yes", "on", "t", "y"].includes(value.toLowerCase());
}
