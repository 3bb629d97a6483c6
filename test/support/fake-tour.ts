// A scripted tour through the fake PostHog: each step's answer validated against the bundled spec
// (status declared, body valid). The tours of insights and of the other kinds share it.
import { expect } from "vitest";
import { createFakePostHog } from "../../src/testing/index.js";
import { specValidator } from "./spec-validator.js";

/** One request of a tour: method, path after `/api/projects/1`, JSON body, key (null: none). */
export type Step = [method: string, path: string, body?: unknown, key?: string | null];

/** Runs the steps against a fresh fake, expects every answer to fit the spec, and returns `METHOD path status` per step. */
export async function tour(steps: Step[], options: Parameters<typeof createFakePostHog>[0] = {}): Promise<string[]> {
  const fake = createFakePostHog({ computeSteps: 1, ...options });
  const errors: string[] = [];
  const statuses: string[] = [];
  for (const [method, path, body, key = fake.apiKey] of steps) {
    const headers: Record<string, string> = body === undefined ? {} : { "content-type": "application/json" };
    if (key !== null) {
      headers.authorization = `Bearer ${key}`;
    }
    const full = `/api/projects/1${path}`;
    const response = await fake.fetch(`${fake.origin}${full}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const contentType = response.headers.get("content-type") ?? undefined;
    const textBody = await response.text();
    const parsed = contentType?.startsWith("application/json") ? JSON.parse(textBody) : textBody || undefined;
    statuses.push(`${method} ${path} ${response.status}`);
    // The validator matches `/insights/{id}/` before the fixed routes it shadows, and the bulk
    // viewed route is not in the spec yet: check those answers against their schemas.
    const bare = path.split("?")[0] ?? path;
    const fixed: Record<string, string> = {
      "/insights/activity/": "ActivityPage",
      "/insights/my_last_viewed/": "InsightBasicList",
    };
    const schema = fixed[bare];
    if (schema && response.status === 200 && typeof parsed === "object") {
      errors.push(...specValidator().schemaErrors(schema, parsed));
    } else if (bare === "/insights/viewed/") {
      expect([response.status, textBody]).toEqual([201, ""]);
    } else if (!schema) {
      errors.push(
        ...specValidator().answerErrors({ method, path: full, status: response.status, contentType, body: parsed }),
      );
    }
  }
  expect(errors).toEqual([]);
  return statuses;
}
