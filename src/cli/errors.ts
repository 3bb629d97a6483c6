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
import { relative } from "node:path";
import {
  ConflictError,
  DirectoryError,
  InvalidFilesError,
  LockedError,
  StateError,
  TargetError,
  UsageProblem,
  WriteError,
} from "../ascode/errors.js";
import type { Plan } from "../ascode/plan.js";

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

/** How errors are described: stack traces or not, what to blank out, paths relative to where. */
export interface DescribeOptions {
  debug: boolean;
  secrets: string[];
  /** Paths in messages are shown relative to this directory. */
  cwd?: string;
}

/**
 * Turns any thrown value into one line per problem with what to do, and an exit code.
 * `secrets` are blanked out of every line (the key must never reach a terminal or a CI log).
 *
 * @example
 * const { lines, exitCode } = describeError(err, { debug: false, secrets: [apiKey] });
 */
export function describeError(err: unknown, options: DescribeOptions): Described {
  const show = (path: string): string => (options.cwd ? relative(options.cwd, path) || path : path);
  const described = describe(err, show);
  if (options.debug && err instanceof Error && err.stack) {
    described.lines.push(...err.stack.split("\n"));
  }
  const secrets = options.secrets.filter((secret) => secret.length >= 4);
  described.lines = described.lines.map((line) =>
    secrets.reduce((text, secret) => text.split(secret).join("[redacted]"), line.replace(/\s*\n\s*/g, " ")),
  );
  return described;
}

function describe(err: unknown, show: (path: string) => string): Described {
  if (err instanceof CliError) {
    return { lines: [...err.lines], exitCode: err.exitCode };
  }
  if (err instanceof InvalidFilesError) {
    return {
      lines: err.problems.map((problem) => `${show(problem.path)}:${problem.line ?? 1}: ${problem.message}`),
      exitCode: EXIT.usage,
    };
  }
  if (err instanceof ConflictError) {
    return { lines: conflictLines(err.plan), exitCode: EXIT.failed };
  }
  if (err instanceof DirectoryError || err instanceof StateError) {
    return { lines: [err.message.split(err.path).join(show(err.path))], exitCode: EXIT.usage };
  }
  if (err instanceof TargetError || err instanceof UsageProblem) {
    return { lines: [err.message], exitCode: EXIT.usage };
  }
  if (err instanceof LockedError) {
    return {
      lines: [`${err.message.split(err.path).join(show(err.path))} Nothing was read or sent.`],
      exitCode: EXIT.failed,
    };
  }
  if (err instanceof WriteError) {
    return { lines: writeLines(err, show), exitCode: EXIT.failed };
  }
  if (err instanceof PostHogConfigError) {
    return { lines: [`${sentence(err.message)} (see --help for --host and --project)`], exitCode: EXIT.usage };
  }
  if (err instanceof APIError || err instanceof APIConnectionError) {
    return { lines: [apiLine(err)], exitCode: EXIT.failed };
  }
  if (isFileSystemError(err)) {
    return { lines: [`${clause(err.message)}: check the path and its permissions.`], exitCode: EXIT.failed };
  }
  if (err instanceof Error) {
    return { lines: [`${err.name}: ${err.message}`], exitCode: EXIT.failed };
  }
  return { lines: [String(err)], exitCode: EXIT.failed };
}

/**
 * One line per conflict and duplicate of a plan, with what to do about each.
 *
 * @example
 * for (const line of conflictLines(plan)) console.error(line);
 */
export function conflictLines(plan: Plan): string[] {
  return plan.actions
    .filter((action) => action.action === "conflict" || action.action === "duplicate")
    .map((action) => {
      const what = `${action.action}: ${action.key} (#${action.id})`;
      if (action.action === "duplicate") {
        return `${what}: ${action.reason}.`;
      }
      if (!action.file) {
        return `${what}: ${action.reason}.`;
      }
      return `${what} was edited in PostHog since the last sync and in its file: pull to take PostHog's version, or push --force to overwrite it.`;
    });
}

