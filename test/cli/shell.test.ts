import { describe, expect, it } from "vitest";
import { resolveConnection } from "../../src/cli/connection.js";
import { describeError, EXIT, UsageError } from "../../src/cli/errors.js";
import { estimateMs, formatDuration, createProgress } from "../../src/cli/progress.js";
import { parseRateLimit, POSTHOG_WINDOWS } from "../../src/cli/rate-limit.js";
import { PermissionDeniedError, APIConnectionError, RateLimitError } from "../../src/errors.js";
import { runCli } from "./support.js";

const KEY = "phx_shellTestKey0123456789";

describe("--rate-limit", () => {
  it("defaults to PostHog's windows", () => {
    expect(parseRateLimit(undefined)).toEqual(POSTHOG_WINDOWS);
  });

  it("turns pacing off with off", () => {
    expect(parseRateLimit("off")).toBe(false);
  });

  it("reads windows with units s, min and h, for every route class", () => {
    const windows = [
      { requests: 60, windowMs: 60_000 },
      { requests: 500, windowMs: 3_600_000 },
      { requests: 5, windowMs: 10_000 },
    ];
    expect(parseRateLimit("60/min,500/h,5/10s")).toEqual({ insights: windows, sharing: windows, default: windows });
  });

  it("reads windows per route class, PostHog's for the classes not named", () => {
    expect(parseRateLimit("insights=60/min,500/h; default=100/min")).toEqual({
      insights: [
        { requests: 60, windowMs: 60_000 },
        { requests: 500, windowMs: 3_600_000 },
      ],
      sharing: POSTHOG_WINDOWS.sharing,
      default: [{ requests: 100, windowMs: 60_000 }],
    });
  });

  it("refuses an unknown unit or class as bad usage", () => {
    expect(() => parseRateLimit("60/day")).toThrow(/Invalid --rate-limit "60\/day"/);
    expect(() => parseRateLimit("dashboards=60/min")).toThrow(
      /Invalid --rate-limit class "dashboards": use insights, sharing, default/,
    );
    expect(() => parseRateLimit("default=60/min;insights=")).toThrow(UsageError);
  });
});

describe("connection", () => {
  it("takes the key from POSTHOG_PERSONAL_API_KEY only", () => {
    expect(() => resolveConnection({ keyVariables: ["POSTHOG_PERSONAL_API_KEY"] }, {})).toThrow(
      /set POSTHOG_PERSONAL_API_KEY/,
    );
  });

  it("prefers --host to POSTHOG_HOST, and POSTHOG_HOST to us", () => {
    const env = { POSTHOG_PERSONAL_API_KEY: KEY, POSTHOG_HOST: "eu", POSTHOG_PROJECT_ID: "5" };
    expect(resolveConnection({ keyVariables: ["POSTHOG_PERSONAL_API_KEY"], host: "us" }, env).options.host).toBe("us");
    expect(resolveConnection({ keyVariables: ["POSTHOG_PERSONAL_API_KEY"] }, env).options.host).toBe("eu");
    expect(
      resolveConnection({ keyVariables: ["POSTHOG_PERSONAL_API_KEY"] }, { POSTHOG_PERSONAL_API_KEY: KEY }).options.host,
    ).toBe("us");
  });

  it("prefers --project to POSTHOG_PROJECT_ID", () => {
    const env = { POSTHOG_PERSONAL_API_KEY: KEY, POSTHOG_PROJECT_ID: "5" };
    expect(resolveConnection({ keyVariables: ["POSTHOG_PERSONAL_API_KEY"], project: "7" }, env).options.projectId).toBe(
      "7",
    );
    expect(resolveConnection({ keyVariables: ["POSTHOG_PERSONAL_API_KEY"] }, env)).toEqual({
      options: { apiKey: KEY, host: "us", projectId: "5" },
    });
  });

  it("warns when it falls back to @current", () => {
    const connection = resolveConnection(
      { keyVariables: ["POSTHOG_PERSONAL_API_KEY"] },
      { POSTHOG_PERSONAL_API_KEY: KEY },
    );
    expect(connection.options.projectId).toBe("@current");
    expect(connection.warning).toMatch(/@current.*can change/);
  });

  it("tries the destination key before the source key", () => {
    const env = { POSTHOG_PERSONAL_API_KEY: KEY, POSTHOG_TO_PERSONAL_API_KEY: "phx_other_key_123" };
    const target = { keyVariables: ["POSTHOG_TO_PERSONAL_API_KEY", "POSTHOG_PERSONAL_API_KEY"], project: "2" };
    expect(resolveConnection(target, env).options.apiKey).toBe("phx_other_key_123");
  });
});

