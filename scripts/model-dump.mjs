// The `model_dump()` form of a query, as PostHog's Python models export it: every optional field
// of every node and filter object written out, null when unset, including the internal `response`.
// Driven by the bundled spec (generated/openapi.yaml), whose schemas mirror PostHog's models
// (openapi/QUERY-NODES.md). Used by the corpus test (ajv), the corpus type test it generates (tsc)
// and the ported PostHog tests, which post `...model_dump()` queries. Reads files only.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";

const SPEC_ID = "https://posthog-insights.local/model-dump.json";
const specPath = fileURLToPath(new URL("../generated/openapi.yaml", import.meta.url));

/** @param {string} pointer a `#/...` JSON pointer @param {unknown} doc */
function at(doc, pointer) {
  let node = doc;
  for (const raw of pointer.slice(2).split("/")) {
    const segment = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    node = node?.[segment];
  }
  return node;
}

/**
 * A function from a value and the pointer of its schema to its `model_dump()` form.
 *
 * @param {object} [doc] the bundled spec (default: generated/openapi.yaml)
 * @returns {(value: unknown, pointer?: string) => unknown}
 */
export function createModelDump(doc = parse(readFileSync(specPath, "utf8"))) {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema({ ...doc, $id: SPEC_ID });
  const compiled = new Map();
  const accepts = (pointer, value) => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate(value);
  };

  /** Follows `$ref`s to the pointer of the schema itself. */
  const resolve = (pointer) => {
    let current = pointer;
    for (let hops = 0; hops < 20; hops++) {
      const schema = at(doc, current);
      if (!schema || typeof schema.$ref !== "string") {
        return current;
      }
      current = schema.$ref;
    }
    return current;
  };

  /** The object properties a schema declares (through `allOf`), with their pointers, and its required names. */
  const shape = (pointer) => {
    const schema = at(doc, pointer);
    const properties = new Map();
    const required = new Set(schema?.required ?? []);
    for (const [name] of Object.entries(schema?.properties ?? {})) {
      properties.set(name, `${pointer}/properties/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    }
    (schema?.allOf ?? []).forEach((_, i) => {
      const part = shape(resolve(`${pointer}/allOf/${i}`));
      for (const [name, where] of part.properties) {
        properties.set(name, where);
      }
      for (const name of part.required) {
        required.add(name);
      }
    });
    return { properties, required };
  };

  const dump = (value, pointer = "#/components/schemas/InsightQuery") => {
    const where = resolve(pointer);
    const schema = at(doc, where);
    if (!schema || value === null || value === undefined) {
      return value;
    }
    for (const union of ["oneOf", "anyOf"]) {
      if (Array.isArray(schema[union])) {
        const branch = schema[union].findIndex((_, i) => accepts(`${where}/${union}/${i}`, value));
        return branch < 0 ? value : dump(value, `${where}/${union}/${branch}`);
      }
    }
    if (Array.isArray(value)) {
      return schema.items ? value.map((item) => dump(item, `${where}/items`)) : value;
    }
    if (typeof value !== "object") {
      return value;
    }
    const { properties, required } = shape(where);
    if (properties.size === 0) {
      return value;
    }
    const out = {};
    for (const [name, propertyPointer] of properties) {
      if (name in value) {
        out[name] = dump(value[name], propertyPointer);
      } else if (!required.has(name)) {
        out[name] = null;
      }
    }
    for (const [name, item] of Object.entries(value)) {
      if (!(name in out)) {
        out[name] = item;
      }
    }
    return out;
  };
  return dump;
}
