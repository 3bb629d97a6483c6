import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { APIError, PostHogClient, PostHogConfigError, PostHogError } from "../../src/index.js";
import { clientFor, TEST_KEY } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { json, startServer, text, type TestServer } from "../support/server.js";

let home: TestServer;
let other: TestServer;

// A fresh pair of servers per test: no request count carries over from another test.
beforeEach(async () => {
  other = await startServer((_req, res) => json(res, 200, example("insight-trends")));
  home = await startServer((req, res) => {
    if (req.path.endsWith("/insights/1/")) {
      return text(res, 302, "", { location: `${other.origin}${req.path}` });
    }
    if (req.path.endsWith("/insights/2/")) {
      return text(res, 301, "", { location: "/api/projects/12345/insights/3/" });
    }
    if (req.path.endsWith("/insights/4/")) {
      return json(res, 500, { detail: `echo ${req.headers.authorization ?? ""}` });
    }
    return json(res, 200, example("insight-trends"));
  });
});
afterEach(async () => {
  await home.close();
  await other.close();
});

describe("the API key", () => {
  it("never appears in util.inspect or JSON.stringify of the client", () => {
    const posthog = clientFor(home.origin);
    expect(inspect(posthog, { depth: 10, showHidden: true })).not.toContain(TEST_KEY);
    expect(JSON.stringify(posthog)).not.toContain(TEST_KEY);
    expect(inspect(posthog.insights, { depth: 10, showHidden: true })).not.toContain(TEST_KEY);
    expect(inspect(posthog.raw, { depth: 10, showHidden: true })).not.toContain(TEST_KEY);
    expect(JSON.parse(JSON.stringify(posthog))).toMatchObject({ host: home.origin, projectId: "12345" });
  });

  it("never appears in error messages or stacks, even when the server echoes it", async () => {
    const errors: unknown[] = [];
    const posthog = clientFor(home.origin, { maxRetries: 0 });
    errors.push(await posthog.insights.retrieve(4).catch((e: unknown) => e));
    errors.push(await posthog.insights.retrieve("x/../../").catch((e: unknown) => e));
    errors.push(
      await clientFor("http://127.0.0.1:1", { maxRetries: 0 })
        .insights.retrieve(7)
        .catch((e: unknown) => e),
    );
    for (const err of errors) {
      expect(err).toBeInstanceOf(PostHogError);
      expect((err as Error).message).not.toContain(TEST_KEY);
      expect((err as Error).stack).not.toContain(TEST_KEY);
    }
    // The body is the server's own words, kept as data; the message shows PostHog's detail field.
    expect((errors[0] as APIError).status).toBe(500);
  });

  it("configuration errors do not quote the key", () => {
    const bad = "phx_secret\r\nX-Injected: 1";
    const err = (() => {
      try {
        new PostHogClient({ apiKey: bad, host: home.origin });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(PostHogConfigError);
    expect(err?.message).not.toContain("phx_secret");
  });

  it("is not sent along a redirect to another origin", async () => {
    const err = await clientFor(home.origin)
      .insights.retrieve(1)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(302);
    expect((err as Error).message).toMatch(
      /the redirect to http:\/\/127\.0\.0\.1:\d+\/api\/projects\/12345\/insights\/1\/ is not followed \(only up to 5 on the configured host are\)/,
    );
    expect(other.requests).toHaveLength(0);
  });

  it("follows a same-origin redirect, with the key", async () => {
    await expect(clientFor(home.origin).insights.retrieve(2)).resolves.toMatchObject({ id: 7 });
    expect(home.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ["/api/projects/12345/insights/2/", `Bearer ${TEST_KEY}`],
      ["/api/projects/12345/insights/3/", `Bearer ${TEST_KEY}`],
    ]);
  });

  it("is not added to raw calls aimed at another origin", async () => {
    await clientFor(home.origin).raw.GET("/api/projects/{project_id}/insights/{id}/", {
      baseUrl: other.origin,
      params: { path: { project_id: "1", id: 7 } },
    });
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe("construction refuses unsafe configuration", () => {
  const make = (options: ConstructorParameters<typeof PostHogClient>[0]) => () =>
    new PostHogClient({ apiKey: "phx_k", ...options });

  it.each(["http://posthog.example.com", "http://10.0.0.5:8000", "http://[::2]"])(
    "plain http to a non-loopback host: %s",
    (host) => {
      expect(make({ host })).toThrow(PostHogConfigError);
      expect(make({ host })).toThrow(/clear text/);
    },
  );

  it.each([
    "http://localhost:8000",
    "http://127.0.0.1:8000",
    "http://127.3.2.1",
    "http://[::1]:8000",
    "https://posthog.example.com",
    "https://posthog.example.com/",
  ])("accepts %s", (host) => {
    expect(make({ host })().host).toBe(new URL(host).origin);
  });

  it("named regions", () => {
    expect(make({ host: "us" })().host).toBe("https://us.posthog.com");
    expect(make({ host: "EU" })().host).toBe("https://eu.posthog.com");
    expect(make({})().host).toBe("https://us.posthog.com");
  });

  it.each([
    ["phx_a\nb", /control/],
    ["phx_a\u0000", /control/],
    [" phx_a", /whitespace/],
    ["phx_é", /non-ASCII/],
  ])("keys with control or odd characters: %j", (apiKey, message) => {
    expect(make({ apiKey })).toThrow(PostHogConfigError);
    expect(make({ apiKey })).toThrow(message);
  });

  it("an Authorization header in headers", () => {
    expect(make({ headers: { authorization: "Bearer x" } })).toThrow(PostHogConfigError);
    expect(make({ headers: { "x-a": "1\r\nx-b: 2" } })).toThrow(/control characters/);
  });

  it.each([
    [{ host: "ftp://posthog.example.com" }, /http\(s\)/],
    [{ host: "https://posthog.example.com/api" }, /only the origin/],
    [{ host: "https://user:pw@posthog.example.com" }, /only the origin/],
    [{ host: "posthog" }, /Invalid host/],
    [{ projectId: "../1" }, /project id/],
    [{ projectId: 0 }, /project id/],
    [{ timeoutMs: 0 }, /Invalid timeoutMs/],
    [{ maxRetries: 1.5 }, /Invalid maxRetries/],
    [{ fetch: "no" as unknown as typeof fetch }, /fetch/],
  ] as const)("%j", (options, message) => {
    expect(make(options as object)).toThrow(message);
  });
});

describe("ids cannot change the path's shape", () => {
  it.each([
    "..",
    "../8",
    "7/../8",
    "%2e%2e",
    "7%2F8",
    "7?x=1",
    "7#x",
    "-1",
    "0",
    "1.5",
    "1e3",
    " 7",
    "",
    "9007199254740993",
  ])("insight id %j is refused before any request", async (id) => {
    const err = await clientFor(home.origin)
      .insights.retrieve(id)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostHogError);
    expect((err as Error).message).toMatch(/Invalid insight id/);
    expect(home.requests).toHaveLength(0);
  });

  it.each(["..", "1/..", "%2e", "@other", "current", "1 "])(
    "project id %j is refused before any request",
    async (projectId) => {
      await expect(clientFor(home.origin).insights.retrieve(7, {}, { projectId })).rejects.toThrow(
        /Invalid project id/,
      );
      expect(home.requests).toHaveLength(0);
    },
  );
});

describe("same-origin redirects", () => {
  it("a 303 after a POST is followed as a GET without the body", async () => {
    const server = await startServer((req, res) => {
      if (req.method === "POST") {
        return text(res, 303, "", { location: "/api/projects/12345/insights/7/" });
      }
      return json(res, 200, example("insight-trends"));
    });
    try {
      await expect(clientFor(server.origin).insights.create({ name: "x" })).resolves.toMatchObject({ id: 7 });
      expect(server.requests.map((r) => [r.method, r.body, r.headers["content-type"]])).toEqual([
        ["POST", '{"name":"x"}', "application/json"],
        ["GET", "", undefined],
      ]);
    } finally {
      await server.close();
    }
  });

  it("raw requests with a body go through the same transport", async () => {
    const server = await startServer((_req, res) => json(res, 200, example("insight-trends")));
    try {
      const { data } = await clientFor(server.origin).raw.PATCH("/api/projects/{project_id}/insights/{id}/", {
        params: { path: { project_id: "12345", id: 7 } },
        body: { name: "raw" },
      });
      expect(data?.id).toBe(7);
      expect(server.requests[0]).toMatchObject({ method: "PATCH", json: { name: "raw" } });
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    } finally {
      await server.close();
    }
  });
});

describe("a custom fetch that leaks the key in its errors", () => {
  it("has it blanked out of the APIConnectionError", async () => {
    const posthog = clientFor("https://posthog.example.com", {
      maxRetries: 0,
      fetch: async (_url, init) => {
        throw new Error(`proxy refused ${new Headers(init.headers).get("authorization")}`);
      },
    });
    const err = await posthog.insights.retrieve(7).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostHogError);
    expect((err as Error).message).toContain("[redacted]");
    expect((err as Error).message).not.toContain(TEST_KEY);
  });
});
