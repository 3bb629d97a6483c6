// Keys of insight files: a slug of the insight's name, made unique with its short id. Pure.

/**
 * A file-name-safe slug: lower case ASCII letters, digits and dashes, at most 60 characters.
 *
 * @example
 * slugify("Daily signups (EU) — 2024"); // "daily-signups-eu-2024"
 */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
}

/**
 * Whether `key` can name an insight file (what `slugify` makes, plus short-id suffixes).
 *
 * @example
 * isKey("daily-signups"); // true
 */
export function isKey(key: string): boolean {
  return /^[a-z0-9][a-z0-9-]*$/.test(key);
}

/**
 * Picks a key for a new insight: its name's slug, or `insight-<short id>` without a name; on a
 * collision with a taken key, the slug followed by the short id.
 *
 * @example
 * keyFor({ name: "Signups", short_id: "AbC12345" }, new Set(["signups"])); // "signups-abc12345"
 */
export function keyFor(
  insight: { name?: string | null; derived_name?: string | null; short_id: string },
  taken: Set<string>,
): string {
  const short = slugify(insight.short_id) || "x";
  const base = slugify(insight.name ?? "") || slugify(insight.derived_name ?? "") || `insight-${short}`;
  if (!taken.has(base)) {
    return base;
  }
  let key = `${base}-${short}`;
  for (let n = 2; taken.has(key); n++) {
    key = `${base}-${short}-${n}`;
  }
  return key;
}
