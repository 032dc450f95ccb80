import { PyFloat, pyFloatRepr, pyJsonDumps, pyStr } from "@comfy-ts/core/python";
import { describe, expect, it } from "vitest";
import { heldPrompt, isChangedEntry } from "../../src/execution/held-prompt.js";
import { NodeRegistry } from "../../src/execution/node-registry.js";
import { listedOnlyNodes, nodeImpls } from "../../src/nodes/index.js";
import { tensor } from "../../src/tensor/tensor.js";
import { torchRepr } from "../../src/tensor/torch-repr.js";

describe("Python reprs", () => {
  it.each([
    [3, "3.0"],
    [0.1, "0.1"],
    [1e-7, "1e-07"],
    [-1.5e17, "-1.5e+17"],
    [1e16, "1e+16"],
    [123456789012345.6, "123456789012345.6"],
    [0.0001, "0.0001"],
    [-0, "-0.0"],
  ])("repr(float %s) = %s", (x, want) => {
    expect(pyFloatRepr(x)).toBe(want);
  });

  it.each([
    [true, "True"],
    [false, "False"],
    [7, "7"],
    [new PyFloat(7), "7.0"],
    [-9007199254740993n, "-9007199254740993"],
    [null, "None"],
  ])("str(%s)", (v, want) => {
    expect(pyStr(v)).toBe(want);
  });

  it("json.dumps uses Python's separators and escapes non-ASCII", () => {
    expect(pyJsonDumps({ a: [1, "é", true, null], b: new PyFloat(2), c: 18446744073709551615n })).toBe(
      '{"a": [1, "\\u00e9", true, null], "b": 2.0, "c": 18446744073709551615}',
    );
  });
});

describe("torch tensor repr", () => {
  it.each([
    [
      [14.6146, 6.0822, 2.2322, 0.6926, 0.1698, 0.0292, 0],
      "tensor([14.6146,  6.0822,  2.2322,  0.6926,  0.1698,  0.0292,  0.0000])",
    ],
    [[1, 2, 30], "tensor([ 1.,  2., 30.])"],
    [[1e-5, 1], "tensor([1.0000e-05, 1.0000e+00])"],
  ])("%j", (values, want) => {
    expect(torchRepr(tensor([values.length], Float32Array.from(values)))).toBe(want);
  });

  it("wraps at 80 columns with the tensor( indent", () => {
    const text = torchRepr(
      tensor(
        [12],
        Float32Array.from({ length: 12 }, (_, i) => i + 0.5),
      ),
    );
    expect(text.split("\n")[1]?.startsWith("        ")).toBe(true);
  });
});

describe("prompt as Python holds it", () => {
  const catalog = new NodeRegistry(nodeImpls, listedOnlyNodes).catalog({ inputFiles: () => [] });

  it("prints FLOAT inputs as floats, by the server's node definitions", () => {
    const prompt = {
      "2": { inputs: { image: ["1", 0], seed: 7, strength: 1 }, class_type: "ImageAddNoise" },
    };
    expect(pyJsonDumps(heldPrompt(prompt, catalog, new Map()))).toBe(
      '{"2": {"inputs": {"image": ["1", 0], "seed": 7, "strength": 1.0}, "class_type": "ImageAddNoise"}}',
    );
  });

  it("appends each IS_CHANGED result as ComfyUI stores it", () => {
    const prompt = { "1": { inputs: { image: "a.png" }, class_type: "LoadImage" } };
    const isChanged = new Map([["1", isChangedEntry({ value: "abc" })]]);
    expect(pyJsonDumps(heldPrompt(prompt, catalog, isChanged))).toBe(
      '{"1": {"inputs": {"image": "a.png"}, "class_type": "LoadImage", "is_changed": ["abc"]}}',
    );
    expect(pyJsonDumps(isChangedEntry({ threw: true }))).toBe("NaN");
  });
});
