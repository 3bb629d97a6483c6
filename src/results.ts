// The kind of an insight's query, and guards that narrow `insight.result` to that kind's shape.
// Types do the work; the run-time part is a few property reads. No requests, no I/O.
import { PostHogError } from "./errors.js";
import { isRecord } from "./guards.js";
import type { FunnelStep, FunnelsResult, Insight, InsightKind, InsightOf } from "./types.js";

/**
 * The kind of an insight's query source (`"TrendsQuery"`, `"HogQLQuery"`, ...), the node's own
 * kind when it has no source (`"HogQuery"`), or undefined for an insight without a query.
 *
 * @example
 * console.log(insightKind(await posthog.insights.retrieve(7))); // "TrendsQuery"
 */
export function insightKind(insight: Pick<Insight, "query">): string | undefined {
  // Read as plain data: a node of a kind this version does not know has an opaque type.
  const query: unknown = insight.query;
  if (!isRecord(query)) {
    return undefined;
  }
  const node = isRecord(query.source) ? query.source : query;
  return typeof node.kind === "string" ? node.kind : undefined;
}

/**
 * True when the insight's query is of `kind`; narrows `insight.result` to that kind's result.
 *
 * @example
 * if (isInsightKind(insight, "TrendsQuery")) {
 *   for (const series of insight.result ?? []) console.log(series.label, series.count);
 * }
 */
export function isInsightKind<K extends InsightKind>(insight: Insight, kind: K): insight is InsightOf<K> {
  return insightKind(insight) === kind;
}

/**
 * The insight, typed for `kind`; throws a `PostHogError` when its query is of another kind.
 *
 * @example
 * const trends = expectInsightKind(await posthog.insights.retrieve(7), "TrendsQuery");
 */
export function expectInsightKind<K extends InsightKind>(insight: Insight, kind: K): InsightOf<K> {
  if (!isInsightKind(insight, kind)) {
    throw new PostHogError(`Insight ${insight.id} has a ${insightKind(insight) ?? "missing"} query, not ${kind}.`);
  }
  return insight;
}

/**
 * True when a funnel result is a list of steps (`funnelVizType: "steps"` without breakdown).
 *
 * @example
 * if (isFunnelSteps(funnel.result)) console.log(funnel.result.map((step) => step.count));
 */
export function isFunnelSteps(result: FunnelsResult | null): result is FunnelStep[] {
  return Array.isArray(result) && result.every(isStep);
}

/**
 * True when a funnel result is one list of steps per breakdown value.
 *
 * @example
 * if (isFunnelStepsByBreakdown(funnel.result)) {
 *   for (const steps of funnel.result) console.log(steps[0]?.breakdown_value);
 * }
 */
export function isFunnelStepsByBreakdown(result: FunnelsResult | null): result is FunnelStep[][] {
  return Array.isArray(result) && result.every((steps: unknown) => Array.isArray(steps) && steps.every(isStep));
}

function isStep(step: unknown): boolean {
  return typeof step === "object" && step !== null && "order" in step && "name" in step;
}
