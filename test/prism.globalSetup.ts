import type { TestProject } from "vitest/node";
import { startPrism, type PrismHandle } from "./support/prism.js";

let prism: PrismHandle | undefined;

export async function setup(project: TestProject): Promise<void> {
  prism = await startPrism();
  // Teardown does not run if vitest itself is killed: stop Prism, then re-raise.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      prism?.child.kill("SIGTERM");
      process.kill(process.pid, signal);
    });
  }
  project.provide("prismUrl", prism.url);
}

export async function teardown(): Promise<void> {
  await prism?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}
