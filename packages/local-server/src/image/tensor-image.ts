import type { PngPixels } from "@comfy-ts/core/png";
import { type Tensor, tensor } from "../tensor/tensor.js";

/** One image `[H, W, C]` of a batch as ComfyUI saves it: `clip(255. * x, 0, 255).astype(uint8)` (truncation). */
export function imageToPixels(
  images: Tensor,
  index: number,
): PngPixels & { readonly channels: 1 | 2 | 3 | 4 } {
  const [, h, w, c] = images.shape as [number, number, number, number];
  if (c < 1 || c > 4) throw new Error(`cannot save an image with ${c} channels`);
  const per = h * w * c;
  const data = new Uint8Array(per);
  for (let i = 0; i < per; i++) {
    const v = Math.fround(255 * (images.data[index * per + i] as number));
    data[i] = v > 0 ? (v < 255 ? Math.trunc(v) : 255) : 0;
  }
  return { width: w, height: h, channels: c as 1 | 2 | 3 | 4, data };
}

/** 8-bit samples to a float32 tensor `[1, H, W, C]`, each value `v / 255` in float32. */
export function pixelsToImage(
  data: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
): Tensor {
  const out = new Float32Array(width * height * channels);
  for (let i = 0; i < out.length; i++) out[i] = (data[i] as number) / 255;
  return tensor([1, height, width, channels], out);
}
