// The fake's state: insights, activity log, views, sharing configurations, async calculations,
// and (in their kinds' stores) dashboards with their tiles, actions and cohorts, with the ids
// PostHog would assign. State only: no HTTP, no serialization.
import { alphanumeric } from "./hash.js";
import { DashboardStore } from "./kinds/dashboard-store.js";
import { ObjectStore } from "./kinds/kind.js";
import type { Computed } from "./results.js";

/** The result fields of a finished calculation, kept per insight like PostHog's cache. */
export interface CachedResult extends Computed {
  /** The cache key (`filters_hash`): it changes with the query. */
  key: string;
  last_refresh: string;
}

/** An insight as the fake stores it. */
export interface StoredInsight {
  id: number;
  short_id: string;
  name: string | null;
  derived_name: string | null;
  description: string | null;
  query: Record<string, unknown> | null;
  filters: Record<string, unknown>;
  order: number | null;
  deleted: boolean;
  favorited: boolean;
  saved: boolean;
  tags: string[];
  is_sample: boolean;
  created_at: string;
  updated_at: string;
  last_modified_at: string;
  last_viewed_at: string | null;
  cache: CachedResult | undefined;
}

/** One change of an activity entry: a field `created` (was empty), `changed` or `deleted` (now empty). */
export interface ActivityChange {
  type: "Insight";
  action: "changed" | "created" | "deleted" | "exported";
  field: string;
  before: unknown;
  after: unknown;
}

/** One activity log entry, as served. */
export interface StoredActivity {
  id: string;
  user: { first_name: string; email: string };
  activity: string;
  scope: "Insight";
  item_id: string;
  detail: {
    changes: ActivityChange[] | null;
    trigger: null;
    type: null;
    name: string | null;
    short_id: string;
  };
  created_at: string;
}

/** A saved sharing configuration (a never-saved one is not stored). */
export interface StoredSharing {
  created_at: string | null;
  enabled: boolean;
  access_token: string;
  settings: Record<string, unknown> | null;
  password_required: boolean;
  /** Tokens a refresh replaced, honoured until `until` (epoch ms), as PostHog's grace period. */
  retired: { token: string; until: number }[];
}

/** An async calculation, polled through `/query/{id}/`. */
export interface StoredQuery {
  id: string;
  insightId: number;
  key: string;
  /** The query calculated (the insight's effective one, overrides applied). */
  query: unknown;
  polls: number;
  start_time: string;
  end_time: string | null;
  computed: Computed | undefined;
  /** Why the calculation failed, when it did. */
  error?: string;
}

/** An action as the fake stores it; its steps in PostHog's stored shape. */
export interface StoredAction {
  id: number;
  name: string | null;
  description: string;
  tags: string[];
  post_to_slack: boolean;
  slack_message_format: string;
  steps: Record<string, unknown>[];
  deleted: boolean;
  pinned_at: string | null;
  created_at: string;
  last_calculated_at: string;
}

/** A cohort as the fake stores it. */
export interface StoredCohort {
  id: number;
  name: string | null;
  description: string;
  groups: Record<string, unknown>[];
  filters: Record<string, unknown> | null;
  query: Record<string, unknown> | null;
  is_static: boolean;
  cohort_type: string | null;
  deleted: boolean;
  created_at: string;
  /** A calculation asked for by the last write, finished by the next request that reads the cohort. */
  calculating: boolean;
  last_calculation: string | null;
  count: number | null;
}

/** The user every request acts as. */
export const FAKE_USER = {
  id: 1,
  uuid: "0190e2a1-7a6b-7c3d-8e9f-0a1b2c3d4e5f",
  distinct_id: "fake-user",
  first_name: "Fake",
  last_name: "User",
  email: "fake.user@example.com",
  is_email_verified: true,
  hedgehog_config: null,
  role_at_organization: null,
};

/** All the state of one fake. */
export class Store {
  insights = new Map<number, StoredInsight>();
  activity: StoredActivity[] = [];
  /** Insight id -> time of the caller's latest view, least recently viewed first. */
  views = new Map<number, string>();
  sharing = new Map<number, StoredSharing>();
  queries = new Map<string, StoredQuery>();
  /** Dashboards, their tiles and text cards. */
  readonly dashboards = new DashboardStore();
  readonly actions = new ObjectStore<StoredAction>();
  readonly cohorts = new ObjectStore<StoredCohort>();
  #nextId = 1;
  #tokens = 0;

  /** A new insight id and its 8-character short id (unique, fixed for a fresh fake). */
  nextIds(): { id: number; short_id: string } {
    const id = this.#nextId++;
    let short_id = alphanumeric(`insight:${id}`, 8);
    for (let n = 1; [...this.insights.values()].some((i) => i.short_id === short_id); n++) {
      short_id = alphanumeric(`insight:${id}:${n}`, 8);
    }
    return { id, short_id };
  }

  /** A new sharing access token. */
  nextToken(): string {
    return alphanumeric(`token:${this.#tokens++}:${Date.now()}`, 30);
  }

  /** The insight `key` designates: its numeric id, or (when allowed) its short id. */
  find(key: string, shortIds: boolean): StoredInsight | undefined {
    if (/^\d+$/.test(key)) {
      const byId = this.insights.get(Number(key));
      if (byId || !shortIds) {
        return byId;
      }
    }
    if (!shortIds) {
      return undefined;
    }
    return [...this.insights.values()].find((i) => i.short_id === key);
  }

  /** Records the caller's view of an insight (the latest view moves it to the end of `views`). */
  view(insight: StoredInsight, now: string): void {
    this.views.delete(insight.id);
    this.views.set(insight.id, now);
    insight.last_viewed_at = now;
  }

  /** The insight an enabled sharing token opens (a replaced one during its grace), or undefined. */
  sharedInsight(token: string, now: number): number | undefined {
    for (const [insightId, sharing] of this.sharing) {
      const live = sharing.access_token === token || sharing.retired.some((r) => r.token === token && r.until > now);
      if (sharing.enabled && live) {
        return insightId;
      }
    }
    return undefined;
  }

  log(insight: StoredInsight, activity: string, changes: StoredActivity["detail"]["changes"], now: string): void {
    this.activity.unshift({
      id: uuid(`${this.activity.length}:${insight.id}:${activity}`),
      user: { first_name: FAKE_USER.first_name, email: FAKE_USER.email },
      activity,
      scope: "Insight",
      item_id: String(insight.id),
      detail: {
        changes,
        trigger: null,
        type: null,
        name: insight.name ?? insight.derived_name,
        short_id: insight.short_id,
      },
      created_at: now,
    });
  }

  reset(): void {
    this.insights.clear();
    this.activity = [];
    this.views.clear();
    this.sharing.clear();
    this.queries.clear();
    this.dashboards.reset();
    this.actions.reset();
    this.cohorts.reset();
    this.#nextId = 1;
    this.#tokens = 0;
  }
}

/** A version-4-shaped UUID fixed for `seed`. */
function uuid(seed: string): string {
  const hex = Array.from({ length: 4 }, (_, i) => alphanumeric(`${seed}:${i}`, 8))
    .join("")
    .replace(/[^0-9a-f]/gi, (c) => (c.charCodeAt(0) % 16).toString(16))
    .toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
