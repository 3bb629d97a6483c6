// createFakePostHog(): a stateful, in-memory PostHog. The request pipeline (record, injected
// failures, routing, authentication, scopes, project, throttling, handler) and the public
// surface. Imports the library (for `client()`); the library never imports this.
// Through the library entry, so that the build puts the client in `index.js` itself (one module
// to load when importing the library) and the kit imports it from there.
import { PostHogClient } from "../index.js";
import type { ClientOptions } from "../config.js";
import type { Action, Cohort, Dashboard } from "../object-types.js";
import type { Insight } from "../types.js";
import {
  type Answer,
  authenticationFailed,
  defaultFailureBody,
  errorAnswer,
  forbidden,
  notAuthenticated,
  notFound,
  parseError,
  throttled,
  toResponse,
} from "./answers.js";
import { applyRefresh } from "./calculations.js";
import type { Context } from "./context.js";
import { serverTime } from "./dates.js";
import { type FakePostHogOptions, resolveFakeConfig } from "./options.js";
import { actionsKind } from "./kinds/actions.js";
import { cohortsKind } from "./kinds/cohorts.js";
import { dashboardsKind } from "./kinds/dashboards.js";
import type { Kind, Stored } from "./kinds/kind.js";
import { match } from "./routes.js";
import { scopeRefusal } from "./scopes.js";
import { fullInsight, membership } from "./serialize.js";
import { listen, type Listening } from "./server.js";
import { Store } from "./store.js";
import { Throttle } from "./throttle.js";

/**
 * A request the fake saw.
 *
 * @example
 * expect(fake.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["POST 201"]);
 */
export interface FakeRequest {
  method: string;
  /** The path, such as `/api/projects/1/insights/`. */
  path: string;
  /** The query string parameters. */
  query: Record<string, string>;
  /** The parsed JSON body (the text when it is not JSON), or undefined. */
  body: unknown;
  /** The status of the answer. */
  status: number;
}

/**
 * An answer to inject with `fake.fail()`. `path` matches the end of the request's path
 * (`"/insights/"`, `"/insights/7/"`) or, as a RegExp, anywhere in it.
 *
 * @example
 * fake.fail({ method: "POST", path: "/insights/", status: 429 });
 */
export interface FakeFailure {
  method?: string;
  path?: string | RegExp;
  status: number;
  /** The JSON body; default: PostHog's error body for the status (none for other statuses). */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests get it. @default 1 */
  times?: number;
}

/**
 * Work to do before the fake answers the next `times` (default 1) matching requests: `run` is
 * awaited first, so it can change the fake's state between a client's read and its write (an edit
 * "in the PostHog UI" while a job runs). `method` and `path` match as in `FakeFailure`. Requests
 * that `run` makes itself are never intercepted by the same entry.
 *
 * @example
 * const ui = () => fake.client().insights.update(7, { name: "UI" });
 * fake.intercept({ method: "PATCH", path: "/insights/7/", run: ui });
 */
export interface FakeIntercept {
  method?: string;
  path?: string | RegExp;
  /** How many matching requests it runs before. @default 1 */
  times?: number;
  run: (request: FakeRequest) => unknown;
}

const ORIGIN = "https://posthog.fake.test";
const PREFIX = /^\/api\/(?:projects|environments)\/(?<project>[^/]+)(?<rest>\/.*)$/;

const slash = (path: string): string => (path.endsWith("/") ? path : `${path}/`);

/**
 * The first entry of `list` matching a request, counted down (and removed at zero) before it is
 * used, so that requests it leads to never match it again.
 */
