import { pyRound } from "@comfy-ts/core/python";
import { NodeExecutionError } from "../execution/node-impl.js";
import { channelsFirst, channelsLast } from "../tensor/ops.js";
import { contiguousStrides, nchwViewOfNhwc, nhwcAsNchwStrides, type Strides } from "../tensor/strides.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { bislerp } from "./bislerp.js";
import { pilResizeLanczos } from "./pil-resample.js";
import { interpolate, type TorchInterpolateMode } from "./torch-interpolate.js";

export type UpscaleMethod = TorchInterpolateMode | "lanczos" | "bislerp";
export type CropMode = "disabled" | "center";

export interface CommonUpscaleOptions {
  /**
   * Element strides of the NCHW view passed in (default: dense NCHW); an NHWC image moved with
   * `movedim(-1, 1)` has `nhwcAsNchwStrides`. The centre crop (`narrow`) keeps them, and torch's kernel
   * choice follows them.
   */
  readonly strides?: Strides;
}

/**
 * `comfy.utils.common_upscale(samples, width, height, upscale_method, crop)` on an NCHW tensor:
 * optional centre crop to the target aspect, then torch interpolation, PIL lanczos or bislerp.
 */
export function commonUpscale(
  samples: Tensor,
  width: number,
  height: number,
  method: UpscaleMethod,
  crop: CropMode,
  options: CommonUpscaleOptions = {},
): Tensor {
  let s = samples;
  if (crop === "center") {
    const [b, c, oh, ow] = samples.shape as [number, number, number, number];
    const oldAspect = ow / oh;
    const newAspect = width / height;
    let x = 0;
    let y = 0;
    if (oldAspect > newAspect) x = pyRound((ow - ow * (newAspect / oldAspect)) / 2);
    else if (oldAspect < newAspect) y = pyRound((oh - oh * (oldAspect / newAspect)) / 2);
    if (x !== 0 || y !== 0) {
      const nh = oh - 2 * y;
      const nw = ow - 2 * x;
      const out = new Float32Array(b * c * nh * nw);
      for (let p = 0; p < b * c; p++)
        for (let yy = 0; yy < nh; yy++)
          for (let xx = 0; xx < nw; xx++)
            out[(p * nh + yy) * nw + xx] = samples.data[(p * oh + yy + y) * ow + xx + x] as number;
      s = tensor([b, c, nh, nw], out);
    }
  }
  if (method === "lanczos") return lanczosUpscale(s, width, height);
  if (method === "bislerp") return bislerp(s, width, height);
  return interpolate(s, height, width, method, {
    strides: options.strides ?? contiguousStrides(samples.shape),
  });
}

/**
 * `comfy.utils.lanczos` on an NHWC image directly (what ImageScale and friends pass, moved to NCHW and
 * back): to 8 bits, Pillow's LANCZOS resize, back to float32 — without the two layout copies.
 */
export function lanczosUpscaleNhwc(image: Tensor, width: number, height: number, crop: CropMode): Tensor {
  const [b, h0, w0, c] = image.shape as [number, number, number, number];
  if (c !== 3 && c !== 4) {
    throw new NodeExecutionError("TypeError", `Cannot handle this data type: (1, 1, ${c}), |u1`);
  }
  let x0 = 0;
  let y0 = 0;
  if (crop === "center") {
    const oldAspect = w0 / h0;
    const newAspect = width / height;
    if (oldAspect > newAspect) x0 = pyRound((w0 - w0 * (newAspect / oldAspect)) / 2);
    else if (oldAspect < newAspect) y0 = pyRound((h0 - h0 * (oldAspect / newAspect)) / 2);
  }
  const h = h0 - 2 * y0;
  const w = w0 - 2 * x0;
  checkPilResize(h, w, width, height);
  const out = new Float32Array(b * height * width * c);
  const px = new Uint8Array(h * w * c);
  for (let n = 0; n < b; n++) {
    for (let y = 0; y < h; y++) {
      const src = ((n * h0 + y + y0) * w0 + x0) * c;
      for (let i = 0; i < w * c; i++) {
        const v = Math.fround(255 * (image.data[src + i] as number));
        px[y * w * c + i] = v < 0 ? 0 : v > 255 ? 255 : Math.trunc(v);
      }
    }
    const r = pilResizeLanczos(px, w, h, c, width, height);
    const base = n * height * width * c;
    for (let i = 0; i < r.length; i++) out[base + i] = Math.fround((r[i] as number) / 255);
  }
  return tensor([b, height, width, c], out);
}

/** PIL's errors, in its order, for `Image.fromarray` of an h×w image then `resize((width, height))`. */
function checkPilResize(h: number, w: number, width: number, height: number): void {
  if (h === 0 || w === 0) throw new NodeExecutionError("ValueError", "tile cannot extend outside image");
  if (width <= 0 || height <= 0) throw new NodeExecutionError("ValueError", "height and width must be > 0");
}

function lanczosUpscale(s: Tensor, width: number, height: number): Tensor {
  const [b, c, h, w] = s.shape as [number, number, number, number];
  if (c !== 3 && c !== 4) {
    throw new NodeExecutionError("TypeError", `Cannot handle this data type: (1, 1, ${c}), |u1`);
  }
  checkPilResize(h, w, width, height);
  const out = new Float32Array(b * c * height * width);
  for (let n = 0; n < b; n++) {
    const px = new Uint8Array(h * w * c);
    for (let k = 0; k < c; k++)
      for (let i = 0; i < h * w; i++) {
        const v = Math.fround(255 * (s.data[(n * c + k) * h * w + i] as number));
        px[i * c + k] = v < 0 ? 0 : v > 255 ? 255 : Math.trunc(v);
      }
    const r = pilResizeLanczos(px, w, h, c, width, height);
    for (let k = 0; k < c; k++)
      for (let i = 0; i < height * width; i++)
        out[(n * c + k) * height * width + i] = Math.fround((r[i * c + k] as number) / 255);
  }
  return tensor([b, c, height, width], out);
}

/** `common_upscale` of an NHWC image (moved to NCHW and back, as the nodes do). */
export function upscaleImage(
  image: Tensor,
  width: number,
  height: number,
  method: string,
  crop: string,
): Tensor {
  if (method === "lanczos") return lanczosUpscaleNhwc(image, width, height, crop as CropMode);
  return channelsLast(
    commonUpscale(channelsFirst(image), width, height, method as UpscaleMethod, crop as CropMode, {
      strides: image.strides ? nchwViewOfNhwc(image.strides) : nhwcAsNchwStrides(image.shape),
    }),
  );
}
