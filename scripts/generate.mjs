// `npm run generate`: the only writer of generated/.
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { buildGenerated, OUTPUT_KEYS, outputs } from "./spec-build.mjs";

const built = await buildGenerated();
await mkdir(fileURLToPath(new URL("../generated", import.meta.url)), { recursive: true });
for (const key of OUTPUT_KEYS) {
  await writeFile(fileURLToPath(new URL(`../${outputs[key]}`, import.meta.url)), built[key]);
  console.log(`wrote ${outputs[key]} (${built[key].length} bytes)`);
}
