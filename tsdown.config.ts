import { defineConfig } from "tsdown";

export default defineConfig([
  {
    // The library entry: loads openapi-fetch only, never the CLI or its dependencies.
    entry: ["src/index.ts"],
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
