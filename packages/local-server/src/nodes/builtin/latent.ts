import { pyRound } from "@comfy-ts/core/python";
import { commonUpscale } from "../../resample/common-upscale.js";
import { broadcastMap, expandTo } from "../../tensor/broadcast.js";
import { dim, f32, numel, repeatBatch, repeatToBatch, sliceBatch } from "../../tensor/ops.js";
import { assignLast2, pySlice, sliceLast2 } from "../../tensor/py-slice.js";
import { type Tensor, tensor } from "../../tensor/tensor.js";
import { COMBO, defineNode, FLOAT, INT, MAX_RESOLUTION, out, RESOLUTION, T } from "../define.js";

// nodes.py

const LATENT_METHODS = ["nearest-exact", "bilinear", "area", "bicubic", "bislerp"] as const;

const emptyLatentImage = defineNode(
  {
    name: "EmptyLatentImage",
    display: "Empty Latent Image",
    category: "latent",
    module: "nodes",
    description: "Create a new batch of empty latent images to be denoised via sampling.",
    required: {
      width: INT({
        default: 512,
        min: 16,
        max: MAX_RESOLUTION,
        step: 8,
        tooltip: "The width of the latent images in pixels.",
      }),
      height: INT({
        default: 512,
        min: 16,
        max: MAX_RESOLUTION,
        step: 8,
        tooltip: "The height of the latent images in pixels.",
      }),
      batch_size: INT({
        default: 1,
        min: 1,
        max: 4096,
        tooltip: "The number of latent images in the batch.",
      }),
    },
    outputs: [["LATENT", "LATENT", false, "The empty latent image batch."]],
    outputTooltips: true,
  },
  (inputs) => {
    const b = inputs.batch_size;
    return out({
      samples: tensor([b, 4, Math.floor(inputs.height / 8), Math.floor(inputs.width / 8)]),
    });
  },
);

const latentUpscale = defineNode(
  {
    name: "LatentUpscale",
    display: "Upscale Latent",
    category: "latent",
    module: "nodes",
    required: {
      samples: T("LATENT"),
      upscale_method: COMBO(LATENT_METHODS),
      width: RESOLUTION(512, 0, 8),
      height: RESOLUTION(512, 0, 8),
      crop: COMBO(["disabled", "center"]),
    },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const s = inputs.samples;
    let width = inputs.width;
    let height = inputs.height;
    if (width === 0 && height === 0) return out(s);
    const [sh, sw] = [dim(s.samples, -2), dim(s.samples, -1)];
    if (width === 0) {
      height = Math.max(64, height);
      width = Math.max(64, pyRound((sw * height) / sh));
    } else if (height === 0) {
      width = Math.max(64, width);
      height = Math.max(64, pyRound((sh * width) / sw));
    } else {
      width = Math.max(64, width);
      height = Math.max(64, height);
    }
    const samples = commonUpscale(
      s.samples,
      Math.floor(width / 8),
      Math.floor(height / 8),
      inputs.upscale_method,
      inputs.crop,
    );
    return out({ ...s, samples });
  },
);

const latentUpscaleBy = defineNode(
  {
    name: "LatentUpscaleBy",
    display: "Upscale Latent By",
    category: "latent",
    module: "nodes",
    required: {
      samples: T("LATENT"),
      upscale_method: COMBO(LATENT_METHODS),
      scale_by: FLOAT({ default: 1.5, min: 0.01, max: 8.0, step: 0.01 }),
    },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const s = inputs.samples;
    const k = inputs.scale_by;
    const w = pyRound(dim(s.samples, -1) * k);
    const h = pyRound(dim(s.samples, -2) * k);
    return out({ ...s, samples: commonUpscale(s.samples, w, h, inputs.upscale_method, "disabled") });
  },
);

const latentFromBatch = defineNode(
  {
    name: "LatentFromBatch",
    display: "Latent From Batch",
    category: "latent/batch",
    module: "nodes",
    required: {
      samples: T("LATENT"),
      batch_index: INT({ default: 0, min: 0, max: 63 }),
      length: INT({ default: 1, min: 1, max: 64 }),
    },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const s = inputs.samples;
    const n = dim(s.samples, 0);
    const index = Math.min(n - 1, inputs.batch_index);
    const length = Math.min(n - index, inputs.length);
    const result: Record<string, unknown> = { ...s, samples: sliceBatch(s.samples, index, length) };
    if (s.noise_mask) {
      const m = s.noise_mask;
      result.noise_mask = dim(m, 0) === 1 ? m : sliceBatch(repeatToBatch(m, n), index, length);
    }
    result.batch_index = s.batch_index
      ? s.batch_index.slice(index, index + length)
      : Array.from({ length }, (_, i) => index + i);
    return out(result);
  },
);

