// A build plugin (tsdown's rolldown and vitest's vite alike) serving `virtual:insight-file-validator`:
// the insight-file schema compiled by ajv at build time into standalone code, so the CLI starts
// without compiling schemas. Only build tooling imports it; the package never does.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import standalone from "ajv/dist/standalone/index.js";
import { AJV_OPTIONS, prepareSchema } from "../src/ascode/schema-transform.ts";

export const VALIDATOR_MODULE = "virtual:insight-file-validator";
const RESOLVED = `\0${VALIDATOR_MODULE}`;

/** The validator module's source: ajv's standalone ESM code, its runtime helpers imported. */
export function validatorSource(): string {
  const schema: unknown = JSON.parse(
    readFileSync(new URL("../generated/insight-file.schema.json", import.meta.url), "utf8"),
  );
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const code = standalone.default(ajv, ajv.compile(prepareSchema(schema as object)));
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
 * export default defineConfig({ entry: { cli: "src/cli/main.ts" }, plugins: [insightFileValidator()] });
 */
export function insightFileValidator() {
  return {
    name: "insight-file-validator",
    resolveId(id: string): string | undefined {
      return id === VALIDATOR_MODULE ? RESOLVED : undefined;
    },
    load(id: string): string | undefined {
      return id === RESOLVED ? validatorSource() : undefined;
    },
  };
}
