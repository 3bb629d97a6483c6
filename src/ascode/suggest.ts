// "Did you mean": the known word nearest to a misspelt one, by edit distance. Pure; knows no
// schema and no kind of object.

/**
 * The number of single-character edits (insert, delete, replace, swap two neighbours) between
 * `a` and `b` (optimal string alignment distance).
 *
 * @example
 * editDistance("TrendQuery", "TrendsQuery"); // 1
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < rows; i++) {
    (d[i] as number[])[0] = i;
  }
  for (let j = 0; j < cols; j++) {
    (d[0] as number[])[j] = j;
  }
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((d[i - 1]?.[j] ?? 0) + 1, (d[i]?.[j - 1] ?? 0) + 1, (d[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (d[i - 2]?.[j - 2] ?? 0) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return d[a.length]?.[b.length] ?? 0;
}

/**
 * The candidate nearest to `word` when it is at most `maxEdits` edits away (case differences
 * count as edits), else undefined. Ties go to the first candidate.
 *
 * @example
 * nearest("InsightVizNod", ["InsightVizNode", "DataTableNode"]); // "InsightVizNode"
 * nearest("weekly", ["day", "week", "month"]); // "week"
 */
export function nearest(word: string, candidates: Iterable<string>, maxEdits = 2): string | undefined {
  let found: string | undefined;
  let best = maxEdits + 1;
  for (const candidate of candidates) {
    if (candidate === word) {
      return undefined;
    }
    // Cheap bound: the distance is at least the difference in length.
    if (Math.abs(candidate.length - word.length) >= best) {
      continue;
    }
    const distance = editDistance(word, candidate);
    if (distance < best) {
      best = distance;
      found = candidate;
    }
  }
  return found;
}
