// A loopback server that plays a small part of PostHog's insight routes, enough for a
// consumer on another runtime to create, retrieve, list two pages, meet a 404 and a 429.
import type { ServerResponse } from "node:http";
import { json, type Received, startServer, type TestServer } from "./server.js";

export const MINI_PROJECT_ID = 1;
const base = `/api/projects/${MINI_PROJECT_ID}/insights/`;

const insight = (id: number, name: string) => ({ id, short_id: `s${id}`, name, query: null });

/**
 * Starts the server. The first create is throttled (429, `Retry-After: 0`) and succeeds when
 * retried; `GET .../insights/404/` is not found; the list has three insights in pages of two.
 */
export function startMiniPostHog(): Promise<TestServer> {
  let throttled = false;
  return startServer((req: Received, res: ServerResponse) => {
    if (req.method === "POST" && req.path === base) {
      if (!throttled) {
        throttled = true;
        const detail = "Request was throttled. Expected available in 0 seconds.";
        json(res, 429, { type: "throttled_error", code: "throttled", detail, attr: null }, { "retry-after": "0" });
        return;
      }
      const { name } = (req.json ?? {}) as { name?: string };
      json(res, 201, insight(101, name ?? ""));
      return;
    }
    if (req.method === "GET" && req.path === base) {
      const offset = Number(req.query.offset ?? 0);
      const all = [insight(1, "one"), insight(2, "two"), insight(3, "three")];
      const next = offset === 0 ? `http://${req.headers.host}${base}?limit=2&offset=2` : null;
      json(res, 200, { count: all.length, next, previous: null, results: all.slice(offset, offset + 2) });
      return;
    }
    if (req.method === "GET" && req.path === `${base}101/`) {
      json(res, 200, insight(101, "Signups"));
      return;
    }
    json(res, 404, { type: "invalid_request", code: "not_found", detail: "Not found.", attr: null });
  });
}

/**
 * What a consumer does against it, as plain JavaScript for any runtime. `head` imports or
 * requires `PostHogClient` and `NotFoundError`; the host comes from `POSTHOG_HOST`.
 */
export function miniConsumerBody(head: string): string {
  return `${head}
const posthog = new PostHogClient({ apiKey: "phx_runtime", host: process.env.POSTHOG_HOST, projectId: ${MINI_PROJECT_ID} });
const created = await posthog.insights.create({ name: "Signups" });
const retrieved = await posthog.insights.retrieve(created.id);
const listed = [];
for await (const item of posthog.insights.list({ limit: 2 })) listed.push(item.id);
let notFound = "no error";
try { await posthog.insights.retrieve(404); } catch (e) { notFound = e instanceof NotFoundError ? e.status : String(e); }
console.log(JSON.stringify({ created: created.id, retrieved: retrieved.name, listed, notFound }));
`;
}

/** What `miniConsumerBody` prints when everything worked. */
export const MINI_EXPECTED = { created: 101, retrieved: "Signups", listed: [1, 2, 3], notFound: 404 };

/** The requests the server should see, in order: the create twice (429, then 201). */
export const MINI_EXPECTED_REQUESTS = [
  `POST ${base}`,
  `POST ${base}`,
  `GET ${base}101/`,
  `GET ${base}?limit=2`,
  `GET ${base}?limit=2&offset=2`,
  `GET ${base}404/`,
];
