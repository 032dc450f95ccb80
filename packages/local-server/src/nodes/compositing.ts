import { interpolate } from "../resample/torch-interpolate.js";
import { dim, f32 } from "../tensor/ops.js";
import { tensor } from "../tensor/tensor.js";
import { defineNode, out, T } from "./define.js";

const MOD = "comfy_extras.nodes_compositing";
const CAT = "mask/compositing";

export const splitImageWithAlpha = defineNode(
  {
    name: "SplitImageWithAlpha",
    display: "Split Image with Alpha",
    category: CAT,
    module: MOD,
    v3: true,
    required: { image: T("IMAGE", {}) },
    outputs: [["IMAGE"], ["MASK"]],
  },
  (inputs) => {
    const image = inputs.image;
    const [b, h, w, c] = image.shape as [number, number, number, number];
    const rgb = new Float32Array(b * h * w * 3);
    const alpha = new Float32Array(b * h * w);
    for (let p = 0; p < b * h * w; p++) {
      for (let k = 0; k < 3; k++) rgb[p * 3 + k] = image.data[p * c + Math.min(k, c - 1)] as number;
      alpha[p] = f32(1 - (c > 3 ? (image.data[p * c + 3] as number) : 1));
    }
    return out(tensor([b, h, w, 3], rgb), tensor([b, h, w], alpha));
  },
);

export const joinImageWithAlpha = defineNode(
  {
    name: "JoinImageWithAlpha",
    display: "Join Image with Alpha",
    category: CAT,
    module: MOD,
    v3: true,
    required: { image: T("IMAGE", {}), alpha: T("MASK", {}) },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const mask = inputs.alpha;
    const [b, h, w, c] = image.shape as [number, number, number, number];
    const mh = dim(mask, -2);
    const mw = dim(mask, -1);
    const mn = mask.data.length / (mh * mw);
    const resized = interpolate(tensor([mn, 1, mh, mw], mask.data), h, w, "bilinear").data;
    const n = Math.min(b, mn);
    const data = new Float32Array(n * h * w * 4);
    for (let p = 0; p < n * h * w; p++) {
      for (let k = 0; k < 3; k++) data[p * 4 + k] = image.data[p * c + Math.min(k, c - 1)] as number;
      data[p * 4 + 3] = f32(1 - (resized[p] as number));
    }
    return out(tensor([n, h, w, 4], data));
  },
);
