// Deterministic numbers and ids from text (FNV-1a), so the same query always gives the same
// results and a fresh fake always assigns the same short ids. No state.

/** A 32-bit FNV-1a hash of `text`. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A whole number in [min, max], fixed for `seed`. */
export function pick(seed: string, min: number, max: number): number {
  return min + (hash(seed) % (max - min + 1));
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** An alphanumeric id of `length` characters, fixed for `seed`. */
export function alphanumeric(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) {
    out += ALPHABET[hash(`${seed}:${i}`) % ALPHABET.length];
  }
  return out;
}
