import { pyRound } from "@comfy-ts/core/python";
import { NodeExecutionError } from "../execution/node-impl.js";
import { mapToPalette, mapToPaletteFloydSteinberg, medianCutPalette } from "../image/median-cut.js";
import { upscaleImage } from "../resample/common-upscale.js";
import { broadcastMap, broadcastShape } from "../tensor/broadcast.js";
import { convolveReflect, gaussianKernel } from "../tensor/conv.js";
import { imageAlphaFix } from "../tensor/image-alpha-fix.js";
import { clamp01, dim, f32 } from "../tensor/ops.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { torchSum } from "../tensor/torch-sum.js";
import { defineNode, FLOAT, INT, isListed, out, T, V3COMBO } from "./define.js";

// comfy_extras/nodes_post_processing.py

const MOD = "comfy_extras.nodes_post_processing";
const CAT = "image/postprocessing";

const BLEND_MODES = ["normal", "multiply", "screen", "overlay", "soft_light", "difference"] as const;

function softLightG(x: number): number {
  return x <= 0.25 ? f32(f32(f32(f32(f32(16 * x) - 12) * x) + 4) * x) : f32(Math.sqrt(x));
}

function blendPixel(a: number, b: number, mode: string): number {
  switch (mode) {
    case "normal":
      return b;
    case "multiply":
      return f32(a * b);
    case "screen":
      return f32(1 - f32(f32(1 - a) * f32(1 - b)));
    case "overlay":
      return a <= 0.5 ? f32(f32(2 * a) * b) : f32(1 - f32(f32(2 * f32(1 - a)) * f32(1 - b)));
    case "soft_light":
      return b <= 0.5
        ? f32(a - f32(f32(f32(1 - f32(2 * b)) * a) * f32(1 - a)))
        : f32(a + f32(f32(f32(2 * b) - 1) * f32(softLightG(a) - a)));
    case "difference":
      return f32(a - b);
    default:
      throw new NodeExecutionError("ValueError", `Unsupported blend mode: ${mode}`);
  }
}

