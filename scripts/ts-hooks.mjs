// Node module hooks that run this repository's TypeScript directly (examples, demo, live
// contract run) with the TypeScript compiler already installed: types are stripped, nothing
// is type-checked here (`npm run typecheck` does that). `posthog-insights` resolves to src/.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const entry = pathToFileURL(fileURLToPath(new URL("../src/index.ts", import.meta.url))).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "posthog-insights") {
    return { url: entry, shortCircuit: true };
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
