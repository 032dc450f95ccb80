import { NodeExecutionError } from "../execution/node-impl.js";
import { pyRound } from "../resample/common-upscale.js";
import { linspace } from "../tensor/linspace.js";
import { clamp01, dim, f32 } from "../tensor/ops.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { torchSum } from "../tensor/torch-sum.js";
import { upscaleImage } from "./builtin/image.js";
import { defineNode, FLOAT, INT, out, T, V3COMBO } from "./define.js";

const MOD = "comfy_extras.nodes_post_processing";
const CAT = "image/postprocessing";

/** `gaussian_kernel(size, sigma)` of nodes_post_processing, normalised to sum 1. */
export function gaussianKernel(size: number, sigma: number): Float32Array {
  const l = linspace(-1, 1, size).data;
  const g = new Float32Array(size * size);
  const denom = f32(2 * sigma * sigma);
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      const x = l[i] as number;
      const y = l[j] as number;
      const d = f32(Math.sqrt(f32(f32(x * x) + f32(y * y))));
      const v = f32(Math.exp(f32(-f32(d * d) / denom)));
      g[i * size + j] = v;
    }
  const s = torchSum(g);
  for (let i = 0; i < g.length; i++) g[i] = f32((g[i] as number) / s);
  return g;
}

/**
 * Depthwise 2-D convolution of an NHWC image with `reflect` padding by `radius` (torch's F.pad + conv2d):
 * each output is a float32 multiply-add chain over the kernel taps in row-major order, as torch's CPU
 * im2col + GEMM computes it.
 */
export function convolveReflect(image: Tensor, kernel: Float32Array, radius: number): Tensor {
  const [b, h, w, c] = image.shape as [number, number, number, number];
  if (radius >= h || radius >= w) {
    // torch's reflection_pad2d checks the width (argument #4, dim 3) before the height (#6, dim 2).
    const [arg, dim] = radius >= w ? [4, 3] : [6, 2];
    throw new NodeExecutionError(
      "RuntimeError",
      `Argument #${arg}: Padding size should be less than the corresponding input dimension, but got: padding (${radius}, ${radius}) at dimension ${dim} of input 4`,
    );
  }
  const k = 2 * radius + 1;
  const reflect = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
  const pw = w + 2 * radius;
  const ph = h + 2 * radius;
  const plane = new Float32Array(pw * ph);
  const data = new Float32Array(image.data.length);
  for (let n = 0; n < b; n++)
    for (let ch = 0; ch < c; ch++) {
      // The reflect-padded plane of one channel, so the tap loop is plain indexing.
      for (let y = 0; y < ph; y++) {
        const sy = reflect(y - radius, h);
        for (let x = 0; x < pw; x++)
          plane[y * pw + x] = image.data[((n * h + sy) * w + reflect(x - radius, w)) * c + ch] as number;
      }
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          let acc = 0;
          for (let i = 0; i < k; i++) {
            const row = (y + i) * pw + x;
            const kr = i * k;
            for (let j = 0; j < k; j++)
              acc = f32((kernel[kr + j] as number) * (plane[row + j] as number) + acc);
          }
          data[((n * h + y) * w + x) * c + ch] = acc;
        }
    }
  return tensor(image.shape, data);
}

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

export const imageBlend = defineNode(
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
    const a = inputs.image1;
    let b = inputs.image2;
    const mode = inputs.blend_mode;
    if (a.shape.join() !== b.shape.join()) b = upscaleImage(b, dim(a, 2), dim(a, 1), "bicubic", "center");
    if (a.shape.join() !== b.shape.join()) {
      const i = a.shape.findIndex((d, k) => d !== b.shape[k]);
      throw new NodeExecutionError(
        "RuntimeError",
        `The size of tensor a (${a.shape[i]}) must match the size of tensor b (${b.shape[i]}) at non-singleton dimension ${i}`,
      );
    }
    const factor = inputs.blend_factor;
    const keep = f32(1 - factor);
    const bf = f32(factor);
    const data = new Float32Array(a.data.length);
    for (let i = 0; i < data.length; i++) {
      const x = a.data[i] as number;
      const blended = blendPixel(x, b.data[i] as number, String(mode));
      data[i] = clamp01(f32(f32(x * keep) + f32(blended * bf)));
    }
    return out(tensor(a.shape, data));
  },
);

export const imageBlur = defineNode(
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

export const imageSharpen = defineNode(
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
    return out(tensor(sharpened.shape, sharpened.data.map(clamp01)));
  },
);

export const imageScaleToTotalPixels = defineNode(
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
