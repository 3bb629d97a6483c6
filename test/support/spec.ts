// Reads the bundled spec, so tests can enumerate what the spec declares instead of
// keeping a second list by hand.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  statuses: string[];
}

interface OpenAPIDoc {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
}

const METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

export function loadSpec(): OpenAPIDoc {
  const file = fileURLToPath(new URL("../../generated/openapi.yaml", import.meta.url));
  return parse(readFileSync(file, "utf8")) as OpenAPIDoc;
}

export function specOperations(doc: OpenAPIDoc = loadSpec()): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) {
        continue;
      }
      out.push({
        operationId: op.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        statuses: Object.keys(op.responses ?? {}),
      });
    }
  }
  return out;
}
