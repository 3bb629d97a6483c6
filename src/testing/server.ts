// `listen()`: serves a fetch-style handler over real HTTP on 127.0.0.1 and a free port.
// node:http is loaded only when called, so importing the testing entry needs no Node APIs.
import type { IncomingMessage, ServerResponse } from "node:http";

/** A running HTTP server of the fake. */
export interface Listening {
  /** Its origin, such as `http://127.0.0.1:54321`. */
  url: string;
  /** Stops it (open keep-alive connections are closed). */
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  // Absolute links (a page's `next`) name the host the client asked for, as Django builds them:
  // `localhost` stays `localhost`.
  const host = req.headers.host;
  const base = host && /^[\w.-]+(:\d+)?$|^\[[\d:a-f]+\](:\d+)?$/i.test(host) ? `http://${host}` : origin;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") {
      headers.set(name, value);
    } else if (Array.isArray(value)) {
      headers.set(name, value.join(", "));
    }
  }
  const body = chunks.length > 0 && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? "/", base), { method: req.method ?? "GET", headers, body: body ?? null });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

/** Serves `handle` on 127.0.0.1 and a free port. */
export async function listen(handle: (request: Request) => Promise<Response>): Promise<Listening> {
  const { createServer } = await import("node:http");
  let origin = "";
  const server = createServer((req, res) => {
    toRequest(req, origin)
      .then(handle)
      .then((response) => send(res, response))
      .catch(() => {
        res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
