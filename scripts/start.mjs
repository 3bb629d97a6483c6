// `npm start`: the quickstart against the embedded mock, Prism serving the bundled spec, then
// the CLI tour against the stateful fake in process, so it runs anywhere with no account.
// `npm start -- --live`: its read-only calls against the PostHog named by POSTHOG_HOST, with
// POSTHOG_PERSONAL_API_KEY.
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);
const { PostHogClient } = await import("posthog-insights");
const { quickstart } = await import("../examples/quickstart.ts");

const live = process.argv.includes("--live");
if (live) {
  if (!process.env.POSTHOG_PERSONAL_API_KEY || !process.env.POSTHOG_HOST) {
    console.error(
      "--live needs POSTHOG_PERSONAL_API_KEY and POSTHOG_HOST (us, eu or your origin); POSTHOG_PROJECT_ID is optional.",
    );
    process.exit(2);
  }
  try {
    await quickstart(new PostHogClient(), console.log, true);
  } catch (err) {
    // The client's errors say what failed; a stack trace adds nothing for this command.
    console.error(`${err.name}: ${err.message}`);
    process.exit(1);
  }
} else {
  const { startPrism } = await import("../test/support/prism.ts");
  console.log("Starting the embedded mock (Prism serving the bundled spec, generated/openapi.yaml)...");
  const prism = await startPrism();
  try {
    // The mock answers every call with the spec's examples, so ids repeat: it shows the
    // calls and their shapes, not a live project's data.
    await quickstart(new PostHogClient({ apiKey: "phx_demo_key", host: prism.url, projectId: 12345 }));
  } finally {
    await prism.stop();
  }
  console.log("Done: every call went through the client and the mock validated it against the spec.");
  console.log("\nThe posthog-insights command, against the stateful fake (posthog-insights/testing):");
  const { cliTour } = await import("./cli-tour.ts");
  const steps = await cliTour(console.log);
  if (steps.some((step) => step.code !== 0)) {
    process.exit(1);
  }
}
