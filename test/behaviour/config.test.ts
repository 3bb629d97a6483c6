import { afterEach, describe, expect, it, vi } from "vitest";
import { PostHogClient, PostHogConfigError, PostHogError } from "../../src/index.js";
import { clientFor, TEST_KEY } from "../support/client.js";
import { example } from "../support/fixtures.js";
import { json, startServer } from "../support/server.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("configuration from the environment", () => {
  it("reads the key, host and project from POSTHOG_* variables", async () => {
    const server = await startServer((_req, res) => json(res, 200, example("insight-trends")));
    try {
      vi.stubEnv("POSTHOG_PERSONAL_API_KEY", TEST_KEY);
      vi.stubEnv("POSTHOG_HOST", server.origin);
      vi.stubEnv("POSTHOG_PROJECT_ID", "777");
      const posthog = new PostHogClient();
      expect(posthog.host).toBe(server.origin);
      expect(posthog.projectId).toBe("777");
      await posthog.insights.retrieve(7);
      expect(server.requests[0]).toMatchObject({ path: "/api/projects/777/insights/7/" });
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    } finally {
      await server.close();
    }
  });

  it("without any key, the constructor throws PostHogConfigError", () => {
    vi.stubEnv("POSTHOG_PERSONAL_API_KEY", "");
    expect(() => new PostHogClient()).toThrow(PostHogConfigError);
    expect(() => new PostHogClient()).toThrow(/POSTHOG_PERSONAL_API_KEY/);
  });

  it("defaults to US cloud and @current", () => {
    vi.stubEnv("POSTHOG_HOST", "");
    vi.stubEnv("POSTHOG_PROJECT_ID", "");
    const posthog = new PostHogClient({ apiKey: "phx_k" });
    expect([posthog.host, posthog.projectId]).toEqual(["https://us.posthog.com", "@current"]);
  });

  it("uses a custom fetch for every request", async () => {
    const seen: string[] = [];
    const posthog = new PostHogClient({
      apiKey: "phx_k",
      host: "https://posthog.example.com",
      projectId: 5,
      fetch: async (url, init) => {
        seen.push(`${init.method} ${url} ${new Headers(init.headers).get("authorization")}`);
        return new Response(JSON.stringify(example("insight-trends")), {
          status: 200,
          headers: { "content-type": "application/json" },
        });
      },
    });
    await posthog.insights.retrieve(7);
    expect(seen).toEqual(["GET https://posthog.example.com/api/projects/5/insights/7/ Bearer phx_k"]);
  });

  it("a query status id that could change the path is refused", async () => {
    const pending = example<{ query_status: object }>("insight-trends-async");
    const server = await startServer((_req, res) =>
      json(res, 200, { ...pending, query_status: { ...pending.query_status, id: "../../x" } }),
    );
    try {
      await expect(clientFor(server.origin).insights.compute(7)).rejects.toThrow(PostHogError);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
