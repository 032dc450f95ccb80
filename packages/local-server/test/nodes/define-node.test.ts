import { ComfyError } from "@comfy-ts/core";
import { PyFloat } from "@comfy-ts/core/python";
import { describe, expect, it } from "vitest";
import {
  defineNode,
  FILES,
  FLOAT,
  INT,
  NodeDefinitionError,
  NodeInputError,
  STRING,
  T,
  U64_MAX,
  V3COMBO,
} from "../../src/index.js";
import { testContext } from "./run-node.js";

const echo = defineNode(
  {
    name: "Echo",
    category: "tests",
    module: "tests",
    required: {
      width: INT({ default: 1, min: 1, max: 16384 }),
      seed: INT({ default: 0, min: 0, max: U64_MAX }),
      scale: FLOAT({ default: 1, min: 0, max: 10 }),
      text: STRING({}),
    },
    optional: { image: T("IMAGE") },
    outputs: [["INT"], ["INT"], ["FLOAT"], ["STRING"]],
  },
  (inputs) => ({ outputs: [inputs.width, inputs.seed, inputs.scale, inputs.text] }),
);

describe("defineNode", () => {
  it("passes checked values on; Python floats from PrimitiveFloat arrive as numbers", async () => {
    const result = await echo.execute(
      { width: 8, seed: 2n ** 60n, scale: new PyFloat(2), text: "hi" },
      testContext(),
    );
    expect(result.outputs).toEqual([8, 2n ** 60n, 2, "hi"]);
  });

  it("turns a linked bigint into a number where the bounds are numbers", async () => {
    const result = await echo.execute({ width: 2n ** 60n, seed: 3, scale: 1, text: "" }, testContext());
    expect(result.outputs?.[0]).toBe(2 ** 60);
  });

  it("names node, input and kind when a link brings a value of another kind", async () => {
    const run = async () =>
      echo.execute({ width: "8", seed: 0, scale: 1, text: "" }, testContext({ nodeId: "7" }));
    await expect(run).rejects.toThrow(NodeInputError);
    await expect(run).rejects.toThrow(/node 7 \(Echo\) input "width": expected an INT, got string 8/);
    await expect(run).rejects.toMatchObject({ code: "NODE_INPUT_KIND", input: "width", nodeId: "7" });
    await expect(run).rejects.toBeInstanceOf(ComfyError);
  });

  it("checks every element of the lists an inputIsList node receives", async () => {
    const lists = defineNode(
      {
        name: "Lists",
        category: "tests",
        module: "tests",
        inputIsList: true,
        required: { n: INT({ min: 0, max: 9 }) },
      },
      (inputs) => ({ outputs: [inputs.n.reduce((a, b) => a + b, 0)] }),
    );
    expect(lists.inputIsList).toBe(true);
    expect((await lists.execute({ n: [1, 2n, 3] }, testContext())).outputs).toEqual([6]);
    await expect(async () => lists.execute({ n: [1, true] }, testContext())).rejects.toThrow(
      /got boolean true/,
    );
  });

  it("lists file combos from the server's folders at each request; V3 combos as ComfyUI sends them", () => {
    const node = defineNode(
      {
        name: "Files",
        category: "tests",
        module: "tests",
        required: { file: FILES((env) => env.inputFiles(), { image_upload: true }), mode: V3COMBO(["a"]) },
      },
      () => ({}),
    );
    const def = node.define({ inputFiles: () => ["a.png", "b.png"] });
    expect(def.input).toEqual({
      required: {
        file: [["a.png", "b.png"], { image_upload: true }],
        mode: ["COMBO", { multiselect: false, options: ["a"] }],
      },
    });
    expect(node.define({ inputFiles: () => [] }).input).toMatchObject({
      required: { file: [[], { image_upload: true }] },
    });
  });

  it("refuses an INT bound a JS number cannot hold exactly", () => {
    expect(() => INT({ max: 2 ** 64 })).toThrow(NodeDefinitionError);
    expect(() => INT({ max: 2 ** 64 })).toThrow(
      /INT max 18446744073709552000 is not a safe integer: write it as a bigint/,
    );
  });
});
