#!/usr/bin/env node
// The `posthog-insights` bin: runs the CLI on the real process, and says so when interrupted
// (releasing the directory's lock on the way out). Everything else is in run.ts.
import { releaseHeldLocksSync } from "../ascode/lock.js";
import { processIo } from "./io.js";
import { run } from "./run.js";

for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.once(signal, () => {
    releaseHeldLocksSync();
    process.stderr.write(
      `\nInterrupted (${signal}): nothing is left half-written, and what was done is recorded; ` +
        "run the same command again to resume.\n",
    );
    process.exit(code);
  });
}

process.exitCode = await run(process.argv.slice(2), processIo());
