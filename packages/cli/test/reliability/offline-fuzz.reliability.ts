// The offline entry points of `comfy-ts` (codegen over a catalog, import of API prompts, UI
// workflows and PNGs, export of TS modules, compare of golden images) over generated broken inputs
// from a fixed seed (COMFY_TS_FUZZ_SEED replays another run). Each case must end with a documented
// exit code, a message naming the file and no stack trace; nothing may be written outside the
// case's output folder; TypeScript it writes must parse.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { encodePng, PNG_SIGNATURE } from "@comfy-ts/core/png";
import { startLocalServer } from "@comfy-ts/local-server";
import { fuzzSeed, type SeededRandom, seededRandom } from "@comfy-ts/test-support";
import ts from "typescript";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/main.js";
import { captureIo } from "../support/capture-io.js";

const SEED = fuzzSeed(0x0ff1_1e55);
const STACK_FRAME = /\n\s+at .*(?:\(|\s)(?:node:|file:|\/).*:\d+:\d+\)?/;
const DOCUMENTED_EXITS = new Set([0, 1, 2, 3, 4]);
/** TS modules must sit inside the repository so that `@comfy-ts/core` resolves. */
const MODULES = resolve(import.meta.dirname, "../out/offline-fuzz");

let root: string;
let catalogText: string;
let catalogPath: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "comfy-ts-offline-fuzz-"));
  await mkdir(MODULES, { recursive: true });
  const server = await startLocalServer();
  try {
    catalogText = await (await fetch(`${server.url}/object_info`)).text();
  } finally {
    await server.close();
  }
  catalogPath = join(root, "object_info.json");
  await writeFile(catalogPath, catalogText);
}, 120_000);
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  await rm(MODULES, { recursive: true, force: true });
});

/** `comfy-ts import FILE` against the local server's catalog, written as w.ts or w.json in `out`. */
function importArgv(file: string, out: string, to: "api" | "ts" | "ui"): string[] {
  return [
    "import",
    file,
    "--object-info",
    catalogPath,
    "--to",
    to,
    "-o",
    join(out, to === "ts" ? "w.ts" : "w.json"),
  ];
}

// ── generated broken values ─────────────────────────────────────────────────────────────────────

const BIG = "18446744073709551615";
const HOSTILE_STRINGS = [
  "",
  "*/",
  "\u0000",
  "\u2028",
  "../../x",
  "/etc/passwd",
  "😀",
  "\ud800",
  "a".repeat(5000),
];

/** Raw JSON texts substituted for placeholders after stringify: values JSON.stringify cannot write. */
const RAW: Record<string, string> = {
  __BIG__: BIG,
  __DEEP__: `${"[".repeat(6000)}${"]".repeat(6000)}`,
  __DEEP_BIG__: `${"[".repeat(3000)}${BIG}${"]".repeat(3000)}`,
  __NEG_ZERO__: "-0",
  __HUGE__: "1e400",
};

function oddValue(random: SeededRandom): unknown {
  return random.pick<unknown>([
    null,
    0,
    -1,
    1.5,
    true,
    [],
    {},
    [[]],
    { x: null },
    "__BIG__",
    "__DEEP__",
    "__DEEP_BIG__",
    "__NEG_ZERO__",
    "__HUGE__",
    ...HOSTILE_STRINGS,
    ["1", -1],
    ["999", 0],
    ["1", 99],
    "nope",
  ]);
}

/** Paths to every value inside `value` (objects and arrays), depth-first. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (value && typeof value === "object" && at.length < 8) {
    for (const [k, v] of Object.entries(value)) paths(v, [...at, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

/** A copy of `doc` with 1–3 random edits: a value replaced, a key deleted, an array emptied. */
function mutate(doc: unknown, random: SeededRandom): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const edits = random.between(1, 3);
  for (let e = 0; e < edits; e++) {
    const all = paths(copy).filter((p) => p.length > 0);
    if (all.length === 0) break;
    const path = random.pick(all);
    let parent: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const key = path.at(-1)!;
    const op = random.int(3);
    if (op === 0 && !Array.isArray(parent)) delete parent[key];
    else if (op === 1 && Array.isArray(parent[key])) (parent[key] as unknown[]).length = 0;
    else parent[key] = oddValue(random);
  }
  return copy;
}

