import {
  CompileError,
  compile,
  node,
  nodeOf,
  nodeOrigin,
  outputPropertyNames,
  stringifyPrompt,
  workflow,
} from "@comfy-ts/core";
import { describe, expect, test } from "vitest";
import {
  EmptyImage,
  ImageAddNoise,
  ImageInvert,
  OddOutputs,
  SaveImage,
  SplitImageWithAlpha,
  TakesList,
} from "../support/image-nodes.js";

const invertPipeline = workflow(({ color = 0xff0000 }) => {
  const image = EmptyImage({ width: 64, height: 48, color });
  return { out: SaveImage({ images: ImageInvert({ image }), filename_prefix: "t" }) };
});

describe("compile", () => {
  test("writes ComfyUI's API format: string ids, links, defaults of omitted inputs, server input order", () => {
    expect(compile(invertPipeline)).toEqual({
      "1": { inputs: { width: 64, height: 48, batch_size: 1, color: 0xff0000 }, class_type: "EmptyImage" },
      "2": { inputs: { image: ["1", 0] }, class_type: "ImageInvert" },
      "3": { inputs: { images: ["2", 0], filename_prefix: "t" }, class_type: "SaveImage" },
    });
  });

  test("is deterministic: the same graph gives byte-identical JSON", () => {
    const a = stringifyPrompt(compile(invertPipeline({ color: 7 })));
    const b = stringifyPrompt(compile(invertPipeline({ color: 7 })));
    expect(a).toBe(b);
    expect(Object.keys(JSON.parse(a)["1"].inputs)).toEqual(["width", "height", "batch_size", "color"]);
  });

  test("pinned ids are kept and the others take the smallest free ids in creation order", () => {
    const prompt = compile(
      workflow(() => {
        const image = EmptyImage({}, { id: 2 });
        const inverted = ImageInvert({ image });
        return { out: SaveImage({ images: inverted }, { id: "save" }) };
      }),
    );
    expect(Object.keys(prompt).sort()).toEqual(["1", "2", "save"]);
    expect(prompt["1"]!.class_type).toBe("ImageInvert");
    expect(prompt.save!.inputs.images).toEqual(["1", 0]);
  });

  test("emits only nodes an output depends on, unless prune is false", () => {
    const graph = workflow(() => {
      const unused = EmptyImage({ width: 8 });
      ImageInvert({ image: unused });
      SaveImage({ images: EmptyImage({ width: 16 }) }); // an output node not returned is still a root
      return {};
    });
    expect(Object.values(compile(graph)).map((n) => n.class_type)).toEqual(["EmptyImage", "SaveImage"]);
    expect(Object.values(compile(graph, { prune: false })).map((n) => n.class_type)).toEqual([
      "EmptyImage",
      "ImageInvert",
      "EmptyImage",
      "SaveImage",
    ]);
  });

  test("compiles handles passed directly, without a workflow", () => {
    const save = SaveImage({ images: EmptyImage({}) });
    expect(Object.keys(compile(save))).toEqual(["1", "2"]);
    expect(Object.keys(compile([save]))).toEqual(["1", "2"]);
  });

  test.each([
    ["a list literal is wrapped as __value__", [1, 2n, "x"], { __value__: [1, 2, "x"] }],
    ["a bigint in the safe range becomes a number", 42n, 42],
    ["a bigint beyond 2^53 stays exact", 18446744073709551615n, 18446744073709551615n],
    ["an object literal passes through", { a: [1], b: null }, { a: [1], b: null }],
  ])("%s", (_name, given, want) => {
    const prompt = compile(node("Anything", { value: given, image: EmptyImage({}) }, { outputNode: true }));
    expect(prompt["2"]!.inputs.value).toEqual(want);
  });

  test("stringifyPrompt writes 2^64−1 as exact digits", () => {
    const prompt = compile(
      workflow(() => ({
        out: SaveImage({ images: ImageAddNoise({ image: EmptyImage({}), seed: 2n ** 64n - 1n }) }),
      })),
    );
    expect(stringifyPrompt(prompt)).toContain('"seed":18446744073709551615,');
    expect(JSON.parse(stringifyPrompt(prompt).replace("18446744073709551615", '"x"'))["2"].inputs.seed).toBe(
      "x",
    );
  });

  test("stringifyPrompt leaves strings that look like its internal markers alone", () => {
    const prompt = compile(SaveImage({ images: EmptyImage({}), filename_prefix: "__comfy_ts_bigint__123" }));
    expect(JSON.parse(stringifyPrompt(prompt))["2"].inputs.filename_prefix).toBe("__comfy_ts_bigint__123");
  });

  test("typed list inputs compile to __value__", () => {
    const prompt = compile(TakesList({ items: ["a", "b"], image: EmptyImage({}) }));
    expect(prompt["2"]!.inputs.items).toEqual({ __value__: ["a", "b"] });
  });

  test("titles: explicit by default, display names on request", () => {
    const graph = workflow(() => ({ out: SaveImage({ images: EmptyImage({}, { title: "Canvas" }) }) }));
    expect(compile(graph)["1"]!._meta).toEqual({ title: "Canvas" });
    expect(compile(graph)["2"]!._meta).toBeUndefined();
    expect(compile(graph, { titles: "display-name" })["2"]!._meta).toEqual({ title: "Save Image" });
  });

  test("extra inputs are written verbatim", () => {
    const prompt = compile(
      SaveImage({ images: EmptyImage({}) }, { extraInputs: { "choose file to upload": "image" } }),
    );
    expect(prompt["2"]!.inputs["choose file to upload"]).toBe("image");
  });
});

