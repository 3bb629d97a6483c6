// One Prism for the whole run. Reading the spec takes it 15 to 40 s on a small machine, and its
// first answer to each operation up to 20 s more, so the setup does not wait: it fixes the port,
// provides the URL at once, starts and warms Prism in the background, and writes a ready file.
// Test files that talk to Prism wait for that file (test/support/prism-ready.ts) in `beforeAll`;
// the others run meanwhile.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type PrismHandle, startPrism, warmUpPrism } from "./support/prism.js";

let prism: Promise<PrismHandle | undefined> | undefined;
let stateDir: string | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port")),
      );
    });
  });
}

export async function setup(project: TestProject): Promise<void> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  stateDir = mkdtempSync(join(tmpdir(), "posthog-insights-prism-"));
  const readyFile = join(stateDir, "ready");
  prism = startPrism({ port }).then(
    async (handle) => {
      await warmUpPrism(handle.url);
      writeFileSync(readyFile, "ok");
      return handle;
    },
    (err: unknown) => {
      // The waiting tests fail with this message instead of a bare timeout.
      writeFileSync(readyFile, `Prism failed to start: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    },
  );
  // Teardown does not run if vitest itself is killed: stop Prism, then re-raise.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      void prism?.then((handle) => handle?.child.kill("SIGTERM"));
      process.kill(process.pid, signal);
    });
  }
  project.provide("prismUrl", url);
  project.provide("prismReadyFile", readyFile);
}

export async function teardown(): Promise<void> {
  await (await prism)?.stop();
  if (stateDir) {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
    /** Written once Prism listens and has answered every operation once, or with why it failed. */
    prismReadyFile: string;
  }
}
