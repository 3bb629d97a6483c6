// Which project a directory's state speaks of: the canonical origin (one spelling per server) and
// the numeric project id (`@current` resolved once, before anything is planned). Knows no kind of
// object; the state, the lock and every kind use it alike.
import type { PostHogClient } from "../client.js";
import { APIError } from "../errors.js";
import { TargetError } from "./errors.js";

/**
 * A resolved target: where, which project, and the key its state is filed under.
 *
 * @example
 * const target: Target = { origin: "https://us.posthog.com", project: 12345, id: "https://us.posthog.com/project/12345" };
 */
export interface Target {
  origin: string;
  project: number;
  id: string;
}

// Hosts that are other names of a PostHog Cloud region: app.posthog.com redirects to the US one.
const ALIASES: Record<string, string> = { "app.posthog.com": "us.posthog.com" };
const REGIONS: Record<string, string> = { us: "https://us.posthog.com", eu: "https://eu.posthog.com" };
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * One spelling per server: `us` and `https://us.posthog.com/` and `https://app.posthog.com` are
 * `https://us.posthog.com`; a default port, a trailing slash or upper case change nothing; every
 * loopback name (`127.0.0.1`, `[::1]`) is `localhost`. Throws on what is not an origin.
 *
 * @example
 * canonicalOrigin("http://127.0.0.1:8000/"); // "http://localhost:8000"
 */
export function canonicalOrigin(origin: string): string {
  const url = new URL(REGIONS[origin.trim().toLowerCase()] ?? origin.trim());
  let host = ALIASES[url.hostname] ?? url.hostname;
  if (LOOPBACK.test(host)) {
    host = "localhost";
  }
  return `${url.protocol}//${host}${url.port ? `:${url.port}` : ""}`;
}

/**
 * The key a target's state is filed under.
 *
 * @example
 * targetId("https://eu.posthog.com", 7); // "https://eu.posthog.com/project/7"
 */
export function targetId(origin: string, project: number | string): string {
  return `${origin}/project/${project}`;
}

/**
 * The client's target: its canonical origin, and its project as a number (`@current` asked of
 * PostHog once: `GET /api/projects/@current/`, which needs the key's `project:read` scope).
 *
 * @example
 * const target = await resolveTarget(posthog); // { origin: "https://us.posthog.com", project: 12345, id: "..." }
 */
export async function resolveTarget(client: PostHogClient): Promise<Target> {
  const origin = canonicalOrigin(client.host);
  let project = Number(client.projectId);
  if (client.projectId === "@current") {
    const { data, error, response } = await client.raw.GET("/api/projects/{project_id}/", {
      params: { path: { project_id: "@current" } },
    });
    if (!response.ok || !data || !Number.isSafeInteger(data.id)) {
      const cause = response.ok
        ? undefined
        : APIError.generate(response.status, error, response.headers, { method: "GET", url: response.url });
      const why =
        response.status === 403
          ? "the key may not read projects (it needs the project:read scope)"
          : `PostHog answered ${response.status}${cause?.detail ? ` (${cause.detail})` : ""}`;
      throw new TargetError(
        `Cannot tell which project @current is: ${why}. Pass --project with the project's number, ` +
          "or set POSTHOG_PROJECT_ID: the directory's state is kept per numbered project.",
        cause,
      );
    }
    project = data.id;
  }
  return { origin, project, id: targetId(origin, project) };
}