const repeatLatentBatch = defineNode(
  {
    name: "RepeatLatentBatch",
    display: "Repeat Latent Batch",
    category: "latent/batch",
    module: "nodes",
    required: { samples: T("LATENT"), amount: INT({ default: 1, min: 1, max: 64 }) },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const s = inputs.samples;
    const amount = inputs.amount;
    const result: Record<string, unknown> = { ...s, samples: repeatBatch(s.samples, amount) };
    if (s.noise_mask && dim(s.noise_mask, 0) > 1) {
      result.noise_mask = repeatBatch(repeatToBatch(s.noise_mask, dim(s.samples, 0)), amount);
    }
    if (s.batch_index) {
      const offset = Math.max(...s.batch_index) - Math.min(...s.batch_index) + 1;
      const extra: number[] = [];
      for (let i = 1; i < amount; i++) for (const x of s.batch_index) extra.push(x + i * offset);
      result.batch_index = [...s.batch_index, ...extra];
    }
    return out(result);
  },
);

const setLatentNoiseMask = defineNode(
  {
    name: "SetLatentNoiseMask",
    display: "Set Latent Noise Mask",
    category: "latent/inpaint",
    module: "nodes",
    required: { samples: T("LATENT"), mask: T("MASK") },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const m = inputs.mask;
    const h = dim(m, -2);
    const w = dim(m, -1);
    return out({ ...inputs.samples, noise_mask: tensor([numel(m.shape) / (h * w), 1, h, w], m.data) });
  },
);

const latentComposite = defineNode(
  {
    name: "LatentComposite",
    display: "Latent Composite",
    category: "latent",
    module: "nodes",
    required: {
      samples_to: T("LATENT"),
      samples_from: T("LATENT"),
      x: RESOLUTION(0, 0, 8),
      y: RESOLUTION(0, 0, 8),
      feather: RESOLUTION(0, 0, 8),
    },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    // s[:, :, y:y+from_h, x:x+from_w] = from[:, :, :to_h-y, :to_w-x] (feathered: blended with s's own
    // region), with Python's slices (a stop past the end clamps, a negative one counts from the end),
    // torch's broadcasting of batch and channels, and its errors.
    const to = inputs.samples_to;
    const s = to.samples;
    const from = inputs.samples_from.samples;
    const x = Math.floor(inputs.x / 8);
    const y = Math.floor(inputs.y / 8);
    const feather = Math.floor(inputs.feather / 8);
    const [th, tw] = [dim(s, 2), dim(s, 3)];
    const portion = sliceLast2(from, [undefined, th - y], [undefined, tw - x]);
    const [fh, fw] = [dim(portion, 2), dim(portion, 3)];
    // Without feathering the target spans the uncut source; with it, the cut one.
    const rows: [number, number] = [y, y + (feather === 0 ? dim(from, 2) : fh)];
    const cols: [number, number] = [x, x + (feather === 0 ? dim(from, 3) : fw)];
    const target = sliceLast2(s, rows, cols);
    if (feather === 0)
      return out({ ...to, samples: assignLast2(s, rows, cols, expandTo(portion, target.shape)) });
    const mask = new Float32Array(fh * fw).fill(1);
    for (let t = 0; t < feather; t++) {
      const r = f32((1 / feather) * (t + 1));
      const mulRows = (start: number, stop: number) => {
        const [from0, length] = pySlice(fh, start, stop);
        for (let row = from0; row < from0 + length; row++)
          for (let xx = 0; xx < fw; xx++) mask[row * fw + xx] = f32((mask[row * fw + xx] as number) * r);
      };
      const mulCols = (start: number, stop: number) => {
        const [from0, length] = pySlice(fw, start, stop);
        for (let col = from0; col < from0 + length; col++)
          for (let yy = 0; yy < fh; yy++) mask[yy * fw + col] = f32((mask[yy * fw + col] as number) * r);
      };
      if (y !== 0) mulRows(t, 1 + t);
      if (y + fh < th) mulRows(fh - 1 - t, fh - t);
      if (x !== 0) mulCols(t, 1 + t);
      if (x + fw < tw) mulCols(fw - 1 - t, fw - t);
    }
    const weights = tensor([1, 1, fh, fw], mask);
    const inverse = tensor(
      [1, 1, fh, fw],
      mask.map((m) => f32(1 - m)),
    );
    // from[:, :, :to_h-y, :to_w-x] * mask + s[…] * rev_mask, left to right: ComfyUI cuts the already
    // cut source once more (a no-op unless the stop was negative); the masks have the cut source's shape.
    const recut = sliceLast2(portion, [undefined, th - y], [undefined, tw - x]);
    const pasted = broadcastMap(recut, expandTo(weights, portion.shape), (v, m) => f32(v * m));
    const kept = broadcastMap(target, expandTo(inverse, portion.shape), (v, m) => f32(v * m));
    const blended = broadcastMap(pasted, kept, (a, b) => f32(a + b));
    return out({ ...to, samples: assignLast2(s, rows, cols, expandTo(blended, target.shape)) });
  },
);

