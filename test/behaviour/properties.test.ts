// Property-based tests: whatever the server answers and whatever ids a caller passes, the
// client either does the documented thing or throws one of its own errors.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostHogError } from "../../src/index.js";
import { serverWaitMs } from "../../src/retry.js";
import { backoffMs } from "../../src/retry.js";
import { clientFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// HTTP forbids a body on these; the server sends none.
const NO_BODY = new Set([204, 205, 304]);

let next: Answer = { status: 200, headers: {}, body: "{}" };
let server: TestServer;

beforeAll(async () => {
  server = await startServer((_req, res) => {
    try {
      res.writeHead(next.status, next.headers);
      res.end(NO_BODY.has(next.status) ? undefined : next.body);
    } catch {
      res.destroy();
    }
  });
});
afterAll(() => server.close());

const headerValue = fc.oneof(
  fc.constantFrom(
    "0",
    "1",
    "61",
    "-5",
    "1.5",
    "soon",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Thu, 01 Jan 2099 00:00:00 GMT",
    "",
  ),
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
);

const bodyArb = fc.oneof(
  fc.json(),
  fc.string(),
  fc.constantFrom(
    "",
    "<html><body>502</body></html>",
    JSON.stringify({
      type: "throttled_error",
      code: "throttled",
      detail: "Request was throttled. Expected available in 2 seconds.",
      attr: null,
    }),
    '{"detail": 5}',
    "null",
    "[]",
  ),
  fc
    .record({ type: fc.string(), code: fc.string(), detail: fc.string(), attr: fc.option(fc.string()) })
    .map((o) => JSON.stringify(o)),
);

const answerArb: fc.Arbitrary<Answer> = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 201, 202, 204, 301, 302, 307, 400, 401, 403, 404, 405, 408, 409, 429, 500, 502, 503, 504),
    fc.integer({ min: 200, max: 599 }),
  ),
  headers: fc.record(
    {
      "retry-after": headerValue,
      "content-type": fc.constantFrom("application/json", "text/html", "text/csv", "application/problem+json"),
      location: fc.constantFrom("https://evil.example/x", "/api/projects/12345/insights/7/", "::not a url::"),
    },
    { requiredKeys: [] },
  ),
  body: bodyArb,
});

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("arbitrary answers", () => {
  it("give the documented result or a PostHogError subclass, never anything else", async () => {
    await fc.assert(
      fc.asyncProperty(answerArb, async (answer) => {
        next = answer;
        const posthog = clientFor(server.origin, { maxRetries: 0, timeoutMs: 2_000 });
        try {
          const value = await posthog.insights.retrieve(7);
          // Only a 2xx with a JSON body (or an empty one) resolves, to that body.
          expect(answer.status).toBeGreaterThanOrEqual(200);
          expect(answer.status).toBeLessThan(300);
          const empty = NO_BODY.has(answer.status) || answer.body === "";
          if (empty) {
            expect(value).toBeUndefined();
          } else {
            expect(value).toEqual(JSON.parse(answer.body));
          }
        } catch (err) {
          expect(err).toBeInstanceOf(PostHogError);
          if (answer.status >= 200 && answer.status < 300) {
            expect(parsesAsJson(answer.body)).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
    // 150 runs against a loopback server: about 13 s alone, longer on a loaded 2-core machine.
  }, 120_000);
});

describe("arbitrary ids", () => {
  it("never escape their path segment", async () => {
    const idArb = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.constantFrom("..", "%2e%2e", "7/../8", "7%2F8", "7?x", "@current", "0x10", "１２"),
      fc.stringMatching(/^[0-9./%a-z@?#]{1,12}$/),
    );
    // A short id is looked up with one listing call first; nothing else may be sent.
    const project = `/api/projects/([1-9][0-9]*|%40current)/insights/`;
    const retrieve = new RegExp(`^${project}[1-9][0-9]*/$`);
    const lookUp = new RegExp(`^${project}$`);
    await fc.assert(
      fc.asyncProperty(idArb, idArb, async (id, projectId) => {
        next = { status: 200, headers: { "content-type": "application/json" }, body: "{}" };
        const before = server.requests.length;
        try {
          await clientFor(server.origin).insights.retrieve(id as string, {}, { projectId: projectId as string });
        } catch (err) {
          expect(err).toBeInstanceOf(PostHogError);
        }
        for (const sent of server.requests.slice(before)) {
          if (lookUp.test(sent.path)) {
            expect(sent.query.short_id).toBe(id);
          } else {
            expect(sent.path).toMatch(retrieve);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it("a number is an id only as a positive safe integer, and anything else is refused before any request", async () => {
    const notAnId = fc.oneof(
      fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 1.5, 2 ** 53, 0, -0, -7, 1e21),
      fc.double().filter((n) => !(Number.isSafeInteger(n) && n > 0)),
      fc.integer({ min: 1, max: 2 ** 20 }).map((n) => 2 ** 53 + n * 2),
    );
    const posthog = clientFor(server.origin);
    const before = server.requests.length;
    await fc.assert(
      fc.asyncProperty(notAnId, async (id) => {
        const calls = [
          () => posthog.insights.retrieve(id),
          () => posthog.insights.update(id, { name: "x" }),
          () => posthog.insights.sharing.retrieve(id),
          () => posthog.insights.markViewed([7, id]),
          () => posthog.insights.retrieve(7, {}, { projectId: id }),
        ];
        for (const call of calls) {
          await expect(call()).rejects.toThrow(PostHogError);
          await expect(call()).rejects.toThrow(/^Invalid (insight|project) id /);
        }
      }),
      { numRuns: 200 },
    );
    expect(server.requests.length).toBe(before);
  });
});

describe("wait parsing and backoff", () => {
  it("a server-told wait is undefined or a finite non-negative number of ms", () => {
    fc.assert(
      fc.property(fc.option(headerValue, { nil: undefined }), bodyArb, (retryAfter, body) => {
        const headers = new Headers(retryAfter === undefined ? {} : { "retry-after": retryAfter });
        let parsed: unknown = body;
        try {
          parsed = JSON.parse(body);
        } catch {
          // keep text
        }
        const wait = serverWaitMs(headers, parsed);
        if (wait !== undefined) {
          expect(Number.isFinite(wait)).toBe(true);
          expect(wait).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("backoff stays within [0.75, 1] of its ceiling", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, r) => {
          const ceiling = Math.min(500 * 2 ** retry, 8000);
          const wait = backoffMs(retry, () => r);
          expect(wait).toBeGreaterThan(ceiling * 0.75 - 1e-9);
          expect(wait).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
  });
});
