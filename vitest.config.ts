import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { fileValidators } from "./scripts/file-validators.ts";

// Prism starts in the background and takes tens of seconds on a small machine: the files that talk to it
// run last, so the others use that time. The packed-package checks, mostly child processes, go first.
const PRISM_FILES = /test\/contract\/(operations|facade|examples)\.test\.ts$/;
const FIRST_FILES = /test\/package\/packed\.test\.ts$/;

class PrismLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      if (FIRST_FILES.test(f.moduleId)) {
        return 0;
      }
      return PRISM_FILES.test(f.moduleId) ? 2 : 1;
    };
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  // The CLI's file validators (one per kind), precompiled as the build does it.
  plugins: [fileValidators()],
  // Examples import the package by name, as users do; in tests that is the source.
  resolve: {
    alias: [
      {
        find: /^posthog-insights\/testing$/,
        replacement: fileURLToPath(new URL("./src/testing/index.ts", import.meta.url)),
      },
      { find: /^posthog-insights$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Type tests are checked by `tsc --noEmit` (npm run typecheck); they have nothing to run.
    exclude: ["test/types/**", "**/node_modules/**"],
    // One Prism for the whole run; tests read its URL with inject("prismUrl").
    globalSetup: ["./test/prism.globalSetup.ts"],
    sequence: { sequencer: PrismLastSequencer },
    // Two workers on two cores: much of the run waits on child processes and loopback servers.
    maxWorkers: 2,
    // Generous for a loaded 2-core machine; Prism is warmed up before any test calls it.
    testTimeout: 30_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "text"],
      // The library is held to 95 %. The testing kit, the engine and the CLI are newer: their floors
      // sit just under today's figures so coverage can only go up (their end-to-end tests are open work).
      thresholds: {
        "src/*.ts": { lines: 95 },
        "src/testing/**": { lines: 65 },
        "src/ascode/**": { lines: 45 },
        "src/cli/**": { lines: 40 },
      },
    },
  },
});
