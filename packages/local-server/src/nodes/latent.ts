import { NodeExecutionError } from "../execution/node-impl.js";
import { commonUpscale } from "../resample/common-upscale.js";
import { broadcastMap } from "../tensor/broadcast.js";
import { convolveReflect, gaussianKernel } from "../tensor/conv.js";
import { cat, catBatch, dim, f32, narrow, repeatToBatch } from "../tensor/ops.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { normStrided } from "../tensor/torch-norm.js";
import { torchSum } from "../tensor/torch-sum.js";
import { defineNode, FLOAT, INT, type InputSpec, type NodeInputs, out, T, V3COMBO } from "./define.js";
import type { Latent, LatentOperation } from "./socket-types.js";

// comfy_extras/nodes_latent.py

const MOD = "comfy_extras.nodes_latent";
const CAT = "latent/advanced";

const latentConcat = defineNode(
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

const latentCut = defineNode(
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

const latentApplyOperation = defineNode(
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

const latentOperationTonemapReinhard = defineNode(
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

const latentOperationSharpen = defineNode(
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

/** `reshape_latent_to`: bilinear/centre-crop resize to the target's spatial size, then batch repeat. */
function reshapeLatentTo(target: readonly number[], latent: Tensor, repeat = true): Tensor {
  let l = latent;
  if (l.shape.slice(1).join() !== target.slice(1).join()) {
    l = commonUpscale(l, target[3] as number, target[2] as number, "bilinear", "center");
  }
  return repeat ? repeatToBatch(l, target[0] as number) : l;
}

/** A V3 node of nodes_latent with one LATENT output. */
function v3Latent<const R extends Readonly<Record<string, InputSpec>>>(
  name: string,
  required: R,
  fn: (i: NodeInputs<{ required: R }>) => Latent,
  category = "latent/advanced",
  experimental = false,
) {
  return defineNode(
    {
      name,
      category,
      module: "comfy_extras.nodes_latent",
      v3: true,
      experimental,
      required,
      outputs: [["LATENT"]],
    },
    (inputs) => out(fn(inputs)),
  );
}

/** `a ⊙ b` elementwise in float32, broadcast as torch does (channel counts that differ may broadcast). */
function elementwise(a: Tensor, b: Tensor, op: (x: number, y: number) => number): Tensor {
  return broadcastMap(a, b, (x, y) => f32(op(x, y)));
}

const latentAdd = v3Latent("LatentAdd", { samples1: T("LATENT", {}), samples2: T("LATENT", {}) }, (i) => {
  const s1 = i.samples1;
  return {
    ...s1,
    samples: elementwise(s1.samples, reshapeLatentTo(s1.samples.shape, i.samples2.samples), (x, y) => x + y),
  };
});

const latentSubtract = v3Latent(
  "LatentSubtract",
  { samples1: T("LATENT", {}), samples2: T("LATENT", {}) },
  (i) => {
    const s1 = i.samples1;
    return {
      ...s1,
      samples: elementwise(
        s1.samples,
        reshapeLatentTo(s1.samples.shape, i.samples2.samples),
        (x, y) => x - y,
      ),
    };
  },
);

const latentMultiply = v3Latent(
  "LatentMultiply",
  { samples: T("LATENT", {}), multiplier: FLOAT({ default: 1.0, min: -10.0, max: 10.0, step: 0.01 }) },
  (i) => {
    const s = i.samples;
    const m = f32(i.multiplier);
    return {
      ...s,
      samples: tensor(
        s.samples.shape,
        s.samples.data.map((v) => f32(v * m)),
      ),
    };
  },
);

/** `torch.linalg.vector_norm(t, dim=1)` per (batch, y, x): torch's strided reduction over the channels. */
function channelNorm(t: Tensor): Float32Array {
  const [b, c, h, w] = t.shape as [number, number, number, number];
  const out = new Float32Array(b * h * w);
  const column = new Float32Array(c);
  for (let n = 0; n < b; n++)
    for (let p = 0; p < h * w; p++) {
      for (let k = 0; k < c; k++) column[k] = t.data[(n * c + k) * h * w + p] as number;
      out[n * h * w + p] = normStrided(column);
    }
  return out;
}

const latentInterpolate = v3Latent(
  "LatentInterpolate",
  {
    samples1: T("LATENT", {}),
    samples2: T("LATENT", {}),
    ratio: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
  },
  (i) => {
    const s1 = i.samples1;
    const a = s1.samples;
    const b = reshapeLatentTo(a.shape, i.samples2.samples);
    const [bn, c, h, w] = a.shape as [number, number, number, number];
    if (bn !== 1 && bn !== c) {
      throw new NodeExecutionError(
        "RuntimeError",
        `The size of tensor a (${c}) must match the size of tensor b (${bn}) at non-singleton dimension 1`,
      );
    }
    const ratio = i.ratio;
    const r1 = f32(ratio);
    const r2 = f32(1 - ratio);
    const m1 = channelNorm(a);
    const m2 = channelNorm(b);
    // The norms ([B, H, W]) broadcast against [B, C, H, W] by trailing axes: they index the channel axis.
    const nan0 = (v: number) =>
      Number.isNaN(v)
        ? 0
        : v === Number.POSITIVE_INFINITY
          ? 3.4028234663852886e38
          : v === Number.NEGATIVE_INFINITY
            ? -3.4028234663852886e38
            : v;
    const t = new Float32Array(a.data.length);
    const idx = (_n: number, k: number, p: number) => (bn === 1 ? 0 : k) * h * w + p;
    for (let n = 0; n < bn; n++)
      for (let k = 0; k < c; k++)
        for (let p = 0; p < h * w; p++) {
          const at = (n * c + k) * h * w + p;
          const x = f32(nan0(f32((a.data[at] as number) / (m1[idx(n, k, p)] as number))));
          const y = f32(nan0(f32((b.data[at] as number) / (m2[idx(n, k, p)] as number))));
          t[at] = f32(f32(x * r1) + f32(y * r2));
        }
    const mt = channelNorm(tensor(a.shape, t));
    const data = new Float32Array(a.data.length);
    for (let n = 0; n < bn; n++)
      for (let k = 0; k < c; k++)
        for (let p = 0; p < h * w; p++) {
          const at = (n * c + k) * h * w + p;
          const j = idx(n, k, p);
          const st = f32(nan0(f32((t[at] as number) / (mt[j] as number))));
          data[at] = f32(st * f32(f32((m1[j] as number) * r1) + f32((m2[j] as number) * r2)));
        }
    return { ...s1, samples: tensor(a.shape, data) };
  },
);

const latentBatch = v3Latent(
  "LatentBatch",
  { samples1: T("LATENT", {}), samples2: T("LATENT", {}) },
  (i) => {
    const s1 = i.samples1;
    const s2 = i.samples2;
    const b = reshapeLatentTo(s1.samples.shape, s2.samples, false);
    const range = (n: number) => Array.from({ length: n }, (_, k) => k);
    return {
      ...s1,
      samples: catBatch([s1.samples, b]),
      batch_index: [
        ...(s1.batch_index ?? range(dim(s1.samples, 0))),
        ...(s2.batch_index ?? range(dim(s2.samples, 0))),
      ],
    };
  },
  "latent/batch",
);

const latentBatchSeedBehavior = v3Latent(
  "LatentBatchSeedBehavior",
  { samples: T("LATENT", {}), seed_behavior: V3COMBO(["random", "fixed"], { default: "fixed" }) },
  (i) => {
    const s = i.samples;
    const behavior = i.seed_behavior;
    if (behavior === "random") {
      const { batch_index: _drop, ...rest } = s;
      return rest;
    }
    if (behavior === "fixed") {
      const first = s.batch_index?.[0] ?? 0;
      return { ...s, batch_index: Array.from({ length: dim(s.samples, 0) }, () => first) };
    }
    throw new NodeExecutionError("ValueError", `unknown seed_behavior ${behavior}`);
  },
);

export const nodes = [
  latentConcat,
  latentCut,
  latentApplyOperation,
  latentOperationTonemapReinhard,
  latentOperationSharpen,
  latentAdd,
  latentSubtract,
  latentMultiply,
  latentInterpolate,
  latentBatch,
  latentBatchSeedBehavior,
];
