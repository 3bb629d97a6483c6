// The insight-file schema as ajv compiles it: the transform and ajv's options, shared by the
// build step that precompiles the validator and by anything that compiles it at run time.
// Pure: no file access, no ajv.

/** ajv's options: strict off, as descriptions, readOnly and discriminator are annotations to ajv here. */
export const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false } as const;

/**
 * Turns each `oneOf` with a discriminator mapping into `if kind = K then $ref` branches, so an
 * error names the field inside the node's own kind instead of one failure per alternative.
 */
export function dispatchOnKind(schema: unknown): object {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(walk);
    }
    if (value === null || typeof value !== "object") {
      return value;
    }
    const node = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(node)) {
      out[key] = walk(item);
    }
    const discriminator = node.discriminator as { propertyName?: string; mapping?: Record<string, string> } | undefined;
    if (Array.isArray(node.oneOf) && discriminator?.propertyName && discriminator.mapping) {
      const property = discriminator.propertyName;
      const kinds = Object.keys(discriminator.mapping);
      delete out.oneOf;
      delete out.discriminator;
      out.type = "object";
      out.required = [property];
      out.properties = { [property]: { enum: kinds } };
      out.allOf = Object.entries(discriminator.mapping).map(([kind, ref]) => ({
        if: { properties: { [property]: { const: kind } }, required: [property] },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
        then: { $ref: ref },
      }));
    }
    return out;
  };
  return walk(schema) as object;
}
