// Catalogs whose every string is hostile to generated code: comment terminators, quotes, backticks,
// line separators, NUL, lone surrogates, JSDoc tags, reserved words and Object.prototype names.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseCatalog } from "@comfy-ts/core";
import type { SeededRandom } from "@comfy-ts/test-support";
import { generate } from "../../src/index.js";
import { scratchDir, syntaxCheck, typeCheck, writeFiles } from "./type-check.js";

/** Pieces that break one kind of place or another when written unescaped. */
const HOSTILE = [
  "*/",
  "/*",
  "/**",
  "//",
  "`",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is the hostile text here
  "${x}",
  "\\",
  '"',
  "'",
  "\n",
  "\r",
  "\r\n",
  "\u2028",
  "\u2029",
  "\t",
  "\0",
  "@param x",
  "\n@deprecated",
  "<",
  ">",
  "</script>",
  "{@link x}",
  " ",
  "😀",
  "\ud800",
  "__proto__",
  "constructor",
  "class",
  "default",
  "0",
  "-",
  ".",
  "$",
  "nodes",
  "Inputs",
];

export function hostile(random: SeededRandom, min = 0): string {
  let text = "";
  const parts = random.between(min, 4);
  for (let i = 0; i < parts; i++)
    text += random.chance(0.6) ? random.pick(HOSTILE) : random.string(random.between(1, 4));
  return text;
}

function input(random: SeededRandom): unknown {
  const options = (): Record<string, unknown> => ({
    ...(random.chance(0.5) ? { tooltip: hostile(random) } : {}),
    ...(random.chance(0.3) ? { display_name: hostile(random) } : {}),
  });
  switch (random.int(6)) {
    case 0:
      return ["STRING", { ...options(), default: hostile(random), multiline: random.chance(0.5) }];
    case 1:
      return [
        Array.from({ length: random.between(1, 4) }, () => hostile(random, 1)),
        { ...options(), ...(random.chance(0.5) ? { default: hostile(random) } : {}) },
      ];
    case 2:
      return ["INT", { ...options(), default: random.between(-5, 5), min: -10, max: 10 }];
    case 3:
      return ["FLOAT", { ...options(), default: 0.5, step: 0.1 }];
    case 4:
      return ["BOOLEAN", { ...options(), default: random.chance(0.5) }];
    default:
      return [hostile(random, 1), options()];
  }
}

export function hostileCatalog(random: SeededRandom, nodeCount: number): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (let n = 0; n < nodeCount; n++) {
    const classType = `${hostile(random, 1)}${n}`;
    const inputs = (count: number) =>
      Object.fromEntries(
        Array.from({ length: count }, (_, i) => [`${hostile(random, 1)}${i}`, input(random)]),
      );
    const outputs = Array.from({ length: random.between(0, 3) }, () =>
      random.chance(0.5) ? "IMAGE" : hostile(random, 1),
    );
    nodes[classType] = {
      input: { required: inputs(random.between(0, 3)), optional: inputs(random.between(0, 2)) },
      output: outputs,
      output_is_list: outputs.map(() => random.chance(0.2)),
      output_name: outputs.map(() => hostile(random, 1)),
      name: classType,
      display_name: hostile(random),
      description: hostile(random),
      category: hostile(random),
      python_module: hostile(random),
      output_node: random.chance(0.3),
      ...(random.chance(0.2) ? { deprecated: true } : {}),
    };
  }
  return nodes;
}

/**
 * Generates `catalogs` hostile catalogs of `nodesPerCatalog` classes, loads each generated runtime
 * and checks every generated declaration file: its syntax alone (fast), or its types under strict. Returns the factories generated
 * (classes the catalog reader refuses are its problems, not codegen's) and the checker's diagnostics.
 */
export async function generateHostile(
  random: SeededRandom,
  catalogs: number,
  nodesPerCatalog: number,
  check: "syntax" | "types",
): Promise<{ factories: number; loaded: number; diagnostics: string[] }> {
  const roots: string[] = [];
  let factories = 0;
  let loaded = 0;
  for (let c = 0; c < catalogs; c++) {
    const parsed = parseCatalog(hostileCatalog(random.fork(), nodesPerCatalog));
    const { files, manifest } = generate(parsed, { regenerateCommand: `pnpm codegen ${hostile(random)}` });
    factories += manifest.nodeCount;
    const dir = scratchDir(`hostile-${random.seed}-${c}`);
    writeFiles(dir, files);
    // Declarations as .ts, so the checker reads them (skipLibCheck skips .d.ts).
    writeFiles(dir, { "declarations-check.ts": files.get("nodes.d.ts")! });
    roots.push(join(dir, "declarations-check.ts"));
    const runtime = (await import(pathToFileURL(join(dir, "nodes.js")).href)) as {
      nodes: Record<string, unknown>;
    };
    loaded += Object.keys(runtime.nodes).length;
  }
  return { factories, loaded, diagnostics: check === "types" ? typeCheck(roots) : syntaxCheck(roots) };
}