function take<T extends { method?: string; path?: string | RegExp; left: number }>(
  list: T[],
  method: string,
  path: string,
): T | undefined {
  const found = list.find(
    (f) =>
      (f.method === undefined || f.method.toUpperCase() === method) &&
      (f.path === undefined || (typeof f.path === "string" ? slash(path).endsWith(slash(f.path)) : f.path.test(path))),
  );
  if (found) {
    found.left--;
    if (found.left === 0) {
      list.splice(list.indexOf(found), 1);
    }
  }
  return found;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A stateful PostHog in a box: see `createFakePostHog()`. */
export class FakePostHog {
  /** The origin the in-process `fetch` serves. */
  readonly origin = ORIGIN;
  /** The personal API key it accepts. */
  readonly apiKey: string;
  /** Its project id (it also answers to `"@current"`). */
  readonly projectId: number;
  /**
   * A `fetch` that serves the API in process: pass it as the client's `fetch`.
   *
   * @example
   * const posthog = new PostHogClient({
   *   apiKey: fake.apiKey,
   *   host: fake.origin,
   *   projectId: fake.projectId,
   *   fetch: fake.fetch,
   * });
   */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  readonly #config;
  readonly #store = new Store();
  readonly #throttle = new Throttle();
  #requests: FakeRequest[] = [];
  #failures: (FakeFailure & { left: number })[] = [];
  #intercepts: (FakeIntercept & { left: number })[] = [];

  constructor(options: FakePostHogOptions = {}) {
    this.#config = resolveFakeConfig(options);
    this.apiKey = this.#config.apiKey;
    this.projectId = this.#config.projectId;
    this.fetch = async (input, init) => this.#handle(new Request(input, init));
  }

  /**
   * A `PostHogClient` wired to the fake; `options` override the client's.
   *
   * @example
   * const posthog = fake.client({ maxRetries: 0 });
   */
  client(options: ClientOptions = {}): PostHogClient {
    return new PostHogClient({
      apiKey: this.apiKey,
      host: this.origin,
      projectId: this.projectId,
      fetch: this.fetch,
      ...options,
    });
  }

  /**
   * Serves the same API and state over HTTP on 127.0.0.1 and a free port.
   *
   * @example
   * const server = await fake.listen();
   * const posthog = new PostHogClient({ apiKey: fake.apiKey, host: server.url, projectId: fake.projectId });
   * await server.close();
   */
  listen(): Promise<Listening> {
    return listen((request) => this.#handle(request));
  }

  /** The stored insights in id order, soft-deleted ones included; copies. */
  get insights(): Insight[] {
    const now = new Date();
    return [...this.#store.insights.values()].map((insight) =>
      fullInsight(
        insight,
        applyRefresh(this.#store, insight, "force_cache", this.projectId, now),
        this.projectId,
        this.#config.api === "current",
        membership(this.#store, insight.id),
        { query: "stored" },
      ),
    );
  }

  /** The stored dashboards in id order, soft-deleted ones included, each with the tiles it shows; copies. */
  get dashboards(): Dashboard[] {
    return this.#inspect(dashboardsKind) as unknown as Dashboard[];
  }

  /** The stored actions in id order, soft-deleted ones included; copies. */
  get actions(): Action[] {
    return this.#inspect(actionsKind) as unknown as Action[];
  }

  /** The stored cohorts in id order, soft-deleted ones included; copies. */
  get cohorts(): Cohort[] {
    return this.#inspect(cohortsKind) as unknown as Cohort[];
  }

  /** Every object of a kind, served as a retrieve would, without what a request would change. */
  #inspect<T extends Stored>(kind: Kind<T>): Record<string, unknown>[] {
    const now = new Date();
    const ctx: Context = {
      store: this.#store,
      config: this.#config,
      url: new URL(ORIGIN),
      // Not a request: nothing is recorded as accessed, no calculation advances.
      method: "INSPECT",
      body: undefined,
      headers: new Headers(),
      now,
      stamp: serverTime(now),
      params: {},
    };
    return kind
      .objects(this.#store)
      .values()
      .map((object) => kind.serve(ctx, object, "detail"));
  }

  /** Every request seen, oldest first; copies. */
  get requests(): FakeRequest[] {
    return structuredClone(this.#requests);
  }

  /**
   * Answers the next `times` (default 1) matching requests with `status`, before anything else.
   *
   * @example
   * fake.fail({ status: 503, times: 2 });
   */
  fail(failure: FakeFailure): void {
    const times = failure.times ?? 1;
    if (!(Number.isInteger(failure.status) && failure.status >= 200 && failure.status <= 599)) {
      throw new TypeError(`Invalid status ${failure.status}.`);
    }
    if (!(Number.isInteger(times) && times >= 1)) {
      throw new TypeError(`Invalid times ${times}: an integer >= 1.`);
    }
    this.#failures.push({ ...failure, left: times });
  }

  /**
   * Runs `intercept.run` before answering the next `times` (default 1) matching requests, and
   * waits for it: a test's way to act between two requests of the code under test.
   *
   * @example
   * // An edit in the UI lands between the client's re-read of insight 7 and its PATCH.
   * fake.intercept({
   *   method: "PATCH",
   *   path: "/insights/7/",
   *   run: () => fake.client().insights.update(7, { description: "edited in the UI" }),
   * });
   */
  intercept(intercept: FakeIntercept): void {
    const times = intercept.times ?? 1;
    if (!(Number.isInteger(times) && times >= 1)) {
      throw new TypeError(`Invalid times ${times}: an integer >= 1.`);
    }
    if (typeof intercept.run !== "function") {
      throw new TypeError("intercept.run must be a function.");
    }
    this.#intercepts.push({ ...intercept, left: times });
  }

  /**
   * Back to empty: no insights, dashboards, actions, cohorts, activity, views, calculations,
   * requests, failures or throttle history.
   *
   * @example
   * afterEach(() => fake.reset());
   */
  reset(): void {
    this.#store.reset();
    this.#throttle.reset();
    this.#requests = [];
    this.#failures = [];
    this.#intercepts = [];
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const raw = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    let body: unknown;
    let bodyError: string | undefined;
    if (raw !== "") {
      try {
        body = JSON.parse(raw);
      } catch (err) {
        body = raw;
        bodyError = `JSON parse error - ${(err as Error).message}`;
      }
    }
    const record: FakeRequest = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: structuredClone(body),
      status: 0,
    };
    this.#requests.push(record);
    const intercept = take(this.#intercepts, request.method, url.pathname);
    if (intercept) {
      await intercept.run(structuredClone(record));
    }
    const answer = this.#injected(request.method, url.pathname) ?? this.#answer(request, url, body, bodyError);
    record.status = answer.status;
    return toResponse(answer);
  }

  #injected(method: string, path: string): Answer | undefined {
    const failure = take(this.#failures, method, path);
    if (!failure) {
      return undefined;
    }
    const json = failure.body === undefined ? defaultFailureBody(failure.status) : failure.body;
    return { status: failure.status, json, headers: { ...failure.headers } };
  }

  #answer(request: Request, url: URL, body: unknown, bodyError: string | undefined): Answer {
    const config = this.#config;
    const parts = PREFIX.exec(url.pathname)?.groups;
    const found = parts ? match(request.method, parts.rest ?? "", config.api) : undefined;
    if (!parts || !found) {
      return notFound();
    }
    const { route, params, allowed } = found;
    if (!route) {
      if (allowed.length === 0) {
        return notFound();
      }
      return errorAnswer(405, {
        type: "invalid_request",
        code: "method_not_allowed",
        detail: `Method "${request.method}" not allowed.`,
        attr: null,
      });
    }
    const now = new Date();
    const ctx: Context = {
      store: this.#store,
      config,
      url,
      method: request.method,
      body,
      headers: request.headers,
      now,
      stamp: serverTime(now),
      params,
    };
    // PostHog's insight viewset tries a `sharing_access_token` before any key: it reads the shared
    // insight only, is not a personal API key (no scopes, no throttle), and refuses other actions.
    const token = route.sharing ? url.searchParams.get("sharing_access_token") : null;
    if (token) {
      if (request.method !== "GET" && request.method !== "HEAD") {
        return authenticationFailed("Sharing access token can only be used for GET requests.");
      }
      const shared = this.#store.sharedInsight(token, now.getTime());
      if (shared === undefined) {
        return authenticationFailed("Sharing access token is invalid.");
      }
      ctx.shared = shared;
      if (route.sharing !== "read") {
        return forbidden("You do not have permission to perform this action.");
      }
      if (parts.project !== "@current" && parts.project !== String(config.projectId)) {
        return notFound("Project not found.");
      }
      return route.handler(ctx);
    }
    // DRF order: authentication, permissions (scope, project), throttles, then the view.
    const auth = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    if (auth === undefined) {
      return notAuthenticated();
    }
    if (auth !== config.apiKey) {
      return authenticationFailed();
    }
    const refusal = scopeRefusal(config.scopes, route.scope);
    if (refusal) {
      return refusal;
    }
    // Clients send `@current` percent-encoded (`%40current`), as a path segment should be.
    const project = safeDecode(parts.project ?? "");
    if (project !== "@current" && project !== String(config.projectId)) {
      return notFound("Project not found.");
    }
    const wait = this.#throttle.check(route.bucket, auth, config.limits[route.bucket]);
    if (wait !== undefined) {
      return throttled(wait);
    }
    if (bodyError) {
      return parseError(bodyError);
    }
    return route.handler(ctx);
  }
}

/**
 * A stateful, in-memory PostHog that behaves like the real one, for tests: no account, no
 * network. Pass `fake.fetch` to your client (or use `fake.client()`), then assert on
 * `fake.insights` and `fake.requests`.
 *
 * @example
 * import { createFakePostHog } from "posthog-insights/testing";
 * const fake = createFakePostHog();
 * const posthog = fake.client();
 * await posthog.insights.create({ name: "Signups" });
 * console.log(fake.insights[0]?.short_id);
 */
export function createFakePostHog(options: FakePostHogOptions = {}): FakePostHog {
  return new FakePostHog(options);
}
