// Which key goes to which host in `copy`: the source's key only ever to the source's host (a copy
// to another host without POSTHOG_TO_PERSONAL_API_KEY stops before any request), and a key the
// destination refuses is named as the destination's.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { copyProjects } from "../support/copy-projects.js";
import { runCli } from "./support.js";

vi.setConfig({ testTimeout: 120_000 });

let dir: string;
let projects: Awaited<ReturnType<typeof copyProjects>>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "posthog-insights-copy-keys-"));
  projects = await copyProjects();
});

afterEach(async () => {
  await projects.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("copy's keys", () => {
  it("to another host without POSTHOG_TO_PERSONAL_API_KEY: exit 2 before any request, the source's key sent nowhere", async () => {
    const { source, destination } = projects;
    const before = [source.requests.length, destination.requests.length];
    const { code, stderr, stdout } = await runCli(["copy", ...projects.args, "--no-progress", "--dashboards"], {
      env: { POSTHOG_PERSONAL_API_KEY: source.apiKey },
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^POSTHOG_TO_PERSONAL_API_KEY is not set: a copy to another host \(http:\/\/\S+\) needs a key of that host\..*Nothing was sent\.$/m,
    );
    expect(stderr).not.toContain(source.apiKey);
    expect([source.requests.length, destination.requests.length]).toEqual(before);
  });

  it("within one host, the source's key serves both projects when POSTHOG_TO_PERSONAL_API_KEY is unset", async () => {
    const { source, us } = projects;
    const { code, stderr } = await runCli(
      ["copy", "--host", us.url, "--project", "101", "--to-project", "303", "--no-progress", "--dry-run"],
      { env: { POSTHOG_PERSONAL_API_KEY: source.apiKey }, cwd: dir },
    );
    // The fake serves one project: 303 is not found there, with the source's key accepted.
    expect(stderr).not.toMatch(/POSTHOG_TO_PERSONAL_API_KEY is not set|did not accept/);
    expect(code).not.toBe(0);
    expect(source.requests.some((request) => request.path.includes("/projects/303/"))).toBe(true);
  });

  it("a key the destination refuses is named as the destination's key, with its host", async () => {
    const { source } = projects;
    const { code, stderr } = await runCli(["copy", ...projects.args, "--no-progress", "--dashboards"], {
      env: { POSTHOG_PERSONAL_API_KEY: source.apiKey, POSTHOG_TO_PERSONAL_API_KEY: "phx_not_the_destination_key" },
      cwd: dir,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^PostHog on http:\/\/\S+ did not accept the destination's key: check POSTHOG_TO_PERSONAL_API_KEY and that --to-host is the instance it belongs to/m,
    );
    expect(stderr).not.toMatch(/check POSTHOG_PERSONAL_API_KEY/);
    expect(stderr).not.toContain("phx_not_the_destination_key");
  });
});
