// A build plugin that writes, beside a bundle, the licence texts of the npm packages bundled
// into it (their licences ask for the notice to travel with the code). Build tooling only.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, sep } from "node:path";

/** The package directory of a module file inside node_modules, or undefined for our own code. */
function packageDir(file: string): string | undefined {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) {
    return undefined;
  }
  const rest = file.slice(at + marker.length).split(sep);
  const depth = rest[0]?.startsWith("@") ? 2 : 1;
  return file.slice(0, at + marker.length) + rest.slice(0, depth).join(sep);
}

interface BundleChunk {
  type: "chunk" | "asset";
  moduleIds?: string[];
}

/**
 * The plugin: `fileName` (beside the bundle) lists each bundled package with its licence text.
 *
 * @example
 * plugins: [bundledLicenses("cli.licenses.md")]
 */
export function bundledLicenses(fileName: string) {
  return {
    name: "bundled-licenses",
    generateBundle(
      this: { emitFile(file: { type: "asset"; fileName: string; source: string }): void },
      _options: unknown,
      bundle: Record<string, BundleChunk>,
    ): void {
      const dirs = new Set<string>();
      for (const chunk of Object.values(bundle)) {
        for (const id of chunk.moduleIds ?? []) {
          const dir = packageDir(id.replace(/^\0/, ""));
          if (dir && existsSync(join(dir, "package.json"))) {
            dirs.add(dir);
          }
        }
      }
      const sections = [...dirs].sort().map((dir) => {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
          name: string;
          version: string;
          license?: string;
        };
        const file = readdirSync(dir).find((name) => /^(licen[sc]e|copying)(\.|$)/i.test(name));
        const text = file
          ? readFileSync(join(dir, file), "utf8").trim()
          : `(${pkg.license ?? "no licence"}; no licence file shipped)`;
        return `## ${pkg.name}@${pkg.version} (${pkg.license ?? "unknown"})\n\n\`\`\`\n${text}\n\`\`\``;
      });
      const head =
        "# Packages bundled into the posthog-insights command\n\n" +
        "The `posthog-insights` bin (dist/cli.js) bundles these packages; their licences follow.\n";
      this.emitFile({ type: "asset", fileName, source: `${head}\n${sections.join("\n\n")}\n` });
    },
  };
}
