// `node --import ./scripts/ts-register.mjs file.ts` runs a TypeScript file of this repository.
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);
