// Text to image with SDXL base: the smallest real pipeline.
import { workflow } from "@comfy-ts/core";
import {
  CheckpointLoaderSimple,
  CLIPTextEncode,
  EmptyLatentImage,
  KSampler,
  SaveImage,
  VAEDecode,
} from "../../generated/install-2025/nodes.js";

export const txt2img = workflow(
  ({
    seed = 42n,
    prompt = "a glass bottle on a wooden table, studio light",
    negative = "blurry, low quality",
    checkpoint = "sd_xl_base_1.0.safetensors",
    width = 1024,
    height = 1024,
  }) => {
    const ckpt = CheckpointLoaderSimple({ ckpt_name: checkpoint });
    const latent = KSampler({
      model: ckpt.MODEL,
      seed,
      steps: 25,
      cfg: 6,
      sampler_name: "dpmpp_2m",
      scheduler: "karras",
      positive: CLIPTextEncode({ text: prompt, clip: ckpt.CLIP }),
      negative: CLIPTextEncode({ text: negative, clip: ckpt.CLIP }),
      latent_image: EmptyLatentImage({ width, height }),
    });
    return {
      image: SaveImage({ images: VAEDecode({ samples: latent, vae: ckpt.VAE }), filename_prefix: "txt2img" }),
    };
  },
);