describe("errors", () => {
  it("names the scope a 403 asks for", () => {
    const err = new PermissionDeniedError(
      403,
      {
        type: "authentication_error",
        code: "permission_denied",
        detail: "API key missing required scope 'insight:write'",
      },
      new Headers(),
      "POST /insights/: 403",
    );
    const { lines, exitCode } = describeError(err, { debug: false, secrets: [] });
    expect(lines).toEqual([expect.stringMatching(/lacks the scope insight:write/)]);
    expect(exitCode).toBe(EXIT.failed);
  });

  it("never prints the key, even when an error carries it", () => {
    const err = new APIConnectionError(`connect failed with ${KEY}`);
    const { lines } = describeError(err, { debug: false, secrets: [KEY] });
    expect(lines.join("\n")).not.toContain(KEY);
  });

  it("words network failures and throttles as sentences: no '.:', no 'fetch failed', no '. run'", async () => {
    const lines = (err: unknown) => describeError(err, { debug: false, secrets: [] }).lines.join("\n");
    const notFound = new APIConnectionError("GET /api/projects/1/insights/ got no answer: ENOTFOUND.");
    expect(lines(notFound)).toBe(
      "GET /api/projects/1/insights/ got no answer: ENOTFOUND: check the network and --host / POSTHOG_HOST; run again to resume.",
    );
    const refused = new APIConnectionError("GET /api/projects/1/insights/ got no answer: TypeError: fetch failed.", {
      cause: new TypeError("fetch failed", {
        cause: new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })]),
      }),
    });
    expect(lines(refused)).toBe(
      "GET /api/projects/1/insights/ got no answer: ECONNREFUSED: check the network and --host / POSTHOG_HOST; run again to resume.",
    );
    const throttled = new RateLimitError(
      429,
      { type: "throttled_error", code: "throttled", detail: "Request was throttled. Expected available in 1 second." },
      new Headers(),
      "GET /insights/: 429.",
    );
    expect(lines(throttled)).toMatch(
      /^PostHog throttled the key \(another job may share it\)\. PostHog asks to wait 1 s\. Run again later/,
    );
    expect(lines(throttled)).not.toMatch(/\.\.|\.:|\. run/);
    // Through a whole run: a host that does not resolve.
    const run = await runCli(["list", "--host", "https://nowhere.invalid", "--project", "1", "--rate-limit", "off"], {
      env: { POSTHOG_PERSONAL_API_KEY: KEY },
      fetch: async () => {
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.invalid"), { code: "ENOTFOUND" }),
        });
      },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/got no answer: ENOTFOUND: check the network/);
    expect(run.stderr).not.toMatch(/\.:/);
  });

  it("adds the stack only with DEBUG", () => {
    const err = new Error("boom");
    expect(describeError(err, { debug: false, secrets: [] }).lines).toHaveLength(1);
    expect(describeError(err, { debug: true, secrets: [] }).lines.length).toBeGreaterThan(1);
  });
});

describe("progress", () => {
  it("estimates at least what the windows allow", () => {
    // 300 requests at 240 a minute, none sent yet: 240 go now, the rest a minute later.
    const windows = [{ requests: 240, windowMs: 60_000 }];
    expect(estimateMs({ remaining: 300, done: 0, elapsedMs: 0, sent: [], windows, now: 0 })).toBe(60_000);
    expect(estimateMs({ remaining: 100, done: 0, elapsedMs: 0, sent: [], windows, now: 0 })).toBe(0);
  });

  it("estimates from the pace so far when it is slower than the windows", () => {
    expect(estimateMs({ remaining: 10, done: 10, elapsedMs: 5_000, sent: [], windows: false, now: 0 })).toBe(5_000);
  });

  it("formats durations for people", () => {
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(185_000)).toBe("3m 05s");
    expect(formatDuration(3_720_000)).toBe("1h 02m");
  });

  it("writes plain lines with done/total, the item and a wait for the limit", () => {
    let text = "";
    let clock = 0;
    const progress = createProgress({ sink: { write: (s: string) => (text += s) }, windows: false, now: () => clock });
    progress.start("push", 2);
    progress.item("daily-signups");
    progress.waiting(12_000);
    clock += 2_000;
    progress.done();
    progress.item("revenue");
    progress.done();
    progress.stop();
    expect(text).toContain("push 0/2");
    expect(text).toMatch(/push 0\/2 daily-signups .*waiting 12s for the rate limit/);
    expect(text).toMatch(/push 2\/2 revenue/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that no escape code is written.
    expect(text).not.toMatch(/\u001b/);
  });
});

describe("the program", () => {
  it("prints the version on stdout", async () => {
    const result = await runCli(["--version"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("prints help on stdout with exit code 0", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--rate-limit");
  });

  it("exits 2 on an unknown flag", async () => {
    const result = await runCli(["--frobnicate"]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("unknown option");
  });
});
