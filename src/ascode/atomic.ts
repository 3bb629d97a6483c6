// Atomic file writes: a temporary file beside the target, then a rename, so a crash never leaves
// a half-written insight file or state. Must not hold any logic about what is written.
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Writes `text` to `path` atomically (same directory temp file + rename).
 *
 * @example
 * await writeAtomic("insights/.posthog-insights/state.json", "{}\n");
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text, "utf8");
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
