import { compile, node, workflow } from "@comfy-ts/core";
import { readSeedPromptBody, sharedPath } from "@comfy-ts/test-support";
import { describe, expect, test } from "vitest";
import {
  CheckpointLoaderSimple,
  CLIPTextEncode,
  CLIPVisionEncode,
  CLIPVisionLoader,
  ConditioningZeroOut,
  ControlNetApply,
  ControlNetLoader,
  EmptyLatentImage,
  HEDPreprocessor,
  KSampler,
  LoadImage,
  PreviewImage,
  SaveImage,
  ScribblePreprocessor,
  unCLIPConditioning,
  VAEDecode,
} from "../support/seed-nodes.js";

// The seed document's SDXL unCLIP + ControlNet graph, written as TypeScript on hand-written factories.
// Ids are pinned to the seed's so the prompt can be compared key for key.
const seedGraph = workflow(({ seed = 764714814161513, withDanglingNode = false }) => {
  const ckpt = CheckpointLoaderSimple({ ckpt_name: "sd_xl_base_1.0.safetensors" }, { id: 40 });
  const clipVision = CLIPVisionLoader({ clip_name: "clip_vision_g.safetensors" }, { id: 39 });
  // The seed's LoadImage nodes carry the editor's legacy upload-button widget as an input.
  const upload = { "choose file to upload": "image" };
  const mask = LoadImage(
    { image: "clipspace/clipspace-mask-1645940.7000000002.png [input]" },
    { id: 34, extraInputs: upload },
  );
  const photo = LoadImage({ image: "beijing1 (2).webp" }, { id: 38, extraInputs: upload });

  const negative = CLIPTextEncode({ text: "", clip: ckpt.CLIP }, { id: 6 });
  const zero = ConditioningZeroOut({ conditioning: negative }, { id: 42 });
  const first = unCLIPConditioning(
    {
      conditioning: zero,
      clip_vision_output: CLIPVisionEncode({ clip_vision: clipVision, image: mask.IMAGE }, { id: 13 }),
      strength: 1,
      noise_augmentation: 0,
    },
    { id: 19 },
  );
  const second = unCLIPConditioning(
    {
      conditioning: first,
      clip_vision_output: CLIPVisionEncode({ clip_vision: clipVision, image: photo.IMAGE }, { id: 36 }),
      strength: 0.75,
      noise_augmentation: 0,
    },
    { id: 37 },
  );
  const scribble = ScribblePreprocessor({ image: mask.IMAGE }, { id: 47 });
  const positive = ControlNetApply(
    {
      conditioning: second,
      control_net: ControlNetLoader(
        { control_net_name: "control-lora-depth-rank256.safetensors" },
        { id: 46 },
      ),
      image: scribble,
      strength: 0.5,
    },
    { id: 49 },
  );
  const latent = KSampler(
    {
      seed,
      steps: 26,
      cfg: 5,
      sampler_name: "dpmpp_3m_sde_gpu",
      scheduler: "karras",
      denoise: 1,
      model: ckpt.MODEL,
      positive,
      negative,
      latent_image: EmptyLatentImage({ width: 1024, height: 768, batch_size: 1 }, { id: 5 }),
    },
    { id: 3 },
  );
  if (withDanglingNode) {
    // Node 43 of the seed: a HEDPreprocessor left without its required image. Its type would not allow
    // that, so it goes through the untyped escape hatch; only `prune: false` keeps it.
    node("HEDPreprocessor", { safe: "enable" }, { id: 43 });
  }
  return {
    image: SaveImage(
      { filename_prefix: "ComfyUI", images: VAEDecode({ samples: latent, vae: ckpt.VAE }, { id: 8 }) },
      { id: 9 },
    ),
    hed: PreviewImage(
      { images: HEDPreprocessor({ safe: "enable", image: mask.IMAGE }, { id: 44 }) },
      { id: 45 },
    ),
    scribble: PreviewImage({ images: scribble }, { id: 48 }),
  };
});

const seedFile = sharedPath("seed", "comfyui-api-doc-2023.txt");

describe.skipIf(!seedFile)(
  `seed document example graph${seedFile ? "" : " [skipped: ../shared/seed not found beside the checkout]"}`,
  () => {
    const expected = seedFile ? readSeedPromptBody(seedFile).prompt : {};

    test("compiles to the seed's prompt, without the dangling node 43 (pruned: no output depends on it)", () => {
      const { 43: dangling, ...withoutDangling } = expected;
      expect(dangling).toEqual({ inputs: { safe: "enable" }, class_type: "HEDPreprocessor" });
      expect(compile(seedGraph({ withDanglingNode: true }))).toEqual(withoutDangling);
    });

    test("with prune: false, keeps node 43 and equals the seed's prompt exactly", () => {
      expect(compile(seedGraph({ withDanglingNode: true }), { prune: false })).toEqual(expected);
    });
  },
);
