// The benchmark's PostHog stand-in: a node:http server on loopback, in its own process so
// it does not share an event loop with the clients it serves. Prints its origin when ready.
// With BENCH_WINDOWS (JSON `[{ requests, windowMs }]`) it throttles every request as DRF's
// SimpleRateThrottle does, and answers IPC "stats" with { served, throttled } ("reset" clears).
import { createServer } from "node:http";
import { insight, insightBody } from "./fixtures.mjs";

const TOTAL = Number(process.env.BENCH_TOTAL_INSIGHTS ?? 20_000);
const pages = new Map();
let origin = "";

function page(offset, limit) {
  const key = `${offset}:${limit}`;
  let body = pages.get(key);
  if (!body) {
    const results = [];
    for (let i = offset; i < Math.min(offset + limit, TOTAL); i++) {
      results.push(insight(i + 1));
    }
    const next =
      offset + limit < TOTAL ? `${origin}/api/projects/1/insights/?limit=${limit}&offset=${offset + limit}` : null;
    const previous =
      offset > 0 ? `${origin}/api/projects/1/insights/?limit=${limit}&offset=${Math.max(0, offset - limit)}` : null;
    body = Buffer.from(JSON.stringify({ count: TOTAL, next, previous, results }));
    pages.set(key, body);
  }
  return body;
}

const windows = process.env.BENCH_WINDOWS ? JSON.parse(process.env.BENCH_WINDOWS) : [];
let logs = windows.map(() => []);
let served = 0;
let throttled = 0;

/** DRF's check of every throttle: each one that allows records the request; the longest wait wins. */
function throttleWaitMs() {
  const now = performance.now();
  let wait = 0;
  windows.forEach(({ requests, windowMs }, i) => {
    const log = logs[i];
    while (log.length > 0 && log[0] <= now - windowMs) {
      log.shift();
    }
    if (log.length >= requests) {
      wait = Math.max(wait, windowMs - (now - log[0]));
    } else {
      log.push(now);
    }
  });
  return wait;
}

process.on("message", (message) => {
  if (message === "reset") {
    logs = windows.map(() => []);
    served = 0;
    throttled = 0;
  }
  process.send({ served, throttled });
});

const one = Buffer.from(insightBody);
const server = createServer((req, res) => {
  const wait = windows.length > 0 ? throttleWaitMs() : 0;
  if (wait > 0) {
    throttled++;
    const n = Math.ceil(wait / 1000);
    res.writeHead(429, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        type: "throttled_error",
        code: "throttled",
        detail: `Request was throttled. Expected available in ${n} second${n === 1 ? "" : "s"}.`,
        attr: null,
      }),
    );
    return;
  }
  served++;
  const url = new URL(req.url, origin);
  let body;
  if (url.pathname === "/api/projects/1/insights/7/") {
    body = one;
  } else if (url.pathname === "/api/projects/1/insights/") {
    body = page(Number(url.searchParams.get("offset") ?? 0), Number(url.searchParams.get("limit") ?? 100));
  } else {
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"type":"invalid_request","code":"not_found","detail":"Not found.","attr":null}');
    return;
  }
  res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  origin = `http://127.0.0.1:${server.address().port}`;
  // Build every page before the clients start, so no run pays for it.
  for (let offset = 0; offset < TOTAL; offset += 100) {
    page(offset, 100);
  }
  console.log(origin);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.on("disconnect", () => process.exit(0));
