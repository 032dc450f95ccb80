import { NodeExecutionError } from "../execution/node-impl.js";
import { cat, dim, f32, narrow } from "../tensor/ops.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { torchSum } from "../tensor/torch-sum.js";
import { BOOLEAN, defineNode, FLOAT, INT, MAX_RESOLUTION, out, T, V3COMBO } from "./define.js";
import { composite, repeatToBatch } from "./mask.js";
import { convolveReflect, gaussianKernel } from "./post-processing.js";

const MOD = "comfy_extras.nodes_latent";
const CAT = "latent/advanced";

/** A latent operation (`LATENT_OPERATION`): a function of the samples. */
export type LatentOperation = (latent: Tensor) => Tensor;

export const latentConcat = defineNode(
  {
    name: "LatentConcat",
    category: CAT,
    module: MOD,
    v3: true,
    required: {
      samples1: T("LATENT", {}),
      samples2: T("LATENT", {}),
      dim: V3COMBO(["x", "-x", "y", "-y", "t", "-t"]),
    },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const s1 = inputs.samples1;
    const a = s1.samples;
    const b = repeatToBatch(inputs.samples2.samples, dim(a, 0));
    const d = String(inputs.dim);
    const axis = d.includes("x") ? -1 : d.includes("y") ? -2 : -3;
    return out({ ...s1, samples: cat(d.includes("-") ? [b, a] : [a, b], axis) });
  },
);

export const latentCut = defineNode(
  {
    name: "LatentCut",
    category: CAT,
    module: MOD,
    v3: true,
    required: {
      samples: T("LATENT", {}),
      dim: V3COMBO(["x", "y", "t"]),
      index: INT({ default: 0, min: -16384, max: 16384, step: 1 }),
      amount: INT({ default: 1, min: 1, max: 16384, step: 1 }),
    },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const s = inputs.samples;
    const t = s.samples;
    const d = String(inputs.dim);
    const axis = t.shape.length - (d.includes("x") ? 1 : d.includes("y") ? 2 : 3);
    const size = t.shape[axis] as number;
    let index = inputs.index;
    let amount = inputs.amount;
    if (index >= 0) {
      index = Math.min(index, size - 1);
      amount = Math.min(size - index, amount);
    } else {
      index = Math.max(index, -size);
      amount = Math.min(-index, amount);
      index += size;
    }
    return out({ ...s, samples: narrow(t, axis, index, amount) });
  },
);

export const latentApplyOperation = defineNode(
  {
    name: "LatentApplyOperation",
    category: "latent/advanced/operations",
    module: MOD,
    v3: true,
    experimental: true,
    required: { samples: T("LATENT", {}), operation: T("LATENT_OPERATION", {}) },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const s = inputs.samples;
    return out({ ...s, samples: inputs.operation(s.samples) });
  },
);

/** `vector_norm(latent, dim=1) + eps`, per (batch, y, x). */
function magnitudes(t: Tensor, eps: number): Float32Array {
  const [b, c, h, w] = t.shape as [number, number, number, number];
  const m = new Float32Array(b * h * w);
  for (let n = 0; n < b; n++)
    for (let p = 0; p < h * w; p++) {
      let s = 0;
      for (let k = 0; k < c; k++) s += (t.data[(n * c + k) * h * w + p] as number) ** 2;
      m[n * h * w + p] = f32(f32(Math.sqrt(s)) + eps);
    }
  return m;
}