/** JSON text of `doc` with placeholders replaced, then maybe broken as text (cut, garbage, BOM). */
function text(doc: unknown, random: SeededRandom): string {
  let out = JSON.stringify(doc);
  for (const [mark, raw] of Object.entries(RAW)) out = out.split(`"${mark}"`).join(raw);
  switch (random.int(8)) {
    case 0:
      return out.slice(0, random.int(out.length));
    case 1:
      return `\ufeff${out}`;
    case 2: {
      const at = random.int(out.length);
      return `${out.slice(0, at)}${random.string(3, '{}[],:"\\\u0000 ')}${out.slice(at)}`;
    }
    default:
      return out;
  }
}

// ── the base documents ──────────────────────────────────────────────────────────────────────────

const API_PROMPT = {
  "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
  "2": { class_type: "ImageInvert", inputs: { image: ["1", 0] } },
  "3": { class_type: "SaveImage", inputs: { images: ["2", 0], filename_prefix: "fuzz" } },
};

const UI_WORKFLOW = {
  last_node_id: 3,
  last_link_id: 2,
  nodes: [
    {
      id: 1,
      type: "EmptyImage",
      pos: [0, 0],
      size: [200, 100],
      flags: {},
      order: 0,
      mode: 0,
      outputs: [{ name: "IMAGE", type: "IMAGE", links: [1], slot_index: 0 }],
      properties: {},
      widgets_values: [8, 8, 1, 0],
    },
    {
      id: 2,
      type: "ImageInvert",
      pos: [300, 0],
      size: [200, 100],
      flags: {},
      order: 1,
      mode: 0,
      inputs: [{ name: "image", type: "IMAGE", link: 1 }],
      outputs: [{ name: "IMAGE", type: "IMAGE", links: [2], slot_index: 0 }],
      properties: {},
    },
    {
      id: 3,
      type: "SaveImage",
      pos: [600, 0],
      size: [200, 100],
      flags: {},
      order: 2,
      mode: 0,
      inputs: [{ name: "images", type: "IMAGE", link: 2 }],
      properties: {},
      widgets_values: ["fuzz"],
    },
  ],
  links: [
    [1, 1, 0, 2, 0, "IMAGE"],
    [2, 2, 0, 3, 0, "IMAGE"],
  ],
  groups: [],
  config: {},
  extra: {},
  version: 0.4,
};

const MODULE_TEMPLATES: readonly ((random: SeededRandom) => string)[] = [
  () => "export default 42;\n",
  () => 'export default new Proxy({}, { ownKeys() { throw new Error("keys"); } });\n',
  () => "export const w = { get x(): never { throw { code: 1 }; } };\n",
  () => "const a: Record<string, unknown> = {};\na.self = a;\nexport default a;\n",
  () =>
    'const a: any = { "1": { class_type: "EmptyImage", inputs: {} } };\na["1"].inputs.self = a;\nexport default a;\n',
  () => 'throw "a string, not an Error";\n',
  () => 'throw { reason: "an object" };\n',
  () => 'export default { "1": { class_type: "EmptyImage", inputs: { width: Number.NaN } } };\n',
  (random) =>
    `import { node, workflow } from "@comfy-ts/core";\nexport default workflow(() => {\n  const e = node("EmptyImage", { width: ${random.pick(["Number.NaN", "Infinity", "-0", "2n ** 70n", '"x"', "undefined", "null", "{}"])} });\n  return { out: node("SaveImage", { images: e[0] }, { outputNode: true }) };\n});\n`,
  () =>
    'export default { "1": { class_type: "ImageInvert", inputs: { image: ["2", 0] } }, "2": { class_type: "ImageInvert", inputs: { image: ["1", 0] } } };\n',
  () =>
    'import { workflow } from "@comfy-ts/core";\nexport default workflow(() => { throw new RangeError("inside"); });\n',
  () => "export default [];\n",
  () => "export default {};\n",
  () => "export {};\n",
  () => "export default function () {}\n",
  () => 'export default { "1": { class_type: "SaveImage", inputs: { images: ["1", 0] } } };\n',
  (random) => {
    const depth = random.between(1, 3000);
    return `export default ${"[".repeat(depth)}${"]".repeat(depth)};\n`;
  },
];

