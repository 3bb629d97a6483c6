// The one request path every method takes: options -> openapi-fetch -> transport -> body or
// typed error. It knows no routes: resources name their operations and hand them in here.
import createClientExport, { type Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { checkHeaders, type ResolvedConfig } from "./config.js";
import { APIError, PostHogError, type RequestTarget } from "./errors.js";
import { parseProjectId } from "./ids.js";
import { where } from "./redact.js";
import { type CallOptions, LightRequest, type Sent, Transport } from "./transport.js";

// In the CommonJS build, Node-style interop hands us openapi-fetch's whole exports object
// as its default export; the function is then its `default`.
const createClient: typeof createClientExport =
  typeof createClientExport === "function"
    ? createClientExport
    : (createClientExport as { default: typeof createClientExport }).default;

/**
 * Options every method takes as its last argument.
 *
 * @example
 * await posthog.insights.retrieve(7, {}, { timeoutMs: 10_000, projectId: 12345 });
 */
export interface RequestOptions extends CallOptions {
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
  /** The project for this call, instead of the client's. */
  projectId?: number | string | undefined;
}

/** The openapi-fetch client the resources call, typed by the spec's `paths`. */
export type Api = Client<paths, "application/json">;

/**
 * What a method hands to openapi-fetch besides its own params: the transport, and headers. A type
 * rather than an interface: openapi-fetch takes its options as an object with an index signature.
 */
export type CallInit = {
  fetch: (input: Request) => Promise<Response>;
  headers?: Record<string, string>;
  parseAs?: "text";
};

/** openapi-fetch's result of one call. */
export interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The body of a successful operation. */
export type BodyOf<R extends FetchResult> = Exclude<R["data"], undefined>;

/** The result of a call, with where it went (for messages). */
export type Performed<R> = R & { target: RequestTarget };

/** Builds the openapi-fetch clients around one transport and runs calls through them. */
export class RequestCore {
  readonly origin: string;
  readonly projectId: string;
  /** openapi-fetch client the resource methods use (light requests, no extra copies). */
  readonly api: Api;
  /** openapi-fetch client handed to users as `posthog.raw`. */
  readonly raw: Api;
  readonly transport: Transport;
  /** Removes the key from text a server sent back, before it reaches an error message. */
  readonly redact: (text: string) => string;

  constructor(config: ResolvedConfig) {
    this.origin = config.origin;
    this.projectId = config.projectId;
    this.transport = new Transport(config);
    this.redact = this.transport.redact;
    // Without a caller to say when the body has been read, the timeout covers the headers only.
    const send = (input: Request): Promise<Response> => this.transport.send(input);
    const shared = { baseUrl: config.origin, headers: config.headers, fetch: send };
    // openapi-fetch only constructs its Request and reads url, method, headers and body.
    this.api = createClient<paths, "application/json">({ ...shared, Request: LightRequest as typeof Request });
    this.raw = createClient<paths, "application/json">(shared);
  }

  /** The project a call addresses. */
  project(options: RequestOptions | undefined): string {
    return options?.projectId === undefined ? this.projectId : parseProjectId(options.projectId);
  }

  /**
   * Runs one openapi-fetch call and resolves to its body, or rejects with the `APIError` for its
   * status. What every resource method calls: `core.run(options, (init) => api.GET(ROUTE, { ...init, params }))`.
   */
  run<R extends FetchResult>(
    options: RequestOptions | undefined,
    call: (init: CallInit) => Promise<R>,
  ): Promise<BodyOf<R>> {
    return this.#call(call, options, true) as Promise<BodyOf<R>>;
  }

  /**
   * Runs one call and returns openapi-fetch's `{ data, error, response }` without
   * throwing on HTTP errors; every other failure becomes a `PostHogError`.
   */
  perform<R extends FetchResult>(
    call: (init: CallInit) => Promise<R>,
    options?: RequestOptions,
  ): Promise<Performed<R>> {
    return this.#call(call, options, false) as Promise<Performed<R>>;
  }

  /** Both of the above in one `then`: the body (`bodyOnly`) or the result with its target. */
  #call<R extends FetchResult>(
    call: (init: CallInit) => Promise<R>,
    options: RequestOptions | undefined,
    bodyOnly: boolean,
  ): Promise<unknown> {
    // Filled in by the transport: where the request went, and how to stop its timer.
    const sent: Sent = { method: "", url: "", status: 0, release: noop };
    const init: CallInit = { fetch: (input) => this.transport.send(input, options, sent) };
    let pending: Promise<R>;
    try {
      if (options?.headers) {
        init.headers = checkHeaders(options.headers, PostHogError);
      }
      pending = call(init);
    } catch (err) {
      return Promise.reject(this.#unexpected(err, undefined));
    }
    return pending.then(
      (result) => {
        sent.release();
        if (bodyOnly && result.response.ok) {
          return result.data;
        }
        const performed = Object.assign(result, { target: this.#target(sent) });
        if (bodyOnly) {
          throw errorOf(performed);
        }
        return performed;
      },
      (err: unknown) => {
        sent.release();
        throw this.#unexpected(err, sent.method ? sent : undefined);
      },
    );
  }

  #target(sent: Sent): RequestTarget {
    return { method: sent.method || "?", url: sent.url || this.origin, redact: this.redact };
  }

  /** A failure other than an HTTP status, as a `PostHogError` that says where it happened. */
  #unexpected(err: unknown, sent: Sent | undefined): PostHogError {
    if (err instanceof PostHogError) {
      return err;
    }
    const request = sent ? where(sent) : "The request";
    if (err instanceof SyntaxError) {
      const status = sent?.status;
      return new PostHogError(`${request} answered HTTP ${status} with a body that is not valid JSON.`, { cause: err });
    }
    return new PostHogError(this.redact(`${request} failed: ${(err as Error)?.message ?? String(err)}`), {
      cause: err,
    });
  }
}

const noop = (): void => undefined;

/**
 * Runs `then` on a path that may still be resolving (a short id's lookup), with no promise turn
 * when it is known at once; a path that throws (a bad id) becomes a rejection.
 */
export function onPath<P, T>(pathOf: () => P | Promise<P>, then: (path: P) => Promise<T>): Promise<T> {
  let path: P | Promise<P>;
  try {
    path = pathOf();
  } catch (err) {
    return Promise.reject(err);
  }
  return path instanceof Promise ? path.then(then) : then(path);
}

/** The `APIError` for a non-2xx response. */
export function errorOf(result: Performed<FetchResult>): APIError {
  return APIError.generate(result.response.status, result.error, result.response.headers, result.target);
}
