/**
 * Proves the packages work as published, the way a user gets them from npm: builds them, packs each
 * with `pnpm pack` into a temporary folder outside the repository, installs the tarballs with npm into
 * a scratch project there, and checks from that project, with plain Node (no tsx, no source condition):
 *
 * - each tarball ships only `dist/` (+ README, LICENSE), no stale build output, no `workspace:` or
 *   `catalog:` specifiers, and every `exports`/`types`/`bin` target exists;
 * - every `exports` entry imports, and the `comfy-ts` bin answers `--help`;
 * - `comfy-ts serve` starts and answers `/system_stats`; `comfy-ts codegen --url` writes factories from
 *   it and `comfy-ts run` runs a TypeScript pipeline using them on it;
 * - a consumer file using every public entry type-checks (`tsc`, strict, NodeNext) and, compiled, runs
 *   a pipeline on the local server, converts it to a UI workflow and back, and compares its image;
 * - with vitest added (an optional peer of `@comfy-ts/testing`), a golden test is written and then matches;
 * - a project made by `comfy-ts init --packages` (and `create-comfy-ts`) from the tarballs, followed by
 *   the commands init prints, exactly as printed: `npm install`, `npm test -- -u` writes the golden,
 *   `npm test` compares (also with `CI=true`), `npm run typecheck`, `comfy-ts run`, `npm run codegen`;
 * - `tsc --noEmit` over that project's sources and tests — with the 2,068-node generated module of
 *   `../shared/fixtures` added — is clean under TypeScript 5.9, the current 6.x and 7.x, and the native
 *   preview (`tsgo`), also with `--skipLibCheck false` for comfy-ts's declarations and generated code.
 *
 * Usage: `pnpm check:packages [--no-build] [--keep]` (`--keep` leaves the temporary folder for a look).
 * Exits 1 with every failed check listed.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { packAll, repoRoot } from "./pack-all.js";

/** Type-checked and imported by name in the consumer file. */
const CONSUMER_ENTRIES = [
  "@comfy-ts/core",
  "@comfy-ts/core/catalog",
  "@comfy-ts/core/client",
  "@comfy-ts/core/png",
  "@comfy-ts/core/python",
  "@comfy-ts/core/workflow",
  "@comfy-ts/media",
  "@comfy-ts/testing/node",
  "@comfy-ts/local-server",
  "@comfy-ts/codegen",
];

interface PackageJson {
  name: string;
  version: string;
  types?: string;
  bin?: Record<string, string>;
  files?: string[];
  engines?: Record<string, string>;
  license?: string;
  /** Absent only for a command-only package (create-comfy-ts). */
  exports?: Record<string, Record<string, string>>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface Packed {
  readonly dir: string;
  readonly manifest: PackageJson;
  readonly tarball: string;
  readonly files: ReadonlySet<string>;
}

const { values: flags } = parseArgs({
  options: { "no-build": { type: "boolean" }, keep: { type: "boolean" } },
  strict: true,
});

const failures: string[] = [];
const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string) => {
  failures.push(message);
  out(`  ✗ ${message}`);
};
const ok = (message: string) => out(`  ✓ ${message}`);

