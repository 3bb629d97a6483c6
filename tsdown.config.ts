import { sep } from "node:path";
import { defineConfig } from "tsdown";
import { bundledLicenses } from "./scripts/bundled-licenses.ts";
import { fileValidators } from "./scripts/file-validators.ts";

/** Resolves the kit's import of the library entry (src/index.ts) to the package itself, external. */
function libraryEntryByName() {
  return {
    name: "library-entry-by-name",
    resolveId(source: string, importer: string | undefined) {
      const fromKit = importer?.includes(`${sep}src${sep}testing${sep}`);
      return fromKit && source === "../index.js" ? { id: "posthog-insights", external: true } : undefined;
    },
  };
}

export default defineConfig([
  {
    // The library entry, in one file: importing the package loads it and openapi-fetch, no more.
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    platform: "neutral",
    target: "es2022",
    clean: true,
    // `useDefineForClassFields: false`: a field its constructor assigns is not also declared in
    // the emitted class (83 B of the size budget). Same objects: every such field of src/*.ts is
    // assigned on every path of its constructor, in its declaration order, and no class
    // redeclares a field of its base.
    tsconfig: "tsconfig.library.json",
    // Without the TSDoc comments (they are in the .d.ts files, where editors read them): 76 kB
    // less for Node to read and scan when the package is imported, the code itself unchanged.
    outputOptions: { comments: { jsdoc: false } },
  },
  {
    // The testing entry. It takes the client from the library entry by the package's own name
    // (a self-reference, resolved through `exports`), so that `fake.client()` and a user's own
    // client share one copy of the client and its error classes. It never loads the CLI.
    entry: { testing: "src/testing/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    platform: "neutral",
    target: "es2022",
    clean: false,
    plugins: [libraryEntryByName()],
  },
  {
    // The `posthog-insights` bin: ESM for Node. Its libraries (commander, yaml, cli-progress,
    // asciichart, string-width, ajv's runtime) are devDependencies bundled in, their licences beside it, and
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
    // Minified: the bin is most of what installing the package writes to disk.
    minify: true,
    plugins: [fileValidators(), bundledLicenses("cli.licenses.md")],
  },
]);
