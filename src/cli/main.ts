#!/usr/bin/env node
// The `posthog-insights` bin: runs the CLI on the real process. Everything else is in run.ts.
import { processIo } from "./io.js";
import { run } from "./run.js";

process.exitCode = await run(process.argv.slice(2), processIo());
