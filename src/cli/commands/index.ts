// The CLI's commands, one file each; add a command by adding its module here.
import { exportCommand } from "./export.js";
import { get } from "./get.js";
import { list } from "./list.js";
import type { CommandModule } from "../program.js";
import { show } from "./show.js";

/** Every command of the program, in help order. */
export const COMMANDS: CommandModule[] = [list, get, show, exportCommand];
