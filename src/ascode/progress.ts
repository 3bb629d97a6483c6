// What the engine reports of long work: the callbacks the CLI's progress reporter fits. No output.

/** Progress callbacks (the CLI's progress reporter fits). */
export interface EngineProgress {
  start(label: string, total: number): void;
  item(name: string): void;
  done(name?: string): void;
  stop(): void;
}

/** Progress that reports nothing. */
export const QUIET: EngineProgress = { start() {}, item() {}, done() {}, stop() {} };