interface Case {
  readonly kind: string;
  /** The input file and its bytes; the CLI arguments (OUT is the case's output folder). */
  readonly file: string;
  readonly bytes: string | Uint8Array;
  readonly argv: (file: string, out: string) => string[];
  /** A file the command writes that must parse as TypeScript when the command succeeds. */
  readonly tsOut?: string;
}

function pngWith(text: readonly (readonly [string, string])[], random: SeededRandom): Uint8Array {
  const png = encodePng({ width: 4, height: 3, data: new Uint8Array(4 * 3 * 4).fill(200) }, { text });
  switch (random.int(6)) {
    case 0: {
      // A flipped byte somewhere after the signature (a CRC or a length goes wrong).
      const copy = png.slice();
      const at = 8 + random.int(copy.length - 8);
      copy[at] = (copy[at] ?? 0) ^ (1 + random.int(255));
      return copy;
    }
    case 1:
      return png.slice(0, random.int(png.length));
    default:
      return png;
  }
}

function cases(random: SeededRandom): Case[] {
  const all: Case[] = [];
  const catalog = JSON.parse(catalogText) as Record<string, unknown>;
  const small = Object.fromEntries(
    ["EmptyImage", "ImageInvert", "SaveImage", "LoadImage", "ImageScale", "PrimitiveInt"]
      .filter((k) => k in catalog)
      .map((k) => [k, catalog[k]]),
  );
  for (let i = 0; i < 260; i++) {
    all.push({
      kind: "catalog → codegen",
      file: `catalog-${i}.json`,
      bytes: text(mutate(small, random), random),
      argv: (f, out) => ["codegen", "--input", f, "--out", out],
    });
  }
  for (let i = 0; i < 260; i++) {
    const to = random.pick(["api", "ts", "ui"] as const);
    all.push({
      kind: `UI workflow → import --to ${to}`,
      file: `ui-${i}.json`,
      bytes: text(mutate(UI_WORKFLOW, random), random),
      argv: (f, out) => importArgv(f, out, to),
      ...(to === "ts" ? { tsOut: "w.ts" } : {}),
    });
  }
  for (let i = 0; i < 260; i++) {
    const to = random.pick(["api", "ts", "ui", "export-api"] as const);
    all.push({
      kind: `API prompt → ${to === "export-api" ? "export --to api" : `import --to ${to}`}`,
      file: `api-${i}.json`,
      bytes: text(mutate(API_PROMPT, random), random),
      argv: (f, out) =>
        to === "export-api"
          ? ["export", f, "--to", "api", "-o", join(out, "p.json")]
          : importArgv(f, out, to),
      ...(to === "ts" ? { tsOut: "w.ts" } : {}),
    });
  }
  for (let i = 0; i < 160; i++) {
    const chunks: [string, string][] = [];
    if (random.chance(0.7)) chunks.push(["prompt", text(mutate(API_PROMPT, random), random)]);
    if (random.chance(0.7)) chunks.push(["workflow", text(mutate(UI_WORKFLOW, random), random)]);
    const to = random.pick(["api", "ts"] as const);
    all.push({
      kind: `PNG metadata → import --to ${to}`,
      file: `image-${i}.png`,
      bytes: pngWith(chunks, random),
      argv: (f, out) => importArgv(f, out, to),
      ...(to === "ts" ? { tsOut: "w.ts" } : {}),
    });
  }
  for (let i = 0; i < 100; i++) {
    const expected = pngWith([], random);
    let actual: Uint8Array = expected;
    if (random.chance(0.5)) {
      // A header that claims a huge image over a few bytes of data.
      actual = expected.slice();
      new DataView(actual.buffer, actual.byteOffset).setUint32(16, random.pick([0, 100_000, 0x7fffffff]));
    }
    all.push({
      kind: "golden image → compare",
      file: `golden-${i}.png`,
      bytes: actual,
      argv: (f, out) => ["compare", f, join(out, "..", `golden-${i}-other.png`)],
    });
    all.push({
      kind: "golden image (other side) → compare",
      file: `golden-${i}-other.png`,
      bytes: random.chance(0.3) ? pngWith([], random) : PNG_SIGNATURE,
      argv: (f, out) => ["compare", join(out, "..", `golden-${i}.png`), f],
    });
  }
  for (let i = 0; i < 60; i++) {
    const template = random.pick(MODULE_TEMPLATES);
    all.push({
      kind: "TS module → export --to api",
      file: `module-${i}.ts`,
      bytes: template(random),
      argv: (f, out) => ["export", f, "--to", "api", "-o", join(out, "p.json")],
    });
  }
  return all;
}

