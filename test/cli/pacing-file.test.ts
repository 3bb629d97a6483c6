// Pacing across CLI runs: the pacing file carries each (origin, key fingerprint, bucket)'s recent
// request times from one run to the next, never the key, and two runs' writes merge.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PacingFile, pacingFilePath } from "../../src/cli/pacing-file.js";
import { historyOf, POSTHOG_WINDOWS } from "../../src/pacing.js";
import { createFakePostHog } from "../../src/testing/index.js";
import { runCli, trends } from "./support.js";

let cache: string;

beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), "posthog-insights-pacing-"));
});
afterEach(() => {
  rmSync(cache, { recursive: true, force: true });
});

describe("the pacing file", () => {
  it("lives in the user's cache directory", () => {
    expect(pacingFilePath({ XDG_CACHE_HOME: "/c" })).toBe(join("/c", "posthog-insights", "pacing.json"));
  });

  it("makes a second run wait for the windows the first one used: no 429 across runs", async () => {
    const windows = [{ requests: 2, windowMs: 2_000 }];
    const fake = createFakePostHog({ projectId: 9, rateLimit: windows });
    // Seeded an hour ago by the fake throttle's clock: the seeding leaves nothing in its window.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 3_600_000 });
    const created = await fake.client({ rateLimit: false }).insights.create({ name: "A", query: trends });
    vi.useRealTimers();
    const sent: number[] = [];
    const cli = () =>
      runCli(["get", String(created.id), "--host", fake.origin, "--project", "9", "--rate-limit", "2/2s"], {
        env: { POSTHOG_PERSONAL_API_KEY: fake.apiKey, XDG_CACHE_HOME: cache },
        fetch: (input, init) => {
          sent.push(performance.now());
          return fake.fetch(input, init);
        },
      });
    // Each run is a separate pacer: only the file tells the third about the first two.
    for (let run = 0; run < 3; run++) {
      const result = await cli();
      expect(result.code, result.stderr).toBe(0);
    }
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(sent).toHaveLength(3);
    expect((sent[2] as number) - (sent[0] as number)).toBeGreaterThanOrEqual(2_000 - 1);

    const text = readFileSync(pacingFilePath({ XDG_CACHE_HOME: cache }), "utf8");
    expect(text).not.toContain(fake.apiKey);
    const names = Object.keys(JSON.parse(text).buckets);
    expect(names).toEqual([expect.stringMatching(new RegExp(`^${fake.origin} [0-9a-f]{16} insights$`))]);
  });

  it("merges two runs that ended at the same time, and ignores a file it cannot read", () => {
    const path = pacingFilePath({ XDG_CACHE_HOME: cache });
    const a = new PacingFile(path);
    const b = new PacingFile(path);
    const pa = a.pacerFor("https://us.posthog.com", "phx_one", { windows: POSTHOG_WINDOWS });
    const pb = b.pacerFor("https://us.posthog.com", "phx_one", { windows: POSTHOG_WINDOWS });
    for (const [pacer, n] of [
      [pa, 3],
      [pb, 4],
    ] as const) {
      for (let i = 0; i < n; i++) {
        expect(pacer.take("insights")).toBeUndefined();
        pacer.settle("insights");
      }
    }
    pb.pause("sharing", 30_000);
    a.save();
    b.save();
    const next = new PacingFile(path).pacerFor("https://us.posthog.com", "phx_one", { windows: POSTHOG_WINDOWS });
    expect(historyOf(next).insights.endedMsAgo).toHaveLength(7);
    expect(historyOf(next).default.pausedForMs).toBeGreaterThan(29_000);
    // Another key on the same host starts afresh.
    const other = new PacingFile(path).pacerFor("https://us.posthog.com", "phx_two", { windows: POSTHOG_WINDOWS });
    expect(historyOf(other).insights.endedMsAgo).toHaveLength(0);

    writeFileSync(path, "{ not json");
    const fresh = new PacingFile(path).pacerFor("https://us.posthog.com", "phx_one", { windows: POSTHOG_WINDOWS });
    expect(historyOf(fresh).insights.endedMsAgo).toHaveLength(0);
  });
});
