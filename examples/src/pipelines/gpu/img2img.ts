// Image to image: an uploaded picture (POST /upload/image, then its name here) re-drawn at partial denoise.
import { workflow } from "@comfy-ts/core";
import {
  CheckpointLoaderSimple,
  CLIPTextEncode,
  KSampler,
  LoadImage,
  SaveImage,
  VAEDecode,
  VAEEncode,
} from "../../generated/install-2025/nodes.js";

export const img2img = workflow(
  ({
    seed = 7n,
    image = "example.png",
    prompt = "an oil painting, thick brush strokes",
    denoise = 0.55,
    checkpoint = "sd_xl_base_1.0.safetensors",
  }) => {
    const ckpt = CheckpointLoaderSimple({ ckpt_name: checkpoint });
    const source = LoadImage({ image }, { title: "Uploaded image" });
    const latent = KSampler({
      model: ckpt.MODEL,
      seed,
      steps: 30,
      cfg: 5.5,
      sampler_name: "euler",
      scheduler: "normal",
      positive: CLIPTextEncode({ text: prompt, clip: ckpt.CLIP }),
      negative: CLIPTextEncode({ text: "", clip: ckpt.CLIP }),
      latent_image: VAEEncode({ pixels: source.IMAGE, vae: ckpt.VAE }),
      denoise,
    });
    return {
      image: SaveImage({ images: VAEDecode({ samples: latent, vae: ckpt.VAE }), filename_prefix: "img2img" }),
    };
  },
);
