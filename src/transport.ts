// The one place a request goes on the wire: auth, per-attempt timeouts, the caller's signal,
// pacing, retries and redirects. openapi-fetch hands it every request; it knows no bodies.
import type { ResolvedRateLimit } from "./config.js";
import { APIConnectionError, APITimeoutError, APIUserAbortError, type PostHogError } from "./errors.js";
import { Pacer, type RouteClass, routeClassOf } from "./pacing.js";
import { redactor, where } from "./redact.js";
import { backoffMs, MAX_SERVER_WAIT_MS, retryableFailure, retryableStatus, serverWaitMs } from "./retry.js";
import { abortReason, deadline, sleep } from "./sleep.js";

/** The `fetch` the transport calls: the platform's, or one the user configured. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Per-call settings of the request path, declared once: every method's options extend them. */
export interface CallOptions {
  /** Aborts the call: it rejects with `APIUserAbortError` at once, without retries. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in milliseconds, instead of the client's. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt, instead of the client's. */
  maxRetries?: number | undefined;
}

/** What the transport needs from the client's configuration. */
export interface TransportConfig {
  apiKey: string;
  origin: string;
  timeoutMs: number;
  maxRetries: number;
  fetch: FetchLike | undefined;
  /** PostHog's rate limits to pace requests under; undefined sends at once. */
  rateLimit?: ResolvedRateLimit | undefined;
}

/**
 * A minimal stand-in for `Request`, given to openapi-fetch as its `Request` class. It only
 * carries what openapi-fetch built (URL, method, headers, body), so that the platform's
 * `fetch` builds the one real Request and a string body can be sent again on retry.
 */
export class LightRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null | undefined;

  constructor(url: string, init: RequestInit = {}) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body;
  }
}

/** A request that can be sent again as is: what a retry resends and a redirect rewrites. */
interface Replayable {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null | undefined;
}

/** What `send` resolves to: the response, where the last attempt went, and its timer's release. */
export interface Sent {
  response: Response;
  method: string;
  url: string;
  /** Stops the last attempt's timer: call it once the body has been read. */
  release: () => void;
}

/** One attempt's outcome: a response (timer still armed for the body), or the error to report. */
type Attempt = { response: Response; release: () => void } | { failure: PostHogError; retryable: boolean };

const MAX_REDIRECTS = 5;

/** Sends requests with auth, timeouts, retries and the redirect policy. */
export class Transport {
  readonly #authorization: string;
  readonly #redact: (text: string) => string;
  readonly #origin: string;
  readonly #fetch: FetchLike | undefined;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #pacer: Pacer | undefined;

  constructor(config: TransportConfig) {
    this.#authorization = `Bearer ${config.apiKey}`;
    this.#redact = redactor(config.apiKey);
    this.#origin = config.origin;
    this.#fetch = config.fetch;
    this.#timeoutMs = config.timeoutMs;
    this.#maxRetries = config.maxRetries;
    this.#pacer = config.rateLimit && new Pacer(config.rateLimit);
  }

  /**
   * Sends one logical request, retrying as the policy allows. Rejects only with this
   * package's errors (`APIConnectionError`, `APITimeoutError`, `APIUserAbortError`).
   * A real `Request` (from `posthog.raw`) brings its own signal unless `options` has one.
   */
  async send(input: LightRequest | Request, options: CallOptions = {}): Promise<Sent> {
    let request = await replayable(input);
    const signal = options.signal ?? (input instanceof LightRequest ? undefined : input.signal);
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const maxRetries = options.maxRetries ?? this.#maxRetries;
    let retries = 0;
    let redirects = 0;
    for (;;) {
      const attempt = await this.#attempt(request, signal, timeoutMs);
      if ("failure" in attempt) {
        if (retries < maxRetries && attempt.retryable) {
          await sleep(backoffMs(retries++), signal);
          continue;
        }
        throw attempt.failure;
      }
      const redirect = redirects < MAX_REDIRECTS ? this.#redirected(request, attempt.response) : undefined;
      if (redirect) {
        attempt.release();
        await attempt.response.body?.cancel();
        request = redirect;
        redirects++;
        continue;
      }
      let { response } = attempt;
      const retry = retries < maxRetries && retryableStatus(response.status, request.method);
      // A 429 pauses its route class even when this call is not retried: another process shares the key.
      if (retry || (response.status === 429 && this.#pacer)) {
        const unretried = await this.#waitBeforeRetry(
          request,
          response,
          attempt.release,
          retry ? retries : undefined,
          signal,
        );
        if (!unretried) {
          retries++;
          continue;
        }
        response = unretried;
      }
      return { response, method: request.method, url: request.url, release: attempt.release };
    }
  }

