// `npm run contract:live`: Prism in proxy mode, validating every response against the spec,
// in front of the real PostHog named by POSTHOG_HOST; the client's read-only calls go
// through it. The way to check the spec against the server after PostHog changes.
// Never part of `npm test`: it needs a real key and the network.
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);

const key = process.env.POSTHOG_PERSONAL_API_KEY;
if (!key) {
  console.log(
    "contract:live skipped: set POSTHOG_PERSONAL_API_KEY (and POSTHOG_HOST: us, eu or your origin; " +
      "POSTHOG_PROJECT_ID optional) to check the spec against a real PostHog.",
  );
  process.exit(0);
}
const regions = { us: "https://us.posthog.com", eu: "https://eu.posthog.com" };
const host = process.env.POSTHOG_HOST ?? "us";
const upstream = regions[host.toLowerCase()] ?? host;

const { PostHogClient, APIError } = await import("posthog-insights");
const { startPrism } = await import("../test/support/prism.ts");

console.log(`Prism proxy -> ${upstream}, validating responses against generated/openapi.yaml`);
const prism = await startPrism({ mode: "proxy", upstream });
const posthog = new PostHogClient({
  apiKey: key,
  host: prism.url,
  projectId: process.env.POSTHOG_PROJECT_ID ?? "@current",
  maxRetries: 1,
});
const results = [];

async function check(name, call) {
  try {
    await call();
    results.push({ name, ok: true });
    console.log(`ok    ${name}`);
  } catch (err) {
    const violations = err instanceof APIError && Array.isArray(err.body?.validation) ? err.body.validation : undefined;
    let detail = String(err);
    if (violations) {
      detail = violations.map((v) => `\n        ${v.location?.join(".")}: ${v.message}`).join("");
    } else if (err instanceof APIError) {
      detail = `HTTP ${err.status} ${JSON.stringify(err.body).slice(0, 300)}`;
    }
    // A 403 on the actions PostHog declares no scope for is the key's limit, not drift.
    const scoped = !violations && err instanceof APIError && err.status === 403;
    results.push({ name, ok: scoped });
    console.log(`${scoped ? "skip " : "FAIL "} ${name}: ${detail}`);
  }
}

try {
  let id;
  await check("list", async () => {
    id = (await posthog.insights.list({ limit: 5, order: "-last_modified_at" })).results[0]?.id;
  });
  await check("list basic", () => posthog.insights.list({ limit: 5, basic: true }));
  await check("allActivity", () => posthog.insights.allActivity({ limit: 5 }));
  await check("lastViewed", () => posthog.insights.lastViewed());
  if (id !== undefined) {
    await check("retrieve", () => posthog.insights.retrieve(id));
    await check("retrieve csv", () => posthog.insights.retrieve(id, { format: "csv" }));
    await check("activity", () => posthog.insights.activity(id, { limit: 5 }));
    await check("sharing.retrieve", () => posthog.insights.sharing.retrieve(id));
  } else {
    console.log("The project has no insight: per-insight calls skipped.");
  }
} finally {
  await prism.stop();
}
const failed = results.filter((r) => !r.ok);
console.log(
  failed.length ? `${failed.length} call(s) disagree with the spec.` : "Every read-only call matched the spec.",
);
process.exit(failed.length ? 1 : 0);
