import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  PostHogError,
  RateLimitError,
} from "../../src/index.js";
import { clientFor } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { json, startServer, text, type TestServer } from "../support/server.js";

let server: TestServer;
type Answer = (res: Parameters<typeof json>[0]) => void;
const answers = new Map<string, Answer>();

beforeAll(async () => {
  server = await startServer((req, res) => {
    const answer = answers.get(req.query.case ?? "");
    if (answer) {
      return answer(res);
    }
    return json(res, 500, { nope: true });
  });
});
afterAll(() => server.close());

/** Registers an answer and calls `list` with a query that selects it. */
async function failure(name: string, answer: Answer): Promise<unknown> {
  answers.set(name, answer);
  const posthog = clientFor(server.origin, { maxRetries: 0 });
  return posthog.insights.list({ search: "x", ...({ case: name } as object) }).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("HTTP statuses map to error classes with PostHog's fields", () => {
  it.each([
    [400, "error-validation", BadRequestError],
    [401, "error-authentication-failed", AuthenticationError],
    [403, "error-missing-scope", PermissionDeniedError],
    [404, "error-not-found", NotFoundError],
    [429, "error-throttled", RateLimitError],
    [500, undefined, InternalServerError],
    [503, undefined, InternalServerError],
    [409, undefined, APIError],
  ] as const)("%i gives %s", async (status, fixture, Class) => {
    const body = fixture
      ? example(fixture)
      : { type: "server_error", code: "error", detail: "A server error occurred.", attr: null };
    const err = await failure(`s${status}`, (res) => json(res, status, body));
    expect(err).toBeInstanceOf(Class);
    expect(err).toBeInstanceOf(APIError);
    expect(err).toBeInstanceOf(PostHogError);
    expect(err).toMatchObject({ status, type: body.type, code: body.code, detail: body.detail, attr: body.attr, body });
    expect((err as APIError).headers.get("content-type")).toBe("application/json");
    expect((err as Error).message).toContain(`GET /api/projects/12345/insights/ failed with HTTP ${status}`);
    expect((err as Error).message).toContain(String(body.detail));
  });

  it("names the offending field in the message", async () => {
    const err = await failure("field", (res) => json(res, 400, example("error-validation")));
    expect((err as Error).message).toMatch(/Ensure this field has no more than 400 characters\. \(field: name\)/);
  });

  it("a 403 that is really 'not authenticated' is an AuthenticationError", async () => {
    const notAuth = await failure("na", (res) => json(res, 403, example("error-not-authenticated")));
    expect(notAuth).toBeInstanceOf(AuthenticationError);
    const badKey = await failure("bk", (res) => json(res, 403, example("error-authentication-failed")));
    expect(badKey).toBeInstanceOf(AuthenticationError);
    const denied = await failure("pd", (res) =>
      json(res, 403, {
        type: "authentication_error",
        code: "permission_denied",
        detail: "You don't have access to the project.",
        attr: null,
      }),
    );
    expect(denied).toBeInstanceOf(PermissionDeniedError);
  });

  it("RateLimitError carries the wait from PostHog's detail", async () => {
    const err = await failure("rl", (res) => json(res, 429, example("error-throttled")));
    expect((err as RateLimitError).retryAfterMs).toBe(12_000);
  });

  it("an HTML error page from a proxy still gives the right class and a short readable message", async () => {
    const html =
      "<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>" +
      `${"<p>x</p>".repeat(500)}</body></html>`;
    const err = await failure("html", (res) => text(res, 502, html, { "content-type": "text/html; charset=utf-8" }));
    expect(err).toBeInstanceOf(InternalServerError);
    const message = (err as Error).message;
    expect(message).toMatch(/HTTP 502 \(non-JSON text\/html body: 502 Bad Gateway Bad Gateway/);
    expect(message.length).toBeLessThan(300);
    expect(message).not.toContain("<");
    expect((err as APIError).code).toBeUndefined();
    expect((err as APIError).body).toBe(html);
  });

  it("an empty error body still gives the right class", async () => {
    const err = await failure("empty", (res) => text(res, 404, ""));
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toMatch(/HTTP 404 with an empty body/);
    const chunked = await failure("empty-chunked", (res) => {
      res.writeHead(405);
      res.end();
    });
    expect(chunked).toBeInstanceOf(APIError);
    expect((chunked as APIError).status).toBe(405);
  });

  it("a 200 whose body is not JSON is a PostHogError with the status, not a SyntaxError", async () => {
    const e = await failure("notjson", (res) =>
      text(res, 200, "<html>maintenance</html>", { "content-type": "text/html" }),
    );
    expect(e).toBeInstanceOf(PostHogError);
    expect(e).not.toBeInstanceOf(SyntaxError);
    expect((e as Error).message).toMatch(
      /GET \/api\/projects\/12345\/insights\/ answered HTTP 200 with a body that is not valid JSON/,
    );
    const chunked = await failure("notjson-chunked", (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{ truncated");
    });
    expect(chunked).toBeInstanceOf(PostHogError);
    expect((chunked as Error).message).toMatch(/not valid JSON/);
  });

  it("no HTTP answer at all is an APIConnectionError with the cause", async () => {
    const closed = await startServer(() => undefined);
    const origin = closed.origin;
    await closed.close();
    const err = await clientFor(origin, { maxRetries: 0 })
      .insights.retrieve(7)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect((err as Error).message).toMatch(/GET \/api\/projects\/12345\/insights\/7\/ got no answer: .*ECONNREFUSED/);
    expect((err as Error).cause).toBeDefined();
  });

  it("APIError.generate picks the class from a status alone", () => {
    const target = { method: "GET", url: "not a url" };
    expect(APIError.generate(418, undefined, new Headers(), target).message).toBe(
      "GET not a url failed with HTTP 418 with an empty body",
    );
    expect(APIError.generate(401, "nope", new Headers(), target)).toBeInstanceOf(AuthenticationError);
  });
});
