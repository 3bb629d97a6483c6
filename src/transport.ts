// The one place a request goes on the wire: auth, per-attempt timeouts, the caller's
// signal, retries and redirects. openapi-fetch hands every request here as its `fetch`.
import { APIConnectionError, APITimeoutError, APIUserAbortError, pathOf, serverWaitMs } from "./errors.js";
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
}

/** Sends requests with auth, timeouts, retries and the redirect policy. */
export class Transport {
  readonly #authorization: string;
  readonly #origin: string;
  readonly #fetch: FetchLike | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;

  constructor(config: TransportConfig) {
    this.#authorization = `Bearer ${config.apiKey}`;
    this.#origin = config.origin;
    this.#fetch = config.fetch;
    this.timeoutMs = config.timeoutMs;
    this.maxRetries = config.maxRetries;
  }

  /**
   * Sends one logical request, retrying as the policy allows. Rejects only with this
   * package's errors (`APIConnectionError`, `APITimeoutError`, `APIUserAbortError`).
   */
  async send(input: LightRequest | Request, call?: CallState): Promise<Response> {
    const light = input instanceof LightRequest ? input : await fromRequest(input);
    const signal = call?.signal ?? (input instanceof LightRequest ? undefined : input.signal);
    const timeoutMs = call?.timeoutMs ?? this.timeoutMs;
    const maxRetries = call?.maxRetries ?? this.maxRetries;
    const fetchImpl = this.#fetch ?? globalThis.fetch;
    const headers = light.headers;
    let { method, url } = light;
    let body = light.body;
    let retries = 0;
    let redirects = 0;

    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      // The key goes to the configured origin only, whatever URL a caller built.
      if (sameOrigin(url, this.#origin)) headers.set("authorization", this.#authorization);
      else headers.delete("authorization");

      const attempt = new AbortController();
      const timer = setTimeout(() => {
        attempt.abort(new APITimeoutError(`${method} ${pathOf(url)} timed out after ${timeoutMs} ms.`));
      }, timeoutMs);
      const onAbort = (): void => attempt.abort(abortReason(signal));
      signal?.addEventListener("abort", onAbort, { once: true });
      const release = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };

      let response: Response;
      try {
        response = await fetchImpl(url, { method, headers, body: body ?? null, signal: attempt.signal, redirect: "manual" });
      } catch (cause) {
        release();
        const reason: unknown = attempt.signal.reason;
        if (reason instanceof APIUserAbortError) throw reason;
        const timedOut = reason instanceof APITimeoutError;
        const error = timedOut
          ? reason
          : new APIConnectionError(`${method} ${pathOf(url)} got no answer: ${describeCause(cause)}.`, { cause });
        if (retries < maxRetries && retryableFailure(cause, method, timedOut)) {
          await sleep(backoffMs(retries++), signal);
          continue;
        }
        throw error;
      }

      const location = response.status >= 300 && response.status < 400 ? response.headers.get("location") : null;
      if (location !== null && redirects < MAX_REDIRECTS) {
        const target = new URL(location, url);
        // A redirect elsewhere is handed back unfollowed (it becomes an APIError): the key stays home.
        if (target.origin === this.#origin) {
          release();
          await response.body?.cancel();
          redirects++;
          url = target.href;
          if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
            method = "GET";
            body = undefined;
            headers.delete("content-type");
          }
          continue;
        }
      }

      if (retries < maxRetries && retryableStatus(response.status, method)) {
        let text: string;
        try {
          text = await response.text();
        } catch {
          text = "";
        } finally {
          release();
        }
        const parsed = parseJson(text);
        const wait = serverWaitMs(response.headers, parsed);
        if (wait === undefined || wait <= MAX_SERVER_WAIT_MS) {
          await sleep(wait ?? backoffMs(retries), signal);
          retries++;
          continue;
        }
        // Longer than we are willing to sleep: report it now, with the wait in the error.
        response = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
      }

      if (call) {
        call.release = release;
        call.method = method;
        call.url = url;
        call.status = response.status;
      } else {
        release();
      }
      return response;
    }
  }
}

async function fromRequest(request: Request): Promise<LightRequest> {
  const body = request.body === null ? undefined : await request.arrayBuffer();
  return new LightRequest(request.url, { method: request.method, headers: new Headers(request.headers), body: body ?? null });
}

function sameOrigin(url: string, origin: string): boolean {
  return url.startsWith(origin) && (url.length === origin.length || url[origin.length] === "/" || url[origin.length] === "?");
}


function describeCause(cause: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = cause, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    if (typeof code === "string") parts.push(code);
    else if (typeof message === "string" && message) parts.push(message);
  }
  return parts.join(": ") || "unknown network error";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
