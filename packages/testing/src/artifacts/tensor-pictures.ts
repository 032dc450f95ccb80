import type { TensorSamples } from "../compare/samples.js";
import type { Picture } from "./raster-pictures.js";

/**
 * A latent as a grid of per-channel images: shape `[batch, channels, (frames,) height, width]`, every
 * channel of the first batch item (first frame) side by side, each normalised to its own min…max. With
 * `against`, the |Δ| of each channel instead (scaled to the largest |Δ| of all channels, red).
 */
export function tensorPicture(tensor: TensorSamples, against?: TensorSamples): Picture | undefined {
  const { shape } = tensor;
  if (shape.length < 3) return undefined;
  const width = shape[shape.length - 1]!;
  const height = shape[shape.length - 2]!;
  const channels = shape.length >= 4 ? shape[1]! : shape[0]!;
  // Elements between one channel and the next: everything after the channel axis.
  const channelStride = shape.slice(shape.length >= 4 ? 2 : 1).reduce((a, b) => a * b, 1);
  if (width === 0 || height === 0 || channels === 0) return undefined;
  const gap = 2;
  const outWidth = channels * width + (channels - 1) * gap;
  const out = new Uint8Array(outWidth * height * 4);
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  const value = (t: TensorSamples, c: number, p: number) => t.values[c * channelStride + p]!;
  let peak = 0;
  if (against) {
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < width * height; p++)
        peak = Math.max(peak, Math.abs(value(tensor, c, p) - value(against, c, p)) || 0);
    }
  }
  for (let c = 0; c < channels; c++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    if (!against) {
      for (let p = 0; p < width * height; p++) {
        const v = value(tensor, c, p);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    for (let p = 0; p < width * height; p++) {
      const o = (Math.floor(p / width) * outWidth + c * (width + gap) + (p % width)) * 4;
      if (against) {
        const d = Math.abs(value(tensor, c, p) - value(against, c, p)) || 0;
        out[o] = Math.round(255 * (peak ? d / peak : 0));
      } else {
        const g = hi > lo ? Math.round((255 * (value(tensor, c, p) - lo)) / (hi - lo)) : 128;
        out[o] = out[o + 1] = out[o + 2] = g;
      }
    }
  }
  return { width: outWidth, height, data: out };
}
