import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ApiPrompt, isApiLink, type NodeCatalog, parseCatalogText } from "@comfy-ts/core";
import { parseApiPrompt } from "@comfy-ts/core/workflow";
import { describeWithFixture, repoRoot } from "@comfy-ts/test-support";
import { ts } from "ts-morph";
import { afterAll, beforeAll, expect, it } from "vitest";
import { emitWorkflowModule } from "../../src/import/index.js";
import type { ModuleModel } from "../../src/index.js";
import { compileModule, scratchDir, writeFactories } from "./support.js";

/**
 * API → TypeScript → API over every API prompt of the corpus. Each prompt is emitted on the
 * factories generated from the first catalog that covers all its classes (then the generated module
 * must type-check too), or from the largest catalog with untyped `node()` calls for the rest.
 * The expectation is normalized only where a TypeScript module cannot say the same thing:
 * - links to nodes absent from the prompt (api/055, api/082: invalid prompts) are left out;
 * - a required widget input absent from the prompt is filled with its default by compile;
 * - node-level keys besides `class_type`, `inputs` and `_meta` (an old exporter's `title`, P44) are not kept.
 */

/**
 * Type errors expected in generated modules, by corpus file: each is a real mismatch between the prompt
 * and the catalog's current node definition (ComfyUI would reject those prompts on that server too).
 */
const EXPECTED_TYPE_ERRORS: Record<string, { pattern: RegExp; reason: string }> = {
  "api/009-replicate-ultimatesdupscale-controlnet.json": {
    pattern: /Type 'string' is not assignable to type 'BooleanInput/,
    reason:
      "force_uniform_tiles was an enable/disable combo; the catalog's UltimateSDUpscale takes a boolean",
  },
  "api/025-replicate-hunyuan-video-i2v.json": {
    pattern: /not assignable to parameter of type 'HunyuanImageToVideo'/,
    reason: "the prompt predates the required guidance_type input",
  },
  "api/081-animede-wan22-smooth-expanded.json": {
    pattern: /Type 'Output<"MASK">' is not assignable to type 'StringInput'/,
    reason:
      "a tool-expanded subgraph wired a MASK into StringConcatenate.string_b (an older StringConcatenate)",
  },
  "pairs/P19-replicate-sdxl-lightning-unet.api.json": {
    pattern: /not assignable to parameter of type 'UNETLoader'/,
    reason: "the prompt predates UNETLoader's required weight_dtype input",
  },
};
describeWithFixture("API → TS → API over the corpus", ["workflows"], (dir) => {
  const scratch = scratchDir();
  const catalogs: { name: string; catalog: NodeCatalog; model?: ModuleModel }[] = [];
  const files = dir
    ? [
        ...readdirSync(join(dir, "api")).map((f) => join("api", f)),
        ...readdirSync(join(dir, "pairs"))
          .filter((f) => f.endsWith(".api.json"))
          .map((f) => join("pairs", f)),
      ]
    : [];
  const typed: { file: string; source: string }[] = [];
  let passed = 0;

  beforeAll(() => {
    const infoDir = join(dir, "../object-info");
    for (const f of readdirSync(infoDir)
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      catalogs.push({
        name: f.replace(/\.json$/, ""),
        catalog: parseCatalogText(readFileSync(join(infoDir, f), "utf8")),
      });
    }
  }, 60_000);
  afterAll(() => scratch.remove());

  const factoriesFor = (entry: (typeof catalogs)[number]) => {
    entry.model ??= writeFactories(join(scratch.dir, entry.name), entry.catalog);
    return entry.model;
  };

  for (const [index, file] of files.entries()) {
    it(file, async () => {
      const prompt = parseApiPrompt(readFileSync(join(dir, file), "utf8"));
      const classes = new Set(Object.values(prompt).map((n) => n.class_type));
      const covering = catalogs.find((c) => [...classes].every((t) => c.catalog.nodes.has(t)));
      const entry =
        covering ?? catalogs.reduce((a, b) => (b.catalog.nodes.size > a.catalog.nodes.size ? b : a));
      const model = factoriesFor(entry);
      const emitted = emitWorkflowModule(prompt, entry.catalog, {
        nodesModule: "./nodes.js",
        model,
        source: file,
      });
      const moduleFile = join(scratch.dir, entry.name, `m${index}.ts`);
      writeFileSync(moduleFile, emitted.text);
      if (covering) typed.push({ file: moduleFile, source: file });
      expect(await compileModule(moduleFile)).toEqual(expected(prompt, model));
      passed++;
    }, 60_000);
  }

  it("round-trips every API file (72 at the time of writing)", () => {
    expect(files.length).toBeGreaterThanOrEqual(72);
    expect(passed).toBe(files.length);
  });

  it("the modules of covered prompts type-check against their generated factories", () => {
    expect(typed.length).toBeGreaterThanOrEqual(20);
    const program = ts.createProgram(
      typed.map((t) => t.file),
      {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2023,
        lib: ["lib.es2023.d.ts"],
        types: ["node"],
        typeRoots: [join(repoRoot, "node_modules/@types")],
        customConditions: ["@comfy-ts/source"],
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        noEmit: true,
      },
    );
    const sources = new Map(typed.map((t) => [t.file, t.source]));
    const byFile = new Map<string, string[]>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const source = d.file && sources.get(d.file.fileName);
      if (!source) continue;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      byFile.set(source, [
        ...(byFile.get(source) ?? []),
        `${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
      ]);
    }
    for (const [source, messages] of byFile) {
      const allowed = EXPECTED_TYPE_ERRORS[source];
      expect(
        allowed,
        `unexpected type errors in the module of ${source}:\n${messages.join("\n")}`,
      ).toBeDefined();
      for (const m of messages) expect(m, source).toMatch(allowed!.pattern);
    }
    expect([...byFile.keys()].sort()).toEqual(Object.keys(EXPECTED_TYPE_ERRORS).sort());
    // Reported: how many covered modules type-check cleanly.
    expect(typed.length - byFile.size).toBeGreaterThanOrEqual(20);
  }, 300_000);
});

function expected(prompt: ApiPrompt, model: ModuleModel): ApiPrompt {
  const specs = new Map(model.nodes.map((n) => [n.classType, n.spec]));
  const out: ApiPrompt = {};
  for (const [id, node] of Object.entries(prompt)) {
    const inputs: ApiPrompt[string]["inputs"] = {};
    for (const [name, value] of Object.entries(node.inputs)) {
      if (!isApiLink(value) || Object.hasOwn(prompt, value[0])) inputs[name] = value;
    }
    for (const [name, value] of Object.entries(specs.get(node.class_type)?.defaults ?? {})) {
      if (!(name in inputs)) inputs[name] = value as ApiPrompt[string]["inputs"][string];
    }
    out[id] = { class_type: node.class_type, inputs, ...(node._meta ? { _meta: node._meta } : {}) };
  }
  return out;
}
