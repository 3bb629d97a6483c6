// The one request path every method takes: options -> openapi-fetch -> transport ->
// answer or typed error.
import createClientExport, { type Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { checkHeaders, type ResolvedConfig } from "./config.js";
import { APIError, PostHogError, pathOf, redactor, type RequestTarget } from "./errors.js";
import { projectId } from "./ids.js";
import { LightRequest, Transport, type CallState } from "./transport.js";

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
export interface RequestOptions {
  /** Aborts the call: it rejects with `APIUserAbortError` at once, without retries. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in milliseconds, instead of the client's. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt, instead of the client's. */
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
  /** The project for this call, instead of the client's. */
  projectId?: number | string | undefined;
}

/** What a method hands to openapi-fetch besides its own params: the transport, and headers. */
export interface CallInit {
  fetch: (input: Request) => Promise<Response>;
  headers?: Record<string, string>;
  parseAs?: "text";
}

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The answer of a call, with where it went (for messages). */
export type Performed<R> = R & { target: RequestTarget };

/** Builds the openapi-fetch clients around one transport and runs calls through them. */
export class RequestCore {
  readonly origin: string;
  readonly projectId: string;
  /** openapi-fetch client the resource methods use (light requests, no extra copies). */
  readonly api: Client<paths, "application/json">;
  /** openapi-fetch client handed to users as `posthog.raw`. */
  readonly raw: Client<paths, "application/json">;
  readonly transport: Transport;
  /** Removes the key from text a server sent back, before it reaches an error message. */
  readonly redact: (text: string) => string;

  constructor(config: ResolvedConfig) {
    this.origin = config.origin;
    this.projectId = config.projectId;
    this.transport = new Transport(config);
    this.redact = redactor(config.apiKey);
    const send = (input: Request): Promise<Response> => this.transport.send(input);
    const shared = { baseUrl: config.origin, headers: config.headers, fetch: send };
    this.api = createClient<paths, "application/json">({
      ...shared,
      Request: LightRequest as unknown as typeof Request,
    });
    this.raw = createClient<paths, "application/json">(shared);
  }

  /** The project a call addresses. */
  project(options: RequestOptions | undefined): string {
    return options?.projectId === undefined ? this.projectId : projectId(options.projectId);
  }

  /**
   * Runs one call and returns openapi-fetch's `{ data, error, response }` without
   * throwing on HTTP errors; every other failure becomes a `PostHogError`.
   */
  async perform<R extends FetchResult>(
    run: (init: CallInit) => Promise<R>,
    options?: RequestOptions,
  ): Promise<Performed<R>> {
    const state: CallState = {
      signal: options?.signal,
      timeoutMs: options?.timeoutMs,
      maxRetries: options?.maxRetries,
    };
    const init: CallInit = { fetch: (input) => this.transport.send(input, state) };
    if (options?.headers) {
      init.headers = checkHeaders(options.headers, PostHogError);
    }
    try {
      const result = (await run(init)) as Performed<R>;
      result.target = { method: state.method ?? "?", url: state.url ?? this.origin, redact: this.redact };
      return result;
    } catch (err) {
      if (err instanceof PostHogError) {
        throw err;
      }
      const where = `${state.method ?? "request"} ${pathOf(state.url)}`;
      if (err instanceof SyntaxError) {
        throw new PostHogError(`${where} answered HTTP ${state.status} with a body that is not valid JSON.`, {
          cause: err,
        });
      }
      throw new PostHogError(this.redact(`${where} failed: ${(err as Error)?.message ?? String(err)}`), { cause: err });
    } finally {
      state.release?.();
    }
  }

  /** Runs one call and resolves to its body, or rejects with the `APIError` for its status. */
  request<R extends FetchResult>(
    run: (init: CallInit) => Promise<R>,
    options?: RequestOptions,
  ): Promise<Exclude<R["data"], undefined>> {
    return this.perform(run, options).then((result) => {
      if (!result.response.ok) {
        throw errorOf(result);
      }
      return result.data as Exclude<R["data"], undefined>;
    });
  }
}

/** The `APIError` for a non-2xx answer. */
export function errorOf(result: Performed<FetchResult>): APIError {
  return APIError.generate(result.response.status, result.error, result.response.headers, result.target);
}
