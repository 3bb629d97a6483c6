// Realistic PostHog bodies for the benchmarks: a full trends insight of about 3 kB, built
// from the spec's own example, and pages of 100 of them.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const spec = parse(readFileSync(new URL("../../generated/openapi.yaml", import.meta.url), "utf8"));
const base = spec.components.examples["insight-trends-computed"].value;

const days = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2024, 3, i + 1)).toISOString().slice(0, 10));

/** A full insight of about 3 kB with 30 days of results. */
export function insight(id) {
  return {
    ...base,
    id,
    short_id: `b${String(id).padStart(7, "0")}`,
    name: `Benchmark insight ${id}`,
    result: [
      {
        ...base.result[0],
        data: days.map((_, i) => (i * 37 + id) % 500),
        labels: days.map((d) => d.split("-").reverse().join("-")),
        days,
        count: 7350,
      },
    ],
  };
}

export const insightBody = JSON.stringify(insight(7));
