// The kinds as the command line names them: `--only insights,dashboards` and `--kind dashboard`
// take singular or plural names; anything else is bad usage naming the choices. Parsing only.
import { InvalidArgumentError } from "commander";
import { KIND_NAMES, type KindName, PLURALS } from "../ascode/kind-names.js";

/** One kind from its singular or plural name. */
function kindOf(word: string): KindName | undefined {
  const name = word.trim().toLowerCase();
  return KIND_NAMES.find((kind) => kind === name || PLURALS[kind] === name);
}

/**
 * `--only`'s value: kinds separated by commas, in dependency order.
 *
 * @example
 * parseOnly("dashboards,insights"); // ["insight", "dashboard"]
 */
export function parseOnly(value: string): KindName[] {
  const kinds = new Set<KindName>();
  for (const word of value.split(",")) {
    const kind = kindOf(word);
    if (!kind) {
      throw new InvalidArgumentError(
        `${JSON.stringify(word.trim())} is not a kind: use ${KIND_NAMES.map((k) => PLURALS[k]).join(", ")}.`,
      );
    }
    kinds.add(kind);
  }
  return KIND_NAMES.filter((kind) => kinds.has(kind));
}

/**
 * `--kind`'s value: one kind.
 *
 * @example
 * parseKind("dashboards"); // "dashboard"
 */
export function parseKind(value: string): KindName {
  const kind = kindOf(value);
  if (!kind) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a kind: use ${KIND_NAMES.join(", ")}.`);
  }
  return kind;
}