async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((e) => join(e.parentPath, e.name)).sort();
}

it(`offline entry points over generated broken inputs (seed ${SEED})`, async () => {
  const random = seededRandom(SEED);
  const all = cases(random);
  expect(all.length).toBeGreaterThanOrEqual(1_000);
  const problems: string[] = [];
  const byKindAndExit = new Map<string, number>();
  const inputs = join(root, "inputs");
  await mkdir(inputs, { recursive: true });
  // Every input first (the compare cases read their pair).
  for (const c of all) {
    await writeFile(c.file.endsWith(".ts") ? join(MODULES, c.file) : join(inputs, c.file), c.bytes);
  }
  const before = new Set(await listing(root));
  const outs: string[] = [];
  for (const [index, c] of all.entries()) {
    const file = c.file.endsWith(".ts") ? join(MODULES, c.file) : join(inputs, c.file);
    const out = join(inputs, `out-${index}`);
    outs.push(out);
    const io = captureIo(root, { NO_COLOR: "1" });
    let code: number;
    try {
      code = await main(c.argv(file, out), io.io);
    } catch (error) {
      problems.push(
        `#${index} ${c.kind} (${c.file}): main() threw ${String((error as Error)?.stack ?? error).slice(0, 300)}`,
      );
      continue;
    }
    const err = io.stderr();
    byKindAndExit.set(`${c.kind} → ${code}`, (byKindAndExit.get(`${c.kind} → ${code}`) ?? 0) + 1);
    const where = `#${index} ${c.kind} (${c.file}), exit ${code}`;
    if (!DOCUMENTED_EXITS.has(code)) problems.push(`${where}: undocumented exit code; ${err.slice(0, 200)}`);
    if (STACK_FRAME.test(err) || err.includes("data:text/javascript"))
      problems.push(`${where}: a stack trace in the message: ${err.slice(0, 300)}`);
    if (code !== 0 && !err.includes(basename(c.file)) && !/golden/.test(c.kind))
      problems.push(`${where}: the message does not name the file: ${err.slice(0, 200)}`);
    if (code !== 0 && /golden/.test(c.kind) && !/golden-\d+/.test(err))
      problems.push(`${where}: the message names neither file: ${err.slice(0, 200)}`);
    if (code === 0 && c.tsOut) {
      const written = await readFile(join(out, c.tsOut), "utf8").catch(() => undefined);
      if (written === undefined) problems.push(`${where}: exit 0 but ${c.tsOut} was not written`);
      else {
        const { diagnostics = [] } = ts.transpileModule(written, {
          reportDiagnostics: true,
          fileName: "w.ts",
        });
        if (diagnostics.length > 0)
          problems.push(
            `${where}: the TypeScript written does not parse: ${ts.flattenDiagnosticMessageText(diagnostics[0]!.messageText, " ")}`,
          );
      }
    }
  }
  // Nothing appeared outside the output folders.
  const after = (await listing(root)).filter(
    (p) => !before.has(p) && !outs.some((o) => p === o || p.startsWith(`${o}/`)),
  );
  if (after.length > 0) problems.push(`written outside the output folders: ${after.slice(0, 10).join(", ")}`);

  const held = all.length - new Set(problems.map((p) => p.split(" ")[0])).size;
  process.stdout.write(
    `offline fuzz, seed ${SEED}: ${held}/${all.length} cases held\n${[...byKindAndExit]
      .sort()
      .map(([k, n]) => `  ${k}: ${n}`)
      .join("\n")}\n`,
  );
  expect(problems).toEqual([]);
});
