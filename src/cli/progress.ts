// Progress of long work on stderr: done/total, the current item, and an estimate of the time
// left that counts the rate-limit windows. A bar on a terminal; plain lines otherwise. Never
// writes to stdout (results only go there).
import { SingleBar } from "cli-progress";
import type { Sink } from "./io.js";
import type { Window } from "./rate-limit.js";

/**
 * What long work reports. `waiting` comes from the client's `rateLimit.onWait`.
 *
 * @example
 * progress.start("push", 3); progress.item("daily-signups"); progress.done("daily-signups"); progress.stop();
 */
export interface Progress {
  /** A new phase with `total` items (requests, roughly one each). */
  start(label: string, total: number): void;
  /** The item being worked on now. */
  item(name: string): void;
  /** One item finished. */
  done(name?: string): void;
  /** The client waits `waitMs` before the next request, for the rate limit. */
  waiting(waitMs: number): void;
  /** The phase is over: prints its last line. */
  stop(): void;
}

/** A progress that shows nothing (`--quiet`, or nothing long to do). */
export const SILENT: Progress = {
  start() {},
  item() {},
  done() {},
  waiting() {},
  stop() {},
};

/** Where and how a progress draws. */
export interface ProgressOptions {
  /** Plain lines go here. */
  sink: Sink;
  /** A terminal to draw a bar on; absent -> plain lines. */
  terminal?: NodeJS.WriteStream | undefined;
  /** The pacing windows (false: off), for the time-left estimate. */
  windows: Window[] | false;
  /** The clock (tests pass their own). */
  now?: () => number;
}

/**
 * Estimates the time left for `remaining` requests: the larger of the pace seen so far and
 * the earliest a set of sliding windows allows, given when the last requests were sent.
 *
 * @example
 * const windows = [{ requests: 240, windowMs: 60_000 }];
 * estimateMs({ remaining: 300, sent: [], elapsedMs: 0, done: 0, windows, now: 0 }); // 60000
 */
export function estimateMs(input: {
  remaining: number;
  done: number;
  elapsedMs: number;
  sent: number[];
  windows: Window[] | false;
  now: number;
}): number {
  const { remaining, done, elapsedMs, sent, windows, now } = input;
  if (remaining <= 0) {
    return 0;
  }
  const observed = done > 0 ? (elapsedMs / done) * remaining : 0;
  let floor = 0;
  for (const window of windows || []) {
    const recent = sent.filter((at) => at > now - window.windowMs);
    const free = Math.max(0, window.requests - recent.length);
    if (remaining > free) {
      // The first request past the room waits for the oldest recent one to leave the window;
      // every further `requests` waits one more whole window.
      const oldest = recent[0] ?? now;
      const first = Math.max(0, oldest + window.windowMs - now);
      const more = Math.floor((remaining - free - 1) / window.requests) * window.windowMs;
      floor = Math.max(floor, first + more);
    }
  }
  return Math.max(observed, floor);
}

/**
 * Formats a duration for people: `45s`, `3m 05s`, `1h 02m`.
 *
 * @example
 * formatDuration(185_000); // "3m 05s"
 */
export function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  }
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

const PLAIN_EVERY_MS = 1_000;

/**
 * A progress reporter: a cli-progress bar on a terminal, else plain lines (at most one a
 * second, plus every rate-limit wait and the last line).
 *
 * @example
 * const progress = createProgress({ sink: process.stderr, windows: POSTHOG_WINDOWS.insights });
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const windows = options.windows;
  let label = "";
  let total = 0;
  let done = 0;
  let current = "";
  let startedAt = now();
  let lastLineAt = Number.NEGATIVE_INFINITY;
  let waitUntil = 0;
  let sent: number[] = [];
  let bar: SingleBar | undefined;

  const status = (): string => {
    const at = now();
    const eta = estimateMs({ remaining: total - done, done, elapsedMs: at - startedAt, sent, windows, now: at });
    const waitingFor = waitUntil > at ? `, waiting ${formatDuration(waitUntil - at)} for the rate limit` : "";
    const item = current ? ` ${current}` : "";
    return `${label} ${done}/${total}${item} (about ${formatDuration(eta)} left${waitingFor})`;
  };
  const line = (force: boolean): void => {
    if (bar) {
      bar.update(done, { status: status() });
      return;
    }
    const at = now();
    if (force || at - lastLineAt >= PLAIN_EVERY_MS) {
      lastLineAt = at;
      options.sink.write(`${status()}\n`);
    }
  };

  return {
    start(newLabel, newTotal) {
      label = newLabel;
      total = newTotal;
      done = 0;
      current = "";
      startedAt = now();
      sent = [];
      if (options.terminal) {
        bar = new SingleBar({
          stream: options.terminal,
          format: "{bar} {status}",
          barsize: 20,
          hideCursor: true,
          clearOnComplete: false,
        });
        bar.start(Math.max(total, 1), 0, { status: status() });
      } else {
        line(true);
      }
    },
    item(name) {
      current = name;
      sent.push(now());
      const horizon = Math.max(0, ...(windows || []).map((window) => window.windowMs));
      const cutoff = now() - horizon;
      while (sent.length > 0 && (sent[0] ?? 0) <= cutoff) {
        sent.shift();
      }
      line(false);
    },
    done(name) {
      done += 1;
      if (name !== undefined) {
        current = name;
      }
      line(done === total);
    },
    waiting(waitMs) {
      waitUntil = now() + waitMs;
      line(true);
    },
    stop() {
      if (bar) {
        bar.update(done, { status: status() });
        bar.stop();
        bar = undefined;
      } else if (lastLineAt !== Number.NEGATIVE_INFINITY && done !== total) {
        line(true);
      }
    },
  };
}
