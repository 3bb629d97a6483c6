// What a command module is: how it adds itself to the program, and how its work is wrapped.
// Types only, so that commands/ and program.ts both depend on this file and not on each other.
import type { Command } from "commander";
import type { CliContext } from "./context.js";

/**
 * Wraps a command's work: builds its context from the global flags, runs it, and records its
 * exit code.
 *
 * @example
 * program.command("hello").action(act(async (context) => { context.out("hello"); return 0; }));
 */
export type Act = (
  work: (context: CliContext, command: Command) => Promise<number>,
) => (...args: unknown[]) => Promise<void>;

/**
 * A command: adds itself (name, arguments, options, help, action) to the program.
 *
 * @example
 * export const hello: CommandModule = {
 *   register: (program, act) => {
 *     program.command("hello").action(act(async (c) => c.out("hi")));
 *   },
 * };
 */
export interface CommandModule {
  register(program: Command, act: Act): void;
}
