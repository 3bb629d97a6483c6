// Calculate an insight's results with a deadline; past it, the calculation is cancelled on
// the server. Ctrl-C cancels it too.
//   node --import ./scripts/ts-register.mjs examples/compute-with-timeout.ts 7 60000
import { APITimeoutError, APIUserAbortError, PostHogClient, QueryError, type Insight } from "posthog-insights";

export async function computeWithTimeout(
  posthog: PostHogClient,
  id: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Insight | undefined> {
  try {
    return await posthog.insights.compute(id, { timeoutMs, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (err instanceof APITimeoutError) {
      console.error(`Insight ${id} took longer than ${timeoutMs} ms; the calculation was cancelled.`);
    } else if (err instanceof APIUserAbortError) {
      console.error("Cancelled.");
    } else if (err instanceof QueryError) {
      console.error(`The calculation failed: ${err.errorMessage ?? "no reason given"}`);
    } else {
      throw err;
    }
    return undefined;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const insight = await computeWithTimeout(
    new PostHogClient(),
    Number(process.argv[2] ?? 7),
    Number(process.argv[3] ?? 60_000),
    controller.signal,
  );
  if (insight) {
    console.log(JSON.stringify(insight.result, null, 2));
  }
  process.exitCode = insight ? 0 : 1;
}