/** Environment for commands in the scratch project: nothing of the repository's tooling leaks in. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
  for (const key of ["NODE_OPTIONS", "COMFYUI_URL", "VITEST", "TSX_TSCONFIG_PATH", "npm_config_user_agent"]) {
    delete env[key];
  }
  // pnpm's script context (package, lifecycle, its own paths) goes; npm_config_* (registry, proxy) stays.
  for (const key of Object.keys(env)) {
    if (/^(npm_package_|npm_lifecycle_|npm_execpath|npm_node_execpath|PNPM_)/.test(key)) delete env[key];
  }
  return env;
}

interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env = cleanEnv()): RunResult {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command that must succeed; a failure stops the check (later steps depend on it). */
function must(what: string, command: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const result = run(command, args, cwd, env);
  if (result.status !== 0) {
    throw new Error(
      `${what} failed (${command} ${args.join(" ")}, exit ${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result;
}

async function step<T>(name: string, body: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  out(`\n${name}`);
  const value = await body();
  out(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return value;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path, base) : [relative(base, path).split(sep).join("/")];
  });
}

/** Specifiers that only mean something inside this workspace. */
function checkSpecifiers(packed: Packed) {
  const { manifest } = packed;
  for (const field of ["dependencies", "peerDependencies"] as const) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog|link|file):/.test(range)) {
        fail(`${manifest.name}: ${field}.${dep} is "${range}" in the tarball (pnpm pack should rewrite it)`);
      }
    }
  }
}

/** A package that only ships a command (`bin/`), no library: create-comfy-ts. */
function commandOnly(manifest: PackageJson): boolean {
  return manifest.exports === undefined && manifest.bin !== undefined;
}

function checkManifest(packed: Packed) {
  const { manifest, files } = packed;
  const name = manifest.name;
  if (!manifest.engines?.node) fail(`${name}: no engines.node`);
  if (!manifest.license) fail(`${name}: no license`);
  // `bin/` holds the command's committed shim (it loads dist/bin.js); nothing else ships besides dist.
  const expectedFiles = commandOnly(manifest) ? ["bin"] : manifest.bin ? ["dist", "bin"] : ["dist"];
  if (JSON.stringify(manifest.files) !== JSON.stringify(expectedFiles)) {
    fail(`${name}: "files" is ${JSON.stringify(manifest.files)}, expected ${JSON.stringify(expectedFiles)}`);
  }
  const targets: [string, string][] = [];
  if (manifest.types) targets.push(["types", manifest.types]);
  else if (!commandOnly(manifest)) fail(`${name}: no "types" field`);
  for (const [key, conditions] of Object.entries(manifest.exports ?? {})) {
    for (const [condition, target] of Object.entries(conditions)) {
      // The source condition is only set by this repository's own tooling (tsconfig, vitest, tsx).
      if (condition === "@comfy-ts/source") continue;
      targets.push([`exports["${key}"].${condition}`, target]);
    }
    if (!conditions.types) fail(`${name}: exports["${key}"] has no "types" condition`);
    if (!conditions.default) fail(`${name}: exports["${key}"] has no "default" condition`);
  }
  for (const [bin, target] of Object.entries(manifest.bin ?? {})) {
    targets.push([`bin.${bin}`, target]);
    const text = readFileSync(join(repoRoot, "packages", packed.dir, target), "utf8");
    if (!text.startsWith("#!/usr/bin/env node\n"))
      fail(`${name}: bin ${target} does not start with a node shebang`);
  }
  for (const [what, target] of targets) {
    if (!files.has(target.replace(/^\.\//, ""))) fail(`${name}: ${what} → ${target} is not in the tarball`);
  }
}

/** Only dist/ (+ README, LICENSE, package.json), and dist/ is exactly what src/ compiles to. */
function checkFiles(packed: Packed) {
  const { manifest, files } = packed;
  const extra = [...files].filter(
    (file) =>
      !file.startsWith("dist/") &&
      !/^bin\/[\w-]+\.js$/.test(file) &&
      !/^(package\.json|README(\.md)?|LICENSE(\.md|\.txt)?)$/i.test(file),
  );
  if (extra.length > 0) fail(`${manifest.name}: ships files outside dist/: ${extra.join(", ")}`);
  if (!files.has("README.md")) fail(`${manifest.name}: no README.md (the registry page would be empty)`);
  const maps = [...files].filter((file) => file.endsWith(".map"));
  if (maps.length > 0) fail(`${manifest.name}: ships ${maps.length} source maps pointing at unshipped src/`);
  if (commandOnly(manifest)) {
    if (extra.length + maps.length === 0)
      ok(`${manifest.name}: ${files.size} files (a command: bin/, README)`);
    return;
  }
  const sources = walk(join(repoRoot, "packages", packed.dir, "src"))
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => file.slice(0, -3));
  const expected = new Set(sources.flatMap((stem) => [`dist/${stem}.js`, `dist/${stem}.d.ts`]));
  const stale = [...files].filter((file) => file.startsWith("dist/") && !expected.has(file));
  const missing = [...expected].filter((file) => !files.has(file));
  if (stale.length > 0) fail(`${manifest.name}: dist has files no source compiles to: ${stale.join(", ")}`);
  if (missing.length > 0) fail(`${manifest.name}: dist lacks the output of: ${missing.join(", ")}`);
  if (extra.length + maps.length + stale.length + missing.length === 0) {
    ok(`${manifest.name}: ${files.size} files, all dist/ output of src/ (+ package.json, README)`);
  }
}

function pack(tarballs: string): Packed[] {
  return packAll(tarballs, { build: false }).map(({ dir, tarball }) => {
    const unpacked = join(tarballs, "unpacked", dir);
    mkdirSync(unpacked, { recursive: true });
    must("tar -x", "tar", ["-xzf", tarball, "-C", unpacked], tarballs);
    const root = join(unpacked, "package");
    return {
      dir,
      manifest: readJson<PackageJson>(join(root, "package.json")),
      tarball,
      files: new Set(walk(root)),
    };
  });
}

function writeScratchProject(scratch: string, packed: readonly Packed[]) {
  mkdirSync(scratch);
  const dependencies = Object.fromEntries(packed.map((p) => [p.manifest.name, `file:${p.tarball}`]));
  writeFileSync(
    join(scratch, "package.json"),
    `${JSON.stringify({ name: "comfy-ts-consumer", private: true, type: "module", dependencies }, null, 2)}\n`,
  );
}

/** `import()` of one specifier in a fresh plain Node, from the scratch project. */
function importsUnderNode(scratch: string, specifier: string): string | undefined {
  const script = `const m = await import(${JSON.stringify(specifier)}); const n = Object.keys(m).length; if (n === 0) throw new Error("no exports"); process.stdout.write(String(n));`;
  const result = run(process.execPath, ["--input-type=module", "--eval", script], scratch);
  if (result.status !== 0) {
    fail(
      `import("${specifier}") under plain node failed:\n${result.stderr.trim().split("\n").slice(0, 8).join("\n")}`,
    );
    return undefined;
  }
  return result.stdout;
}

function checkImports(scratch: string, packed: readonly Packed[], skip: (specifier: string) => boolean) {
  for (const { manifest } of packed) {
    for (const key of Object.keys(manifest.exports ?? {})) {
      const specifier = key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`;
      if (skip(specifier)) continue;
      const count = importsUnderNode(scratch, specifier);
      if (count !== undefined) ok(`import("${specifier}"): ${count} exports`);
    }
  }
}

