// Every `oneOf` of the bundled spec is a real choice: no value is accepted by two of its branches.
// A value matching two branches fails the whole `oneOf` (JSON Schema's "exactly one"), so an
// overlap refuses data PostHog writes (the explicit `"value": null` of a property filter did).
import { describe, expect, it } from "vitest";
import { loadSpec } from "../support/spec.js";
import { specValidator } from "../support/spec-validator.js";

const spec = specValidator();

/** The JSON pointer (`#/...`) of every `oneOf` in the document, with its branch count. */
function oneOfs(value: unknown, pointer: string, out: { pointer: string; branches: number }[]): typeof out {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      oneOfs(item, `${pointer}/${i}`, out);
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const at = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (key === "oneOf" && Array.isArray(item)) {
        out.push({ pointer: at, branches: item.length });
      }
      oneOfs(item, at, out);
    }
  }
  return out;
}

// The probes the issue names, and a few more of each JSON type.
const PROBES: unknown[] = [null, "", 0, true, [], {}, "a", 1, -1, 1.5, false, ["a"], [1], [null], { kind: "X" }];

const all = oneOfs(loadSpec(), "#", []);

describe("oneOf branches never overlap", () => {
  it("finds the spec's oneOfs", () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it.each(all.map((o) => [o.pointer, o] as const))("%s", (_, { pointer, branches }) => {
    const overlaps: string[] = [];
    for (const probe of PROBES) {
      const accepting = Array.from({ length: branches }, (_, i) => i).filter(
        (i) => spec.pointerErrors(`${pointer}/${i}`, probe).length === 0,
      );
      if (accepting.length > 1) {
        overlaps.push(`${JSON.stringify(probe)} matches branches ${accepting.join(", ")}`);
      }
    }
    expect(overlaps).toEqual([]);
  });
});
