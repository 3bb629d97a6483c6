// Errors of the as-code engine, each carrying what the CLI needs to print one line per problem
// and choose an exit code. No terminal logic here: the CLI words paths and exit codes.
import type { FileProblem } from "./files.js";
import type { Plan } from "./plan.js";

/**
 * Files that cannot be read or do not match the insight-file schema: nothing was sent.
 *
 * @example
 * try {
 *   await push(posthog, "insights");
 * } catch (err) {
 *   if (err instanceof InvalidFilesError) {
 *     for (const p of err.problems) console.error(p.path, p.line, p.message);
 *   }
 * }
 */
export class InvalidFilesError extends Error {
  override name = "InvalidFilesError";
  readonly problems: FileProblem[];

  constructor(problems: FileProblem[]) {
    super(`${problems.length} invalid insight file(s)`);
    this.problems = problems;
  }
}

/**
 * A push refused because insights changed in PostHog and in their files since the last sync
 * (or a new file duplicates a managed insight). Nothing was sent.
 *
 * @example
 * catch (err) { if (err instanceof ConflictError) console.error(err.plan.conflicts); }
 */
export class ConflictError extends Error {
  override name = "ConflictError";
  readonly plan: Plan;

  constructor(plan: Plan) {
    super(`${plan.conflicts} conflict(s): insights changed in PostHog and in their files since the last sync`);
    this.plan = plan;
  }
}

/**
 * The directory to read is missing, or is a file: a typo must not pass for "no insights".
 *
 * @example
 * catch (err) { if (err instanceof DirectoryError) console.error(err.message); }
 */
export class DirectoryError extends Error {
  override name = "DirectoryError";
  readonly path: string;

  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

/**
 * The state file cannot be read as a posthog-insights state: its path and how to recover.
 *
 * @example
 * catch (err) { if (err instanceof StateError) console.error(err.path, err.message); }
 */
export class StateError extends Error {
  override name = "StateError";
  readonly path: string;

  constructor(path: string, problem: string) {
    super(
      `${path}: ${problem}. Restore it from git (git checkout -- ${path}), or move it away and ` +
        "pull again into a new state (pull adopts the files that match the project).",
    );
    this.path = path;
  }
}

/**
 * The target cannot be resolved (which project `@current` is).
 *
 * @example
 * catch (err) { if (err instanceof TargetError) console.error(err.message); }
 */
export class TargetError extends Error {
  override name = "TargetError";

  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/**
 * What was asked makes no sense for the targets given (a copy into its own source project).
 *
 * @example
 * catch (err) { if (err instanceof UsageProblem) console.error(err.message); }
 */
export class UsageProblem extends Error {
  override name = "UsageProblem";
}

/** Who holds a directory's lock. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  started_at: string;
}

/**
 * Another run holds the directory's lock (two pushes at once would both create every new file).
 *
 * @example
 * catch (err) { if (err instanceof LockedError) console.error(err.holder.pid, err.holder.host); }
 */
export class LockedError extends Error {
  override name = "LockedError";
  readonly path: string;
  readonly holder: LockHolder | undefined;

  constructor(path: string, holder: LockHolder | undefined, message: string) {
    super(message);
    this.path = path;
    this.holder = holder;
  }
}

/**
 * A write PostHog refused or that got no answer, naming the file and what was done before it.
 * `refused`: PostHog answered 4xx (running again fails the same way until the cause is fixed);
 * otherwise the failure may pass (network, timeout, throttle, 5xx). Either way running again
 * is safe: every write done is recorded, a create in flight is noted and adopted, not repeated.
 *
 * @example
 * catch (err) { if (err instanceof WriteError) console.error(err.path, err.action, err.cause); }
 */
export class WriteError extends Error {
  override name = "WriteError";
  readonly key: string;
  readonly path: string;
  readonly action: "create" | "update" | "delete";
  readonly id: number | undefined;
  readonly refused: boolean;
  /** Writes done (and recorded) before this one. */
  readonly done: number;

  constructor(
    fields: {
      key: string;
      path: string;
      action: "create" | "update" | "delete";
      id?: number;
      refused: boolean;
      done: number;
    },
    cause: unknown,
  ) {
    super(`${fields.action} of ${fields.key} failed`, { cause });
    this.key = fields.key;
    this.path = fields.path;
    this.action = fields.action;
    this.id = fields.id;
    this.refused = fields.refused;
    this.done = fields.done;
  }
}
