import { defineConfig } from "tsdown";
import { bundledLicenses } from "./scripts/bundled-licenses.ts";
import { insightFileValidator } from "./scripts/insight-file-validator.ts";

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
    // The `posthog-insights` bin: ESM for Node. Its libraries (commander, yaml, cli-progress,
    // asciichart, ajv's runtime) are devDependencies bundled in, their licences beside it, and
    // the insight-file validator precompiled, so installing the package pulls in openapi-fetch
    // alone and the CLI compiles no schema when it starts.
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    dts: false,
    platform: "node",
    target: "node20",
    clean: false,
    fixedExtension: false,
    deps: { neverBundle: ["openapi-fetch"], onlyBundle: false },
    plugins: [insightFileValidator(), bundledLicenses("cli.licenses.md")],
  },
]);
