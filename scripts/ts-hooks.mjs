// Node module hooks that run this repository's TypeScript directly (examples, demo, live
// contract run) with the TypeScript compiler already installed: types are stripped, nothing
// is type-checked here (`npm run typecheck` does that). `posthog-insights` resolves to src/.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const entry = pathToFileURL(fileURLToPath(new URL("../src/index.ts", import.meta.url))).href;

// The build precompiles the file validators (scripts/file-validators.ts); run from source, they
// are compiled when first imported, from the same schema transform.
const VALIDATOR = "virtual:file-validators";
// A file URL that exists nowhere, so that the module's own imports resolve from this folder.
const validatorUrl = new URL("./file-validators.virtual.mjs", import.meta.url).href;
const transform = pathToFileURL(fileURLToPath(new URL("../src/ascode/schema-transform.ts", import.meta.url))).href;
const schemaFile = (kind) => fileURLToPath(new URL(`../generated/${kind}-file.schema.json`, import.meta.url));
const validatorSource = `
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { AJV_OPTIONS, prepareSchema } from ${JSON.stringify(transform)};
const compile = (path) => new Ajv2020(AJV_OPTIONS).compile(prepareSchema(JSON.parse(readFileSync(path, "utf8"))));
${["insight", "dashboard", "action", "cohort"]
  .map((kind) => `export const ${kind} = compile(${JSON.stringify(schemaFile(kind))});`)
  .join("\n")}
`;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "posthog-insights") {
    return { url: entry, shortCircuit: true };
  }
  if (specifier === VALIDATOR) {
    return { url: validatorUrl, shortCircuit: true };
  }
  if (
    specifier.endsWith(".js") &&
    context.parentURL?.startsWith("file:") &&
    (specifier.startsWith(".") || specifier.startsWith("/"))
  ) {
    const candidate = new URL(specifier.replace(/\.js$/, ".ts"), context.parentURL);
    if (!existsSync(fileURLToPath(new URL(specifier, context.parentURL))) && existsSync(fileURLToPath(candidate))) {
      return { url: candidate.href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url === validatorUrl) {
    return { format: "module", source: validatorSource, shortCircuit: true };
  }
  if (!url.endsWith(".ts")) {
    return nextLoad(url, context);
  }
  const source = await readFile(fileURLToPath(url), "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      sourceMap: false,
    },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
