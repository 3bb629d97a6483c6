// `npm run docs:examples`: writes test/types/doc-examples.generated.ts, one function per TSDoc `@example`
// of src/*.ts and src/testing/**/*.ts, so that `npm run typecheck` proves the examples compile (they never run).
// `--check`: writes nothing, fails when the committed file differs (`npm run generate:check` runs the check too).
//
// An example is the text after `@example` up to the next `@tag` or the end of its comment. Its imports come
// from the public entries (`posthog-insights`, `posthog-insights/testing`); a name neither entry exports is
// taken from the module the example documents (internal helpers such as `Pacer`). The context an example
// assumes (`posthog`, `insight`, `fake`, ...) is declared once, in CONTEXT below. An example that must not
// compile (none today) is marked `@example (does not compile: why)` and skipped; a title in parentheses
// that says anything else is only dropped.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const OUTPUT = "test/types/doc-examples.generated.ts";
const ENTRIES = [
  { specifier: "posthog-insights", path: "src/index.ts", from: "../../src/index.js" },
  { specifier: "posthog-insights/testing", path: "src/testing/index.ts", from: "../../src/testing/index.js" },
];

/** The free names examples lean on, with the declaration that gives each its type. */
const CONTEXT = {
  posthog: "declare const posthog: PostHogClient;",
  insight: "declare const insight: Insight;",
  page: "declare let page: Page<Insight>;",
  funnel: 'declare const funnel: InsightOf<"FunnelsQuery">;',
  retention: 'declare const retention: InsightOf<"RetentionQuery">;',
  stickiness: 'declare const stickiness: InsightOf<"StickinessQuery">;',
  lifecycle: 'declare const lifecycle: InsightOf<"LifecycleQuery">;',
  sql: 'declare const sql: InsightOf<"HogQLQuery">;',
  overview: 'declare const overview: InsightOf<"WebOverviewQuery">;',
  marketing: 'declare const marketing: InsightOf<"MarketingAnalyticsTableQuery">;',
  hog: 'declare const hog: InsightOf<"HogQuery">;',
  item: "declare const item: WebOverviewItem;",
  row: "declare const row: MarketingAnalyticsItem[];",
  series: "declare const series: TrendsSeries;",
  step: "declare const step: FunnelStep;",
  steps: "declare const steps: FunnelStep[];",
  histogram: "declare const histogram: FunnelTimeToConvert;",
  cohort: "declare const cohort: RetentionCohort;",
  fake: "declare const fake: FakePostHog;",
  signal: "declare const signal: AbortSignal;",
  url: "declare const url: string;",
};
/** Names examples may use that come from the test runner. */
const VITEST = new Set(["expect", "afterEach", "beforeEach", "it", "describe", "vi"]);

const read = (path) => readFile(`${root}${path}`, "utf8");
const parse = (path, text) => ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
const hasExport = (node) => ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;

/** The names a module exports, each with whether it is a value (else a type only), following `export *`. */
async function exportsOf(path, typeOnly = false, seen = new Map()) {
  const source = parse(path, await read(path));
  for (const node of source.statements) {
    if (ts.isExportDeclaration(node)) {
      const only = typeOnly || node.isTypeOnly;
      if (node.exportClause && ts.isNamedExports(node.exportClause)) {
        for (const element of node.exportClause.elements) {
          seen.set(element.name.text, { value: !(only || element.isTypeOnly) });
        }
      } else if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const target = new URL(node.moduleSpecifier.text.replace(/\.js$/, ".ts"), `file:///${path}`).pathname.slice(1);
        await exportsOf(target, only, seen);
      }
    } else if (hasExport(node)) {
      const value = !(typeOnly || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node));
      const names = ts.isVariableStatement(node)
        ? node.declarationList.declarations.map((d) => d.name.getText(source))
        : [node.name?.text];
      for (const name of names) {
        if (name) {
          seen.set(name, { value });
        }
      }
    }
  }
  return seen;
}

const KEYWORDS = "export|declare|abstract|async|static|readonly|get|function\\*?|class|interface|type|const|let";
/** The name a TSDoc comment documents, read from the line after it. */
const DOCUMENTED = new RegExp(`^(?:(?:${KEYWORDS})\\s+)*([\\w$#]+)`);

