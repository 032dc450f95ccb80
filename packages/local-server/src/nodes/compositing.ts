import { NodeExecutionError } from "../execution/node-impl.js";
import { commonUpscale } from "../resample/common-upscale.js";
import { interpolate } from "../resample/torch-interpolate.js";
import { dim, f32 } from "../tensor/ops.js";
import { nhwcAsNchwStrides } from "../tensor/strides.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { defineNode, out, T, V3COMBO } from "./define.js";

// comfy_extras/nodes_compositing.py

const MOD = "comfy_extras.nodes_compositing";
const CAT = "mask/compositing";

const splitImageWithAlpha = defineNode(
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

const joinImageWithAlpha = defineNode(
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

const MODES = [
  "ADD",
  "CLEAR",
  "DARKEN",
  "DST",
  "DST_ATOP",
  "DST_IN",
  "DST_OUT",
  "DST_OVER",
  "LIGHTEN",
  "MULTIPLY",
  "OVERLAY",
  "SCREEN",
  "SRC",
  "SRC_ATOP",
  "SRC_IN",
  "SRC_OUT",
  "SRC_OVER",
  "XOR",
] as const;

const clamp = (v: number) => Math.min(1, Math.max(0, v));

/** One premultiplied Porter–Duff operator: (src, srcAlpha, dst, dstAlpha) → [image, alpha], float32 steps. */
function compose(mode: string, s: number, sa: number, d: number, da: number): [number, number] {
  const union = () => f32(f32(sa + da) - f32(sa * da));
  switch (mode) {
    case "ADD":
      return [clamp(f32(s + d)), clamp(f32(sa + da))];
    case "CLEAR":
      return [0, 0];
    case "DARKEN":
      return [f32(f32(f32(f32(1 - da) * s) + f32(f32(1 - sa) * d)) + Math.min(s, d)), union()];
    case "DST":
      return [d, da];
    case "DST_ATOP":
      return [f32(f32(sa * d) + f32(f32(1 - da) * s)), sa];
    case "DST_IN":
      return [f32(d * sa), f32(sa * da)];
    case "DST_OUT":
      return [f32(f32(1 - sa) * d), f32(f32(1 - sa) * da)];
    case "DST_OVER":
      return [f32(d + f32(f32(1 - da) * s)), f32(da + f32(f32(1 - da) * sa))];
    case "LIGHTEN":
      return [f32(f32(f32(f32(1 - da) * s) + f32(f32(1 - sa) * d)) + Math.max(s, d)), union()];
    case "MULTIPLY":
      return [f32(s * d), f32(sa * da)];
    case "OVERLAY":
      return [
        f32(2 * d) < da ? f32(f32(2 * s) * d) : f32(f32(sa * da) - f32(f32(2 * f32(da - s)) * f32(sa - d))),
        union(),
      ];
    case "SCREEN":
      return [f32(f32(s + d) - f32(s * d)), union()];
    case "SRC":
      return [s, sa];
    case "SRC_ATOP":
      return [f32(f32(da * s) + f32(f32(1 - sa) * d)), da];
    case "SRC_IN":
      return [f32(s * da), f32(sa * da)];
    case "SRC_OUT":
      return [f32(f32(1 - da) * s), f32(f32(1 - da) * sa)];
    case "SRC_OVER":
      return [f32(s + f32(f32(1 - sa) * d)), f32(sa + f32(f32(1 - sa) * da))];
    case "XOR":
      return [
        f32(f32(f32(1 - da) * s) + f32(f32(1 - sa) * d)),
        f32(f32(f32(1 - da) * sa) + f32(f32(1 - sa) * da)),
      ];
    default:
      throw new NodeExecutionError("KeyError", `'${mode}'`);
  }
}

/** `common_upscale(x.unsqueeze(0).permute(0, 3, 1, 2), w, h, 'bicubic', 'center')` on one HWC item. */
function fit(item: Tensor, w: number, h: number): Tensor {
  const [ih, iw, c] = item.shape as [number, number, number];
  const nchw = new Float32Array(item.data.length);
  for (let p = 0; p < ih * iw; p++)
    for (let k = 0; k < c; k++) nchw[k * ih * iw + p] = item.data[p * c + k] as number;
  const r = commonUpscale(tensor([1, c, ih, iw], nchw), w, h, "bicubic", "center", {
    strides: nhwcAsNchwStrides([1, ih, iw, c]),
  });
  const hwc = new Float32Array(h * w * c);
  for (let p = 0; p < h * w; p++)
    for (let k = 0; k < c; k++) hwc[p * c + k] = r.data[k * h * w + p] as number;
  return tensor([h, w, c], hwc);
}

function item(t: Tensor, i: number, channels: number): Tensor {
  const [, h, w] = t.shape as [number, number, number];
  const per = h * w * channels;
  return tensor([h, w, channels], t.data.slice(i * per, (i + 1) * per));
}

const porterDuffImageComposite = defineNode(
  {
    name: "PorterDuffImageComposite",
    display: "Porter-Duff Image Composite",
    category: "mask/compositing",
    module: "comfy_extras.nodes_compositing",
    v3: true,
    required: {
      source: T("IMAGE", {}),
      source_alpha: T("MASK", {}),
      destination: T("IMAGE", {}),
      destination_alpha: T("MASK", {}),
      mode: V3COMBO(MODES, { default: "DST" }),
    },
    outputs: [["IMAGE"], ["MASK"]],
  },
  (inputs) => {
    const source = inputs.source;
    const srcAlpha = inputs.source_alpha;
    const destination = inputs.destination;
    const dstAlpha = inputs.destination_alpha;
    const mode = String(inputs.mode);
    const n = Math.min(dim(source, 0), dim(srcAlpha, 0), dim(destination, 0), dim(dstAlpha, 0));
    const images: Float32Array[] = [];
    const alphas: Float32Array[] = [];
    const [, h, w, c] = destination.shape as [number, number, number, number];
    if (dim(source, 3) !== c) throw new NodeExecutionError("AssertionError", "");
    for (let i = 0; i < n; i++) {
      let s = item(source, i, c);
      let sa = item(
        srcAlpha.shape.length === 3 ? tensor([...srcAlpha.shape, 1], srcAlpha.data) : srcAlpha,
        i,
        1,
      );
      let da = item(
        dstAlpha.shape.length === 3 ? tensor([...dstAlpha.shape, 1], dstAlpha.data) : dstAlpha,
        i,
        1,
      );
      const d = item(destination, i, c);
      if (dim(da, 0) !== h || dim(da, 1) !== w) da = fit(da, w, h);
      if (s.shape.join() !== d.shape.join()) s = fit(s, w, h);
      if (sa.shape.join() !== da.shape.join()) sa = fit(sa, dim(da, 1), dim(da, 0));
      const img = new Float32Array(h * w * c);
      const alpha = new Float32Array(h * w);
      for (let p = 0; p < h * w; p++) {
        const a1 = f32(1 - (sa.data[p] as number));
        const a2 = f32(1 - (da.data[p] as number));
        let outAlpha = 0;
        for (let k = 0; k < c; k++) {
          const [v, oa] = compose(
            mode,
            f32((s.data[p * c + k] as number) * a1),
            a1,
            f32((d.data[p * c + k] as number) * a2),
            a2,
          );
          outAlpha = oa;
          img[p * c + k] = clamp(oa > 1e-5 ? f32(v / oa) : 0);
        }
        alpha[p] = f32(1 - outAlpha);
      }
      images.push(img);
      alphas.push(alpha);
    }
    const imageData = new Float32Array(n * h * w * c);
    const alphaData = new Float32Array(n * h * w);
    for (const [i, im] of images.entries()) imageData.set(im, i * h * w * c);
    for (const [i, a] of alphas.entries()) alphaData.set(a, i * h * w);
    return { outputs: [tensor([n, h, w, c], imageData), tensor([n, h, w], alphaData)] };
  },
);

export const nodes = [splitImageWithAlpha, joinImageWithAlpha, porterDuffImageComposite];
