// A build plugin (tsdown's rolldown and vitest's vite alike) serving `virtual:file-validators`:
// each kind's file schema (insight, dashboard, action, cohort) compiled by ajv at build time into
// standalone code, one export per kind, so the CLI starts without compiling schemas. Only build
// tooling imports it; the package never does.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import standalone from "ajv/dist/standalone/index.js";
import { AJV_OPTIONS, prepareSchema } from "../src/ascode/schema-transform.ts";

export const VALIDATOR_MODULE = "virtual:file-validators";
const RESOLVED = `\0${VALIDATOR_MODULE}`;

/** Each kind's export name and its schema file in generated/. */
export const FILE_SCHEMAS = {
  insight: "insight-file.schema.json",
  dashboard: "dashboard-file.schema.json",
  action: "action-file.schema.json",
  cohort: "cohort-file.schema.json",
} as const;

/** The validators module's source: ajv's standalone ESM code, its runtime helpers imported. */
export function validatorSource(): string {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const exports: Record<string, string> = {};
  for (const [kind, file] of Object.entries(FILE_SCHEMAS)) {
    const schema = JSON.parse(readFileSync(new URL(`../generated/${file}`, import.meta.url), "utf8")) as {
      $id: string;
    };
    ajv.addSchema(prepareSchema(schema));
    exports[kind] = schema.$id;
  }
  const code = standalone.default(ajv, exports);
  // ajv's ESM output still `require`s its runtime helpers (ucs2length, equal...): imports instead.
  const helpers: string[] = [];
  const body = code.replace(/require\("([^"]+)"\)/g, (_: string, name: string) => {
    helpers.push(`import * as helper${helpers.length} from ${JSON.stringify(name)};`);
    return `helper${helpers.length - 1}`;
  });
  return `${helpers.join("\n")}\n${body}`;
}

/**
 * The plugin: resolves and loads the virtual module.
 *
 * @example
 * // tsdown.config.ts
 * export default defineConfig({ entry: { cli: "src/cli/main.ts" }, plugins: [fileValidators()] });
 */
export function fileValidators() {
  return {
    name: "file-validators",
    resolveId(id: string): string | undefined {
      return id === VALIDATOR_MODULE ? RESOLVED : undefined;
    },
    load(id: string): string | undefined {
      return id === RESOLVED ? validatorSource() : undefined;
    },
  };
}
