// The insight list's `search`, as PostHog runs it (posthog/helpers/trigram_search.py): a
// case-insensitive substring of the name, derived name, description or a tag is an `exact`
// match; otherwise a pg_trgm `word_similarity` of at least 0.3 with the name or derived name (0.4
// with the description) is a `similar` one. Exact matches rank first, then by similarity, the
// description counting half. Pure functions.

/** The longest `search` PostHog accepts (MAX_SEARCH_LENGTH). */
export const MAX_SEARCH_LENGTH = 200;
const MIN_NAME_SIMILARITY = 0.3;
const MIN_DESCRIPTION_SIMILARITY = 0.4;
const DESCRIPTION_WEIGHT = 0.5;

/** What PostHog searches for: NUL bytes dropped and the ends trimmed ("" means no search). */
export function searchTerm(raw: string): string {
  return raw.replace(/\0/g, "").trim();
}

/** pg_trgm's trigrams of a text, in order: each lower-cased word padded as `"  word "`. */
function trigrams(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) {
      out.push(padded.slice(i, i + 3));
    }
  }
  return out;
}

/** pg_trgm `similarity(a, b)`: shared trigrams over all trigrams. */
export function similarity(a: string, b: string): number {
  const x = new Set(trigrams(a));
  const y = new Set(trigrams(b));
  if (x.size === 0 || y.size === 0) {
    return 0;
  }
  let shared = 0;
  for (const t of x) {
    shared += y.has(t) ? 1 : 0;
  }
  return shared / (x.size + y.size - shared);
}

/**
 * pg_trgm `word_similarity(a, b)`: the best similarity between `a`'s trigrams and a continuous
 * extent of `b`'s. An extent is best bounded by trigrams `a` has, so only those are tried.
 */
export function wordSimilarity(a: string, b: string): number {
  const wanted = new Set(trigrams(a));
  const ordered = trigrams(b);
  const hits = ordered.flatMap((t, i) => (wanted.has(t) ? [i] : []));
  let best = 0;
  for (const start of hits) {
    for (const end of hits) {
      if (end < start) {
        continue;
      }
      const extent = new Set(ordered.slice(start, end + 1));
      let shared = 0;
      for (const t of wanted) {
        shared += extent.has(t) ? 1 : 0;
      }
      best = Math.max(best, shared / (wanted.size + extent.size - shared));
    }
  }
  return best;
}

/** What an insight is searched by. */
export interface Searchable {
  name: string | null;
  derived_name: string | null;
  description: string | null;
  tags: string[];
}

/** How an insight matches a search term, or undefined when it does not. */
export function searchMatch(
  term: string,
  insight: Searchable,
): { type: "exact" | "similar"; score: number } | undefined {
  const needle = term.toLowerCase();
  const names = [insight.name, insight.derived_name].filter((n): n is string => typeof n === "string");
  const description = insight.description ?? "";
  const exact = [...names, description, ...insight.tags].some((text) => text.toLowerCase().includes(needle));
  const similar =
    names.some((name) => wordSimilarity(term, name) >= MIN_NAME_SIMILARITY) ||
    (description !== "" && wordSimilarity(term, description) >= MIN_DESCRIPTION_SIMILARITY);
  if (!exact && !similar) {
    return undefined;
  }
  const score =
    Math.max(0, ...names.map((name) => similarity(term, name))) + DESCRIPTION_WEIGHT * similarity(term, description);
  return { type: exact ? "exact" : "similar", score };
}