export const latentOperationTonemapReinhard = defineNode(
  {
    name: "LatentOperationTonemapReinhard",
    category: "latent/advanced/operations",
    module: MOD,
    v3: true,
    experimental: true,
    required: { multiplier: FLOAT({ default: 1.0, min: 0.0, max: 100.0, step: 0.01 }) },
    outputs: [["LATENT_OPERATION"]],
  },
  (inputs) => {
    const multiplier = inputs.multiplier;
    const op: LatentOperation = (latent) => {
      const [b, c, h, w] = latent.shape as [number, number, number, number];
      const mag = magnitudes(latent, 1e-10);
      const data = new Float32Array(latent.data.length);
      const hw = h * w;
      for (let n = 0; n < b; n++) {
        let sum = 0;
        for (let p = 0; p < hw; p++) sum += mag[n * hw + p] as number;
        const mean = sum / hw;
        let v = 0;
        for (let p = 0; p < hw; p++) v += ((mag[n * hw + p] as number) - mean) ** 2;
        const std = Math.sqrt(v / Math.max(1, hw - 1));
        const top = f32(f32(f32(f32(std) * 5) + f32(mean)) * f32(multiplier));
        for (let p = 0; p < hw; p++) {
          const m = mag[n * hw + p] as number;
          const scaled = f32(m * f32(1 / top));
          const newMag = f32(f32(scaled / f32(scaled + 1)) * top);
          for (let k = 0; k < c; k++) {
            const at = (n * c + k) * hw + p;
            data[at] = f32(f32((latent.data[at] as number) / m) * newMag);
          }
        }
      }
      return tensor(latent.shape, data);
    };
    return out(op);
  },
);

export const latentOperationSharpen = defineNode(
  {
    name: "LatentOperationSharpen",
    category: "latent/advanced/operations",
    module: MOD,
    v3: true,
    experimental: true,
    required: {
      sharpen_radius: INT({ default: 9, min: 1, max: 31, step: 1 }),
      sigma: FLOAT({ default: 1.0, min: 0.1, max: 10.0, step: 0.1 }),
      alpha: FLOAT({ default: 0.1, min: 0.0, max: 5.0, step: 0.01 }),
    },
    outputs: [["LATENT_OPERATION"]],
  },
  (inputs) => {
    const r = inputs.sharpen_radius;
    const sigma = inputs.sigma;
    const alpha = inputs.alpha;
    const op: LatentOperation = (latent) => {
      const [b, c, h, w] = latent.shape as [number, number, number, number];
      const lum = magnitudes(latent, 1e-6);
      const hw = h * w;
      // Normalised latent as NHWC so the image convolution helper applies per channel.
      const nhwc = new Float32Array(latent.data.length);
      for (let n = 0; n < b; n++)
        for (let k = 0; k < c; k++)
          for (let p = 0; p < hw; p++)
            nhwc[(n * hw + p) * c + k] = f32(
              (latent.data[(n * c + k) * hw + p] as number) / (lum[n * hw + p] as number),
            );
      const size = 2 * r + 1;
      const kernel = gaussianKernel(size, sigma).map((v) => f32(v * f32(alpha * -10)));
      const center = r * size + r;
      kernel[center] = f32(f32((kernel[center] as number) - torchSum(kernel)) + 1);
      const sharp = convolveReflect(tensor([b, h, w, c], nhwc), kernel, r);
      const data = new Float32Array(latent.data.length);
      for (let n = 0; n < b; n++)
        for (let k = 0; k < c; k++)
          for (let p = 0; p < hw; p++)
            data[(n * c + k) * hw + p] = f32(
              (lum[n * hw + p] as number) * (sharp.data[(n * hw + p) * c + k] as number),
            );
      return tensor(latent.shape, data);
    };
    return out(op);
  },
);

export const latentCompositeMasked = defineNode(
  {
    name: "LatentCompositeMasked",
    category: "latent",
    module: "comfy_extras.nodes_mask",
    required: {
      destination: T("LATENT"),
      source: T("LATENT"),
      x: INT({ default: 0, min: 0, max: MAX_RESOLUTION, step: 8 }),
      y: INT({ default: 0, min: 0, max: MAX_RESOLUTION, step: 8 }),
      resize_source: BOOLEAN({ default: false }),
    },
    optional: { mask: T("MASK") },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const d = inputs.destination;
    const src = inputs.source.samples;
    if (dim(src, 1) !== dim(d.samples, 1)) {
      throw new NodeExecutionError(
        "RuntimeError",
        `The size of tensor a (${dim(src, 1)}) must match the size of tensor b (${dim(d.samples, 1)}) at non-singleton dimension 1`,
      );
    }
    const samples = composite(
      d.samples,
      src,
      inputs.x,
      inputs.y,
      inputs.mask,
      8,
      inputs.resize_source,
      false,
    );
    return out({ ...d, samples });
  },
);
