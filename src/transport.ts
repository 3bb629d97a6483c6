// The one place a request goes on the wire: auth, per-attempt timeouts, the caller's signal,
// pacing, retries and redirects. openapi-fetch hands it every request; it knows no bodies.
// A request that needs no wait, retry or redirect takes no async frame here: one `then` on fetch.
import type { FetchLike, ResolvedRateLimit } from "./config.js";
import { APIConnectionError, APITimeoutError, APIUserAbortError, type PostHogError, RateLimitError } from "./errors.js";
import { LateTurn, Pacer, type RouteClass, routeClassOf } from "./pacing.js";
import { redactor, where } from "./redact.js";
import { backoffMs, MAX_SERVER_WAIT_MS, retryableFailure, retryableStatus, serverWaitMs } from "./retry.js";
import { abortReason, Deadline, sleep, timeLeft } from "./sleep.js";

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
  /** A pacer to share (the CLI's, carried across runs); else one is made from `rateLimit`. */
  pacer?: Pacer | undefined;
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

  /** openapi-fetch always gives the method and its merged `Headers`. */
  constructor(url: string, init: RequestInit & { method: string; headers: Headers }) {
    this.url = url;
    this.method = init.method;
    this.headers = init.headers;
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

/**
 * Where a call's request went and how to end its last attempt: filled in by `send`, read by the
 * request path for messages and to release the timer once the body has been read.
 */
export interface Sent {
  method: string;
  url: string;
  /** The last answer's HTTP status. */
  status: number;
  /** Stops the last attempt's timer: call it once the body has been read. */
  release: () => void;
}

/** One attempt's outcome: a response (timer still armed for the body), or the error to report. */
type Attempt = { response: Response; timer: Deadline } | { failure: PostHogError; retryable: boolean };

/** Where a call stands: its request (rewritten by redirects), signal, limits and counts. */
interface Call {
  request: Replayable;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxRetries: number;
  retries: number;
  redirects: number;
  sent: Sent | undefined;
}

const MAX_REDIRECTS = 5;

const asIs = (attempt: Attempt): Attempt => attempt;

/** Sends requests with auth, timeouts, retries and the redirect policy. */
export class Transport {
  readonly #authorization: string;
  /** Removes the key from text that may reach a message (a custom fetch's errors, a server's answers). */
  readonly redact: (text: string) => string;
  readonly #origin: string;
  /** The origin with the path's first slash: only URLs that start with it get the key. */
  readonly #originSlash: string;
  readonly #fetch: FetchLike | undefined;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #pacer: Pacer | undefined;

  constructor(config: TransportConfig) {
    this.#authorization = `Bearer ${config.apiKey}`;
    this.redact = redactor(config.apiKey);
    this.#origin = config.origin;
    this.#originSlash = `${config.origin}/`;
    this.#fetch = config.fetch;
    this.#timeoutMs = config.timeoutMs;
    this.#maxRetries = config.maxRetries;
    this.#pacer = config.rateLimit && (config.pacer ?? new Pacer(config.rateLimit));
  }

  /**
   * Sends one logical request, retrying as the policy allows, and resolves to the last answer.
   * Rejects only with this package's errors (`APIConnectionError`, `APITimeoutError`,
   * `APIUserAbortError`, `RateLimitError` for a turn known to come after the deadline). A real
   * `Request` (from `posthog.raw`) brings its own signal unless `options` has one. `sent`, when
   * given, is filled in with where the last attempt went and the release of its timer.
   */
  send(input: LightRequest | Request, options: CallOptions = {}, sent?: Sent): Promise<Response> {
    const call: Call = {
      request: input as Replayable,
      signal: options.signal ?? (input instanceof LightRequest ? undefined : input.signal),
      timeoutMs: options.timeoutMs ?? this.#timeoutMs,
      maxRetries: options.maxRetries ?? this.#maxRetries,
      retries: 0,
      redirects: 0,
      sent,
    };
    if (input instanceof LightRequest) {
      return this.#attempt(call, (attempt) => this.#answer(call, attempt));
    }
    return replayable(input).then((request) => {
      call.request = request;
      return this.#attempt(call, (attempt) => this.#answer(call, attempt));
    });
  }

  /** The end of an attempt: a 2xx (or anything final) is the answer; the rest goes to `#recover`. */
  #answer(call: Call, attempt: Attempt): Response | Promise<Response> {
    if ("response" in attempt && attempt.response.status < 300) {
      return this.#done(call, attempt.response, attempt.timer);
    }
    return this.#recover(call, attempt);
  }

  #done(call: Call, response: Response, timer: Deadline | undefined): Response {
    if (call.sent) {
      call.sent.method = call.request.method;
      call.sent.url = call.request.url;
      call.sent.status = response.status;
      call.sent.release = () => timer?.release();
    } else {
      // Without a caller to say when the body has been read, the timeout covers the headers only.
      timer?.release();
    }
    return response;
  }

  /** Retries, redirects and 429 pauses: the slow path, until an answer or a failure to report. */
  async #recover(call: Call, first: Attempt): Promise<Response> {
    for (let attempt = first; ; attempt = await this.#attempt(call, asIs)) {
      const { request, signal, maxRetries } = call;
      if ("failure" in attempt) {
        if (call.retries < maxRetries && attempt.retryable) {
          await sleep(backoffMs(call.retries++), signal);
          continue;
        }
        throw attempt.failure;
      }
      const { response, timer } = attempt;
      const redirect = call.redirects < MAX_REDIRECTS ? this.#redirected(request, response) : undefined;
      if (redirect) {
        timer.release();
        await response.body?.cancel();
        call.request = redirect;
        call.redirects++;
        continue;
      }
      const retry = call.retries < maxRetries && retryableStatus(response.status, request.method);
      // A 429 pauses its route class even when this call is not retried: another process shares the key.
      if (!retry && !(response.status === 429 && this.#pacer)) {
        return this.#done(call, response, timer);
      }
      const unretried = await this.#waitBeforeRetry(call, response, timer, retry);
      if (unretried) {
        return this.#done(call, unretried, undefined);
      }
      call.retries++;
    }
  }

  /**
   * Sends the request once, under its timeout, the caller's signal and its turn, and hands the
   * outcome to `next` (in the same `then` as the fetch: no extra promise turn). Never rejects
   * unless `next` does.
   */
  #attempt<T>(call: Call, next: (attempt: Attempt) => T | Promise<T>): Promise<T> {
    const { request, signal, timeoutMs } = call;
    if (signal?.aborted) {
      return Promise.resolve<Attempt>({ failure: abortReason(signal), retryable: false }).then(next);
    }
    // The key goes to the configured origin only, whatever URL a caller built.
    if (request.url.startsWith(this.#originSlash)) {
      request.headers.set("authorization", this.#authorization);
    } else {
      request.headers.delete("authorization");
    }
    const timer = new Deadline(
      timeoutMs,
      signal,
      () => new APITimeoutError(`${where(request)} timed out after ${timeoutMs} ms.`),
    );
    // No pacing code at all when pacing is off.
    if (this.#pacer === undefined) {
      return this.#fetchOnce(request, timer, undefined, next);
    }
    const routeClass = routeClassOf(request.url);
    const turn = this.#pacer.take(routeClass, timer.signal, Math.min(timeoutMs, timeLeft(signal)));
    if (turn === undefined) {
      return this.#fetchOnce(request, timer, routeClass, next);
    }
    return turn.then(
      () => this.#fetchOnce(request, timer, routeClass, next),
      (reason: unknown) => {
        timer.release();
        return next({ failure: this.#turnFailure(request, reason, timer, timeoutMs), retryable: false });
      },
    );
  }

  /** Fetches once; the pacer (when on) hears of the answer or the failure; `next` gets the outcome. */
  #fetchOnce<T>(
    request: Replayable,
    timer: Deadline,
    routeClass: RouteClass | undefined,
    next: (attempt: Attempt) => T | Promise<T>,
  ): Promise<T> {
    const { method, url, headers, body } = request;
    const init: RequestInit = { method, headers, body: body ?? null, signal: timer.signal, redirect: "manual" };
    let pending: Promise<Response>;
    try {
      pending = (this.#fetch ?? fetch)(url, init);
    } catch (cause) {
      pending = Promise.reject(cause);
    }
    return pending.then(
      (response) => {
        // The server has seen the request by the time its answer is here.
        if (routeClass) {
          this.#pacer?.settle(routeClass);
        }
        return next({ response, timer });
      },
      (cause: unknown) => {
        if (routeClass) {
          this.#pacer?.settle(routeClass);
        }
        timer.release();
        return next(this.#fetchFailure(request, timer, cause));
      },
    );
  }

  /** What a fetch that got no answer is reported as, and whether it may be sent again. */
  #fetchFailure(request: Replayable, timer: Deadline, cause: unknown): Attempt {
    const reason: unknown = timer.signal.reason;
    if (reason instanceof APIUserAbortError) {
      return { failure: reason, retryable: false };
    }
    if (reason instanceof APITimeoutError) {
      return { failure: reason, retryable: retryableFailure(cause, request.method, true) };
    }
    const code = (cause as { cause?: { code?: string } })?.cause?.code;
    // A custom fetch's error text is not ours to trust: keep the key out of it.
    const message = this.redact(`${where(request)} got no answer: ${code ?? String(cause)}.`);
    return {
      failure: new APIConnectionError(message, { cause }),
      retryable: retryableFailure(cause, request.method, false),
    };
  }

  /** Why a request never got its turn: known to come too late, its timeout, or the caller's abort. */
  #turnFailure(request: Replayable, reason: unknown, timer: Deadline, timeoutMs: number): PostHogError {
    if (reason instanceof LateTurn) {
      return lateTurnError(request, reason);
    }
    const aborted: unknown = timer.signal.reason;
    if (aborted instanceof APITimeoutError) {
      const waiting = "waiting for its turn under the rateLimit option";
      return new APITimeoutError(`${where(request)} timed out after ${timeoutMs} ms ${waiting}.`);
    }
    return aborted as PostHogError;
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
   * call is not retried, the server asked for longer than we sleep, or the wait would outlast
   * the call's deadline (a `compute()`'s).
   */
  async #waitBeforeRetry(
    call: Call,
    response: Response,
    timer: Deadline,
    retry: boolean,
  ): Promise<Response | undefined> {
    const text = await response.text().catch(() => "");
    timer.release();
    const serverWait = serverWaitMs(response.headers, text);
    if (response.status === 429 && serverWait !== undefined) {
      this.#pacer?.pause(routeClassOf(call.request.url), serverWait);
    }
    const waitMs = serverWait ?? backoffMs(call.retries);
    const tooLong = serverWait !== undefined && (serverWait > MAX_SERVER_WAIT_MS || serverWait > timeLeft(call.signal));
    if (!retry || tooLong) {
      // Not retried, or longer than we are willing or able to sleep: report it now, with the wait in the error.
      return new Response(text, response);
    }
    await sleep(waitMs, call.signal);
    return undefined;
  }
}

/** The `RateLimitError` of a request that was not sent: its turn is known to come after its deadline. */
function lateTurnError(request: Replayable, late: LateTurn): RateLimitError {
  const seconds = (ms: number): string => `${Math.ceil(ms / 1000)} s`;
  const message =
    `${where(request)} was not sent: its turn under the ${late.routeClass} rate limit comes in ` +
    `${seconds(late.waitMs)}, after its deadline (${seconds(Math.max(0, late.leftMs))} left).`;
  return new RateLimitError(429, undefined, new Headers(), message, undefined, Math.ceil(late.waitMs));
}

/** Copies a real Request once so that a retry can send its body again; a LightRequest already can. */
async function replayable(input: Request): Promise<Replayable> {
  const body = input.body && (await input.arrayBuffer());
  return { url: input.url, method: input.method, headers: new Headers(input.headers), body };
}