/** A failed write, in one line: which file, what PostHog said, and whether running again is safe. */
function writeLines(err: WriteError, show: (path: string) => string): string[] {
  const target = err.id === undefined ? "" : ` #${err.id}`;
  const done = `${err.done} write${err.done === 1 ? "" : "s"} before it ${err.done === 1 ? "is" : "are"} recorded`;
  const inFlight =
    err.action === "create" && !err.refused ? "; the create in flight is noted, and adopted if PostHog made it" : "";
  const safe = `that is safe, it resumes with no duplicate (${done}${inFlight})`;
  const cause = err.cause;
  let what: string;
  let todo: string;
  if (err.refused && cause instanceof PermissionDeniedError) {
    what = clause(permissionLine(cause));
    todo = `Then run again: ${safe}.`;
  } else if (err.refused && cause instanceof APIError) {
    what = `PostHog refused it (${cause.status}${cause.detail ? `: ${clause(cause.detail)}` : ""})`;
    todo = `Fix the file (or the key's access), then run again: ${safe}.`;
  } else if (cause instanceof RateLimitError) {
    what = "PostHog throttled the key (another job may share it)";
    todo = `Run again later: ${safe}.`;
  } else if (cause instanceof APIError) {
    what = `PostHog answered ${cause.status}${cause.detail ? ` (${clause(cause.detail)})` : ""}`;
    todo = `Run again: ${safe}.`;
  } else if (cause instanceof APIConnectionError) {
    what = clause(connectionMessage(cause));
    todo = `Check the network and --host / POSTHOG_HOST, then run again: ${safe}.`;
  } else {
    what = cause instanceof Error ? `${cause.name}: ${clause(cause.message)}` : String(cause);
    todo = `Run again: ${safe}.`;
  }
  return [`${show(err.path)}: ${err.action}${target} failed: ${what}. ${todo}`];
}

/** An API or network failure as one line, with what to do. */
function apiLine(err: APIError | APIConnectionError): string {
  if (err instanceof AuthenticationError) {
    return (
      "PostHog did not accept the key: check POSTHOG_PERSONAL_API_KEY " +
      `and that --host / POSTHOG_HOST is the instance it belongs to (${clause(err.message)}).`
    );
  }
  if (err instanceof PermissionDeniedError) {
    return permissionLine(err);
  }
  if (err instanceof RateLimitError) {
    const wait = err.retryAfterMs === undefined ? "" : ` PostHog asks to wait ${Math.ceil(err.retryAfterMs / 1000)} s.`;
    return (
      `PostHog throttled the key (another job may share it).${wait} ` +
      `Run again later, or lower --rate-limit (${clause(err.message)}).`
    );
  }
  if (err instanceof APITimeoutError) {
    return `${clause(err.message)}: PostHog did not answer in time; run again (work done so far is kept).`;
  }
  if (err instanceof APIConnectionError) {
    return `${clause(connectionMessage(err))}: check the network and --host / POSTHOG_HOST; run again to resume.`;
  }
  return sentence(err.message);
}

/** A connection failure's message, with the system's reason (ECONNREFUSED...) rather than "fetch failed". */
function connectionMessage(err: APIConnectionError): string {
  const code = systemCode(err.cause);
  const message = clause(err.message);
  if (code && !message.includes(code)) {
    return `${message.replace(/:?\s*(TypeError: )?fetch failed$/i, "")}: ${code}`;
  }
  return message;
}

/** The first system error code (ECONNREFUSED, ENOTFOUND...) in a chain of causes. */
function systemCode(value: unknown, depth = 0): string | undefined {
  if (depth > 5 || value === null || typeof value !== "object") {
    return undefined;
  }
  const { code, cause, errors } = value as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
    return code;
  }
  for (const inner of [cause, ...(Array.isArray(errors) ? errors : [])]) {
    const found = systemCode(inner, depth + 1);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** `text` without its closing full stop, to be continued after a colon. */
function clause(text: string): string {
  return text.trim().replace(/[.。]+$/, "");
}

/** `text` ending in exactly one full stop. */
function sentence(text: string): string {
  return `${clause(text)}.`;
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
  return `PostHog refused the request (403): the key or your user lacks permission (${clause(err.message)}).`;
}

function isFileSystemError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === "string" && "syscall" in err;
}
