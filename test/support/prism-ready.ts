// Waits for the shared Prism that test/prism.globalSetup.ts starts in the background, and lends it
// to one test file at a time: Prism answers on a single thread, and a call that keeps it busy for
// seconds makes another file's kept-alive sockets fail with ECONNRESET.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, inject, vi } from "vitest";

const LIMIT_MS = 360_000;

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + LIMIT_MS;
  while (!done()) {
    if (Date.now() > deadline) {
      throw new Error(`${what} within ${LIMIT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Resolves with Prism's URL once it listens, is warmed up and no other file is using it; rejects with
 * the reason if it failed to start. The returned function gives Prism back.
 */
export async function acquirePrism(): Promise<{ url: string; release: () => void }> {
  const file = inject("prismReadyFile");
  await until(() => existsSync(file), "Prism was not ready");
  const state = readFileSync(file, "utf8");
  if (state !== "ok") {
    throw new Error(state);
  }
  // mkdir is atomic: whoever creates the directory holds Prism.
  const lock = `${file}.lock`;
  const take = (): boolean => {
    try {
      mkdirSync(lock);
      return true;
    } catch {
      return false;
    }
  };
  await until(take, "Prism stayed busy with another test file");
  return { url: inject("prismUrl"), release: () => rmSync(lock, { recursive: true, force: true }) };
}

/** Holds Prism for the whole of the calling test file. */
export function usePrism(): void {
  // Even warmed up, Prism's first answer to a request it has not seen the like of (another body, other
  // parameters) can take tens of seconds on a loaded 2-core machine; these tests check shapes, not speed.
  vi.setConfig({ testTimeout: 120_000 });
  let release: (() => void) | undefined;
  beforeAll(
    async () => {
      release = (await acquirePrism()).release;
    },
    LIMIT_MS * 2 + 10_000,
  );
  afterAll(() => release?.());
}
