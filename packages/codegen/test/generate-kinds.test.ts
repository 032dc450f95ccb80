import { parseCatalog } from "@comfy-ts/core";
import { describe, expect, test } from "vitest";
import { generate } from "../src/index.js";
import { kindsCatalog } from "./support/kinds-catalog.js";

// The generated module of the hand-written catalog is kept as file snapshots in ./generated/kinds/,
// which are real modules: kinds.test-d.ts and runtime tests import them.
const catalog = parseCatalog(kindsCatalog);
const generated = generate(catalog, {
  regenerateCommand: "pnpm vitest run --project codegen -u generate-kinds",
});

describe("generated module of the hand-written catalog (file snapshots)", () => {
  test("every node of the catalog parses and gets a factory", () => {
    expect(catalog.problems).toEqual([]);
    expect(generated.manifest.nodeCount).toBe(Object.keys(kindsCatalog).length);
  });

  test.each(["nodes.d.ts", "nodes.js", "manifest.json"])("%s", async (name) => {
    await expect(generated.files.get(name)).toMatchFileSnapshot(`./generated/kinds/${name}`);
  });

  test("the output is byte-identical on a second run and does not depend on the catalog's key order", () => {
    const reversed = Object.fromEntries(Object.entries(kindsCatalog).reverse());
    const again = generate(parseCatalog(reversed), {
      regenerateCommand: "pnpm vitest run --project codegen -u generate-kinds",
    });
    expect(again.files.get("nodes.d.ts")).toBe(generated.files.get("nodes.d.ts"));
    expect(again.files.get("nodes.js")).toBe(generated.files.get("nodes.js"));
  });
});
