// CPU per call with canned answers; promise count per call; usage: node cpu.mjs [n] [mode]
import { createHook } from "node:async_hooks";
import createClient from "openapi-fetch";
const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const { PostHogClient } = await import(`${root}/dist/index.js`);
const { insightBody } = await import(`${root}/scripts/bench/fixtures.mjs`);
const KEY = "phx_benchmark_key_0123456789";
const canned = () =>
  new Response(insightBody, {
    status: 200,
    headers: { "content-type": "application/json", "content-length": String(insightBody.length) },
  });
const unthrottled = {
  windows: {
    insights: [
      { requests: 10_000_000, windowMs: 60_000 },
      { requests: 100_000_000, windowMs: 3_600_000 },
    ],
  },
};
const mode = process.argv[3] ?? "all";
const client = new PostHogClient({
  apiKey: KEY,
  host: "https://bench.invalid",
  projectId: 1,
  fetch: async () => canned(),
  rateLimit: mode === "off" ? false : unthrottled,
});
const bare = createClient({
  baseUrl: "https://bench.invalid",
  headers: { Authorization: `Bearer ${KEY}` },
  fetch: async () => canned(),
});
const calls = {
  openapi: () =>
    bare.GET("/api/projects/{project_id}/insights/{id}/", { params: { path: { project_id: "1", id: 7 } } }),
  client: () => client.insights.retrieve(7),
};
const n = Number(process.argv[2] ?? 5000);
const which = process.env.ONLY ? [process.env.ONLY] : Object.keys(calls);
for (const name of which) {
  for (let i = 0; i < 2000; i++) {
    await calls[name]();
  }
}
// promise count
for (const name of which) {
  let promises = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === "PROMISE") {
        promises++;
      }
    },
  }).enable();
  await calls[name]();
  hook.disable();
  console.log(`${name}: ${promises} promises per call`);
}
if (process.env.COUNT_ONLY) {
  process.exit(0);
}
for (let r = 0; r < 5; r++) {
  const row = [];
  for (const name of which) {
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      await calls[name]();
    }
    row.push(`${name} ${(((performance.now() - t) * 1000) / n).toFixed(1)}`);
  }
  console.log(row.join("  "));
}
