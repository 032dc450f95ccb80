import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseCatalogText } from "@comfy-ts/core";
import { describeWithFixture } from "@comfy-ts/test-support";
import { expect, test } from "vitest";
import { generate } from "../src/index.js";
import { scratchDir, typeCheck, writeFiles } from "./support/type-check.js";

// Every node of the four real catalogs gets a factory, the generated declarations type-check under
// `strict` (checked as .ts, all at once), and the generated runtime loads with one factory per class.
const CATALOGS = [
  ["comfyui-0.3.65-cpu.json", 383],
  ["install-2025-10-496-nodes.json", 496],
  ["install-2025-568-nodes.json", 568],
  ["install-2024-07-2068-nodes.json", 2068],
] as const;

describeWithFixture("codegen over the four real catalogs", ["object-info"], (folder) => {
  const roots: string[] = [];
  const dirs = new Map<string, string>();

  for (const [file, count] of CATALOGS) {
    test(`${file}: ${count} node classes, ${count} factories`, async () => {
      const catalog = parseCatalogText(readFileSync(join(folder, file), "utf8"));
      expect(catalog.problems).toEqual([]);
      const { files, manifest, model } = generate(catalog);
      expect(manifest.nodeCount).toBe(count);
      expect(new Set(model.nodes.map((n) => n.identifier)).size).toBe(count);
      const dir = scratchDir(file.replace(/\.json$/, ""));
      writeFiles(dir, files);
      // The declarations again as a .ts file, so the checker reads every one of them.
      writeFiles(dir, {
        "declarations-check.ts": files.get("nodes.d.ts")!,
        "usage.ts": [
          'import { nodes } from "./nodes.js";',
          "// Resolves the factory type of every node class.",
          "const all: Readonly<Record<string, (inputs: never) => unknown>> = nodes;",
          "export const count: number = Object.keys(all).length;",
          "",
        ].join("\n"),
      });
      roots.push(join(dir, "declarations-check.ts"), join(dir, "usage.ts"));
      dirs.set(file, dir);
      const runtime = (await import(pathToFileURL(join(dir, "nodes.js")).href)) as {
        nodes: Record<string, unknown>;
      };
      expect(Object.keys(runtime.nodes)).toHaveLength(count);
    });
  }

  test("the generated code of all four type-checks under strict", () => {
    expect(roots).toHaveLength(CATALOGS.length * 2);
    expect(typeCheck(roots)).toEqual([]);
  }, 120_000);
});
