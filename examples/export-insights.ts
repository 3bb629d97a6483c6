// Export every insight of a project to a JSON file, page by page, in flat memory.
//   POSTHOG_PERSONAL_API_KEY=phx_... POSTHOG_PROJECT_ID=12345 \
//     node --import ./scripts/ts-register.mjs examples/export-insights.ts insights.json
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { PostHogClient } from "posthog-insights";

/** Streams every insight into `path` as a JSON array; resolves to how many were written. */
export async function exportInsights(posthog: PostHogClient, path: string): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) {
      await once(out, "drain");
    }
  };
  try {
    await write("[\n");
    // `basic: false` keeps the full insight (query, result fields); `refresh` stays the
    // default force_cache so the export never triggers calculations.
    for await (const insight of posthog.insights.list({ limit: 100, order: "id" })) {
      await write(`${count ? ",\n" : ""}${JSON.stringify(insight)}`);
      count++;
    }
    await write("\n]\n");
  } finally {
    out.end();
    await once(out, "close");
  }
  return count;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2] ?? "insights.json";
  const count = await exportInsights(new PostHogClient(), path);
  console.log(`Exported ${count} insight(s) to ${path}`);
}