const imageBlend = defineNode(
  {
    name: "ImageBlend",
    category: CAT,
    module: MOD,
    v3: true,
    required: {
      image1: T("IMAGE", {}),
      image2: T("IMAGE", {}),
      blend_factor: FLOAT({ default: 0.5, min: 0.0, max: 1.0, step: 0.01 }),
      blend_mode: V3COMBO(BLEND_MODES),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const [a, fitted] = imageAlphaFix(inputs.image1, inputs.image2);
    const b =
      a.shape.join() === fitted.shape.join()
        ? fitted
        : upscaleImage(fitted, dim(a, 2), dim(a, 1), "bicubic", "center");
    const mode = inputs.blend_mode;
    if (!isListed(BLEND_MODES, mode))
      throw new NodeExecutionError("ValueError", `Unsupported blend mode: ${String(mode)}`);
    // Batches and channel counts that differ broadcast as torch does; the first operation that cannot
    // broadcast names its operands in its own order (soft_light's first one starts from image2).
    if (mode === "soft_light") broadcastShape(b.shape, a.shape);
    const keep = f32(1 - inputs.blend_factor);
    const bf = f32(inputs.blend_factor);
    return out(broadcastMap(a, b, (x, y) => clamp01(f32(f32(x * keep) + f32(blendPixel(x, y, mode) * bf)))));
  },
);

const imageBlur = defineNode(
  {
    name: "ImageBlur",
    category: CAT,
    module: MOD,
    v3: true,
    required: {
      image: T("IMAGE", {}),
      blur_radius: INT({ default: 1, min: 1, max: 31, step: 1 }),
      sigma: FLOAT({ default: 1.0, min: 0.1, max: 10.0, step: 0.1 }),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const r = inputs.blur_radius;
    if (r === 0) return out(image);
    return out(convolveReflect(image, gaussianKernel(2 * r + 1, inputs.sigma), r));
  },
);

const imageSharpen = defineNode(
  {
    name: "ImageSharpen",
    category: CAT,
    module: MOD,
    v3: true,
    required: {
      image: T("IMAGE", {}),
      sharpen_radius: INT({ default: 1, min: 1, max: 31, step: 1 }),
      sigma: FLOAT({ default: 1.0, min: 0.1, max: 10.0, step: 0.01 }),
      alpha: FLOAT({ default: 1.0, min: 0.0, max: 5.0, step: 0.01 }),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const r = inputs.sharpen_radius;
    if (r === 0) return out(image);
    const size = 2 * r + 1;
    const scale = f32(-(inputs.alpha * 10));
    const kernel = gaussianKernel(size, inputs.sigma).map((v) => f32(v * scale));
    const center = r * size + r;
    kernel[center] = f32(f32((kernel[center] as number) - torchSum(kernel)) + 1);
    const sharpened = convolveReflect(image, kernel, r);
    // `torch.clamp` of that view allocates its result dense in the view's own axis order (NCHW).
    const [, h, w, c] = sharpened.shape as [number, number, number, number];
    return out({
      ...tensor(sharpened.shape, sharpened.data.map(clamp01)),
      strides: [c * h * w, w, 1, h * w],
    });
  },
);

const imageScaleToTotalPixels = defineNode(
  {
    name: "ImageScaleToTotalPixels",
    category: "image/upscaling",
    module: MOD,
    v3: true,
    required: {
      image: T("IMAGE", {}),
      upscale_method: V3COMBO(["nearest-exact", "bilinear", "area", "bicubic", "lanczos"]),
      megapixels: FLOAT({ default: 1.0, min: 0.01, max: 16.0, step: 0.01 }),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const total = Math.trunc(inputs.megapixels * 1024 * 1024);
    const scale = Math.sqrt(total / (dim(image, 2) * dim(image, 1)));
    const w = pyRound(dim(image, 2) * scale);
    const h = pyRound(dim(image, 1) * scale);
    return out(upscaleImage(image, w, h, String(inputs.upscale_method), "disabled"));
  },
);

/** numpy's `normalized_bayer_matrix(n)` of ComfyUI's Quantize, in float32. */
function bayerMatrix(n: number): Float32Array {
  if (n === 0) return new Float32Array(1);
  const prev = bayerMatrix(n - 1);
  const size = 1 << (n - 1);
  const q = 4 ** n;
  const m = prev.map((v) => f32(q * v));
  const out = new Float32Array(4 * size * size);
  const quads: Array<[number, number, number]> = [
    [0, 0, -1.5],
    [0, 1, 0.5],
    [1, 0, 1.5],
    [1, 1, -0.5],
  ];
  for (const [qy, qx, add] of quads)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        out[(qy * size + y) * 2 * size + qx * size + x] = f32(f32((m[y * size + x] as number) + add) / q);
  return out;
}

/** `(image * 255).to(torch.uint8)` of one batch item. */
function toBytes(image: Tensor, b: number): Uint8Array {
  const [, h, w] = image.shape as [number, number, number];
  const c = image.shape[3] as number;
  const out = new Uint8Array(h * w * 3);
  for (let p = 0; p < h * w; p++)
    for (let k = 0; k < 3; k++)
      out[p * 3 + k] = Math.trunc(f32((image.data[(b * h * w + p) * c + k] as number) * 255)) & 255;
  return out;
}

/** ImageQuantize: Pillow median-cut palette, then no dithering or ComfyUI's ordered Bayer dithering. */
const imageQuantize = defineNode(
  {
    name: "ImageQuantize",
    category: "image/postprocessing",
    module: "comfy_extras.nodes_post_processing",
    v3: true,
    required: {
      image: T("IMAGE", {}),
      colors: INT({ default: 256, min: 1, max: 256, step: 1 }),
      dither: V3COMBO(["none", "floyd-steinberg", "bayer-2", "bayer-4", "bayer-8", "bayer-16"]),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const [n, h, w] = image.shape as [number, number, number];
    const dither = inputs.dither;
    const result = new Float32Array(image.data.length);
    const c = image.shape[3] as number;
    for (let b = 0; b < n; b++) {
      const bytes = toBytes(image, b);
      const palette = medianCutPalette(bytes, inputs.colors);
      let mapped: Uint8Array;
      if (dither === "none") mapped = mapToPalette(bytes, palette);
      else if (
        dither === "bayer-2" ||
        dither === "bayer-4" ||
        dither === "bayer-8" ||
        dither === "bayer-16"
      ) {
        const order = Number(dither.slice("bayer-".length));
        const bn = Math.trunc(Math.log2(order));
        const m = bayerMatrix(bn);
        const size = 1 << bn;
        // `len(pal_im.getpalette()) // 3` is 256 in Pillow 9.4 whatever the colour count.
        const spread = (2 * 256) / 256;
        const dithered = new Uint8Array(bytes.length);
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            const t = f32(f32(spread * (m[(y % size) * size + (x % size)] as number)) + 0.5);
            for (let k = 0; k < 3; k++) {
              const v = Math.min(255, Math.max(0, f32((bytes[(y * w + x) * 3 + k] as number) + t)));
              dithered[(y * w + x) * 3 + k] = Math.trunc(v);
            }
          }
        mapped = mapToPalette(dithered, palette);
      } else if (dither === "floyd-steinberg") {
        mapped = mapToPaletteFloydSteinberg(bytes, w, h, palette);
      } else {
        throw new NodeExecutionError("KeyError", `'${String(dither)}'`);
      }
      for (let p = 0; p < h * w; p++)
        for (let k = 0; k < c; k++)
          result[(b * h * w + p) * c + k] = k < 3 ? f32((mapped[p * 3 + k] as number) / 255) : 0;
    }
    return out(tensor([n, h, w, 3], c === 3 ? result : result.filter((_, i) => i % c < 3)));
  },
);

export const nodes = [imageBlend, imageBlur, imageSharpen, imageScaleToTotalPixels, imageQuantize];
