import { readFileSync } from "node:fs";
import { describeWithFixture } from "@comfy-ts/test-support";
import { expect, test } from "vitest";
import { catalogToJson, parseCatalog, parseCatalogText, parseJsonLossless } from "../../src/catalog/index.js";

// The four real /object_info answers in ../shared/fixtures/object-info, read in place.
const CATALOGS: [file: string, nodes: number][] = [
  ["comfyui-0.3.65-cpu.json", 383],
  ["install-2025-10-496-nodes.json", 496],
  ["install-2025-568-nodes.json", 568],
  ["install-2024-07-2068-nodes.json", 2068],
];

describeWithFixture("real catalogs parse completely", ["object-info"], (dir) => {
  test.each(CATALOGS)("%s yields all %i nodes", (file, count) => {
    const text = readFileSync(`${dir}/${file}`, "utf8");
    const catalog = parseCatalogText(text);
    process.stdout.write(
      `${file}: ${catalog.nodes.size} of ${count} nodes parsed, ${catalog.problems.length} problems\n`,
    );
    expect(catalog.problems).toEqual([]);
    expect(catalog.nodes.size).toBe(count);
    expect([...catalog.nodes.keys()]).toEqual(Object.keys(JSON.parse(text)));
    // Every input of every node has a kind, and every output a type.
    for (const def of catalog.nodes.values()) {
      for (const input of def.inputs) expect(input.kind).toBeTypeOf("string");
      for (const output of def.outputs) expect(output.type).toBeTypeOf("string");
    }
  });

  test.each(CATALOGS)("%s: the object form loads the same nodes", (file) => {
    const text = readFileSync(`${dir}/${file}`, "utf8");
    const fromObject = parseCatalog(JSON.parse(text));
    expect([...fromObject.nodes.keys()]).toEqual([...parseCatalogText(text).nodes.keys()]);
  });

  test.each(CATALOGS)("%s round-trips through catalogToJson", (file) => {
    const text = readFileSync(`${dir}/${file}`, "utf8");
    const catalog = parseCatalogText(text);
    expect(parseJsonLossless(catalogToJson(catalog))).toEqual(parseJsonLossless(text));
  });

  test("KSampler of 0.3.65: order, kinds, exact seed max", () => {
    const catalog = parseCatalogText(readFileSync(`${dir}/comfyui-0.3.65-cpu.json`, "utf8"));
    const ks = catalog.nodes.get("KSampler")!;
    expect(ks.inputs.map((i) => `${i.name}:${i.kind}`)).toEqual([
      "model:socket",
      "seed:int",
      "steps:int",
      "cfg:float",
      "sampler_name:combo",
      "scheduler:combo",
      "positive:socket",
      "negative:socket",
      "latent_image:socket",
      "denoise:float",
    ]);
    expect(ks.inputs[1]).toMatchObject({ min: 0, max: 18446744073709551615n, controlAfterGenerate: true });
    expect(ks.outputs).toMatchObject([{ type: "LATENT", name: "LATENT", isList: false }]);
    const save = catalog.nodes.get("SaveImage")!;
    expect(save.outputNode).toBe(true);
    expect(save.hidden).toEqual([
      { name: "prompt", kind: "PROMPT" },
      { name: "extra_pnginfo", kind: "EXTRA_PNGINFO" },
    ]);
    expect(catalog.nodes.get("LoadImage")?.inputs[0]).toMatchObject({ kind: "combo", upload: "image" });
  });
});