describe("node handles", () => {
  test("a node with several outputs exposes each by name and by index", () => {
    const split = SplitImageWithAlpha({ image: EmptyImage({}) });
    const prompt = compile([
      SaveImage({ images: split.IMAGE }),
      node("UsesMask", { mask: split[1] }, { outputNode: true }),
    ]);
    expect(prompt["3"]!.inputs.images).toEqual(["2", 0]);
    expect(prompt["4"]!.inputs.mask).toEqual(["2", 1]);
  });

  test("repeated, blank and numeric output names: first by name, repeats as name_slot, all by index", () => {
    expect(outputPropertyNames(OddOutputs.spec.outputs)).toEqual(["value", "value_1", undefined, undefined]);
    const odd = OddOutputs({});
    expect(Reflect.get(odd, "value_1")).toBe(odd[1]);
    const prompt = compile(
      node("Sink", { a: odd.value, b: odd[1], c: odd[2], d: odd[3] }, { outputNode: true }),
    );
    expect(prompt["2"]!.inputs).toEqual({ a: ["1", 0], b: ["1", 1], c: ["1", 2], d: ["1", 3] });
  });

  test("untyped nodes reach any output by index", () => {
    const custom = node("Image Resize+", { image: EmptyImage({}), width: 512 });
    const prompt = compile(SaveImage({ images: custom[2] }));
    expect(prompt["3"]!.inputs.images).toEqual(["2", 2]);
  });

  test("compiled prompts map each id back to its graph node", () => {
    const image = EmptyImage({});
    const prompt = compile(SaveImage({ images: image }));
    expect(nodeOrigin(prompt, "1")?.node).toBe(nodeOf(image));
    expect(nodeOrigin(prompt, "2")?.classType).toBe("SaveImage");
  });

  test("every node remembers where the author created it", () => {
    const expectedLine = callerLine() + 1;
    const image = EmptyImage({});
    expect(nodeOf(image).location).toMatchObject({
      file: "packages/core/test/compile/compile.test.ts",
      line: expectedLine,
    });
  });
});

describe("compile errors name the node, the input and where it was made", () => {
  test("a node with several outputs passed as one", () => {
    const split = SplitImageWithAlpha({ image: EmptyImage({}) });
    const run = () => compile(node("Sink", { image: split }, { outputNode: true }));
    expect(run).toThrow(CompileError);
    expect(run).toThrow(
      /Sink \(node 3\), input "image", at packages\/core\/test\/compile\/compile\.test\.ts:\d+:\d+: got a SplitImageWithAlpha node, which has 2 outputs; pass one of them: \.IMAGE, \.MASK/,
    );
  });

  test("two nodes pinned to the same id", () => {
    const run = () => compile([SaveImage({ images: EmptyImage({}, { id: 1 }) }, { id: 1 })]);
    expect(run).toThrow(expect.objectContaining({ code: "duplicate_node_id" }));
    expect(run).toThrow(/id "1" is pinned by two nodes/);
  });

  test("values JSON cannot hold", () => {
    expect(() =>
      compile(SaveImage({ images: ImageAddNoise({ image: EmptyImage({}), strength: Number.NaN }) })),
    ).toThrow(/ImageAddNoise \(node 2\), input "strength".*NaN cannot be written as JSON/);
  });

  test.each([
    ["Map", new Map([["a", 1]])],
    ["Set", new Set([1])],
    ["Date", new Date(0)],
  ])("a %s, which JSON would flatten, is refused", (kind, value) => {
    expect(() =>
      compile(node("Sink", { image: EmptyImage({}).IMAGE, extra: { nested: value } }, { outputNode: true })),
    ).toThrow(new RegExp(`Sink \\(node 2\\), input "extra".*a ${kind} is not a valid input value`));
  });

  test("an async build function, whose later nodes would be lost", () => {
    const later = workflow(async () => {
      await null;
      return { out: SaveImage({ images: EmptyImage({}) }) };
    });
    expect(() => compile(later)).toThrow(
      expect.objectContaining({
        code: "invalid_target",
        message: expect.stringMatching(/returned a Promise/),
      }),
    );
  });

  test("nothing to compile", () => {
    expect(() => compile({})).toThrow(expect.objectContaining({ code: "invalid_target" }));
  });
});

/** The line this function was called from. */
function callerLine(): number {
  return Number(new Error().stack!.split("\n")[2]!.match(/:(\d+):\d+\)?$/)![1]);
}