const latentBlend = defineNode(
  {
    name: "LatentBlend",
    display: "Latent Blend",
    category: "_for_testing",
    module: "nodes",
    required: {
      samples1: T("LATENT"),
      samples2: T("LATENT"),
      blend_factor: FLOAT({ default: 0.5, min: 0, max: 1, step: 0.01 }),
    },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const s1 = inputs.samples1;
    let b = inputs.samples2.samples;
    const a = s1.samples;
    if (a.shape.join() !== b.shape.join()) b = commonUpscale(b, dim(a, 3), dim(a, 2), "bicubic", "center");
    const k = inputs.blend_factor;
    const fa = f32(k);
    const fb = f32(1 - k);
    const data = new Float32Array(a.data.length);
    for (let i = 0; i < data.length; i++)
      data[i] = f32(f32((a.data[i] as number) * fa) + f32((b.data[i] as number) * fb));
    return out({ ...s1, samples: tensor(a.shape, data) });
  },
);

/** `torch.rot90(x, k, dims=[3, 2])` / flips on NCHW via the NHWC helpers' index maps. */
function rot90Nchw(t: Tensor, k: number): Tensor {
  const [b, c, h, w] = t.shape as [number, number, number, number];
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return t;
  const oh = turns === 2 ? h : w;
  const ow = turns === 2 ? w : h;
  const data = new Float32Array(t.data.length);
  for (let p = 0; p < b * c; p++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const [sy, sx] = turns === 1 ? [h - 1 - j, i] : turns === 2 ? [h - 1 - i, w - 1 - j] : [j, w - 1 - i];
        data[(p * oh + i) * ow + j] = t.data[(p * h + sy) * w + sx] as number;
      }
  return tensor([b, c, oh, ow], data);
}

const latentRotate = defineNode(
  {
    name: "LatentRotate",
    display: "Rotate Latent",
    category: "latent/transform",
    module: "nodes",
    required: { samples: T("LATENT"), rotation: COMBO(["none", "90 degrees", "180 degrees", "270 degrees"]) },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const r = inputs.rotation;
    const k = r.startsWith("90") ? 1 : r.startsWith("180") ? 2 : r.startsWith("270") ? 3 : 0;
    const s = inputs.samples;
    return out({ ...s, samples: rot90Nchw(s.samples, k) });
  },
);

const latentFlip = defineNode(
  {
    name: "LatentFlip",
    display: "Flip Latent",
    category: "latent/transform",
    module: "nodes",
    required: { samples: T("LATENT"), flip_method: COMBO(["x-axis: vertically", "y-axis: horizontally"]) },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const s = inputs.samples;
    const [b, c, h, w] = s.samples.shape as [number, number, number, number];
    const vertical = inputs.flip_method.startsWith("x-axis");
    const data = new Float32Array(s.samples.data.length);
    for (let p = 0; p < b * c; p++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          data[(p * h + y) * w + x] = s.samples.data[
            (p * h + (vertical ? h - 1 - y : y)) * w + (vertical ? x : w - 1 - x)
          ] as number;
    return out({ ...s, samples: tensor(s.samples.shape, data) });
  },
);

const latentCrop = defineNode(
  {
    name: "LatentCrop",
    display: "Crop Latent",
    category: "latent/transform",
    module: "nodes",
    required: {
      samples: T("LATENT"),
      width: RESOLUTION(512, 64, 8),
      height: RESOLUTION(512, 64, 8),
      x: RESOLUTION(0, 0, 8),
      y: RESOLUTION(0, 0, 8),
    },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const s = inputs.samples;
    const [b, c, h, w] = s.samples.shape as [number, number, number, number];
    let x = Math.floor(inputs.x / 8);
    let y = Math.floor(inputs.y / 8);
    if (x > w - 8) x = w - 8;
    if (y > h - 8) y = h - 8;
    // Python slicing: negative starts count from the end, stops are clamped.
    const start = (v: number, n: number) => (v < 0 ? Math.max(0, n + v) : Math.min(v, n));
    const x0 = start(x, w);
    const y0 = start(y, h);
    const x1 = Math.max(x0, start(Math.floor(inputs.width / 8) + x, w));
    const y1 = Math.max(y0, start(Math.floor(inputs.height / 8) + y, h));
    const nh = y1 - y0;
    const nw = x1 - x0;
    const data = new Float32Array(b * c * nh * nw);
    for (let p = 0; p < b * c; p++)
      for (let yy = 0; yy < nh; yy++)
        data.set(
          s.samples.data.subarray((p * h + y0 + yy) * w + x0, (p * h + y0 + yy) * w + x1),
          (p * nh + yy) * nw,
        );
    return out({ ...s, samples: tensor([b, c, nh, nw], data) });
  },
);

export const nodes = [
  emptyLatentImage,
  latentUpscale,
  latentUpscaleBy,
  latentFromBatch,
  repeatLatentBatch,
  setLatentNoiseMask,
  latentComposite,
  latentBlend,
  latentRotate,
  latentFlip,
  latentCrop,
];
