// The packed package, as users get it: `npm pack`, unpacked into throw-away consumer
// projects (its one dependency linked from this workspace), then used from ESM, CommonJS and
// strict TypeScript under two module resolutions, and on every supported runtime (Node 20,
// 22 and 24, Bun, Deno) against a loopback server that plays a small part of PostHog.
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { usePrism } from "../support/prism-ready.js";
import { MINI_EXPECTED, MINI_EXPECTED_REQUESTS, miniConsumerBody, startMiniPostHog } from "../support/mini-posthog.js";
import { RUNTIMES, type Runtime, runtimeBinary, unsupportedPlatform } from "../support/runtimes.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const tsc = join(root, "node_modules/typescript/bin/tsc");
let work: string;
let unpacked: string;
const unsupported = unsupportedPlatform();
// Each runtime's binary, or why it could not be had; settled one by one so that a failed
// download fails that runtime's tests and no others.
let binaries: Map<Runtime, PromiseSettledResult<string>>;

async function pack(): Promise<void> {
  if (!existsSync(join(root, "dist/index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does).");
  }
  work = mkdtempSync(join(tmpdir(), "posthog-insights-pack-"));
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: root });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  unpacked = join(work, "unpacked");
  mkdirSync(unpacked);
  execFileSync("tar", ["-xzf", join(work, filename), "-C", unpacked]);
}

async function fetchRuntimes(): Promise<void> {
  const wanted = unsupported ? [] : RUNTIMES;
  const settled = await Promise.allSettled(wanted.map((runtime) => runtimeBinary(runtime)));
  binaries = new Map(wanted.map((runtime, i) => [runtime, settled[i] as PromiseSettledResult<string>]));
}

// Cached runtimes make the fetch instant; a first run downloads them (minutes, once).
beforeAll(() => Promise.all([pack(), fetchRuntimes()]).then(() => undefined), 900_000);

afterAll(() => {
  if (work) {
    rmSync(work, { recursive: true, force: true });
  }
});

