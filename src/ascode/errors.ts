// Errors of the as-code engine, each carrying what the CLI needs to print one line per problem.
import type { FileProblem } from "./files.js";
import type { Plan } from "./plan.js";

/**
 * Files that cannot be read or do not match the insight-file schema.
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
 * A push refused because insights changed in PostHog and in their files since the last sync.
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
