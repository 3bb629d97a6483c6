// The insight-file schema as ajv compiles it: the transform and ajv's options, shared by the
// build step that precompiles the validator and by anything that compiles it at run time.
// Pure: no file access, no ajv.

/**
 * ajv's options: strict off, as descriptions, readOnly and discriminator are annotations to ajv
 * here; `verbose`: errors carry their schema and data, for "did you mean".
 */
export const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false, verbose: true } as const;

/** A JSON Schema node. */
export type Schema = Record<string, unknown>;

/**
 * The schema with each `oneOf`/`anyOf` that can be told apart turned into a dispatch, so that a
 * value is checked against the one branch it chose and its errors are that branch's: by a
 * discriminating property (`kind`, or `type` of property filters) when every branch is an object
 * naming its values (a branch that excludes every known value takes the rest: unknown kinds),
 * else by JSON type when the branches' types do not overlap (`X | null`). Pure.
 *
 * @example
 * const prepared = prepareSchema({ oneOf: [{ type: "string" }, { type: "null" }] }); // dispatches by JSON type
 */
export function prepareSchema(schema: object): object {
  const defs = ((schema as Schema).$defs ?? {}) as Record<string, Schema>;
  const resolve = (node: unknown): Schema | undefined => {
    const ref = (node as Schema | undefined)?.$ref;
    if (typeof ref === "string") {
      return resolve(defs[ref.replace(/^#\/\$defs\//, "")]);
    }
    return node !== null && typeof node === "object" ? (node as Schema) : undefined;
  };
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(walk);
    }
    if (value === null || typeof value !== "object") {
      return value;
    }
    const out: Schema = {};
    for (const [key, item] of Object.entries(value as Schema)) {
      out[key] = walk(item);
    }
    for (const keyword of ["oneOf", "anyOf"] as const) {
      const branches = out[keyword];
      if (!Array.isArray(branches)) {
        continue;
      }
      const dispatch =
        byDiscriminator(branches, resolve, "kind") ??
        byDiscriminator(branches, resolve, "type") ??
        byType(branches, resolve);
      if (dispatch) {
        delete out[keyword];
        Object.assign(out, dispatch);
      }
    }
    return out;
  };
  return walk(schema) as object;
}

type Resolve = (node: unknown) => Schema | undefined;

/** The values a branch gives `property` (through allOf), "rest" for an exclusion, or undefined. */
function discriminatorOf(branch: unknown, resolve: Resolve, property: string): unknown[] | "rest" | undefined {
  const node = resolve(branch);
  if (!node) {
    return undefined;
  }
  const own = (node.properties as Record<string, Schema> | undefined)?.[property];
  if (own) {
    if (Array.isArray(own.enum)) {
      return own.enum;
    }
    if ("const" in own) {
      return [own.const];
    }
    if (Array.isArray((own.not as Schema | undefined)?.enum)) {
      return "rest";
    }
    return undefined;
  }
  for (const part of (node.allOf as unknown[] | undefined) ?? []) {
    const found = discriminatorOf(part, resolve, property);
    if (found) {
      return found;
    }
  }
  return undefined;
}

function byDiscriminator(branches: unknown[], resolve: Resolve, property: string): Schema | undefined {
  const known: { values: unknown[]; branch: unknown }[] = [];
  let rest: unknown;
  for (const branch of branches) {
    const values = discriminatorOf(branch, resolve, property);
    if (values === undefined || (values === "rest" && rest !== undefined)) {
      return undefined;
    }
    if (values === "rest") {
      rest = branch;
    } else {
      known.push({ values, branch });
    }
  }
  const all = known.flatMap((entry) => entry.values);
  if (known.length < 2 || new Set(all).size !== all.length) {
    return undefined;
  }
  const cases: Schema[] = known.map(({ values, branch }) => ({
    if: { properties: { [property]: { enum: values } }, required: [property] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
    then: branch,
  }));
  if (rest !== undefined) {
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
    cases.push({ if: { properties: { [property]: { not: { enum: all } } }, required: [property] }, then: rest });
  }
  return {
    type: "object",
    required: [property],
    properties: { [property]: rest === undefined ? { enum: all } : { type: "string" } },
    allOf: cases,
  };
}

/** The JSON types a branch allows, when it says (integer counted as number), else undefined. */
function typesOf(branch: unknown, resolve: Resolve): string[] | undefined {
  const node = resolve(branch);
  if (!node) {
    return undefined;
  }
  const type = node.type;
  if (typeof type === "string" || Array.isArray(type)) {
    return [...new Set((Array.isArray(type) ? type : [type]).map((t) => (t === "integer" ? "number" : String(t))))];
  }
  if (Array.isArray(node.allOf)) {
    for (const part of node.allOf) {
      const found = typesOf(part, resolve);
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}

function byType(branches: unknown[], resolve: Resolve): Schema | undefined {
  const typed = branches.map((branch) => ({ branch, types: typesOf(branch, resolve) }));
  const all = typed.flatMap((entry) => entry.types ?? []);
  if (typed.some((entry) => entry.types === undefined) || new Set(all).size !== all.length) {
    return undefined;
  }
  const jsonTypes = (types: string[]) => types.flatMap((t) => (t === "number" ? ["number", "integer"] : [t]));
  return {
    type: jsonTypes(all),
    allOf: typed.map(({ branch, types }) => ({
      if: { type: jsonTypes(types ?? []) },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
      then: branch,
    })),
  };
}