/** A consumer project with the packed package installed in its node_modules. */
function consumer(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  cpSync(join(unpacked, "package"), join(dir, "node_modules/posthog-insights"), { recursive: true });
  for (const dep of ["openapi-fetch", "openapi-typescript-helpers"]) {
    symlinkSync(join(root, "node_modules", dep), join(dir, "node_modules", dep), "dir");
  }
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const script = (importLine: string) => `${importLine}
const fake = createFakePostHog();
const made = await fake.client().insights.create({ name: "From the testing entry" });
const posthog = new PostHogClient({ apiKey: "phx_packed", host: process.env.PRISM_URL, projectId: 12345 });
const page = await posthog.insights.list({ limit: 10 });
const insight = await posthog.insights.retrieve(page.results[0].id);
let failed;
try { new PostHogClient({ apiKey: "phx_x", host: "http://example.com" }); } catch (e) { failed = e instanceof PostHogConfigError; }
let notFound;
try { await fake.client().insights.retrieve(999); } catch (e) { notFound = e instanceof PostHogError; }
console.log(JSON.stringify({ count: page.count, id: insight.id, configError: failed, fake: [made.id, fake.insights.length, notFound] }));
`;

describe("the packed package", () => {
  it("contains dist and package.json only, with no source or tests", () => {
    const listing = execFileSync("tar", [
      "-tzf",
      join(
        work,
        execFileSync("ls", [work])
          .toString()
          .split("\n")
          .find((f) => f.endsWith(".tgz")) ?? "",
      ),
    ])
      .toString()
      .trim()
      .split("\n")
      .sort();
    expect(listing).toEqual(
      expect.arrayContaining([
        "package/package.json",
        "package/dist/index.js",
        "package/dist/index.cjs",
        "package/dist/index.d.ts",
        "package/dist/index.d.cts",
        // Each kind of file's JSON Schema, which the files' first line points editors at.
        "package/generated/insight-file.schema.json",
        "package/generated/dashboard-file.schema.json",
        "package/generated/action-file.schema.json",
        "package/generated/cohort-file.schema.json",
      ]),
    );
    expect(
      listing.filter(
        (f) =>
          !/^package\/(dist\/|generated\/(insight|dashboard|action|cohort)-file\.schema\.json$|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(
            f,
          ),
      ),
    ).toEqual([]);
  });

  const consumerTs = `import { PostHogClient, NotFoundError, type Insight, type InsightCreate, type TrendsQuery } from "posthog-insights";
import { createFakePostHog } from "posthog-insights/testing";

const posthog = new PostHogClient({ apiKey: "phx_x", host: "eu", projectId: 1 });
const query: TrendsQuery = { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview", math: "dau" }], interval: "week" };
const body: InsightCreate = { name: "Weekly active", query: { kind: "InsightVizNode", source: query } };
export async function main(): Promise<number> {
  const created: Insight = await posthog.insights.create(body);
  const csv: string = await posthog.insights.retrieve(created.id, { format: "csv" });
  for await (const insight of posthog.insights.list({ limit: 100 })) void insight.short_id;
  const fromFake: Insight = await createFakePostHog({ projectId: 3 }).client().insights.create(body);
  void fromFake.short_id;
  try { await posthog.insights.retrieve(1); } catch (e) { if (e instanceof NotFoundError) return e.status; }
  // @ts-expect-error "weekly" is not an interval
  const bad: TrendsQuery = { kind: "TrendsQuery", series: [], interval: "weekly" };
  void bad;
  return csv.length;
}
`;

  // One compiler run proves both halves: the consumer compiles, and the bad interval is refused (an expect-error
  // directive with no error under it is itself error TS2578). Default libs are skipped, the package's .d.ts are not.
  // Type resolution under bundler and CommonJS is checked by attw (npm run lint:pkg); one compiler run costs 10-40 s.
  it.each([["node16", { module: "node16", moduleResolution: "node16" }, '{"type":"module"}']])(
    "type-checks strictly for a TypeScript consumer under %s resolution",
    async (name, resolution, pkg) => {
      const strict = JSON.parse(readFileSync(join(root, "scripts/strict-consumer.tsconfig.json"), "utf8")) as {
        compilerOptions: object;
      };
      const tsconfig = {
        compilerOptions: { ...strict.compilerOptions, ...resolution, skipLibCheck: false, skipDefaultLibCheck: true },
        files: ["main.ts"],
      };
      const dir = consumer(`ts-${name}`, {
        "package.json": pkg,
        "tsconfig.json": JSON.stringify(tsconfig),
        "main.ts": consumerTs,
      });
      const result = await run(process.execPath, [tsc, "-p", "."], { cwd: dir }).then(
        () => "compiled",
        (e: { stdout: string }) => e.stdout,
      );
      expect(result).toBe("compiled");
    },
    120_000,
  );
});

describe.concurrent("the packed package on every supported runtime, against a loopback PostHog", () => {
  let dir: string;
  beforeAll(() => {
    const cjs = miniConsumerBody('const { PostHogClient, NotFoundError } = require("posthog-insights");');
    dir = consumer("runtimes", {
      "package.json": '{"type":"module","dependencies":{"posthog-insights":"*"}}',
      "main.mjs": miniConsumerBody('import { PostHogClient, NotFoundError } from "posthog-insights";'),
      "main.cjs": `(async () => {\n${cjs}\n})().catch((e) => { console.error(e); process.exit(1); });`,
    });
  });

  /** The command line that runs `file` on a runtime, with no network but loopback and no prompts. */
  function commandLine(runtime: Runtime, binary: string, file: string): string[] {
    if (runtime.kind === "deno") {
      return [binary, "run", "--allow-net=127.0.0.1", "--allow-env", "--allow-read", file];
    }
    if (runtime.kind === "bun") {
      return [binary, "--no-install", file];
    }
    return [binary, file];
  }

  const cases = RUNTIMES.flatMap((runtime) => {
    const esm = { runtime, file: "main.mjs", format: "ESM" };
    return runtime.kind === "node" ? [esm, { runtime, file: "main.cjs", format: "CommonJS" }] : [esm];
  });

  it.for(cases)(
    "creates, retrieves, lists two pages, maps a 404 and retries a 429 on $runtime.name from $format",
    { timeout: 90_000 },
    async ({ runtime, file }, { skip }) => {
      if (unsupported) {
        skip(`${runtime.name} not tested: ${unsupported}`);
      }
      const fetched = binaries.get(runtime);
      if (fetched?.status !== "fulfilled") {
        throw fetched?.reason ?? new Error(`${runtime.name} was not fetched`);
      }
      const server = await startMiniPostHog();
      try {
        const [command = "", ...args] = commandLine(runtime, fetched.value, file);
        const { stdout } = await run(command, args, {
          cwd: dir,
          env: {
            ...process.env,
            POSTHOG_HOST: server.origin,
            DENO_DIR: join(work, "deno-dir"),
            DENO_NO_UPDATE_CHECK: "1",
            NO_COLOR: "1",
          },
          timeout: 60_000,
        });
        expect(JSON.parse(stdout)).toEqual(MINI_EXPECTED);
        expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(MINI_EXPECTED_REQUESTS);
      } finally {
        await server.close();
      }
    },
  );
});

// Last, so the checks above run while Prism starts in the background.
describe("the packed package against Prism", () => {
  usePrism();

  it("works from an ESM import, against Prism, and the process exits by itself", async () => {
    const dir = consumer("esm", {
      "package.json": '{"type":"module"}',
      "main.mjs": script(
        'import { PostHogClient, PostHogConfigError, PostHogError } from "posthog-insights";\n' +
          'import { createFakePostHog } from "posthog-insights/testing";',
      ),
    });
    const { stdout } = await run(process.execPath, ["main.mjs"], {
      cwd: dir,
      env: { ...process.env, PRISM_URL: inject("prismUrl") },
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual({ count: 1, id: 7, configError: true, fake: [1, 1, true] });
  }, 60_000);

  it("works from a CommonJS require", async () => {
    const body = script(
      'const { PostHogClient, PostHogConfigError, PostHogError } = require("posthog-insights");\n' +
        'const { createFakePostHog } = require("posthog-insights/testing");',
    );
    const dir = consumer("cjs", {
      "package.json": '{"type":"commonjs"}',
      "main.cjs": `(async () => {\n${body}\n})().catch((e) => { console.error(e); process.exit(1); });`,
    });
    const { stdout } = await run(process.execPath, ["main.cjs"], {
      cwd: dir,
      env: { ...process.env, PRISM_URL: inject("prismUrl") },
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual({ count: 1, id: 7, configError: true, fake: [1, 1, true] });
  }, 60_000);
});
