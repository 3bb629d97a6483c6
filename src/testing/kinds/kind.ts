// The one small interface every kind of object the fake serves besides insights implements
// (dashboards, actions, cohorts): where its objects live, how its list filters and orders, how
// it creates, updates and serialises one. The routes and handlers common to all kinds (list,
// create, retrieve, update, the refused hard delete) are built here from it, once.
import { type Answer, empty, json, notFound } from "../answers.js";
import { type Context, intParam, withQuery } from "../context.js";
import type { Scope } from "../scopes.js";
import type { Store } from "../store.js";

/** What every stored object has. */
export interface Stored {
  id: number;
  deleted: boolean;
}

/** The objects of one kind, with the ids PostHog would assign (one sequence per kind). */
export class ObjectStore<T extends Stored> {
  readonly #items = new Map<number, T>();
  #next = 1;

  nextId(): number {
    return this.#next++;
  }

  add(item: T): T {
    this.#items.set(item.id, item);
    return item;
  }

  get(id: number): T | undefined {
    return this.#items.get(id);
  }

  /** The object a path segment designates (digits only, as Django's pk lookup), soft-deleted ones included. */
  find(key: string | undefined): T | undefined {
    return key !== undefined && /^\d+$/.test(key) ? this.#items.get(Number(key)) : undefined;
  }

  /** Every object in id order, soft-deleted ones included. */
  values(): T[] {
    return [...this.#items.values()];
  }

  reset(): void {
    this.#items.clear();
    this.#next = 1;
  }
}

/** A route of a kind, before the route table gives it its pattern and throttle bucket. */
export interface KindRoute {
  method: string;
  /** The path after `/api/projects/{project_id}`, with `{id}` for the object's id. */
  path: string;
  scope: Scope;
  /**
   * `read`: a `sharing_access_token` may call it, as on PostHog's viewsets whose
   * `sharing_enabled_actions` name it; else the token is not looked at (no credential there).
   */
  sharing?: "read";
  handler: (ctx: Context) => Answer;
}

/** How a list answers: which live objects, in which order, and what each item gets besides. */
export interface Listing<T> {
  keep(object: T): boolean;
  order(a: T, b: T): number;
  decorate?(item: Record<string, unknown>, object: T): Record<string, unknown>;
}

/** One kind of object, as the common handlers need it. */
export interface Kind<T extends Stored> {
  /** The path segment: `dashboards`, `actions`, `cohorts`. */
  segment: string;
  /** PostHog's scope object: `dashboard` needs `dashboard:read` and `dashboard:write`. */
  scope: "dashboard" | "action" | "cohort";
  objects(store: Store): ObjectStore<T>;
  /** `pages`: limit/offset pages with absolute links (default 100); `all`: every object in `{results}`. */
  list: "pages" | "all";
  /**
   * Whether a soft-deleted object still answers retrieve and update (actions and cohorts: only
   * their list hides deleted ones), or 404s to everything but a restore (dashboards).
   */
  deletedReachable: boolean;
  /** The list's filters and order from the query string, or the validation error of a parameter. */
  listing(ctx: Context): Listing<T> | Answer;
  /** Validates the body and creates an object: 201 with it, or PostHog's error. */
  create(ctx: Context): Answer;
  /** Validates the body and changes the object: 200 with it, or PostHog's error. */
  update(ctx: Context, object: T): Answer;
  /** The object as served: in a list, or in full. */
  serve(ctx: Context, object: T, view: "list" | "detail"): Record<string, unknown>;
  /** Routes besides the common ones (`/dashboards/{id}/create_text_tile/`, ...). */
  extraRoutes?: KindRoute[];
}

const isAnswer = (value: unknown): value is Answer => typeof (value as Answer).status === "number";

/** A `limit`/`offset` page of `all`, with absolute `next` and `previous` links as DRF builds them. */
export function limitOffsetPage(ctx: Context, all: unknown[]): Record<string, unknown> {
  const limit = intParam(ctx.url, "limit", 100, 1);
  const offset = intParam(ctx.url, "offset", 0, 0);
  const next =
    offset + limit < all.length ? withQuery(ctx.url, { limit: String(limit), offset: String(offset + limit) }) : null;
  let previous: string | null = null;
  if (offset > 0) {
    // DRF drops `offset` from the link back to the first page.
    const back = offset - limit <= 0 ? null : String(offset - limit);
    previous = withQuery(ctx.url, { limit: String(limit), offset: back });
  }
  return { count: all.length, next, previous, results: all.slice(offset, offset + limit) };
}

/** The routes every kind has: list, create, retrieve, update (PATCH and PUT), and a refused DELETE. */
export function kindRoutes<T extends Stored>(kind: Kind<T>): KindRoute[] {
  const read: Scope = `${kind.scope}:read`;
  const write: Scope = `${kind.scope}:write`;
  const collection = `/${kind.segment}/`;
  const one = `/${kind.segment}/{id}/`;
  const update = (ctx: Context): Answer => {
    const object = kind.objects(ctx.store).find(ctx.params.id);
    // Only a restore reaches a soft-deleted dashboard; DRF reads `deleted` as a boolean.
    const restoring = ["false", "0", "f"].includes(String((ctx.body as { deleted?: unknown })?.deleted).toLowerCase());
    if (!object || (object.deleted && !kind.deletedReachable && !restoring)) {
      return notFound();
    }
    return kind.update(ctx, object);
  };
  return [
    ...(kind.extraRoutes ?? []),
    { method: "GET", path: collection, scope: read, handler: (ctx) => listObjects(kind, ctx) },
    { method: "POST", path: collection, scope: write, handler: (ctx) => kind.create(ctx) },
    {
      method: "GET",
      path: one,
      scope: read,
      handler: (ctx) => {
        const object = kind.objects(ctx.store).find(ctx.params.id);
        if (!object || (object.deleted && !kind.deletedReachable)) {
          return notFound();
        }
        return json(200, kind.serve(ctx, object, "detail"));
      },
    },
    { method: "PATCH", path: one, scope: write, handler: update },
    { method: "PUT", path: one, scope: write, handler: update },
    // ForbidDestroyModel: 405 with no body, whatever the id.
    { method: "DELETE", path: one, scope: write, handler: () => empty(405) },
  ];
}

function listObjects<T extends Stored>(kind: Kind<T>, ctx: Context): Answer {
  const listing = kind.listing(ctx);
  if (isAnswer(listing)) {
    return listing;
  }
  const objects = kind
    .objects(ctx.store)
    .values()
    .filter((object) => !object.deleted && listing.keep(object))
    .sort((a, b) => listing.order(a, b) || a.id - b.id);
  const items = (list: T[]) =>
    list.map((object) => {
      const item = kind.serve(ctx, object, "list");
      return listing.decorate ? listing.decorate(item, object) : item;
    });
  if (kind.list === "all") {
    return json(200, { results: items(objects) });
  }
  const page = limitOffsetPage(ctx, objects);
  return json(200, { ...page, results: items(page.results as T[]) });
}
