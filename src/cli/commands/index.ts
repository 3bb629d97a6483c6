// The CLI's commands, one file each; add a command by adding its module here.
import type { CommandModule } from "../program.js";

/** Every command of the program, in help order. */
export const COMMANDS: CommandModule[] = [];
