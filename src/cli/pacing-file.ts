// Pacing across CLI runs: the recent request times of each (origin, key fingerprint, throttle
// bucket), kept in a small file in the user's cache directory, read when a run makes its first
// client and merged back under a lock when it ends. Never holds the key, only a fingerprint.
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { type Bucket, type BucketHistory, historyOf, Pacer, type PacerOptions, remember } from "../pacing.js";

/** What the file holds per bucket: wall-clock times (ms since the epoch), so any process can read them. */
interface StoredBucket {
  /** When each of the bucket's last requests was answered, oldest first. */
  ended: number[];
  /** Until when a 429 paused the bucket. */
  pausedUntil: number;
}

interface PacingFileData {
  version: 1;
  /** Keyed by `origin fingerprint bucket`. */
  buckets: Record<string, StoredBucket>;
}

/** The longest window PostHog applies: older times can hold nothing back. */
const HORIZON_MS = 3_600_000;
/** A lock older than this was left by a run that died: taken over. */
const STALE_LOCK_MS = 10_000;
/** How long a run waits for another's lock before it writes anyway (the file is replaced atomically). */
const LOCK_WAIT_MS = 2_000;

/**
 * The file, in the user's cache directory: `$XDG_CACHE_HOME`, `%LOCALAPPDATA%` on Windows,
 * `~/Library/Caches` on macOS, else `~/.cache`; `posthog-insights/pacing.json` under it.
 *
 * @example
 * pacingFilePath(process.env); // "/home/me/.cache/posthog-insights/pacing.json"
 */
export function pacingFilePath(env: Record<string, string | undefined>): string {
  const base =
    env.XDG_CACHE_HOME ||
    (process.platform === "win32" && env.LOCALAPPDATA) ||
    (process.platform === "darwin" ? join(homedir(), "Library", "Caches") : join(homedir(), ".cache"));
  return join(base, "posthog-insights", "pacing.json");
}

/** The wall clock with the monotonic clock's precision: ends are compared to the time a run started. */
function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** A fingerprint of the key: the throttle is per key, and the file must not hold the key. */
function fingerprint(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex").slice(0, 16);
}

/**
 * The pacers of one CLI run, one per (origin, key), seeded from the file, and written back at
 * the end. Two runs at the same time on one key do not share their windows while they run (each
 * reads the file when it starts); their writes are merged under a lock, so neither loses the
 * other's requests for the next run.
 *
 * @example
 * const pacing = new PacingFile(pacingFilePath(process.env));
 * const pacer = pacing.pacerFor("https://us.posthog.com", apiKey, { windows: POSTHOG_WINDOWS });
 * // ... the run ...
 * pacing.save();
 */
export class PacingFile {
  readonly #path: string;
  /** Each pacer, and when (wall clock) it took on the file's times: later ends are this run's own. */
  readonly #pacers = new Map<string, { pacer: Pacer; since: number }>();
  #stored: PacingFileData | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  /** The pacer for requests to `origin` with `apiKey`: one per run, seeded with earlier runs' times. */
  pacerFor(origin: string, apiKey: string, options: PacerOptions): Pacer {
    const key = `${origin} ${fingerprint(apiKey)}`;
    let pacer = this.#pacers.get(key)?.pacer;
    if (!pacer) {
      pacer = new Pacer(options);
      this.#stored ??= this.#read();
      const now = wallClock();
      const history: Partial<Record<Bucket, BucketHistory>> = {};
      for (const bucket of ["insights", "default"] as const) {
        const stored = this.#stored.buckets[`${key} ${bucket}`];
        if (stored) {
          history[bucket] = {
            // A time in the future (the wall clock moved back since) counts as just now.
            endedMsAgo: stored.ended.map((at) => Math.max(0, now - at)),
            pausedForMs: Math.max(0, stored.pausedUntil - now),
          };
        }
      }
      remember(pacer, history);
      this.#pacers.set(key, { pacer, since: now });
    }
    return pacer;
  }

  /** Merges this run's times into the file, under a lock. Best effort: pacing must never fail a run. */
  save(): void {
    if (this.#pacers.size === 0) {
      return;
    }
    try {
      mkdirSync(join(this.#path, ".."), { recursive: true });
      const unlock = this.#lock();
      try {
        const data = this.#read();
        let now = wallClock();
        for (const [key, { pacer, since }] of this.#pacers) {
          const history = historyOf(pacer);
          // Read after the history: an end then never comes back earlier than it was (before
          // `since`, it would be taken for one of the file's and dropped).
          now = wallClock();
          for (const [bucket, { endedMsAgo, pausedForMs }] of Object.entries(history)) {
            const name = `${key} ${bucket}`;
            const earlier = data.buckets[name] ?? { ended: [], pausedUntil: 0 };
            // What the pacer took from the file is still in it: only this run's own ends are added.
            const ours = endedMsAgo.map((ago) => now - ago).filter((at) => at >= since);
            data.buckets[name] = {
              ended: [...earlier.ended, ...ours].sort((a, b) => a - b),
              pausedUntil: Math.max(earlier.pausedUntil, pausedForMs > 0 ? now + pausedForMs : 0),
            };
          }
        }
        this.#write(prune(data, now));
      } finally {
        unlock();
      }
    } catch {
      // A read-only or full cache directory: the next run paces without this run's times.
    }
  }

  #read(): PacingFileData {
    try {
      const data: unknown = JSON.parse(readFileSync(this.#path, "utf8"));
      if (isPacingFile(data)) {
        return data;
      }
    } catch {
      // none yet, or unreadable: start afresh
    }
    return { version: 1, buckets: {} };
  }

  #write(data: PacingFileData): void {
    const temporary = `${this.#path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(data)}\n`, { mode: 0o600 });
    renameSync(temporary, this.#path);
  }

  /** Takes the lock file (waiting a little for another run's), and returns its release. */
  #lock(): () => void {
    const lock = `${this.#path}.lock`;
    const start = Date.now();
    for (;;) {
      try {
        closeSync(openSync(lock, "wx"));
        return () => rmSync(lock, { force: true });
      } catch {
        const age = Date.now() - (statMtime(lock) ?? Date.now());
        if (age > STALE_LOCK_MS) {
          rmSync(lock, { force: true });
          continue;
        }
        if (Date.now() - start > LOCK_WAIT_MS) {
          // Held too long by a live run: write anyway (atomically), at worst losing its merge.
          return () => undefined;
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      }
    }
  }
}

function statMtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Drops what can hold nothing back any more: times past the longest window, buckets left empty. */
function prune(data: PacingFileData, now: number): PacingFileData {
  const buckets: Record<string, StoredBucket> = {};
  for (const [name, bucket] of Object.entries(data.buckets)) {
    // At most as many as PostHog's largest window counts.
    const ended = bucket.ended.filter((at) => at > now - HORIZON_MS).slice(-4_800);
    if (ended.length > 0 || bucket.pausedUntil > now) {
      buckets[name] = { ended, pausedUntil: bucket.pausedUntil };
    }
  }
  return { version: 1, buckets };
}

function isPacingFile(value: unknown): value is PacingFileData {
  const data = value as Partial<PacingFileData> | null;
  return (
    typeof data === "object" &&
    data !== null &&
    data.version === 1 &&
    typeof data.buckets === "object" &&
    data.buckets !== null &&
    Object.values(data.buckets).every(
      (b) => Array.isArray(b?.ended) && b.ended.every(Number.isFinite) && Number.isFinite(b.pausedUntil),
    )
  );
}
