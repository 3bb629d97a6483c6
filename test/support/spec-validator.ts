// Validates values and HTTP answers against the bundled spec (generated/openapi.yaml) with a
// JSON Schema 2020-12 validator, so corpus, fixtures and fakes are checked by the same rules
// the types come from. Test code only: the library never validates at run time.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsExport from "ajv-formats";
import { loadSpec } from "./spec.js";

// ajv-formats is CommonJS: under Node's ESM interop its default export may be the module object.
const addFormats = ((addFormatsExport as { default?: unknown }).default ?? addFormatsExport) as (ajv: Ajv2020) => void;

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface OperationObject {
  operationId?: string;
  responses?: Record<string, ResponseObject | { $ref: string }>;
  requestBody?: { content?: Record<string, MediaType> } | { $ref: string };
}
interface Doc {
  paths: Record<string, Record<string, OperationObject>>;
  components: { responses?: Record<string, ResponseObject>; schemas: Record<string, unknown> };
}

const SPEC_ID = "https://posthog-insights.local/openapi.json";

/** An answer to check: the request's method and real path, and what came back. */
export interface Answer {
  method: string;
  /** The real path, such as `/api/projects/1/insights/7/` (query string allowed, ignored). */
  path: string;
  status: number;
  /** The `Content-Type` of the answer, or undefined when it had no body. */
  contentType?: string | undefined;
  /** The parsed JSON body, the text of a non-JSON body, or undefined for no body. */
  body?: unknown;
}

/** The spec's validator: schemas by name, and whole answers by operation. */
export class SpecValidator {
  readonly doc: Doc;
  readonly #ajv: Ajv2020;
  readonly #cache = new Map<string, ValidateFunction>();
  readonly #routes: { method: string; template: string; pattern: RegExp; op: OperationObject }[] = [];

  constructor(doc: Doc = loadSpec() as unknown as Doc) {
    this.doc = doc;
    // OpenAPI keywords that are not JSON Schema vocabulary are annotations here.
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema({ ...doc, $id: SPEC_ID });
    for (const [template, item] of Object.entries(doc.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      for (const [method, op] of Object.entries(item)) {
        this.#routes.push({ method: method.toUpperCase(), template, pattern, op });
      }
    }
    // A literal route wins over a templated one that also matches (`/insights/activity/` is not
    // insight "activity"), as in PostHog's router: fewer parameters first.
    const params = (template: string): number => template.split("{").length;
    this.#routes.sort((a, b) => params(a.template) - params(b.template));
  }

  /** Errors of `value` against `components/schemas/<name>` (empty when valid). */
  schemaErrors(name: string, value: unknown): string[] {
    if (!(name in this.doc.components.schemas)) {
      throw new Error(`No schema ${name} in the bundled spec.`);
    }
    return this.#errors(`${SPEC_ID}#/components/schemas/${name}`, value);
  }

  /** Errors of `value` against the schema at a JSON pointer of the bundled spec (`#/components/...`). */
  pointerErrors(pointer: string, value: unknown): string[] {
    return this.#errors(`${SPEC_ID}${pointer}`, value);
  }

  /** Errors of `value` against the request body schema of an operation (JSON). */
  requestErrors(operationId: string, value: unknown): string[] {
    const route = this.#routes.find((r) => r.op.operationId === operationId);
    if (!route) {
      throw new Error(`No operation ${operationId} in the bundled spec.`);
    }
    const body = route.op.requestBody;
    if (!body || "$ref" in body || !body.content?.["application/json"]) {
      return [`${operationId} declares no JSON request body`];
    }
    const operation = `#/paths/${pointerSegment(route.template)}/${route.method.toLowerCase()}`;
    const pointer = `${operation}/requestBody/content/application~1json/schema`;
    return this.#errors(`${SPEC_ID}${pointer}`, value);
  }

  /** The operation a method and real path address, or undefined. */
  operationOf(method: string, path: string): { operationId: string; template: string } | undefined {
    const bare = path.split("?")[0] ?? path;
    const route = this.#routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(bare));
    return (
      route && { operationId: route.op.operationId ?? `${route.method} ${route.template}`, template: route.template }
    );
  }

  /**
   * Errors of a whole answer: the operation exists, declares the status, and the body fits
   * the declared media type and schema (no body where none is declared).
   */
  answerErrors(answer: Answer): string[] {
    const bare = answer.path.split("?")[0] ?? answer.path;
    const method = answer.method.toUpperCase();
    const route = this.#routes.find((r) => r.method === method && r.pattern.test(bare));
    const where = `${method} ${bare} -> ${answer.status}`;
    if (!route) {
      return [`${where}: no operation in the spec`];
    }
    const declared = route.op.responses?.[String(answer.status)];
    if (!declared) {
      return [`${where}: status not declared (declared: ${Object.keys(route.op.responses ?? {}).join(", ")})`];
    }
    const response = this.#resolve(declared);
    const content = response.content;
    const type = answer.contentType?.split(";")[0]?.trim();
    if (!content) {
      return answer.body === undefined || answer.body === "" ? [] : [`${where}: a body where the spec declares none`];
    }
    if (!type || !(type in content)) {
      return [`${where}: content type ${type ?? "(none)"} not declared (${Object.keys(content).join(", ")})`];
    }
    if (type !== "application/json") {
      return typeof answer.body === "string" ? [] : [`${where}: ${type} body is not text`];
    }
    const pointer = this.#responsePointer(route, String(answer.status), declared);
    return this.#errors(`${SPEC_ID}${pointer}/content/application~1json/schema`, answer.body).map(
      (e) => `${where}: ${e}`,
    );
  }

  #responsePointer(
    route: { method: string; template: string },
    status: string,
    declared: ResponseObject | { $ref: string },
  ): string {
    if ("$ref" in declared) {
      return declared.$ref;
    }
    return `#/paths/${pointerSegment(route.template)}/${route.method.toLowerCase()}/responses/${status}`;
  }

  #resolve(response: ResponseObject | { $ref: string }): ResponseObject {
    if (!("$ref" in response)) {
      return response;
    }
    const name = response.$ref.split("/").pop() ?? "";
    const found = this.doc.components.responses?.[name];
    if (!found) {
      throw new Error(`Unresolved response ${response.$ref}`);
    }
    return found;
  }

  #errors(ref: string, value: unknown): string[] {
    let validate = this.#cache.get(ref);
    if (!validate) {
      validate = this.#ajv.getSchema(ref) ?? this.#ajv.compile({ $ref: ref });
      this.#cache.set(ref, validate);
    }
    return validate(value) ? [] : (validate.errors ?? []).map(describe);
  }
}

function pointerSegment(template: string): string {
  return template.replace(/~/g, "~0").replace(/\//g, "~1").replace(/\{/g, "%7B").replace(/\}/g, "%7D");
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || "/"} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}

let shared: SpecValidator | undefined;

/** One validator per test file: compiling the spec takes a moment. */
export function specValidator(): SpecValidator {
  shared ??= new SpecValidator();
  return shared;
}