/** Starts `comfy-ts serve --port 0` and resolves with its URL once it prints it. */
function startServe(
  scratch: string,
): Promise<{ url: string; stop: () => Promise<{ code: number | null; output: string }> }> {
  const bin = join(scratch, "node_modules", ".bin", "comfy-ts");
  const child = spawn(bin, ["serve", "--port", "0"], { cwd: scratch, env: cleanEnv(), stdio: "pipe" });
  let output = "";
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return new Promise((done, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`comfy-ts serve printed no URL within 30 s:\n${output}`));
    }, 30_000);
    let found = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /COMFYUI_URL=(\S+)/.exec(output);
      if (found || !match) return;
      found = true;
      clearTimeout(timer);
      done({
        url: match[1]!.replace(/\/$/, ""),
        stop: async () => {
          child.kill("SIGINT");
          const code = await exited;
          return { code, output };
        },
      });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`comfy-ts serve exited (${code}) before printing its URL:\n${output}`));
    });
  });
}

/** A pipeline written against the factories codegen wrote into the scratch project. */
const PIPELINE = `import { workflow } from "@comfy-ts/core";
import { EmptyImage, ImageInvert, SaveImage } from "./generated/nodes.js";

export default workflow(({ color = 0x336699 }) => ({
  inverted: SaveImage({
    images: ImageInvert({ image: EmptyImage({ width: 32, height: 16, color }) }),
    filename_prefix: "consumer",
  }),
}));
`;

