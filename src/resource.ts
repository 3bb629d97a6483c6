// What the project resources (insights, dashboards, actions, cohorts, group types) share: the
// path of a project route and of one object's route, checked before any request, and lazy pages.
// It names no route and holds no transport, retry or error logic: that lives in request.ts.
import type { paths } from "../generated/schema.js";
import { parseObjectId } from "./ids.js";
import {
  type BasePage,
  fillRoute,
  type PageLoader,
  PagePromise,
  type PageQuery,
  type PageScope,
} from "./pagination.js";
import {
  type BodyOf,
  type CallInit,
  type FetchResult,
  onPath,
  type RequestCore,
  type RequestOptions,
} from "./request.js";

/** The path parameters of a project route. */
export type ProjectPath = { project_id: string };

/** The path parameters of a one-object route (`.../dashboards/{id}/`). */
export type ObjectPath = { project_id: string; id: number };

/**
 * What an operation hands to openapi-fetch: the request path's init with the route's
 * parameters (its path, and the query when the method takes one).
 */
export type RouteInit<Path, Query = never> = CallInit & { params: { path: Path; query?: Query } };

/** A route PostHog answers a GET on. */
type GetRoute = { [R in keyof paths]: paths[R] extends { get: object } ? R : never }[keyof paths];

/** The query parameters of a route's GET, as the spec declares them. */
type QueryOf<R extends GetRoute> = paths[R] extends { get: { parameters: { query?: infer Q } } } ? Q : never;

/** One GET of a listing's page; its query is checked against the route by `pages`' caller. */
type ListGet = (route: GetRoute, init: RouteInit<ProjectPath, unknown>) => Promise<FetchResult & { data?: object }>;

/** An operation on a route whose path is known, run by the request path. */
type Operation<Path, Query, R extends FetchResult> = (init: RouteInit<Path, Query>) => Promise<R>;

/**
 * The path of one object's route from the id a caller gave: at once for a numeric id, or a
 * promise while it is looked up (an insight's short id). A bad id throws before any request.
 */
export type ObjectPathOf<Id, Path> = (id: Id, options: RequestOptions | undefined) => Path | Promise<Path>;

/**
 * The request path seen from one kind of object: its project and object routes, each operation
 * handed in by the resource that names it. A call whose path is known at once takes no promise
 * turn before its request (the fast path), and a bad id rejects before any request.
 */
export class ProjectRoutes<Id = number | string, Path extends ProjectPath = ObjectPath> {
  readonly core: RequestCore;
  /** The path of one object's route. */
  readonly object: ObjectPathOf<Id, Path>;

  constructor(core: RequestCore, object: ObjectPathOf<Id, Path>) {
    this.core = core;
    this.object = object;
  }

  /** The path of a project route; a bad project id throws before any request. */
  project(options: RequestOptions | undefined): ProjectPath {
    return { project_id: this.core.project(options) };
  }

  /** Runs a project operation (with `query`, when given) and resolves to its body. */
  onProject<R extends FetchResult, Query = never>(
    options: RequestOptions | undefined,
    operation: Operation<ProjectPath, Query, R>,
    query?: Query,
  ): Promise<BodyOf<R>> {
    return this.#run(() => this.project(options), options, operation, query);
  }

  /** Runs a one-object operation (with `query`, when given) and resolves to its body. */
  onObject<R extends FetchResult, Query = never>(
    id: Id,
    options: RequestOptions | undefined,
    operation: Operation<Path, Query, R>,
    query?: Query,
  ): Promise<BodyOf<R>> {
    return this.#run(() => this.object(id, options), options, operation, query);
  }

  #run<P, Query, R extends FetchResult>(
    pathOf: () => P | Promise<P>,
    options: RequestOptions | undefined,
    operation: Operation<P, Query, R>,
    query: Query | undefined,
  ): Promise<BodyOf<R>> {
    // An undefined query is no query to openapi-fetch.
    return onPath(pathOf, (path) =>
      this.core.run(options, (init) =>
        operation({ ...init, params: { path, query } as RouteInit<P, Query>["params"] }),
      ),
    );
  }

  /**
   * Pages lazily through the listing a GET on `route` answers; each page's `next` is checked
   * against `route` filled with the path (`pathOf`, the project route's by default).
   */
  pages<Item, P extends BasePage<Item, P>, Route extends GetRoute, LP extends ProjectPath = ProjectPath>(
    PageClass: new (envelope: object, load: PageLoader<P>, scope: PageScope) => P,
    route: Route,
    params: QueryOf<Route>,
    options: RequestOptions | undefined,
    pathOf: () => LP | Promise<LP> = () => this.project(options) as LP,
  ): PagePromise<Item, P> {
    const core = this.core;
    // `params` is checked against the route's query above; openapi-fetch's GET sees one route of many here.
    const api = core.api as unknown as { GET: ListGet };
    const load = async (query: QueryOf<Route> | PageQuery): Promise<P> => {
      const path = await pathOf();
      // A `next` link's query is the server's own; it goes back as given.
      const envelope = await core.run(options, (init) => api.GET(route, { ...init, params: { path, query } }));
      return new PageClass(envelope, load, { origin: core.origin, path: fillRoute(route, path) });
    };
    return new PagePromise(() => load(params));
  }
}

/**
 * The routes of a kind whose objects have numeric ids (dashboards, actions, cohorts): `what`
 * names the id in the message of a bad one, such as "dashboard id".
 */
export function numericRoutes(core: RequestCore, what: string): ProjectRoutes {
  return new ProjectRoutes(core, (id, options) => ({ project_id: core.project(options), id: parseObjectId(id, what) }));
}

/** The items of a listing PostHog answers in one `{ results }` envelope, unpaged. */
export function resultsOf<Item>(listing: Promise<{ results: Item[] }>): Promise<Item[]> {
  return listing.then((body) => body.results);
}