  /** Sends the request once, under its timeout and the caller's signal. Never throws. */
  async #attempt(request: Replayable, signal: AbortSignal | undefined, timeoutMs: number): Promise<Attempt> {
    if (signal?.aborted) {
      return { failure: abortReason(signal), retryable: false };
    }
    const { method, url, headers, body } = request;
    // The key goes to the configured origin only, whatever URL a caller built.
    if (url.startsWith(`${this.#origin}/`)) {
      headers.set("authorization", this.#authorization);
    } else {
      headers.delete("authorization");
    }
    const timer = deadline(
      timeoutMs,
      signal,
      () => new APITimeoutError(`${where(request)} timed out after ${timeoutMs} ms.`),
    );
    const routeClass = routeClassOf(url);
    const turnFailure = await this.#turn(request, routeClass, timer.signal, timeoutMs);
    if (turnFailure) {
      timer.release();
      return { failure: turnFailure, retryable: false };
    }
    try {
      const init: RequestInit = { method, headers, body: body ?? null, signal: timer.signal, redirect: "manual" };
      const response = await (this.#fetch ?? fetch)(url, init);
      return { response, release: timer.release };
    } catch (cause) {
      timer.release();
      const reason: unknown = timer.signal.reason;
      if (reason instanceof APIUserAbortError) {
        return { failure: reason, retryable: false };
      }
      if (reason instanceof APITimeoutError) {
        return { failure: reason, retryable: retryableFailure(cause, method, true) };
      }
      const code = (cause as { cause?: { code?: string } })?.cause?.code;
      // A custom fetch's error text is not ours to trust: keep the key out of it.
      const message = this.#redact(`${where(request)} got no answer: ${code ?? String(cause)}.`);
      return { failure: new APIConnectionError(message, { cause }), retryable: retryableFailure(cause, method, false) };
    } finally {
      // The server has seen the request by the time its answer (or a failure) is here.
      this.#pacer?.settle(routeClass);
    }
  }

  /**
   * Waits for the request's turn under PostHog's rate limits, with the attempt's timer and the
   * caller's signal running. Resolves to the error to report if either ends the wait.
   */
  async #turn(
    request: Replayable,
    routeClass: RouteClass,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<PostHogError | undefined> {
    // Synchronous when no wait is needed: most calls never allocate a promise here.
    const turn = this.#pacer?.take(routeClass, signal);
    if (turn === undefined) {
      return undefined;
    }
    try {
      await turn;
      return undefined;
    } catch {
      const reason: unknown = signal.reason;
      if (reason instanceof APITimeoutError) {
        const waiting = "waiting for its turn under the rateLimit option";
        return new APITimeoutError(`${where(request)} timed out after ${timeoutMs} ms ${waiting}.`);
      }
      return reason as PostHogError;
    }
  }

  /**
   * The request a redirect asks for, when it is one to follow: on this origin only (a redirect
   * elsewhere is handed back and becomes an APIError). 303, and 301/302 after a POST, become a GET.
   */
  #redirected(request: Replayable, response: Response): Replayable | undefined {
    const { status } = response;
    const location = status > 299 && status < 400 && response.headers.get("location");
    if (!location) {
      return undefined;
    }
    const target = new URL(location, request.url);
    if (target.origin !== this.#origin) {
      return undefined;
    }
    if (status === 303 || (status < 303 && request.method === "POST")) {
      request.headers.delete("content-type");
      return { method: "GET", url: target.href, headers: request.headers, body: undefined };
    }
    return { ...request, url: target.href };
  }

  /**
   * The wait before retrying a retryable status: the server's (`Retry-After`, PostHog's 429
   * detail) or our backoff; a 429's wait also pauses its route class. Reads the body and releases
   * the attempt; resolves to undefined once it has waited, or to the response to report when the
   * call is not retried (`retries` undefined) or the server asked for longer than we sleep.
   */
  async #waitBeforeRetry(
    request: Replayable,
    response: Response,
    release: () => void,
    retries: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response | undefined> {
    const text = await response.text().catch(() => "");
    release();
    const serverWait = serverWaitMs(response.headers, text);
    if (response.status === 429 && serverWait !== undefined) {
      this.#pacer?.pause(routeClassOf(request.url), serverWait);
    }
    if (retries === undefined || (serverWait !== undefined && serverWait > MAX_SERVER_WAIT_MS)) {
      // Not retried, or longer than we are willing to sleep: report it now, with the wait in the error.
      return new Response(text, response);
    }
    await sleep(serverWait ?? backoffMs(retries), signal);
    return undefined;
  }
}

/** Copies a real Request once so that a retry can send its body again; a LightRequest already can. */
async function replayable(input: LightRequest | Request): Promise<Replayable> {
  if (input instanceof LightRequest) {
    return input;
  }
  const body = input.body && (await input.arrayBuffer());
  return { url: input.url, method: input.method, headers: new Headers(input.headers), body };
}