/** Every public entry, typed: tsc must accept it (strict, NodeNext) and the output must run. */
const CONSUMER = `import assert from "node:assert/strict";
import { generate } from "@comfy-ts/codegen";
import { type ApiPrompt, compile, parseCatalog, stringifyPrompt } from "@comfy-ts/core";
import { parseCatalogText, type NodeCatalog } from "@comfy-ts/core/catalog";
import { ComfyClient, type RunResult } from "@comfy-ts/core/client";
import { decodePngText, pngChunks, readPngTextChunk } from "@comfy-ts/core/png";
import { apiToUi, type UiWorkflowDocument, uiToApi } from "@comfy-ts/core/workflow";
import { type LocalServer, startLocalServer } from "@comfy-ts/local-server";
import { classifyOutput, type Comparison, compareOutputs, decodePng, resolveChoice } from "@comfy-ts/testing/node";
import { EmptyImage, ImageInvert, SolidMask } from "./generated/nodes.js";
import pipeline from "./pipeline.js";

// Type errors the published declarations must still produce.
export function wrongLinks() {
  // @ts-expect-error a MASK is not an IMAGE
  ImageInvert({ image: SolidMask({ value: 1, width: 8, height: 8 }) });
  // @ts-expect-error width is a number
  EmptyImage({ width: "wide", height: 8 });
}

const server: LocalServer = await startLocalServer();
const client = new ComfyClient({ baseUrl: server.url });
try {
  const prompt: ApiPrompt = compile(pipeline);
  const catalog = parseCatalog(await client.objectInfo());
  const ui: UiWorkflowDocument = apiToUi(prompt, catalog);
  // The editor names every node and orders inputs its own way: compare classes and inputs.
  const plain = (p: ApiPrompt) =>
    Object.fromEntries(Object.entries(p).map(([id, n]) => [id, { class_type: n.class_type, inputs: n.inputs }]));
  assert.deepStrictEqual(plain(uiToApi(ui, catalog)), plain(prompt));
  assert.equal(stringifyPrompt(compile(pipeline)), stringifyPrompt(prompt));

  const result: RunResult = await client.run(pipeline);
  const bytes = result.images[0]?.bytes;
  assert.ok(bytes, "the run returned an image");
  const image = decodePng(bytes);
  assert.deepEqual([image.width, image.height], [32, 16]);
  const classified = classifyOutput({ bytes, filename: "run.png" }, "run");
  const same: Comparison = await compareOutputs(
    { bytes, source: "run", classified },
    { bytes: new Uint8Array(bytes), source: "copy", classified },
    resolveChoice([{ comparator: "exact" }]),
  );
  assert.equal(same.kind, "identical");

  const keywords = [...pngChunks(bytes)].map((chunk) => readPngTextChunk(chunk.type, chunk.data)?.keyword);
  assert.ok(keywords.includes("prompt"), "SaveImage embeds the prompt as a PNG text chunk");
  assert.equal(decodePngText(new TextEncoder().encode("ok"), "latin1"), "ok");
  const catalogOnly: NodeCatalog = parseCatalogText(JSON.stringify(await client.objectInfo()));
  assert.equal(catalogOnly.nodes.size, catalog.nodes.size);

  const { files } = generate(catalog);
  assert.match(files.get("nodes.d.ts") ?? "", /ImageInvert/);
  process.stdout.write(\`ran \${Object.keys(prompt).length} nodes, \${ui.nodes.length} UI nodes, \${files.size} generated files\\n\`);
} finally {
  client.close();
  await server.close();
}
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2023",
    lib: ["ES2023"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    noEmitOnError: true,
  },
  files: ["consumer.ts", "pipeline.ts"],
};

/** The lines under "Next:" that `comfy-ts init` prints, without their `# …` comments. */
function printedCommands(stdout: string): string[] {
  const lines = stdout.split("\n");
  const start = lines.indexOf("Next:");
  if (start < 0) return [];
  const commands: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("  ")) break;
    commands.push(line.replace(/\s+#.*$/, "").trim());
  }
  return commands;
}

/**
 * `comfy-ts init` (the installed bin) makes a project from the tarballs; its printed commands run one
 * after the other exactly as printed (a `cd` changes the folder of the next ones). `create-comfy-ts`
 * makes the same files.
 */
