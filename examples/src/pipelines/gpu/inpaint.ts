// Inpainting: an uploaded image and an uploaded mask (white = repaint), through VAEEncodeForInpaint.
import { workflow } from "@comfy-ts/core";
import {
  CheckpointLoaderSimple,
  CLIPTextEncode,
  KSampler,
  LoadImage,
  LoadImageMask,
  SaveImage,
  VAEDecode,
  VAEEncodeForInpaint,
} from "../../generated/install-2025/nodes.js";

export const inpaint = workflow(
  ({
    seed = 1234n,
    image = "example.png",
    mask = "example-mask.png",
    prompt = "a bouquet of sunflowers",
    checkpoint = "sd_xl_base_1.0.safetensors",
  }) => {
    const ckpt = CheckpointLoaderSimple({ ckpt_name: checkpoint });
    const source = LoadImage({ image }, { title: "Image to repaint" });
    const region = LoadImageMask({ image: mask, channel: "red" }, { title: "Repaint mask" });
    const latent = KSampler({
      model: ckpt.MODEL,
      seed,
      steps: 28,
      cfg: 6,
      sampler_name: "euler",
      scheduler: "normal",
      positive: CLIPTextEncode({ text: prompt, clip: ckpt.CLIP }),
      negative: CLIPTextEncode({ text: "", clip: ckpt.CLIP }),
      latent_image: VAEEncodeForInpaint({
        pixels: source.IMAGE,
        vae: ckpt.VAE,
        mask: region,
        grow_mask_by: 8,
      }),
    });
    return {
      image: SaveImage({ images: VAEDecode({ samples: latent, vae: ckpt.VAE }), filename_prefix: "inpaint" }),
    };
  },
);
