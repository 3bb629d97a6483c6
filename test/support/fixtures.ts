// Realistic PostHog bodies for loopback servers, taken from the spec's own examples so
// fixtures and spec cannot drift apart.
import { loadSpec } from "./spec.js";

interface Doc {
  components: { examples: Record<string, { value: unknown }> };
}

const doc = loadSpec() as unknown as Doc;

/** The value of a named example of the bundled spec (components/examples/<file>). */
export function example<T = Record<string, unknown>>(name: string): T {
  const found = doc.components.examples[name];
  if (!found) {
    throw new Error(`No example ${name} in the bundled spec; have: ${Object.keys(doc.components.examples).join(", ")}`);
  }
  return structuredClone(found.value) as T;
}
