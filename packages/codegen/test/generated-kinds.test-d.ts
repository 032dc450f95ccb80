import { type AnyOutput, type ListOutput, node, type Output } from "@comfy-ts/core";
import { describe, expectTypeOf, test } from "vitest";
import {
  BatchImages,
  Combos,
  ComfySwitchNode,
  Image_Resize_plus_2,
  type Inputs,
  nodes,
  SaveAudio,
  Sockets,
  Widgets,
} from "./generated/kinds/nodes.js";

// Types of the module generated from the hand-written catalog (the file snapshot in ./generated/kinds).
const image = node("LoadImage", { image: "x.png" })[0] as Output<"IMAGE">;
const mask = node("SolidMask", {})[0] as Output<"MASK">;

describe("widget inputs", () => {
  test("literal or link of the matching type; inputs with defaults may be left out; INT takes bigint", () => {
    const int = Widgets({ width: 64, text: "a" });
    expectTypeOf(int).toExtend<Output<"INT">>();
    Widgets({ width: int, text: "a", seed: 18446744073709551615n, cfg: 7.5, enabled: false, note: "n" });
    // @ts-expect-error width has no default: it is required
    Widgets({ text: "a" });
    // @ts-expect-error a string for an INT widget
    Widgets({ width: "64", text: "a" });
    // @ts-expect-error a MASK link into an INT widget
    Widgets({ width: mask, text: "a" });
  });

  test("hidden inputs are absent", () => {
    expectTypeOf<Inputs.Widgets>().not.toHaveProperty("prompt");
    expectTypeOf<Inputs.Widgets>().not.toHaveProperty("unique_id");
  });
});

describe("combos", () => {
  test("fixed combos are literal unions; file combos accept any string; capped lists accept any string", () => {
    Combos({
      sampler_name: "euler",
      ckpt_name: "mine.safetensors",
      image: "new.png",
      lora_name: "x",
      numbers: 4,
      preset: "anything",
      labels: ["red", "blue"],
    });
    Combos({
      sampler_name: "dpmpp_2m",
      mode: "disable",
      ckpt_name: "sd_xl_base_1.0.safetensors",
      image: "example.png",
      lora_name: "",
      numbers: 1,
      preset: "preset_000",
      labels: "green",
    });
    const base = { ckpt_name: "", image: "", lora_name: "", numbers: 1, preset: "", labels: "red" } as const;
    Combos({ ...base, sampler_name: "euler" });
    // @ts-expect-error not one of the fixed options
    Combos({ ...base, sampler_name: "nope" });
    // @ts-expect-error numeric combo options are numbers
    Combos({ ...base, sampler_name: "euler", numbers: 3 });
    expectTypeOf<Inputs.Combos["ckpt_name"]>().toExtend<string | Output<"COMBO">>();
    expectTypeOf<"sd_xl_base_1.0.safetensors">().toExtend<Inputs.Combos["ckpt_name"]>();
  });
});

describe("sockets", () => {
  test("links only; * takes any output; comma-joined types are unions with literals; forceInput is link only", () => {
    const int = Widgets({ width: 1, text: "" });
    Sockets({ image, anything: mask, value: "text", custom: node("X", {})[0], count: int });
    Sockets({ image, anything: int, value: 3, custom: node("X", {})[0], count: int, width: 512, mask });
    // @ts-expect-error forceInput: a literal is not accepted
    Sockets({ image, anything: mask, value: 1, custom: node("X", {})[0], count: 4 });
    // @ts-expect-error a MASK where an IMAGE is expected
    Sockets({ image: mask, anything: mask, value: 1, custom: node("X", {})[0], count: int });
  });
});

describe("outputs", () => {
  test("named, indexed, repeated, blank, list and * outputs", () => {
    const s = Sockets({
      image,
      anything: image,
      value: 1,
      custom: node("X", {})[0],
      count: Widgets({ width: 1, text: "" }),
    });
    expectTypeOf(s.IMAGE).toEqualTypeOf<Output<"IMAGE">>();
    expectTypeOf(s.IMAGE_2).toEqualTypeOf<Output<"IMAGE">>();
    expectTypeOf(s[2]).toEqualTypeOf<Output<"IMAGE">>();
    expectTypeOf(s[3]).toEqualTypeOf<ListOutput<"INT">>();
    expectTypeOf(s.choice).toEqualTypeOf<Output<"COMBO">>();
    expectTypeOf(s.any).toEqualTypeOf<AnyOutput>();
    expectTypeOf(s).not.toHaveProperty("7");
    expectTypeOf(s).not.toExtend<Output<"IMAGE">>();
  });

  test("a MatchType output fits any input", () => {
    const switched = ComfySwitchNode({ switch: true, on_false: image, on_true: mask });
    BatchImages({ "images.image_1": switched, "images.image_2": switched.output });
  });
});

describe("V3 dynamic inputs", () => {
  test("autogrow: dotted keys, the first `min` required", () => {
    BatchImages({ "images.image_1": image, "images.image_2": image, "masks.mask0": mask });
    // @ts-expect-error images.image_2 is required (min 2)
    BatchImages({ "images.image_1": image });
    // @ts-expect-error no entry beyond max
    BatchImages({ "images.image_1": image, "images.image_2": image, "masks.mask2": mask });
  });

  test("dynamic combo: the choice and its dotted child inputs", () => {
    const audio = node("LoadAudio", {})[0] as Output<"AUDIO">;
    SaveAudio({ audio, format: "mp3", "format.quality": "320k" });
    SaveAudio({ audio });
    // @ts-expect-error not a choice
    SaveAudio({ audio, format: "wav" });
  });
});

describe("naming", () => {
  test("names that are not identifiers, and the lookup by class_type", () => {
    expectTypeOf(nodes["Image Resize+"]).toEqualTypeOf(Image_Resize_plus_2);
    expectTypeOf(nodes["KSampler (Efficient)"]({ image })).toExtend<Output<"IMAGE">>();
    expectTypeOf(nodes["图像反转"]).not.toBeAny();
  });
});
