import { describe, expect, it } from "vitest";
import { pythonTraceback } from "../../src/execution/python-traceback.js";
import { tensor } from "../../src/tensor/tensor.js";

// The shape of every frame of ComfyUI's `execution_error.traceback` (see the 0.3.65 recordings).
const FRAME = /^ {2}File "[^"]+", line \d+, in [A-Za-z_][A-Za-z0-9_]*\n( {4}.*\n)+$/;

describe("pythonTraceback", () => {
  it.each([
    [
      "a model node",
      {
        classType: "KSampler",
        exceptionType: "NotImplementedError",
        message: "no models\n",
        inputs: { seed: [42], sampler_name: ["euler"], denoise: [1] },
      },
      [
        "outputs = KSampler(seed=42, sampler_name='euler', denoise=1)",
        "raise NotImplementedError('no models')",
      ],
    ],
    [
      "inputs unknown (the class is missing)",
      { classType: "Foo Bar+", exceptionType: "KeyError", message: "'Foo Bar+'" },
      ["outputs = Foo_Bar_()", `raise KeyError("'Foo Bar+'")`],
    ],
    [
      "booleans, None, lists, quotes and long values",
      {
        classType: "X",
        exceptionType: "ValueError",
        message: "bad\nsecond line",
        inputs: { on: [true], none: [null], many: [1, 2], text: ["it's"], long: ["y".repeat(100)] },
      },
      [
        `outputs = X(on=True, none=None, many=[1, 2], text="it's", long='${"y".repeat(58)}…)`,
        "raise ValueError('bad')",
      ],
    ],
  ])("%s", (_name, failure, [call, raise]) => {
    const tb = pythonTraceback(failure);
    expect(tb).toHaveLength(2);
    for (const frame of tb) expect(frame).toMatch(FRAME);
    expect(tb[0]).toBe(`  File "<comfy-ts local server>", line 1, in execute\n    ${call}\n`);
    expect(tb[1]!.split("\n")[1]).toBe(`    ${raise}`);
  });

  it("shows tensors by shape, never their data", () => {
    const image = tensor([2, 3, 4, 3]);
    const [call] = pythonTraceback({
      classType: "ImageBlur",
      exceptionType: "RuntimeError",
      message: "boom",
      inputs: { image: [image] },
    });
    expect(call).toContain("ImageBlur(image=<tensor shape=[2, 3, 4, 3] dtype=float32>)");
  });
});
