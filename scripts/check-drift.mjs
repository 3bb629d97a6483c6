// Fails when generated/ differs from what `npm run generate` would write now, or when
// test/types/doc-examples.generated.ts differs from what `npm run docs:examples` would write.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { checkDocExamples } from "./doc-examples.mjs";
import { buildGenerated, OUTPUT_KEYS, outputs } from "./spec-build.mjs";

const built = await buildGenerated();
let stale = 0;
for (const key of OUTPUT_KEYS) {
  const path = fileURLToPath(new URL(`../${outputs[key]}`, import.meta.url));
  const committed = await readFile(path, "utf8").catch(() => null);
  if (committed !== built[key]) {
    stale++;
    console.error(
      `${outputs[key]} is ${committed === null ? "missing" : "stale"}: run \`npm run generate\` and commit it.`,
    );
  }
}
if (!stale) {
  console.log("generated/ is up to date with openapi/.");
}
if (!(await checkDocExamples())) {
  stale++;
}
if (stale) {
  process.exit(1);
}
