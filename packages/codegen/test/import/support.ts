import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ApiPrompt, compile, type NodeCatalog } from "@comfy-ts/core";
import { generate } from "../../src/index.js";

/**
 * A scratch folder inside the package (under `out/`, which git ignores) where generated factories and
 * emitted modules are written, so that they import `@comfy-ts/core` through the workspace like user code.
 */
export function scratchDir(): { dir: string; remove: () => void } {
  const base = fileURLToPath(new URL("./out/", import.meta.url));
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "run-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `nodes.js` / `nodes.d.ts` for a catalog into `dir` and returns the codegen model. */
export function writeFactories(dir: string, catalog: NodeCatalog) {
  mkdirSync(dir, { recursive: true });
  const generated = generate(catalog);
  for (const [name, text] of generated.files) writeFileSync(join(dir, name), text);
  return generated.model;
}

/** Imports an emitted module and compiles its workflow export. */
export async function compileModule(file: string, exportName = "imported"): Promise<ApiPrompt> {
  const mod = (await import(/* @vite-ignore */ file)) as Record<string, Parameters<typeof compile>[0]>;
  return compile(mod[exportName]!);
}
