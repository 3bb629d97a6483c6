// Where the CLI connects: the key from the environment only, the host and project from flags,
// then the environment, then defaults. Builds client options; must not send anything.
import type { InternalClientOptions } from "../config.js";
import { UsageError } from "./errors.js";
import type { PacingWindows } from "./rate-limit.js";

/** The client's pacing option, as the `pace` branch defines it. */
export type RateLimitOption = false | { windows: PacingWindows; onWait?: (waitMs: number) => void };

/** Client options with pacing. */
export type ConnectOptions = InternalClientOptions & { rateLimit?: RateLimitOption };

/** One side of a connection: which variable holds its key, and its host and project flags. */
export interface Target {
  /** Environment variables tried in order for the key. */
  keyVariables: string[];
  host?: string | undefined;
  project?: string | undefined;
}

/** A resolved target, ready for `new PostHogClient`. */
export interface Connection {
  options: ConnectOptions;
  /** A warning to show (the `@current` project), or none. */
  warning?: string;
}

/**
 * Resolves key, host and project: key from `keyVariables` (never a flag: flags land in shell
 * history and process lists); host `--host` > `POSTHOG_HOST` > `us`; project `--project` >
 * `POSTHOG_PROJECT_ID` > `@current`, with a warning.
 *
 * @example
 * const { options } = resolveConnection({ keyVariables: ["POSTHOG_PERSONAL_API_KEY"], project: "12345" }, process.env);
 */
export function resolveConnection(target: Target, env: Record<string, string | undefined>): Connection {
  const variable = target.keyVariables.find((name) => env[name]?.trim());
  const apiKey = variable === undefined ? undefined : env[variable]?.trim();
  if (apiKey === undefined) {
    const names = target.keyVariables.join(" or ");
    throw new UsageError(
      `No API key: set ${names} to a personal API key ` +
        "(phx_..., PostHog: Settings > Personal API keys) with the insight scopes.",
    );
  }
  const host = nonEmpty(target.host) ?? nonEmpty(env.POSTHOG_HOST) ?? "us";
  const project = nonEmpty(target.project) ?? nonEmpty(env.POSTHOG_PROJECT_ID);
  const connection: Connection = { options: { apiKey, host, projectId: project ?? "@current" } };
  if (project === undefined) {
    connection.warning =
      "No project given: using @current, the key's current project, which can change under you. " +
      "Pass --project or set POSTHOG_PROJECT_ID.";
  }
  return connection;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}
