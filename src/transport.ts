// The one place a request goes on the wire: auth, per-attempt timeouts, the caller's
// signal, pacing, retries and redirects. openapi-fetch hands every request here as its `fetch`.
import type { ResolvedRateLimit } from "./config.js";
import { APIConnectionError, APITimeoutError, APIUserAbortError, pathOf, redactor, serverWaitMs } from "./errors.js";
import { Pacer, routeClassOf } from "./pacing.js";
import { backoffMs, MAX_SERVER_WAIT_MS, retryableFailure, retryableStatus } from "./retry.js";
import { abortReason, sleep } from "./sleep.js";

/** The `fetch` the transport calls: the platform's, or one the user configured. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Per-call settings, and what the transport reports back about the call. */
export interface CallState {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  /** Set by the transport: stops the last attempt's timer once the body has been read. */
  release?: () => void;
  /** Set by the transport: where the last attempt went, for error messages. */
  method?: string;
  url?: string;
  status?: number;
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

const MAX_REDIRECTS = 5;

export interface TransportConfig {
  apiKey: string;
  origin: string;
  timeoutMs: number;
  maxRetries: number;
  fetch?: FetchLike | undefined;
  rateLimit?: ResolvedRateLimit | undefined;
}

/** Sends requests with auth, timeouts, retries and the redirect policy. */
export class Transport {
  readonly #authorization: string;
  readonly #redact: (text: string) => string;
  readonly #origin: string;
  readonly #fetch: FetchLike | undefined;
  readonly #pacer: Pacer | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;

  constructor(config: TransportConfig) {
    this.#authorization = `Bearer ${config.apiKey}`;
    this.#redact = redactor(config.apiKey);
    this.#origin = config.origin;
    this.#fetch = config.fetch;
    this.#pacer = config.rateLimit && new Pacer(config.rateLimit);
    this.timeoutMs = config.timeoutMs;
    this.maxRetries = config.maxRetries;
  }

  /**
   * Sends one logical request, retrying as the policy allows. Rejects only with this
   * package's errors (`APIConnectionError`, `APITimeoutError`, `APIUserAbortError`).
   */
  async send(input: LightRequest | Request, call: CallState = {}): Promise<Response> {
    // `posthog.raw` hands real Requests: copy them once so a retry can send the body again.
    const raw = input instanceof LightRequest ? undefined : input;
    const light = raw
      ? new LightRequest(raw.url, {
          method: raw.method,
          headers: new Headers(raw.headers),
          body: raw.body && (await raw.arrayBuffer()),
        })
      : (input as LightRequest);
    const { headers } = light;
    let { method, url, body } = light;
    const { signal = raw?.signal, timeoutMs = this.timeoutMs, maxRetries = this.maxRetries } = call;
    const where = (): string => `${method} ${pathOf(url)}`;
    let retries = 0;
    let redirects = 0;

    for (;;) {
      if (signal?.aborted) {
        throw abortReason(signal);
      }
      // The key goes to the configured origin only, whatever URL a caller built.
      if (url.startsWith(`${this.#origin}/`)) {
        headers.set("authorization", this.#authorization);
      } else {
        headers.delete("authorization");
      }

      const attempt = new AbortController();
      const timer = setTimeout(
        () => attempt.abort(new APITimeoutError(`${where()} timed out after ${timeoutMs} ms.`)),
        timeoutMs,
      );
      const onAbort = signal && ((): void => attempt.abort(abortReason(signal)));
      if (onAbort) {
        signal.addEventListener("abort", onAbort);
      }
      const release = (): void => {
        clearTimeout(timer);
        if (onAbort) {
          signal.removeEventListener("abort", onAbort);
        }
      };

      // Every attempt, retries included, takes its turn under PostHog's throttles; the
      // attempt's timer and the caller's signal run while it waits.
      const routeClass = this.#pacer ? routeClassOf(url) : undefined;
      const turn = routeClass === undefined ? undefined : this.#pacer?.take(routeClass, attempt.signal);
      if (turn !== undefined) {
        try {
          await turn;
        } catch {
          release();
          const reason: unknown = attempt.signal.reason;
          throw reason instanceof APITimeoutError
            ? new APITimeoutError(
                `${where()} timed out after ${timeoutMs} ms waiting for its turn under PostHog's rate limits (see the rateLimit option).`,
              )
            : reason;
        }
      }

      let response: Response;
      try {
        response = await (this.#fetch ?? fetch)(url, {
          method,
          headers,
          body: body ?? null,
          signal: attempt.signal,
          redirect: "manual",
        });
      } catch (cause) {
        release();
        const reason: unknown = attempt.signal.reason;
        if (reason instanceof APIUserAbortError) {
          throw reason;
        }
        const timedOut = reason instanceof APITimeoutError;
        if (retries < maxRetries && retryableFailure(cause, method, timedOut)) {
          await sleep(backoffMs(retries++), signal);
          continue;
        }
        const code = (cause as { cause?: { code?: string } })?.cause?.code;
        // A custom fetch's error text is not ours to trust: keep the key out of it.
        throw timedOut
          ? reason
          : new APIConnectionError(this.#redact(`${where()} got no answer: ${code ?? String(cause)}.`), { cause });
      }

      const { status } = response;
      const location = status > 299 && status < 400 && redirects < MAX_REDIRECTS && response.headers.get("location");
      // Followed on this origin only; a redirect elsewhere is handed back (it becomes an APIError).
      if (location && new URL(location, url).origin === this.#origin) {
        release();
        await response.body?.cancel();
        redirects++;
        url = new URL(location, url).href;
        if (status === 303 || (status < 303 && method === "POST")) {
          method = "GET";
          body = undefined;
          headers.delete("content-type");
        }
        continue;
      }

      const retry = retries < maxRetries && retryableStatus(status, method);
      if (retry || (status === 429 && routeClass !== undefined)) {
        const text = await response.text().catch(() => "");
        release();
        const wait = serverWaitMs(response.headers, text);
        // Throttled anyway (another process on the key): the whole class waits, not just this call.
        if (status === 429 && routeClass !== undefined && wait !== undefined) {
          this.#pacer?.pause(routeClass, wait);
        }
        if (retry && (wait === undefined || wait <= MAX_SERVER_WAIT_MS)) {
          await sleep(wait ?? backoffMs(retries), signal);
          retries++;
          continue;
        }
        // Not retried, or longer than we are willing to sleep: report it now, with the wait in the error.
        response = new Response(text, response);
      }

      call.release = release;
      call.method = method;
      call.url = url;
      call.status = status;
      // Without a caller to say when the body has been read, the timeout covers the headers only.
      if (raw) {
        release();
      }
      return response;
    }
  }
}
