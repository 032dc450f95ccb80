import { pyRound } from "@comfy-ts/core/python";
import { upscaleImage } from "../../resample/common-upscale.js";
import { catBatch, dim, f32 } from "../../tensor/ops.js";
import { tensor } from "../../tensor/tensor.js";
import { BATCH_SIZE, COMBO, defineNode, FLOAT, INT, out, RESOLUTION, T } from "../define.js";

// nodes.py

const UPSCALE_METHODS = ["nearest-exact", "bilinear", "area", "bicubic", "lanczos"] as const;

const emptyImage = defineNode(
  {
    name: "EmptyImage",
    category: "image",
    module: "nodes",
    required: {
      width: RESOLUTION(512, 1, 1),
      height: RESOLUTION(512, 1, 1),
      batch_size: BATCH_SIZE,
      color: INT({ default: 0, min: 0, max: 0xffffff, step: 1, display: "color" }),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const w = inputs.width;
    const h = inputs.height;
    const b = inputs.batch_size;
    const color = inputs.color;
    const rgb = [(color >> 16) & 0xff, (color >> 8) & 0xff, color & 0xff].map((c) => f32(c / 0xff));
    const data = new Float32Array(b * h * w * 3);
    // One pixel, then copies doubling in size: memory-speed for 16384² images (a loop per pixel took a minute).
    if (data.length > 0) data.set(rgb);
    for (let filled = 3; filled < data.length; filled *= 2)
      data.copyWithin(filled, 0, Math.min(filled, data.length - filled));
    return out(tensor([b, h, w, 3], data));
  },
);

const imageInvert = defineNode(
  {
    name: "ImageInvert",
    display: "Invert Image",
    category: "image",
    module: "nodes",
    required: { image: T("IMAGE") },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    return out(
      tensor(
        image.shape,
        image.data.map((v) => f32(1 - v)),
      ),
    );
  },
);

const imageBatch = defineNode(
  {
    name: "ImageBatch",
    display: "Batch Images",
    category: "image",
    module: "nodes",
    required: { image1: T("IMAGE"), image2: T("IMAGE") },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const a = inputs.image1;
    let b = inputs.image2;
    if (a.shape.slice(1).join() !== b.shape.slice(1).join()) {
      b = upscaleImage(b, dim(a, 2), dim(a, 1), "bilinear", "center");
    }
    return out(catBatch([a, b]));
  },
);

const imagePadForOutpaint = defineNode(
  {
    name: "ImagePadForOutpaint",
    display: "Pad Image for Outpainting",
    category: "image",
    module: "nodes",
    required: {
      image: T("IMAGE"),
      left: RESOLUTION(0, 0, 8),
      top: RESOLUTION(0, 0, 8),
      right: RESOLUTION(0, 0, 8),
      bottom: RESOLUTION(0, 0, 8),
      feathering: RESOLUTION(40, 0, 1),
    },
    outputs: [["IMAGE"], ["MASK"]],
  },
  ({ image, left, top, right, bottom, feathering: feather }) => {
    const [b, h, w, c] = image.shape as [number, number, number, number];
    const nh = h + top + bottom;
    const nw = w + left + right;
    const img = new Float32Array(b * nh * nw * c).fill(0.5);
    for (let n = 0; n < b; n++)
      for (let y = 0; y < h; y++)
        img.set(
          image.data.subarray((n * h + y) * w * c, ((n * h + y) * w + w) * c),
          ((n * nh + y + top) * nw + left) * c,
        );
    const mask = new Float32Array(nh * nw).fill(1);
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        let v = 0;
        if (feather > 0 && feather * 2 < h && feather * 2 < w) {
          const d = Math.min(
            top !== 0 ? i : h,
            bottom !== 0 ? h - i : h,
            left !== 0 ? j : w,
            right !== 0 ? w - j : w,
          );
          if (d < feather) {
            const r = (feather - d) / feather;
            v = f32(r * r);
          }
        }
        mask[(i + top) * nw + j + left] = v;
      }
    return out(tensor([b, nh, nw, c], img), tensor([1, nh, nw], mask));
  },
);

const imageScale = defineNode(
  {
    name: "ImageScale",
    display: "Upscale Image",
    category: "image/upscaling",
    module: "nodes",
    required: {
      image: T("IMAGE"),
      upscale_method: COMBO(UPSCALE_METHODS),
      width: RESOLUTION(512, 0, 1),
      height: RESOLUTION(512, 0, 1),
      crop: COMBO(["disabled", "center"]),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    let width = inputs.width;
    let height = inputs.height;
    if (width === 0 && height === 0) return out(image);
    if (width === 0) width = Math.max(1, pyRound((dim(image, 2) * height) / dim(image, 1)));
    else if (height === 0) height = Math.max(1, pyRound((dim(image, 1) * width) / dim(image, 2)));
    return out(upscaleImage(image, width, height, inputs.upscale_method, inputs.crop));
  },
);

const imageScaleBy = defineNode(
  {
    name: "ImageScaleBy",
    display: "Upscale Image By",
    category: "image/upscaling",
    module: "nodes",
    required: {
      image: T("IMAGE"),
      upscale_method: COMBO(UPSCALE_METHODS),
      scale_by: FLOAT({ default: 1.0, min: 0.01, max: 8.0, step: 0.01 }),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const s = inputs.scale_by;
    const width = pyRound(dim(image, 2) * s);
    const height = pyRound(dim(image, 1) * s);
    return out(upscaleImage(image, width, height, inputs.upscale_method, "disabled"));
  },
);

export const nodes = [emptyImage, imageInvert, imageBatch, imagePadForOutpaint, imageScale, imageScaleBy];
