// What the project resources (dashboards, actions, cohorts, group types) share: the path of a
// project route and of one object's route, checked before any request, and lazy pages. It names
// no route and holds no transport, retry or error logic: that lives in request.ts.
import { parseObjectId } from "./ids.js";
import {
  type BasePage,
  fillRoute,
  type PageLoader,
  PagePromise,
  type PageQuery,
  type PageScope,
} from "./pagination.js";
import type { CallInit, FetchResult, RequestCore, RequestOptions } from "./request.js";

/** The path parameters of a project route. */
export type ProjectPath = { project_id: string };

/** The path parameters of a one-object route (`.../dashboards/{id}/`). */
export type ObjectPath = { project_id: string; id: number };

/** One page of a listing, for a query the caller gave or a `next` link's. */
export type ListCall<Path, Query> = (
  path: Path,
  query: Query,
  init: CallInit,
) => Promise<FetchResult & { data?: object }>;

/** An operation on a route whose path is known, run by the request path. */
type Operation<Path, R extends FetchResult> = (path: Path, init: CallInit) => Promise<R>;

/**
 * The request path seen from one kind of object: its project and object routes, each operation
 * handed in by the resource that names it.
 */
export class ProjectRoutes {
  readonly core: RequestCore;
  /** What the object is called in messages, such as "dashboard id". */
  readonly #what: string;

  constructor(core: RequestCore, what: string) {
    this.core = core;
    this.#what = what;
  }

  /** The path of a project route; a bad project id throws before any request. */
  project(options: RequestOptions | undefined): ProjectPath {
    return { project_id: this.core.project(options) };
  }

  /** The path of a one-object route; a bad id throws before any request. */
  object(id: number | string, options: RequestOptions | undefined): ObjectPath {
    return { project_id: this.core.project(options), id: parseObjectId(id, this.#what) };
  }

  /** Runs a project operation and resolves to its body. */
  async onProject<R extends FetchResult>(options: RequestOptions | undefined, operation: Operation<ProjectPath, R>) {
    const path = this.project(options);
    return this.core.run(options, (init) => operation(path, init));
  }

  /** Runs a one-object operation and resolves to its body. */
  async onObject<R extends FetchResult>(
    id: number | string,
    options: RequestOptions | undefined,
    operation: Operation<ObjectPath, R>,
  ) {
    const path = this.object(id, options);
    return this.core.run(options, (init) => operation(path, init));
  }

  /** Pages lazily through a project listing; each page's `next` is checked against `route`. */
  pages<Item, P extends BasePage<Item, P>, Query>(
    PageClass: new (envelope: object, load: PageLoader<P>, scope: PageScope) => P,
    route: string,
    list: ListCall<ProjectPath, Query>,
    params: Query,
    options: RequestOptions | undefined,
  ): PagePromise<Item, P> {
    return pagesOf(this.core, PageClass, route, async () => this.project(options), list, params, options);
  }
}

/** Pages lazily through a listing: each page's `next` is checked against `route` filled with `path`. */
export function pagesOf<Item, P extends BasePage<Item, P>, Path extends ProjectPath, Query>(
  core: RequestCore,
  PageClass: new (envelope: object, load: PageLoader<P>, scope: PageScope) => P,
  route: string,
  pathOf: () => Path | Promise<Path>,
  list: ListCall<Path, Query>,
  params: Query,
  options: RequestOptions | undefined,
): PagePromise<Item, P> {
  const load = async (query: Query | PageQuery): Promise<P> => {
    const path = await pathOf();
    // A `next` link's query is the server's own; it goes back as given.
    const envelope = await core.run(options, (init) => list(path, query as Query, init));
    return new PageClass(envelope, load, { origin: core.origin, path: fillRoute(route, path) });
  };
  return new PagePromise(() => load(params));
}
