// What a command runs with: the global flags, output channels (stdout for results, stderr
// for the rest), clients built from the connection rules, and progress. No command logic.
import { relative, resolve } from "node:path";
import { PostHogClient } from "../client.js";
import { resolveConfig } from "../config.js";
import type { CliIo } from "./io.js";
import { resolveConnection, type ConnectOptions, type Target } from "./connection.js";
import { PacingFile, pacingFilePath } from "./pacing-file.js";
import { createProgress, SILENT, type Progress } from "./progress.js";
import { parseRateLimit, type PacingWindows } from "./rate-limit.js";

/** The global flags, as commander parses them. */
export interface GlobalOptions {
  host?: string;
  project?: string;
  rateLimit?: string;
  json?: boolean;
  quiet?: boolean;
  /** `--no-progress` sets it false. */
  progress?: boolean;
}

/** The key variable of the source project, and of a copy's destination. */
export const KEY_VARIABLE = "POSTHOG_PERSONAL_API_KEY";
export const TO_KEY_VARIABLE = "POSTHOG_TO_PERSONAL_API_KEY";

/**
 * The context of one command run.
 *
 * @example
 * const posthog = context.client();
 * context.out(JSON.stringify(await posthog.insights.retrieve(7)));
 */
export class CliContext {
  readonly io: CliIo;
  readonly globals: GlobalOptions;
  readonly pacing: PacingWindows | false;
  /** Keys in use, blanked out of every error line. */
  readonly secrets: string[] = [];
  #progress: Progress = SILENT;
  /** The run's pacers, carried over from earlier runs and written back by `end()`. */
  readonly #pacingFile: PacingFile;

  constructor(io: CliIo, globals: GlobalOptions) {
    this.io = io;
    this.globals = globals;
    this.pacing = parseRateLimit(globals.rateLimit);
    this.#pacingFile = new PacingFile(pacingFilePath(io.env));
  }

  /** The run is over: its request times go to the pacing file for the next run on the same key. */
  end(): void {
    this.#pacingFile.save();
  }

  /** Writes a result to stdout. */
  out(text: string): void {
    this.io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** Writes a message to stderr, unless `--quiet`. */
  info(text: string): void {
    if (!this.globals.quiet) {
      this.io.stderr.write(`${text}\n`);
    }
  }

  /** Writes a warning to stderr, unless `--quiet`. */
  warn(text: string): void {
    this.info(`warning: ${text}`);
  }

  /** A path as messages show it: relative to the working directory when inside it. */
  show(path: string): string {
    const shown = relative(this.io.cwd, path);
    if (shown === "") {
      return ".";
    }
    return shown.startsWith("..") ? path : shown;
  }

  /** A directory argument, resolved against the working directory. */
  dir(argument: unknown): string {
    return resolve(this.io.cwd, String(argument ?? "insights"));
  }

  /** Error lines on stderr (never silenced by --quiet). */
  error(lines: string[]): void {
    for (const line of lines) {
      this.io.stderr.write(`${line}\n`);
    }
  }

  /** Whether stdout should be machine-readable. */
  get json(): boolean {
    return this.globals.json === true;
  }

  /**
   * A client for the source target (the global flags), or another target (`copy`'s destination).
   * Pacing reports its waits to the current progress. `watch` sees every response (`copy` tells
   * which host refused a key by it).
   */
  client(
    target: Target = { keyVariables: [KEY_VARIABLE], host: this.globals.host, project: this.globals.project },
    watch?: (response: Response) => void,
  ): PostHogClient {
    const { options, warning } = resolveConnection(target, this.io.env);
    if (warning) {
      this.warn(warning);
    }
    if (options.apiKey) {
      this.secrets.push(options.apiKey);
    }
    const rateLimit = this.pacing && {
      windows: this.pacing,
      onWait: (waitMs: number) => this.#progress.waiting(waitMs),
    };
    const fetch = this.io.fetch ?? globalThis.fetch;
    const watched: ConnectOptions["fetch"] = watch
      ? async (input, init) => {
          const response = await fetch(input, init);
          watch(response);
          return response;
        }
      : this.io.fetch;
    const paced: ConnectOptions = { ...options, fetch: watched, rateLimit };
    if (rateLimit) {
      // One pacer per host and key for the whole run (a copy within one host shares it), seeded
      // with the times of earlier runs. Bad options are left for the client to report.
      const config = (() => {
        try {
          return resolveConfig(paced);
        } catch {
          return undefined;
        }
      })();
      if (config?.rateLimit) {
        paced.pacer = this.#pacingFile.pacerFor(config.origin, config.apiKey, config.rateLimit);
      }
    }
    return new PostHogClient(paced);
  }

  /**
   * The progress of long work: silent with `--quiet`; a bar on a terminal; plain lines when
   * stderr is not a terminal, `CI` is set or `--no-progress`.
   */
  progress(): Progress {
    if (this.globals.quiet) {
      this.#progress = SILENT;
      return this.#progress;
    }
    const plain = this.globals.progress === false || Boolean(this.io.env.CI);
    this.#progress = createProgress({
      sink: this.io.stderr,
      terminal: plain ? undefined : this.io.terminal,
      windows: this.pacing === false ? false : this.pacing.insights,
    });
    return this.#progress;
  }
}
