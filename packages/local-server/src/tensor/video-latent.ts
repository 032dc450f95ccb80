import { type Tensor, tensor } from "./tensor.js";

/** How a video model's VAE packs frames and pixels into latent cells. */
export interface VideoLatentLayout {
  readonly channels: number;
  /** Frames per latent frame after the first (the first frame is a latent frame of its own). */
  readonly framesPerLatent: number;
  /** Pixels per latent cell along each side. */
  readonly pixelsPerLatent: number;
}

/**
 * The zeros every `Empty…LatentVideo` node returns: `[batch, channels, (length − 1) // t + 1, height // s,
 * width // s]`, as ComfyUI's video modules (cosmos, hunyuan, lt, mochi) each write it.
 */
export function emptyVideoLatent(
  layout: VideoLatentLayout,
  size: {
    readonly width: number;
    readonly height: number;
    readonly length: number;
    readonly batch_size: number;
  },
): Tensor {
  const { channels, framesPerLatent, pixelsPerLatent } = layout;
  return tensor([
    size.batch_size,
    channels,
    Math.floor((size.length - 1) / framesPerLatent) + 1,
    Math.floor(size.height / pixelsPerLatent),
    Math.floor(size.width / pixelsPerLatent),
  ]);
}
