// Starts Prism on the bundled spec on a free loopback port. Shared by the vitest global
// setup, the demo (`npm start`) and the packed-package checks, so there is one way to run it.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const root = fileURLToPath(new URL("../..", import.meta.url));
const prismBin = fileURLToPath(new URL("../../node_modules/.bin/prism", import.meta.url));
const bundledSpec = fileURLToPath(new URL("../../generated/openapi.yaml", import.meta.url));
// Prism parses and dereferences the spec before it listens: 15 to 60 s on a loaded 2-core machine.
const HTTP_METHODS = new Set(["get", "put", "post", "delete", "patch"]);
// Generous: a throttled CI machine has taken over three minutes.
const READY_TIMEOUT_MS = 300_000;

export interface PrismHandle {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface PrismOptions {
  /** `mock` serves the spec's examples; `proxy` forwards to `upstream` and validates. */
  mode?: "mock" | "proxy";
  upstream?: string;
  /** A port to listen on; by default the OS picks a free one. */
  port?: number;
}

/**
 * The bundled spec as the mock serves it: the `query` of an insight, in requests and responses,
 * is an open `{ kind }` object. Prism dereferences every schema an operation reaches before it
 * listens and compiles them on an operation's first call; the query-node graph (over 100
 * schemas, recursive through GroupNode) took its start from 40 s to about 4 minutes on a
 * throttled 2-core machine, and each first create or update about 40 s more. Queries are
 * checked against the full spec by ajv instead (test/corpus/, test/contract/spec-validator,
 * results and query-node-fixes tests), and by the types.
 */
export function mockSpec(): string {
  const doc = parse(readFileSync(bundledSpec, "utf8")) as {
    components: { schemas: Record<string, { properties: Record<string, unknown> }> };
  };
  const open = { type: "object", required: ["kind"], properties: { kind: { type: "string" } } };
  for (const name of ["Insight", "InsightBasic", "InsightWrite"]) {
    const schema = doc.components.schemas[name];
    if (!schema?.properties.query) {
      throw new Error(`The bundled spec has no ${name}.query to open up for the mock.`);
    }
    schema.properties.query = { oneOf: [open, { type: "null" }] };
  }
  const dir = mkdtempSync(join(tmpdir(), "posthog-insights-prism-"));
  const file = join(dir, "openapi.mock.yaml");
  writeFileSync(file, stringify(doc));
  return file;
}

export async function startPrism(options: PrismOptions = {}): Promise<PrismHandle> {
  const port = String(options.port ?? 0);
  // The proxy checks a real server's answers against the full spec: that is its point.
  const spec = options.mode === "proxy" ? bundledSpec : mockSpec();
  const removeSpec = (): void => {
    if (spec !== bundledSpec) {
      rmSync(dirname(spec), { recursive: true, force: true });
    }
  };
  const args =
    options.mode === "proxy"
      ? ["proxy", "-h", "127.0.0.1", "-p", port, "--errors", spec, options.upstream ?? ""]
      : ["mock", "-h", "127.0.0.1", "-p", port, "--errors", spec];
  // -p 0: the OS picks a free port; Prism prints the real URL when ready.
  // --errors: an example that breaks its own schema becomes a 500 instead of a log line.
  const child = spawn(prismBin, args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  let log = "";
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Prism not ready after ${READY_TIMEOUT_MS} ms:\n${log}`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = /Prism is listening on (http:\/\/[^\s]+)/.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ""));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited early (code ${code}, signal ${signal}):\n${log}`));
    });
  });
  const url = await listening.catch((err: unknown) => {
    removeSpec();
    throw err;
  });
  // Keep draining the pipes so Prism never blocks on a full one.
  child.stdout?.removeAllListeners("data").resume();
  child.stderr?.removeAllListeners("data").resume();
  child.removeAllListeners("exit");
  return {
    url,
    child,
    async stop() {
      removeSpec();
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Calls every operation of the spec once, one after the other. Prism compiles an operation's schemas on its
 * first call, holding its single thread for up to 20 s on a small machine; a client waiting meanwhile on a
 * kept-alive socket then gets ECONNRESET. Warmed first, it answers each call in milliseconds.
 */
export async function warmUpPrism(url: string): Promise<void> {
  const doc = parse(readFileSync(bundledSpec, "utf8")) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { examples?: object }> } }>>;
  };
  const ids: Record<string, string> = { project_id: "12345", id: "7", insight_id: "7", query_id: "warm_up" };
  for (const [template, item] of Object.entries(doc.paths)) {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? "1");
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) {
        continue; // path-level `parameters`
      }
      // Some request examples are invalid on purpose (they show a 400): the first one Prism accepts warms
      // the success answer, which is the slow one to compile.
      const examples = Object.values(op.requestBody?.content?.["application/json"]?.examples ?? {}) as {
        value?: unknown;
      }[];
      const bodies = examples.length ? examples.map((e) => JSON.stringify(e.value)) : [undefined];
      for (const body of bodies) {
        const headers: Record<string, string> = { Authorization: "Bearer phx_warm_up" };
        if (body !== undefined) {
          headers["Content-Type"] = "application/json";
        }
        const res = await fetch(url + path, { method: method.toUpperCase(), headers, ...(body ? { body } : {}) });
        await res.arrayBuffer();
        if (res.ok) {
          break;
        }
      }
    }
  }
}