/** Each `@example` of the file's TSDoc comments, with the symbol the comment documents. */
function examplesOf(text) {
  const examples = [];
  for (const match of text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*([^\n]*)/g)) {
    const lines = match[1].split("\n").map((line) => line.replace(/^\s*\* ?/, "").trimEnd());
    const symbol = DOCUMENTED.exec(match[2])?.[1] ?? "?";
    for (let i = 0; i < lines.length; i++) {
      const tag = /^@example(?:\s+(.*))?$/.exec(lines[i]);
      if (!tag) {
        continue;
      }
      let first = tag[1] ?? "";
      const title = /^\(([^)]*)\)\s*/.exec(first);
      const skip = title && /^does not compile\b/i.test(title[1]) ? title[1] : undefined;
      if (title) {
        first = first.slice(title[0].length);
      }
      const body = first ? [first] : [];
      for (let j = i + 1; j < lines.length && !/^@\w/.test(lines[j]); j++) {
        body.push(lines[j]);
      }
      while (body.length > 0 && body[0] === "") {
        body.shift();
      }
      while (body.length > 0 && body.at(-1) === "") {
        body.pop();
      }
      examples.push({ symbol, code: body.join("\n"), skip });
    }
  }
  return examples;
}

/** The identifiers an example reads (not property names), the names it declares, and its imports. */
function namesOf(code) {
  const source = parse("example.ts", code);
  const used = new Set();
  const declared = new Set();
  const imports = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      imports.push(node);
      return;
    }
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isName = (ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) && parent.name === node;
      const isKey =
        (ts.isPropertyAssignment(parent) ||
          ts.isPropertySignature(parent) ||
          ts.isMethodDeclaration(parent) ||
          ts.isPropertyDeclaration(parent)) &&
        parent.name === node;
      const isBindingKey = ts.isBindingElement(parent) && parent.propertyName === node;
      if (
        (ts.isVariableDeclaration(parent) ||
          ts.isParameter(parent) ||
          ts.isFunctionDeclaration(parent) ||
          ts.isClassDeclaration(parent) ||
          ts.isTypeAliasDeclaration(parent) ||
          ts.isInterfaceDeclaration(parent) ||
          (ts.isBindingElement(parent) && parent.name === node)) &&
        parent.name === node
      ) {
        declared.add(node.text);
      } else if (!isName && !isKey && !isBindingKey) {
        used.add(node.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const lines = code.split("\n");
  const importLines = new Set();
  for (const node of imports) {
    const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
    const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
    for (let line = start; line <= end; line++) {
      importLines.add(line);
    }
  }
  const body = lines.filter((_, i) => !importLines.has(i)).join("\n");
  const named = imports.map((node) => {
    const bindings = node.importClause?.namedBindings;
    return {
      specifier: ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : "",
      names: bindings && ts.isNamedImports(bindings) ? bindings.elements.map((element) => element.name.text) : [],
      other: Boolean(node.importClause?.name) || (bindings !== undefined && ts.isNamespaceImport(bindings)),
    };
  });
  return { used, declared, body, imports: named };
}

/** Builds the generated file: `output`, how many examples it holds, and the skipped ones. */
export async function buildDocExamples() {
  const entries = await Promise.all(ENTRIES.map(async (entry) => ({ ...entry, names: await exportsOf(entry.path) })));
  for (const name of Object.keys(CONTEXT)) {
    const entry = entries.find((candidate) => candidate.names.has(name));
    if (entry) {
      console.error(`CONTEXT names ${name}, which ${entry.specifier} exports: give the example its own value instead.`);
      process.exit(1);
    }
  }
  const sourceFiles = [
    ...(await readdir(`${root}src`)).filter((name) => name.endsWith(".ts")).map((name) => `src/${name}`),
    ...(await readdir(`${root}src/testing`, { recursive: true }))
      .filter((name) => name.endsWith(".ts"))
      .map((name) => `src/testing/${name.replaceAll("\\", "/")}`),
  ].sort();

  const problems = [];
  const functions = [];
  const skipped = [];
  /** module path -> name -> is a value */
  const wanted = new Map();
  const want = (from, name, value) => {
    if (!wanted.has(from)) {
      wanted.set(from, new Map());
    }
    wanted.get(from).set(name, value);
  };
  const context = new Set();
  let count = 0;

  for (const path of sourceFiles) {
    const examples = examplesOf(await read(path));
    if (examples.length === 0) {
      continue;
    }
    const own = await exportsOf(path);
    const tag = path
      .replace(/^src\//, "")
      .replace(/\.ts$/, "")
      .replace(/\W/g, "_");
    examples.forEach((example, index) => {
      const name = `example_${tag}_${index + 1}`;
      if (example.skip) {
        skipped.push(`${path} (${example.symbol}): ${example.skip}`);
        return;
      }
      if (example.code === "") {
        problems.push(`${path} (${example.symbol}): an empty @example`);
        return;
      }
      const { used, declared, body, imports } = namesOf(example.code);
      for (const { specifier, names, other } of imports) {
        const entry = entries.find((candidate) => candidate.specifier === specifier);
        if (!entry || other) {
          problems.push(
            `${path} (${example.symbol}): import only named exports of the entries, not from "${specifier}"`,
          );
          continue;
        }
        for (const imported of names) {
          if (!entry.names.has(imported)) {
            problems.push(`${path} (${example.symbol}): "${specifier}" does not export ${imported}`);
          }
        }
      }
      for (const identifier of [...used].sort()) {
        if (declared.has(identifier)) {
          continue;
        }
        const entry = entries.find((candidate) => candidate.names.has(identifier));
        if (entry) {
          want(entry.from, identifier, entry.names.get(identifier).value);
        } else if (own.has(identifier)) {
          want(`../../${path.replace(/\.ts$/, ".js")}`, identifier, own.get(identifier).value);
        } else if (identifier in CONTEXT) {
          context.add(identifier);
        } else if (VITEST.has(identifier)) {
          want("vitest", identifier, true);
        }
      }
      count++;
      const indented = body
        .split("\n")
        .map((line) => (line ? `  ${line}` : ""))
        .join("\n");
      functions.push(`// ${path}: ${example.symbol}\nexport async function ${name}() {\n${indented}\n}\n`);
    });
  }

  // The context declarations name types too: import those as well.
  for (const name of context) {
    for (const identifier of namesOf(CONTEXT[name].replace(/^declare (const|let) /, "let ")).used) {
      const entry = entries.find((candidate) => candidate.names.has(identifier));
      if (entry) {
        want(entry.from, identifier, entry.names.get(identifier).value);
      }
    }
  }

  const imported = new Map();
  for (const [from, names] of wanted) {
    for (const name of names.keys()) {
      if (imported.has(name) && imported.get(name) !== from) {
        problems.push(`${name} is imported from both ${imported.get(name)} and ${from}`);
      }
      imported.set(name, from);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Examples that cannot be generated:\n${problems.join("\n")}`);
  }

  const order = (from) => (from === "vitest" ? 0 : ENTRIES.findIndex((entry) => entry.from === from) + 1 || 9);
  const importLines = [...wanted]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([from, names]) => {
      const list = [...names]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => (value ? name : `type ${name}`));
      const allTypes = [...names.values()].every((value) => !value);
      const specifiers = allTypes ? list.map((name) => name.replace(/^type /, "")) : list;
      const one = `import ${allTypes ? "type " : ""}{ ${specifiers.join(", ")} } from "${from}";`;
      return one.length <= 120
        ? one
        : `import ${allTypes ? "type " : ""}{\n${specifiers.map((name) => `  ${name},\n`).join("")}} from "${from}";`;
    });

  const output = [
    "// Generated by `npm run docs:examples` (scripts/doc-examples.mjs) from the @example blocks of src/*.ts and",
    "// src/testing/**/*.ts: do not edit. One function per example, so that `npm run typecheck` checks they compile;",
    "// they never run.",
    "// biome-ignore-all lint: examples are written for readers (one-line ifs, values shown but not used)",
    ...importLines,
    "",
    ...[...context].sort().map((name) => CONTEXT[name]),
    "",
    functions.join("\n"),
  ].join("\n");

  return { output, count, skipped };
}

/** Whether the committed file matches what `buildDocExamples()` writes now; prints one line either way. */
export async function checkDocExamples() {
  const { output, count } = await buildDocExamples();
  const committed = await readFile(`${root}${OUTPUT}`, "utf8").catch(() => null);
  if (committed !== output) {
    console.error(
      `${OUTPUT} is ${committed === null ? "missing" : "stale"}: run \`npm run docs:examples\` and commit it.`,
    );
    return false;
  }
  console.log(`${OUTPUT} is up to date with the @example blocks of src/ (${count} examples).`);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes("--check")) {
    process.exitCode = (await checkDocExamples()) ? 0 : 1;
  } else {
    const { output, count, skipped } = await buildDocExamples();
    await writeFile(`${root}${OUTPUT}`, output);
    console.log(`Wrote ${OUTPUT}: ${count} examples.`);
    if (skipped.length > 0) {
      console.log(`Skipped (marked "does not compile"):\n  ${skipped.join("\n  ")}`);
    }
  }
}
