// The CLI's error classes and how any error becomes one line per problem on stderr, with
// what to do, and an exit code. Never prints the key; stack traces only when DEBUG is set.
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  PermissionDeniedError,
  PostHogConfigError,
  RateLimitError,
} from "../errors.js";
import { ConflictError, InvalidFilesError } from "../ascode/errors.js";

/** Exit codes of the design: success, failed work, bad usage or invalid files, changes found. */
export const EXIT = { ok: 0, failed: 1, usage: 2, changes: 3 } as const;

/**
 * An error the CLI reports as it is, with its exit code and one line per problem.
 *
 * @example
 * throw new CliError(["a.insight.yaml:3: name: must be a string"], EXIT.usage);
 */
export class CliError extends Error {
  override name = "CliError";
  readonly lines: string[];
  readonly exitCode: number;

  constructor(lines: string | string[], exitCode: number = EXIT.failed) {
    const list = typeof lines === "string" ? [lines] : lines;
    super(list.join("\n"));
    this.lines = list;
    this.exitCode = exitCode;
  }
}

/**
 * Bad usage: a wrong flag value, a missing variable. Exit code 2.
 *
 * @example
 * throw new UsageError("--to-project is required.");
 */
export class UsageError extends CliError {
  override name = "UsageError";

  constructor(lines: string | string[]) {
    super(lines, EXIT.usage);
  }
}

/** What the run prints and exits with for an error. */
export interface Described {
  lines: string[];
  exitCode: number;
}

/**
 * Turns any thrown value into one line per problem with what to do, and an exit code.
 * `secrets` are blanked out of every line (the key must never reach a terminal or a CI log).
 *
 * @example
 * const { lines, exitCode } = describeError(err, { debug: false, secrets: [apiKey] });
 */
export function describeError(err: unknown, options: { debug: boolean; secrets: string[] }): Described {
  const described = describe(err);
  if (options.debug && err instanceof Error && err.stack) {
    described.lines.push(...err.stack.split("\n"));
  }
  const secrets = options.secrets.filter((secret) => secret.length >= 4);
  described.lines = described.lines.map((line) =>
    secrets.reduce((text, secret) => text.split(secret).join("[redacted]"), line.replace(/\s*\n\s*/g, " ")),
  );
  return described;
}

function describe(err: unknown): Described {
  if (err instanceof CliError) {
    return { lines: [...err.lines], exitCode: err.exitCode };
  }
  if (err instanceof InvalidFilesError) {
    return {
      lines: err.problems.map((problem) => `${problem.path}:${problem.line ?? 1}: ${problem.message}`),
      exitCode: EXIT.usage,
    };
  }
  if (err instanceof ConflictError) {
    const lines = err.plan.actions
      .filter((action) => action.action === "conflict")
      .map(
        (action) =>
          `conflict: ${action.key} (#${action.id}) was edited in PostHog since the last sync and in its file: ` +
          "pull to take PostHog's version, or push --force to overwrite it.",
      );
    return { lines, exitCode: EXIT.failed };
  }
  if (err instanceof PostHogConfigError) {
    return { lines: [`${err.message} (see --help for --host and --project)`], exitCode: EXIT.usage };
  }
  if (err instanceof AuthenticationError) {
    return {
      lines: [
        "PostHog did not accept the key: check POSTHOG_PERSONAL_API_KEY " +
          `and that --host / POSTHOG_HOST is the instance it belongs to. (${err.message})`,
      ],
      exitCode: EXIT.failed,
    };
  }
  if (err instanceof PermissionDeniedError) {
    return { lines: [permissionLine(err)], exitCode: EXIT.failed };
  }
  if (err instanceof RateLimitError) {
    const wait = err.retryAfterMs === undefined ? "" : ` PostHog asks to wait ${Math.ceil(err.retryAfterMs / 1000)} s.`;
    return {
      lines: [
        `PostHog throttled the key (another job may share it):${wait} ` +
          `run again later, or lower --rate-limit. (${err.message})`,
      ],
      exitCode: EXIT.failed,
    };
  }
  if (err instanceof APITimeoutError) {
    return {
      lines: [`${err.message}: PostHog did not answer in time; run again (work done so far is kept).`],
      exitCode: 1,
    };
  }
  if (err instanceof APIConnectionError) {
    return {
      lines: [`${err.message}: check the network and --host / POSTHOG_HOST; run again to resume.`],
      exitCode: EXIT.failed,
    };
  }
  if (err instanceof APIError) {
    return { lines: [err.message], exitCode: EXIT.failed };
  }
  if (isFileSystemError(err)) {
    return { lines: [`${err.message}: check the path and its permissions.`], exitCode: EXIT.failed };
  }
  if (err instanceof Error) {
    return { lines: [`${err.name}: ${err.message}`], exitCode: EXIT.failed };
  }
  return { lines: [String(err)], exitCode: EXIT.failed };
}

function permissionLine(err: PermissionDeniedError): string {
  const detail = err.detail ?? "";
  const scope = /missing required scope '([^']+)'/i.exec(detail)?.[1];
  if (scope) {
    return (
      `The API key lacks the scope ${scope}: create a personal API key with ${scope} ` +
      "(PostHog: Settings > Personal API keys) and set POSTHOG_PERSONAL_API_KEY to it."
    );
  }
  if (/access to the requested project/i.test(detail)) {
    return (
      "The API key cannot reach this project: give it access to the project, " +
      `or fix --project / POSTHOG_PROJECT_ID. (${detail})`
    );
  }
  if (/does not support Personal API Key access/i.test(detail)) {
    return `This action needs an unscoped personal API key (scoped keys are refused here). (${detail})`;
  }
  return `PostHog refused the request (403): the key or your user lacks permission. (${err.message})`;
}

function isFileSystemError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === "string" && "syscall" in err;
}
