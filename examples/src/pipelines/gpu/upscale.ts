// Upscaling with a model (ESRGAN-style), then resized to an exact size.
import { workflow } from "@comfy-ts/core";
import {
  ImageScale,
  ImageUpscaleWithModel,
  LoadImage,
  SaveImage,
  UpscaleModelLoader,
} from "../../generated/install-2025/nodes.js";

export const upscale = workflow(
  ({ image = "example.png", model = "4x-UltraSharp.pth", width = 2048, height = 2048 }) => {
    const upscaled = ImageUpscaleWithModel({
      upscale_model: UpscaleModelLoader({ model_name: model }),
      image: LoadImage({ image }, { title: "Image to upscale" }).IMAGE,
    });
    const exact = ImageScale({ image: upscaled, upscale_method: "lanczos", width, height, crop: "center" });
    return { image: SaveImage({ images: exact, filename_prefix: "upscale" }) };
  },
);
