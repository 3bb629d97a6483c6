// Pages of a listing and the awaitable, iterable promise of them. Pages only follow their own
// endpoint's `next` on the client's origin; they never build routes or send anything themselves.
import { PostHogError } from "./errors.js";
import type { ActivityLogEntry } from "./types.js";

/** Query parameters taken from a server-given `next` URL; a repeated one (`tags=a&tags=b`) as a list. */
export type PageQuery = Record<string, string | string[]>;

/** Where a page's `next` may point: the client's origin and this endpoint's path. */
export interface PageScope {
  origin: string;
  path: string;
}

/** A route template (`/api/projects/{project_id}/...`) with its parameters filled in, for the `next` check. */
export function fillRoute(route: string, path: { readonly [name: string]: string | number }): string {
  return route.replace(/\{(\w+)\}/g, (_, name: string) => String(path[name]));
}

/** Loads the page at a `next` link's query: the list call again, with that query. */
export type PageLoader<P> = (query: PageQuery) => Promise<P>;

/** What every page has, whatever its envelope: the envelope's fields, and the way on. */
export class BasePage<Item, Self> {
  /** The items of this page. */
  declare readonly results: Item[];
  /** Absolute URL of the next page, or null on the last one. */
  declare readonly next: string | null;
  /** Absolute URL of the previous page, or null on the first one. */
  declare readonly previous: string | null;
  readonly #load: PageLoader<Self>;
  readonly #scope: PageScope;

  /** @internal Pages are made by the client's list calls. */
  constructor(envelope: object, load: PageLoader<Self>, scope: PageScope) {
    Object.assign(this, checkedPage(envelope, scope.path));
    this.#load = load;
    this.#scope = scope;
  }

  /**
   * True when the server gave a `next` URL.
   *
   * @example
   * if (page.hasNextPage()) page = await page.getNextPage();
   */
  hasNextPage(): boolean {
    return this.next !== null;
  }

  /**
   * Fetches the page after this one. Rejects with `PostHogError` on the last page, and when
   * `next` points anywhere but this endpoint on the client's own origin: only its query
   * string is used, and no request is sent elsewhere.
   *
   * @example
   * const next = await page.getNextPage();
   */
  async getNextPage(): Promise<Self> {
    const { origin, path } = this.#scope;
    if (this.next === null) {
      throw new PostHogError("This is the last page.");
    }
    let url: URL | undefined;
    try {
      url = new URL(this.next, origin);
    } catch {
      // refused below
    }
    if (url?.origin !== origin || decode(url.pathname) !== decode(path)) {
      throw new PostHogError(
        `Refusing to follow the next-page link ${JSON.stringify(this.next.slice(0, 200))}: it is not ${origin}${path}.`,
      );
    }
    return this.#load(queryOf(url.searchParams));
  }
}

/** The query of a `next` link, keeping every value of a repeated parameter. */
function queryOf(search: URLSearchParams): PageQuery {
  const query: PageQuery = {};
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    query[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

/**
 * The envelope of a listing, refused with a `PostHogError` when it has no `results` array, so a
 * proxy's or an old server's odd answer fails where it arrived rather than as a `TypeError` later.
 */
export function checkedPage<E>(envelope: E, path: string): E {
  const results: unknown = (envelope as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) {
    throw new PostHogError(`The listing at ${path} answered without a results array.`);
  }
  return envelope;
}

function decode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * One page of insights: `results`, `count` (all matching insights), `next`, `previous`.
 *
 * @example
 * const page = await posthog.insights.list({ limit: 50 });
 * console.log(page.count, page.results.length, page.hasNextPage());
 */
export class Page<Item> extends BasePage<Item, Page<Item>> {
  /** The number of items across all pages. */
  declare readonly count: number;
}

/**
 * One page of activity: `results`, `total_count`, `next`, `previous`.
 *
 * @example
 * const page = await posthog.insights.activity(7, { limit: 20 });
 * console.log(page.total_count);
 */
export class ActivityPage extends BasePage<ActivityLogEntry, ActivityPage> {
  /** The number of entries across all pages. */
  declare readonly total_count: number;
}

/**
 * The result of a paged call: `await` it for the first page, or iterate it with
 * `for await` for every item of every page. Pages are fetched lazily, one at a time.
 *
 * @example
 * for await (const insight of posthog.insights.list({ limit: 100 })) console.log(insight.name);
 * const first50 = await posthog.insights.list().toArray({ maxItems: 50 });
 */
export class PagePromise<Item, P extends BasePage<Item, P> = Page<Item>>
  implements PromiseLike<P>, AsyncIterable<Item>
{
  readonly #load: () => Promise<P>;
  #first: Promise<P> | undefined;

  /** @internal Made by the client's list calls. */
  constructor(load: () => Promise<P>) {
    this.#load = load;
  }

  #firstPage(): Promise<P> {
    this.#first ??= this.#load();
    return this.#first;
  }

  /** Resolves to the first page: `const page = await posthog.insights.list()`. */
  // biome-ignore lint/suspicious/noThenProperty: a PagePromise is awaitable on purpose.
  then<A = P, B = never>(
    onfulfilled?: ((page: P) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  /** Like `Promise.catch`, on the first page: `posthog.insights.list().catch(console.error)`. */
  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<P | B> {
    return this.#firstPage().catch(onrejected);
  }

  /** Like `Promise.finally`, on the first page: `posthog.insights.list().finally(done)`. */
  finally(onfinally?: (() => void) | null): Promise<P> {
    return this.#firstPage().finally(onfinally);
  }

  // A hand-written iterator rather than an async generator: `yield*` over each page's array
  // costs several promise turns per item, which showed up when iterating 20,000 insights.
  [Symbol.asyncIterator](): AsyncIterator<Item> {
    let items: Item[] = [];
    let index = 0;
    let current: P | undefined;
    const step = async (): Promise<IteratorResult<Item>> => {
      for (;;) {
        if (index < items.length) {
          return { value: items[index++] as Item, done: false };
        }
        if (current && !current.hasNextPage()) {
          return { value: undefined, done: true };
        }
        current = await (current ? current.getNextPage() : this.#firstPage());
        items = current.results;
        index = 0;
      }
    };
    return {
      next: () => (index < items.length ? Promise.resolve({ value: items[index++] as Item, done: false }) : step()),
    };
  }

  /**
   * Collects the items of every page into an array, stopping after `maxItems` items
   * (`maxItems` caps the total; `limit` in the call's params is the page size).
   *
   * @example
   * const insights = await posthog.insights.list({ limit: 100 }).toArray({ maxItems: 500 });
   */
  async toArray({ maxItems = Infinity }: { maxItems?: number } = {}): Promise<Item[]> {
    if (!(maxItems >= 0)) {
      throw new PostHogError(`Invalid maxItems ${maxItems}.`);
    }
    const items: Item[] = [];
    if (maxItems > 0) {
      for await (const item of this) {
        if (items.push(item) >= maxItems) {
          break;
        }
      }
    }
    return items;
  }
}

/**
 * Pages of activity: `await` for the first page, `for await` for every entry.
 *
 * @example
 * const entries: ActivityPagePromise = posthog.insights.allActivity({ limit: 50 });
 * for await (const entry of entries) console.log(entry.activity);
 */
export type ActivityPagePromise = PagePromise<ActivityLogEntry, ActivityPage>;
