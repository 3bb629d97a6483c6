import { defineConfig } from "tsdown";

export default defineConfig([
  {
    // The library entry and the testing entry: one build, so that they share the client chunk and
    // `fake.client()` and a user's own client share error classes. Neither loads the CLI.
    entry: { index: "src/index.ts", testing: "src/testing/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    platform: "neutral",
    target: "es2022",
    clean: true,
  },
  {
    // The `posthog-insights` bin: ESM for Node, its dependencies (commander, yaml, ajv...) external.
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    dts: false,
    platform: "node",
    target: "node20",
    clean: false,
    fixedExtension: false,
  },
]);
