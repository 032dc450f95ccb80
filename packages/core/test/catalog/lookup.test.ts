import { describe, expect, test } from "vitest";
import {
  CatalogError,
  catalogToJson,
  catalogToWire,
  getInput,
  getNode,
  outputNodeClasses,
  parseCatalog,
  parseCatalogText,
  requireNode,
} from "../../src/catalog/index.js";
import { ComfyError } from "../../src/errors.js";

const catalog = parseCatalog({
  KSampler: { input: { required: { seed: ["INT", { max: 18446744073709551615n }] } }, output: ["LATENT"] },
  KSamplerAdvanced: { input: {}, output: ["LATENT"] },
  SaveImage: { input: { required: { images: ["IMAGE"] } }, output: [], output_node: true },
  Broken: 5,
});

describe("lookups", () => {
  test("getNode, getInput, outputNodeClasses", () => {
    expect(getNode(catalog, "KSampler")?.classType).toBe("KSampler");
    expect(getNode(catalog, "Nope")).toBeUndefined();
    expect(getInput(getNode(catalog, "KSampler")!, "seed")?.kind).toBe("int");
    expect(outputNodeClasses(catalog)).toEqual(["SaveImage"]);
  });

  test("requireNode names close matches and what to do", () => {
    try {
      requireNode(catalog, "ksampler");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CatalogError);
      expect(e).toBeInstanceOf(ComfyError);
      expect((e as CatalogError).code).toBe("unknown_node");
      expect((e as Error).message).toBe(
        'node class "ksampler" is not in the catalog (3 classes). Did you mean "KSampler", "KSamplerAdvanced"? ' +
          "Install the custom node pack on the server, or refresh the catalog.",
      );
    }
  });
});

describe("serialization", () => {
  test("catalogToWire returns each node's raw definition; skipped nodes are left out", () => {
    expect(Object.keys(catalogToWire(catalog))).toEqual(["KSampler", "KSamplerAdvanced", "SaveImage"]);
    expect(catalog.problems.map((p) => p.classType)).toEqual(["Broken"]);
  });

  test("catalogToJson writes exact big integers and parses back to the same catalog", () => {
    const text = catalogToJson(catalog);
    expect(text).toContain('"max":18446744073709551615');
    const again = parseCatalogText(text);
    expect([...again.nodes.keys()]).toEqual([...catalog.nodes.keys()]);
    expect(again.nodes.get("KSampler")?.inputs[0]).toMatchObject({ max: 18446744073709551615n });
  });
});

describe("the raw /object_info object where a NodeCatalog is expected", () => {
  const raw = { KSampler: { input: { required: {} }, output: ["LATENT"] } } as unknown as Parameters<
    typeof requireNode
  >[0];
  test.each([
    ["requireNode", () => requireNode(raw, "KSampler"), /cannot look up "KSampler" in an object/],
    ["getNode", () => getNode(raw, "KSampler"), /cannot look up "KSampler" in an object/],
    ["catalogToWire", () => catalogToWire(raw), /cannot serialize an object/],
    ["catalogToJson", () => catalogToJson(raw), /cannot serialize an object/],
  ])("%s names the mistake", (_name, run, message) => {
    expect(run).toThrow(CatalogError);
    expect(run).toThrow(
      expect.objectContaining({ code: "not_a_catalog", message: expect.stringMatching(message) }),
    );
    expect(run).toThrow(/parseCatalog/);
  });
});
