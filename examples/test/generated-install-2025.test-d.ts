import type { Output } from "@comfy-ts/core";
import { describe, expectTypeOf, test } from "vitest";
import {
  CheckpointLoaderSimple,
  CLIPTextEncode,
  EmptyLatentImage,
  type Inputs,
  KSampler,
  LoadImage,
  nodes,
} from "../src/generated/install-2025/nodes.js";

// Types of the module generated from install-2025-568-nodes.json (a real install).
describe("generated factories of a real install", () => {
  test("a typical graph type-checks; mistakes are errors", () => {
    const ckpt = CheckpointLoaderSimple({ ckpt_name: "any-file-on-my-machine.safetensors" });
    expectTypeOf(ckpt.MODEL).toEqualTypeOf<Output<"MODEL">>();
    const positive = CLIPTextEncode({ text: "a bottle", clip: ckpt.CLIP });
    const base = {
      model: ckpt.MODEL,
      positive,
      negative: positive,
      latent_image: EmptyLatentImage({}),
      scheduler: "karras",
    } as const;
    expectTypeOf(KSampler({ ...base, sampler_name: "dpmpp_2m", seed: 2n ** 63n })).toExtend<
      Output<"LATENT">
    >();
    // @ts-expect-error not a sampler of this server
    KSampler({ ...base, sampler_name: "euler_magic" });
    // @ts-expect-error a CLIP output into a MODEL input
    KSampler({ ...base, sampler_name: "euler", model: ckpt.CLIP });
    // @ts-expect-error the required `clip` is missing
    CLIPTextEncode({ text: "x" });
  });

  test("file combos offer the server's files and accept others; hidden inputs are absent", () => {
    expectTypeOf<"example.png">().toExtend<Inputs.LoadImage["image"]>();
    LoadImage({ image: "uploaded-later.png" });
    expectTypeOf<Inputs.LoadImage>().not.toHaveProperty("upload");
    expectTypeOf(nodes.KSampler).toEqualTypeOf(KSampler);
  });
});