function checkInitProject(work: string, scratch: string, tarballs: string, project: string) {
  const bin = (name: string) => join(scratch, "node_modules", ".bin", name);
  const init = run(bin("comfy-ts"), ["init", relative(work, project), "--packages", tarballs], work);
  if (init.status !== 0)
    throw new Error(`comfy-ts init exited ${init.status}:\n${init.stdout}${init.stderr}`);
  const commands = printedCommands(init.stdout);
  ok(`comfy-ts init my-project --packages …: ${init.stderr.trim().split("\n").at(-1)}`);
  if (!commands.includes("npm install") || !commands.includes("npm test"))
    throw new Error(`comfy-ts init printed no usable next commands:\n${init.stdout}`);
  let cwd = work;
  for (const command of commands) {
    if (command.startsWith("cd ")) {
      cwd = resolve(cwd, command.slice(3));
      continue;
    }
    const result = run("bash", ["-c", command], cwd, cleanEnv({ CI: "" }));
    const shown = `${command} (${relative(work, cwd) || "."})`;
    if (result.status !== 0) {
      fail(`${shown} exited ${result.status}:\n${result.stdout}${result.stderr}`);
      return;
    }
    ok(shown);
  }
  const golden = join(project, "test", "__goldens__", "poster.test.ts", "poster.png");
  if (existsSync(golden)) ok("npm test -- -u wrote test/__goldens__/poster.test.ts/poster.png");
  else fail(`no golden at ${golden}`);
  if (existsSync(join(project, "out", "poster_00001_.png")))
    ok("comfy-ts run src/poster.ts wrote out/poster_00001_.png");
  else fail("comfy-ts run src/poster.ts wrote no out/poster_00001_.png");
  const ci = run("npm", ["test"], project, cleanEnv({ CI: "true" }));
  if (ci.status === 0 && /1 passed/.test(ci.stdout)) ok("CI=true npm test: the golden matches");
  else fail(`CI=true npm test exited ${ci.status}:\n${ci.stdout}${ci.stderr}`);

  const created = join(work, "created");
  const create = run(
    bin("create-comfy-ts"),
    [relative(work, created), "--packages", tarballs, "--quiet"],
    work,
  );
  const same = [
    "package.json",
    "tsconfig.json",
    "vitest.config.ts",
    "src/poster.ts",
    "test/poster.test.ts",
  ].every(
    (file) =>
      existsSync(join(created, file)) &&
      (file === "package.json" ||
        readFileSync(join(created, file), "utf8") === readFileSync(join(project, file), "utf8")),
  );
  if (create.status === 0 && same && printedCommands(create.stdout).includes("npm install"))
    ok("create-comfy-ts created (the bin of `npm create comfy-ts`) writes the same project");
  else fail(`create-comfy-ts exited ${create.status}:\n${create.stdout}${create.stderr}`);
}

/** The 2,068-node catalog of ../shared/fixtures (as @comfy-ts/test-support finds it), if present. */
function bigCatalog(): string | undefined {
  const fixtures = process.env["COMFY_TS_SHARED_FIXTURES"]
    ? resolve(process.env["COMFY_TS_SHARED_FIXTURES"])
    : resolve(repoRoot, "../shared/fixtures");
  const path = join(fixtures, "object-info", "install-2024-07-2068-nodes.json");
  return existsSync(path) ? path : undefined;
}

/** A pipeline typed through the 2,068-node module (the model nodes every install has). */
const BIG_PIPELINE = `import { compile } from "@comfy-ts/core";
import { CheckpointLoaderSimple, CLIPTextEncode, EmptyLatentImage, KSampler, SaveImage, VAEDecode } from "./comfy-2068/nodes.js";

const ckpt = CheckpointLoaderSimple({ ckpt_name: "model.safetensors" });
const positive = CLIPTextEncode({ text: "a bottle on a table", clip: ckpt.CLIP });
const negative = CLIPTextEncode({ text: "", clip: ckpt.CLIP });
const latent = KSampler({ model: ckpt.MODEL, seed: 42, steps: 20, cfg: 7, sampler_name: "euler", scheduler: "normal", positive, negative, latent_image: EmptyLatentImage({}) });
export const prompt = compile({ out: SaveImage({ images: VAEDecode({ samples: latent, vae: ckpt.VAE }) }) });

// @ts-expect-error a LATENT is not a MODEL
KSampler({ model: latent, seed: 1, steps: 1, cfg: 1, sampler_name: "euler", scheduler: "normal", positive, negative, latent_image: latent });
`;

/** Where a diagnostic's file is ours: the project's own files, comfy-ts's packages, generated code. */
function ourDiagnostic(line: string): boolean {
  return !/^node_modules\//.test(line) || /^node_modules\/(@comfy-ts\/|comfy-ts\/)/.test(line);
}

/**
 * `tsc --noEmit` of the project as `npm run typecheck` runs it, and with `--skipLibCheck false` (so
 * comfy-ts's .d.ts files and the generated modules are checked too), under each TypeScript.
 */
