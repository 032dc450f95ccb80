import { parseCatalog, validate, workflow } from "@comfy-ts/core";
import { describe, expect, test } from "vitest";
import { EmptyImage, ImageInvert, SaveImage } from "../support/image-nodes.js";

// A tiny catalog written by hand: enough to validate the graphs below.
const catalog = parseCatalog({
  EmptyImage: {
    input: {
      required: {
        width: ["INT", { default: 512, min: 1, max: 16384 }],
        height: ["INT", { default: 512, min: 1, max: 16384 }],
        batch_size: ["INT", { default: 1, min: 1, max: 4096 }],
        color: ["INT", { default: 0, min: 0, max: 16777215 }],
      },
    },
    output: ["IMAGE"],
    output_is_list: [false],
    output_name: ["IMAGE"],
    name: "EmptyImage",
    display_name: "EmptyImage",
    description: "",
    category: "image",
    output_node: false,
  },
  ImageInvert: {
    input: { required: { image: ["IMAGE"] } },
    output: ["IMAGE"],
    output_is_list: [false],
    output_name: ["IMAGE"],
    name: "ImageInvert",
    display_name: "Invert Image",
    description: "",
    category: "image",
    output_node: false,
  },
  SaveImage: {
    input: {
      required: { images: ["IMAGE"], filename_prefix: ["STRING", { default: "ComfyUI" }] },
      hidden: { prompt: "PROMPT" },
    },
    output: [],
    output_is_list: [],
    output_name: [],
    name: "SaveImage",
    display_name: "Save Image",
    description: "",
    category: "image",
    output_node: true,
  },
});

describe("validate()", () => {
  test("a valid workflow, compiled on the way", () => {
    const result = validate(
      workflow(() => ({ out: SaveImage({ images: ImageInvert({ image: EmptyImage({}) }) }) })),
      catalog,
    );
    expect(result.valid).toBe(true);
  });

  test("problems name the node and the author's file:line", () => {
    const result = validate(
      workflow(() => ({
        out: SaveImage({ images: ImageInvert({ image: EmptyImage({ width: 0, height: 99999 }) }) }),
      })),
      catalog,
    );
    expect(result.valid).toBe(false);
    expect(result.nodeErrors["1"]?.errors.map((e) => e.type)).toEqual([
      "value_smaller_than_min",
      "value_bigger_than_max",
    ]);
    expect(result.issues[0]?.location?.file).toBe("packages/core/test/compile/validate-graph.test.ts");
  });

  test("a record of outputs with other values beside them is compiled, not read as an API prompt", () => {
    const outputs = { out: SaveImage({ images: EmptyImage({ width: 0 }) }), label: "poster" };
    const result = validate(outputs as unknown as Parameters<typeof validate>[0], catalog);
    expect(result.error?.type).toBe("prompt_outputs_failed_validation");
    expect(result.nodeErrors["1"]?.errors.map((e) => e.type)).toEqual(["value_smaller_than_min"]);
  });

  test("API prompts are validated as they are", () => {
    const result = validate(
      {
        "1": { class_type: "ImageInvert", inputs: {} },
        "2": { class_type: "SaveImage", inputs: { images: ["1", 0] } },
      },
      catalog,
    );
    expect(result.nodeErrors["1"]?.errors[0]?.type).toBe("required_input_missing");
  });
});
