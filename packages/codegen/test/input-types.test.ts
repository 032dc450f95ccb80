import { parseCatalog } from "@comfy-ts/core";
import { describe, expect, test } from "vitest";
import { buildModule } from "../src/build-module.js";
import type { GenerateOptions } from "../src/options.js";

// The structures stage, one input at a time: [name, { given: the input spec, want: properties }].
interface Case {
  readonly given: unknown;
  readonly required?: boolean;
  readonly options?: GenerateOptions;
  readonly want: Record<string, string>;
}

/** `key?: type` for every property one input spec gives, through a one-node catalog. */
function properties(c: Case): Record<string, string> {
  const section = c.required === false ? "optional" : "required";
  const catalog = parseCatalog({
    Node: { input: { [section]: { x: c.given } }, output: [], output_name: [], name: "Node", category: "t" },
  });
  const [node] = buildModule(catalog, c.options).nodes;
  return Object.fromEntries(node!.inputs.map((i) => [`${i.key}${i.optional ? "?" : ""}`, i.type]));
}

describe("input types", () => {
  test.each<[string, Case]>([
    ["INT widget", { given: ["INT", { min: 0 }], want: { x: "$Int" } }],
    ["INT with a default is optional", { given: ["INT", { default: 3 }], want: { "x?": "$Int" } }],
    [
      "forceInput INT is link only, even with a default",
      { given: ["INT", { default: 3, forceInput: true }], want: { x: '$Link<"INT">' } },
    ],
    ["optional FLOAT", { given: ["FLOAT", {}], required: false, want: { "x?": "$Float" } }],
    ["STRING", { given: ["STRING", { multiline: true }], want: { x: "$String" } }],
    ["BOOLEAN", { given: ["BOOLEAN", {}], want: { x: "$Boolean" } }],
    ["legacy list combo", { given: [["a", "b"]], want: { x: '$Combo<"a" | "b">' } }],
    [
      "COMBO with options and a default",
      { given: ["COMBO", { options: ["a"], default: "a" }], want: { "x?": '$Combo<"a">' } },
    ],
    ["numeric combo", { given: [[1, 2]], want: { x: "$Combo<1 | 2>" } }],
    ["boolean values in a combo", { given: [[true, "auto"]], want: { x: '$Combo<"auto"> | boolean' } }],
    [
      "upload combo names files",
      { given: [["a.png"], { image_upload: true }], want: { x: '$File<"a.png">' } },
    ],
    [
      "model files by extension",
      { given: [["m.safetensors", "n.ckpt"]], want: { x: '$File<"m.safetensors" | "n.ckpt">' } },
    ],
    ["an empty list is an empty folder", { given: [[]], want: { x: "$File" } }],
    [
      "--file-values none",
      { given: [["m.safetensors"]], options: { fileValues: "none" }, want: { x: "$File" } },
    ],
    [
      "--file-input makes a list of names a file list",
      {
        given: [["alpha", "beta"]],
        options: { fileInputs: ["Node.x"] },
        want: { x: '$File<"alpha" | "beta">' },
      },
    ],
    [
      "--fixed-input wins over detection",
      { given: [["m.safetensors"]], options: { fixedInputs: ["x"] }, want: { x: '$Combo<"m.safetensors">' } },
    ],
    [
      "capped combo: first values, any string",
      { given: [["a", "b", "c"]], options: { maxComboValues: 2 }, want: { x: '$File<"a" | "b">' } },
    ],
    [
      "multiselect",
      {
        given: ["COMBO", { options: ["a", "b"], multiselect: true }],
        want: { x: '$Combo<"a" | "b"> | readonly ("a" | "b")[]' },
      },
    ],
    ["socket", { given: ["IMAGE"], want: { x: '$Link<"IMAGE">' } }],
    ["* takes any output", { given: ["*"], want: { x: "$Output" } }],
    ["comma-joined types", { given: ["IMAGE,MASK"], want: { x: '$Link<"IMAGE" | "MASK">' } }],
    [
      "comma-joined widget types take literals",
      { given: ["INT,FLOAT"], want: { x: 'number | bigint | $Link<"INT" | "FLOAT">' } },
    ],
    [
      "quotes and backslashes in types are escaped",
      { given: ['MY "TYPE"\\'], want: { x: '$Link<"MY \\"TYPE\\"\\\\">' } },
    ],
    [
      "autogrow with a prefix and no max: an index signature",
      {
        given: [
          "COMFY_AUTOGROW_V3",
          { template: { input: { required: { v: ["INT", {}] } }, prefix: "v", min: 1 } },
        ],
        want: { "x.v${number}?": "$Int" },
      },
    ],
  ])("%s", (_name, c) => {
    expect(properties(c)).toEqual(c.want);
  });
});