function checkTypeScriptVersions(project: string) {
  const catalog = bigCatalog();
  if (catalog) {
    const codegen = run(
      "npx",
      ["comfy-ts", "codegen", "--input", catalog, "--out", "src/comfy-2068", "--quiet"],
      project,
    );
    if (codegen.status !== 0)
      throw new Error(`codegen of the 2,068-node catalog failed:\n${codegen.stdout}${codegen.stderr}`);
    writeFileSync(join(project, "src", "big-pipeline.ts"), BIG_PIPELINE);
    ok("src/comfy-2068: the 2,068-node module, and src/big-pipeline.ts using it");
  } else
    out(
      "  - the 2,068-node module skipped: ../shared/fixtures/object-info/install-2024-07-2068-nodes.json not found",
    );
  const compilers: [string, string[]][] = [
    ["TypeScript 5.9 (the project's)", ["tsc"]],
    ["TypeScript 6.x", ["npx", "--yes", "--package=typescript@6", "--", "tsc"]],
    ["TypeScript 7.x", ["npx", "--yes", "--package=typescript@7", "--", "tsc"]],
    [
      "tsgo (@typescript/native-preview)",
      ["npx", "--yes", "--package=@typescript/native-preview", "--", "tsgo"],
    ],
  ];
  for (const [name, command] of compilers) {
    const [program, ...args] = command[0] === "tsc" ? ["npx", "--no-install", "tsc"] : command;
    const version = run(program!, [...args, "--version"], project);
    const label = `${name}: ${version.stdout.trim() || `(version unknown: ${version.stderr.trim()})`}`;
    for (const extra of [[], ["--skipLibCheck", "false"]]) {
      const tsc = run(program!, [...args, "--noEmit", "-p", ".", ...extra], project);
      const what = `${label}, tsc --noEmit${extra.length ? " --skipLibCheck false" : ""}`;
      if (tsc.status === 0) {
        ok(what);
        continue;
      }
      const lines = `${tsc.stdout}${tsc.stderr}`.trim().split("\n");
      const ours = lines.filter((line) => /\(\d+,\d+\): error/.test(line) && ourDiagnostic(line));
      if (ours.length === 0 && extra.length > 0)
        ok(
          `${what}: clean for comfy-ts and the project (${lines.length} lines about other libraries' .d.ts)`,
        );
      else fail(`${what} exited ${tsc.status}:\n${(ours.length ? ours : lines).slice(0, 30).join("\n")}`);
    }
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), "comfy-ts-packages-"));
  if (!relative(repoRoot, work).startsWith(".."))
    throw new Error(`temporary folder ${work} is inside the repository`);
  out(`work folder: ${work}`);
  let serve: Awaited<ReturnType<typeof startServe>> | undefined;
  try {
    if (!flags["no-build"]) {
      await step("build (pnpm build)", () => {
        must("pnpm build", "pnpm", ["build"], repoRoot, { ...process.env });
        ok("every package built");
      });
    }
    const tarballs = join(work, "tarballs");
    mkdirSync(tarballs);
    const packed = await step("pack (pnpm pack) and inspect the tarballs", async () => {
      const result = await pack(tarballs);
      for (const p of result) {
        checkSpecifiers(p);
        checkManifest(p);
        checkFiles(p);
      }
      return result;
    });

    const scratch = join(work, "consumer");
    await step("npm install of the tarballs into a scratch project (no vitest)", () => {
      writeScratchProject(scratch, packed);
      must("npm install", "npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], scratch);
      const copies = run("npm", ["ls", "--all", "--parseable", "@comfy-ts/core"], scratch)
        .stdout.trim()
        .split("\n");
      if (copies.length === 1) ok("one copy of @comfy-ts/core, from its tarball");
      else fail(`@comfy-ts/core is installed ${copies.length} times:\n${copies.join("\n")}`);
      if (existsSync(join(scratch, "node_modules", "vitest")))
        fail("vitest was installed without being asked for");
      else ok("vitest not installed (optional peer of @comfy-ts/testing)");
    });

    await step("every exports entry under plain node (@comfy-ts/testing: in vitest, below)", () => {
      checkImports(scratch, packed, (specifier) => specifier === "@comfy-ts/testing");
    });

    await step("the comfy-ts bin: --help, serve, codegen --url, run", async () => {
      const bin = join(scratch, "node_modules", ".bin", "comfy-ts");
      const help = run(bin, ["--help"], scratch);
      if (help.status === 0 && help.stdout.includes("Usage: comfy-ts")) ok("comfy-ts --help");
      else fail(`comfy-ts --help exited ${help.status}:\n${help.stdout}${help.stderr}`);

      serve = await startServe(scratch);
      const response = await fetch(`${serve.url}/system_stats`);
      const stats = (await response.json()) as { system?: { comfyui_version?: string } };
      if (response.ok && stats.system?.comfyui_version) {
        ok(
          `comfy-ts serve: ${serve.url}/system_stats answers (comfyui_version ${stats.system.comfyui_version})`,
        );
      } else fail(`comfy-ts serve: /system_stats answered ${response.status} ${JSON.stringify(stats)}`);

      const codegen = run(bin, ["codegen", "--url", serve.url, "--out", "generated"], scratch);
      if (codegen.status === 0 && existsSync(join(scratch, "generated", "nodes.d.ts"))) {
        ok("comfy-ts codegen --url wrote generated/nodes.{d.ts,js}");
      } else
        throw new Error(`comfy-ts codegen failed (${codegen.status}):\n${codegen.stdout}${codegen.stderr}`);

      writeFileSync(join(scratch, "pipeline.ts"), PIPELINE);
      const ran = run(bin, ["run", "pipeline.ts", "--server", serve.url, "--out", "out-run"], scratch);
      const written = existsSync(join(scratch, "out-run")) ? walk(join(scratch, "out-run")) : [];
      if (ran.status === 0 && written.some((file) => file.endsWith(".png"))) {
        ok(`comfy-ts run pipeline.ts: wrote ${written.join(", ")}`);
      } else fail(`comfy-ts run pipeline.ts exited ${ran.status}:\n${ran.stdout}${ran.stderr}`);

      const stopped = await serve.stop();
      serve = undefined;
      if (stopped.code === 130 && stopped.output.includes("server stopped"))
        ok("comfy-ts serve stops on SIGINT (exit 130)");
      else fail(`comfy-ts serve on SIGINT exited ${stopped.code}:\n${stopped.output}`);
    });

    await step("types: tsc over a consumer of every entry, then run its output", () => {
      const typescript = readJson<PackageJson>(join(repoRoot, "node_modules", "typescript", "package.json"));
      const typesNode = readJson<PackageJson>(
        join(repoRoot, "node_modules", "@types", "node", "package.json"),
      );
      must(
        "npm install typescript @types/node",
        "npm",
        [
          "install",
          "--no-audit",
          "--no-fund",
          "--loglevel=error",
          "--save-dev",
          `typescript@${typescript.version}`,
          `@types/node@${typesNode.version}`,
        ],
        scratch,
      );
      writeFileSync(join(scratch, "consumer.ts"), CONSUMER);
      writeFileSync(join(scratch, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
      const tsc = run(
        process.execPath,
        [join(scratch, "node_modules", "typescript", "bin", "tsc"), "-p", "."],
        scratch,
      );
      if (tsc.status === 0)
        ok(`tsc (strict, NodeNext, skipLibCheck off) accepts ${CONSUMER_ENTRIES.join(", ")}`);
      else {
        fail(`tsc rejected the consumer:\n${tsc.stdout}${tsc.stderr}`);
        return;
      }
      const consumer = run(process.execPath, ["consumer.js"], scratch);
      if (consumer.status === 0) ok(`compiled consumer under plain node: ${consumer.stdout.trim()}`);
      else fail(`compiled consumer failed (${consumer.status}):\n${consumer.stdout}${consumer.stderr}`);
    });

    const project = join(work, "my-project");
    await step("comfy-ts init from the tarballs, then the commands it prints, as printed", () =>
      checkInitProject(work, scratch, tarballs, project),
    );

    await step(
      "tsc --noEmit of the project (+ the 2,068-node module) under TypeScript 5.9, 6.x, 7.x, tsgo",
      () => checkTypeScriptVersions(project),
    );
  } catch (error) {
    fail(`stopped: ${(error as Error).stack ?? String(error)}`);
  } finally {
    if (serve) await serve.stop();
    if (flags.keep) out(`\nkept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (failures.length === 0) {
    out(`\npackages OK (${seconds} s)`);
    return 0;
  }
  out(`\n${failures.length} package check(s) failed (${seconds} s):`);
  for (const failure of failures) out(`- ${failure.split("\n")[0]}`);
  return 1;
}

process.exitCode = await main();
