// One run at a time per state directory: a lock file (`.posthog-insights/lock`) naming the pid
// and host that hold it. A lock left by a killed run on this host (its pid is gone) is taken
// over; one from another host is reported, never broken. Knows no kind of object.
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import { unlinkSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { LockedError, type LockHolder } from "./errors.js";

/** A held lock. */
export interface Lock {
  path: string;
  /** The holder a stale lock named, when this run took it over. */
  tookOverFrom?: LockHolder;
  release(): Promise<void>;
}

interface LockFile extends LockHolder {
  token: string;
}

// Locks this process holds, so that an interrupt (Ctrl-C) can release them on its way out.
const held = new Map<string, string>();

// A lock file without a readable holder is being written: stale only after this long.
const UNREADABLE_STALE_MS = 30_000;

/**
 * Where a state directory's lock lives.
 *
 * @example
 * lockPath("insights/.posthog-insights"); // "insights/.posthog-insights/lock"
 */
export function lockPath(stateDir: string): string {
  return join(stateDir, "lock");
}

/**
 * Takes the lock of `stateDir` for `command`, or throws `LockedError` naming who holds it.
 * The file appears whole (written aside, then hard-linked into place), so a reader never sees a
 * half-written holder.
 *
 * @example
 * const lock = await acquireLock("insights/.posthog-insights", "push");
 * try { ... } finally { await lock.release(); }
 */
export async function acquireLock(stateDir: string, command: string): Promise<Lock> {
  await mkdir(stateDir, { recursive: true });
  const path = lockPath(stateDir);
  const mine: LockFile = {
    pid: process.pid,
    host: hostname(),
    command,
    started_at: new Date().toISOString(),
    token: randomBytes(8).toString("hex"),
  };
  const temp = `${path}.${mine.token}.tmp`;
  await writeFile(temp, `${JSON.stringify(mine, null, 2)}\n`, "utf8");
  let tookOverFrom: LockHolder | undefined;
  try {
    if (!(await linkNew(temp, path))) {
      const staleText = await readFile(path, "utf8").catch(() => undefined);
      const holder = parseHolder(staleText);
      if (!(await isStale(path, holder))) {
        throw lockedError(path, holder);
      }
      // A killed run's lock: take it over, once. Several runs may find it stale at the same
      // moment: only the one holding the takeover guard may replace it, and only while it still
      // is the lock judged stale (a lock moved aside and put back would leave a moment with no
      // lock, in which a third run could take it too).
      tookOverFrom = holder && holderOf(holder);
      if (!(await takeOver(path, temp, staleText))) {
        throw lockedError(path, await readHolder(path));
      }
    }
  } finally {
    await rm(temp, { force: true });
  }
  held.set(path, mine.token);
  const lock: Lock = {
    path,
    async release() {
      held.delete(path);
      const current = await readHolder(path);
      if (current?.token === mine.token) {
        await unlink(path).catch(() => undefined);
      }
    },
  };
  if (tookOverFrom) {
    lock.tookOverFrom = tookOverFrom;
  }
  return lock;
}

/**
 * Runs `work` holding the lock of `stateDir`, and releases it however `work` ends.
 *
 * @example
 * await withLock("insights/.posthog-insights", "pull", async () => pullInto(dir));
 */
export async function withLock<T>(stateDir: string, command: string, work: (lock: Lock) => Promise<T>): Promise<T> {
  const lock = await acquireLock(stateDir, command);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

/**
 * Releases, synchronously, every lock this process holds: for an interrupt handler, which
 * cannot wait for promises.
 *
 * @example
 * process.once("SIGINT", () => { releaseHeldLocksSync(); process.exit(130); });
 */
export function releaseHeldLocksSync(): void {
  for (const [path, token] of held) {
    try {
      const current = JSON.parse(readFileSync(path, "utf8")) as { token?: unknown };
      if (current.token === token) {
        unlinkSync(path);
      }
    } catch {
      // gone already, or not ours any more
    }
  }
  held.clear();
}

/** Links `temp` to `path`; false when `path` exists. */
async function linkNew(temp: string, path: string): Promise<boolean> {
  try {
    await link(temp, path);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "EEXIST") {
      return false;
    }
    throw err;
  }
}

/**
 * Replaces the stale lock at `path` (still holding `staleText`) with `temp`, holding the takeover
 * guard (`<lock>.takeover`, made exclusively) while it does; false when another run holds the
 * guard or took the lock over first. A guard left by a run killed mid-takeover is stale after
 * `UNREADABLE_STALE_MS`.
 */
async function takeOver(path: string, temp: string, staleText: string | undefined): Promise<boolean> {
  const guard = `${path}.takeover`;
  if (!(await linkNew(temp, guard))) {
    const info = await stat(guard).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs < UNREADABLE_STALE_MS) {
      return false;
    }
    await rm(guard, { force: true });
    if (!(await linkNew(temp, guard))) {
      return false;
    }
  }
  try {
    const now = await readFile(path, "utf8").catch(() => undefined);
    if (now !== undefined && now !== staleText) {
      return false;
    }
    if (now !== undefined) {
      await unlink(path).catch(() => undefined);
    }
    return await linkNew(temp, path);
  } finally {
    await rm(guard, { force: true });
  }
}

function holderOf(file: LockFile): LockHolder {
  return { pid: file.pid, host: file.host, command: file.command, started_at: file.started_at };
}

async function readHolder(path: string): Promise<LockFile | undefined> {
  return parseHolder(await readFile(path, "utf8").catch(() => undefined));
}

function parseHolder(text: string | undefined): LockFile | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    const holder = parsed as Partial<LockFile>;
    if (
      typeof holder.pid === "number" &&
      typeof holder.host === "string" &&
      typeof holder.command === "string" &&
      typeof holder.started_at === "string"
    ) {
      return { token: "", ...holder } as LockFile;
    }
  } catch {
    // unreadable: judged by its age below
  }
  return undefined;
}

/** A lock is stale when its holder ran on this host and its process is gone. */
async function isStale(path: string, holder: LockFile | undefined): Promise<boolean> {
  if (!holder) {
    const info = await stat(path).catch(() => undefined);
    return info === undefined || Date.now() - info.mtimeMs > UNREADABLE_STALE_MS;
  }
  if (holder.host !== hostname()) {
    return false;
  }
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists (another user's): not stale.
    return (err as { code?: string }).code === "ESRCH";
  }
}

function lockedError(path: string, holder: LockFile | undefined): LockedError {
  const who = holder
    ? `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.started_at})`
    : "another run that is starting";
  const help =
    holder && holder.host !== hostname()
      ? `wait for it to finish; if that run is dead, delete ${path}`
      : "wait for it to finish, then run again";
  return new LockedError(path, holder && holderOf(holder), `${path} is held by ${who}: ${help}.`);
}
