import { type AnyOutput, defineNode, type Link, node, type Output, workflow } from "@comfy-ts/core";
import { describe, expectTypeOf, test } from "vitest";
import {
  EmptyImage,
  ImageAddNoise,
  ImageToMask,
  OddOutputs,
  SaveImage,
  SplitImageWithAlpha,
} from "../support/image-nodes.js";
import { CheckpointLoaderSimple, CLIPTextEncode, EmptyLatentImage, KSampler } from "../support/seed-nodes.js";

describe("node handles", () => {
  test("a one-output node is that output", () => {
    expectTypeOf(EmptyImage({})).toExtend<Output<"IMAGE">>();
    expectTypeOf(EmptyImage({}).IMAGE).toEqualTypeOf<Output<"IMAGE">>();
    expectTypeOf(EmptyImage({})[0]).toEqualTypeOf<Output<"IMAGE">>();
  });

  test("a several-output node exposes outputs by name and index, and is not itself an output", () => {
    const ckpt = CheckpointLoaderSimple({ ckpt_name: "x.safetensors" });
    expectTypeOf(ckpt.MODEL).toEqualTypeOf<Output<"MODEL">>();
    expectTypeOf(ckpt[1]).toEqualTypeOf<Output<"CLIP">>();
    expectTypeOf(ckpt.VAE).toEqualTypeOf<Output<"VAE">>();
    expectTypeOf(ckpt).not.toExtend<Output<"MODEL">>();
  });

  test("repeated output names: the first by name, every one by index", () => {
    const odd = OddOutputs({});
    expectTypeOf(odd[0]).toEqualTypeOf<Output<"INT">>();
    expectTypeOf(odd[1]).toEqualTypeOf<Output<"FLOAT">>();
  });

  test("untyped nodes give `*` outputs that fit any input", () => {
    const custom = node("Image Resize+", { anything: 1 });
    expectTypeOf(custom[3]).toEqualTypeOf<AnyOutput>();
    SaveImage({ images: custom });
    SaveImage({ images: custom[1] });
  });
});

describe("inputs", () => {
  test("widget inputs take a literal or a link of the matching type; INT takes bigint", () => {
    const image = EmptyImage({ width: 64, height: 2n ** 10n });
    ImageAddNoise({ image, seed: 18446744073709551615n, strength: 0.25 });
    const primitiveInt = node("PrimitiveInt", { value: 5 })[0];
    ImageAddNoise({ image, seed: primitiveInt });
    const ckpt = CheckpointLoaderSimple({ ckpt_name: "anything-on-this-machine.safetensors" });
    KSampler({
      model: ckpt.MODEL,
      sampler_name: "euler",
      scheduler: "karras",
      positive: CLIPTextEncode({ text: "a bottle", clip: ckpt.CLIP }),
      negative: CLIPTextEncode({ text: "", clip: ckpt.CLIP }),
      latent_image: EmptyLatentImage({}),
    });
  });

  test("wrong link types, wrong literals, missing and unknown inputs are errors", () => {
    const image = EmptyImage({});
    const ckpt = CheckpointLoaderSimple({ ckpt_name: "x" });
    KSampler({
      // @ts-expect-error a LATENT output into a MODEL input
      model: EmptyLatentImage({}),
      sampler_name: "euler",
      scheduler: "karras",
      positive: CLIPTextEncode({ text: "", clip: ckpt.CLIP }),
      negative: CLIPTextEncode({ text: "", clip: ckpt.CLIP }),
      latent_image: EmptyLatentImage({}),
    });
    // @ts-expect-error a node with several outputs where one is expected
    SaveImage({ images: SplitImageWithAlpha({ image }) });
    // @ts-expect-error not one of the fixed combo options
    ImageToMask({ image, channel: "purple" });
    // @ts-expect-error a string literal for an INT input
    EmptyImage({ width: "64" });
    // @ts-expect-error the required input `image` is missing
    ImageToMask({ channel: "red" });
    // @ts-expect-error no such input
    EmptyImage({ widht: 64 });
  });

  test("hand-written factories infer their handle type from the spec", () => {
    const Blend = defineNode<{ a: Link<"IMAGE">; b: Link<"IMAGE"> }>()({
      classType: "ImageBlend",
      outputs: [["IMAGE", "IMAGE"]],
    });
    expectTypeOf(Blend({ a: EmptyImage({}), b: EmptyImage({}) })).toExtend<Output<"IMAGE">>();
  });

  test("workflow parameters are optional and typed from their defaults", () => {
    const w = workflow(({ seed = 42n, prompt = "a bottle" }) => ({ seed, prompt }));
    w();
    w({ seed: 7n });
    // @ts-expect-error seed is a bigint
    w({ seed: "7" });
  });
});
