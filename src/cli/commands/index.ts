// The CLI's commands, one file each; add a command by adding its module here.
import type { CommandModule } from "../command.js";
import { copy } from "./copy.js";
import { exportCommand } from "./export.js";
import { get } from "./get.js";
import { list } from "./list.js";
import { plan } from "./plan.js";
import { pull } from "./pull.js";
import { push } from "./push.js";
import { show } from "./show.js";
import { validate } from "./validate.js";

/** Every command of the program, in help order. */
export const COMMANDS: CommandModule[] = [list, get, show, exportCommand, pull, plan, push, copy, validate];
