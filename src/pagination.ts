import type { ActivityLogEntry } from "./types.js";
import { PostHogError } from "./errors.js";

/** Query parameters taken from a server-given `next` URL. */
export type PageQuery = Record<string, string>;

/** Fetches one page of an endpoint, given its query parameters. */
export type PageLoader<P> = (query: PageQuery) => Promise<P>;

/** Where a page's `next` may point: the client's origin and this endpoint's path. */
export interface PageScope {
  origin: string;
  path: string;
}

/** What every page has, whatever its envelope. */
abstract class BasePage<Item, Self> {
  /** The items of this page. */
  readonly results: Item[];
  /** Absolute URL of the next page, or null on the last one. */
  readonly next: string | null;
  /** Absolute URL of the previous page, or null on the first one. */
  readonly previous: string | null;
  readonly #load: PageLoader<Self>;
  readonly #scope: PageScope;

  protected constructor(results: Item[], next: string | null, previous: string | null, load: PageLoader<Self>, scope: PageScope) {
    this.results = results;
    this.next = next;
    this.previous = previous;
    this.#load = load;
    this.#scope = scope;
  }

  /** True when the server gave a `next` URL. */
  hasNextPage(): boolean {
    return this.next !== null;
  }

  /**
   * Fetches the page after this one. Rejects with `PostHogError` on the last page, and
   * when `next` points anywhere but this endpoint on the client's own origin (no request
   * is sent there).
   */
  getNextPage(): Promise<Self> {
    if (this.next === null) return Promise.reject(new PostHogError("There is no next page: this is the last one."));
    let query: PageQuery;
    try {
      query = queryOfNext(this.next, this.#scope);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#load(query);
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
  readonly count: number;

  constructor(
    envelope: { results: Item[]; count: number; next: string | null; previous: string | null },
    load: PageLoader<Page<Item>>,
    scope: PageScope,
  ) {
    super(envelope.results, envelope.next, envelope.previous, load, scope);
    this.count = envelope.count;
  }
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
  readonly total_count: number;

  constructor(
    envelope: { results: ActivityLogEntry[]; total_count: number; next: string | null; previous: string | null },
    load: PageLoader<ActivityPage>,
    scope: PageScope,
  ) {
    super(envelope.results, envelope.next, envelope.previous, load, scope);
    this.total_count = envelope.total_count;
  }
}

interface AnyPage<Item> {
  results: Item[];
  hasNextPage(): boolean;
  getNextPage(): Promise<AnyPage<Item>>;
}

/**
 * The answer of a paged call: `await` it for the first page, or iterate it with
 * `for await` for every item of every page. Pages are fetched lazily, one at a time.
 *
 * @example
 * for await (const insight of posthog.insights.list({ limit: 100 })) console.log(insight.name);
 * const first50 = await posthog.insights.list().toArray({ maxItems: 50 });
 */
export class PagePromise<Item, P extends AnyPage<Item> = Page<Item>> implements PromiseLike<P>, AsyncIterable<Item> {
  readonly #load: () => Promise<P>;
  #first: Promise<P> | undefined;

  constructor(load: () => Promise<P>) {
    this.#load = load;
  }

  #firstPage(): Promise<P> {
    this.#first ??= this.#load();
    return this.#first;
  }

  then<A = P, B = never>(
    onfulfilled?: ((page: P) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<P | B> {
    return this.#firstPage().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<P> {
    return this.#firstPage().finally(onfinally);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    let page: AnyPage<Item> = await this.#firstPage();
    for (;;) {
      yield* page.results;
      if (!page.hasNextPage()) return;
      page = await page.getNextPage();
    }
  }

  /**
   * Collects items of every page into an array, stopping after `maxItems` items
   * (`maxItems` caps the total; `limit` in the call's params is the page size).
   */
  async toArray(options: { maxItems?: number } = {}): Promise<Item[]> {
    const max = options.maxItems ?? Number.POSITIVE_INFINITY;
    if (!(max >= 0)) throw new PostHogError(`maxItems must be a non-negative number, got ${String(options.maxItems)}.`);
    const items: Item[] = [];
    if (max === 0) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= max) break;
    }
    return items;
  }
}

/** Pages of insights: `await` for the first page, `for await` for every insight. */
export type InsightPagePromise<Item> = PagePromise<Item, Page<Item>>;
/** Pages of activity: `await` for the first page, `for await` for every entry. */
export type ActivityPagePromise = PagePromise<ActivityLogEntry, ActivityPage>;

function queryOfNext(next: string, scope: PageScope): PageQuery {
  let url: URL;
  try {
    url = new URL(next, scope.origin);
  } catch {
    throw new PostHogError(`The server's next-page link is not a URL: ${JSON.stringify(next.slice(0, 200))}.`);
  }
  // Only the query string of `next` is used, and only when the link stays on this
  // endpoint of this origin: a link elsewhere gets no request at all.
  if (url.origin !== scope.origin || safeDecode(url.pathname) !== safeDecode(scope.path)) {
    throw new PostHogError(
      `Refusing to follow the next-page link ${url.origin}${url.pathname}: it is not ${scope.origin}${scope.path}.`,
    );
  }
  const query: PageQuery = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  return query;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
