import { pyRound } from "@comfy-ts/core/python";
import { NodeExecutionError } from "../execution/node-impl.js";
import { saveImages, tempSuffix } from "../files/save-images.js";
import { broadcastMap, expandTo } from "../tensor/broadcast.js";
import { composite } from "../tensor/composite.js";
import { imageAlphaFix } from "../tensor/image-alpha-fix.js";
import { maskAsImage, maskShape } from "../tensor/nhwc.js";
import { channelsFirst, channelsLast, dim, f32 } from "../tensor/ops.js";
import { assignLast2, sliceLast2 } from "../tensor/py-slice.js";
import { contiguousStrides, nchwViewOfNhwc } from "../tensor/strides.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { BOOLEAN, COMBO, defineNode, FLOAT, INT, MAX_RESOLUTION, out, RESOLUTION, T } from "./define.js";

// comfy_extras/nodes_mask.py

const MOD = "comfy_extras.nodes_mask";

const imageCompositeMasked = defineNode(
  {
    name: "ImageCompositeMasked",
    category: "image",
    module: MOD,
    required: {
      destination: T("IMAGE"),
      source: T("IMAGE"),
      x: RESOLUTION(0, 0, 1),
      y: RESOLUTION(0, 0, 1),
      resize_source: BOOLEAN({ default: false }),
    },
    optional: { mask: T("MASK") },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const [destination, source] = imageAlphaFix(inputs.destination, inputs.source);
    const dest = channelsFirst(destination);
    const src = channelsFirst(source);
    const strides = nchwViewOfNhwc(source.strides ?? contiguousStrides(source.shape));
    const r = composite(dest, src, inputs.x, inputs.y, inputs.mask, 1, inputs.resize_source, strides);
    return out(channelsLast(r));
  },
);

const maskToImage = defineNode(
  {
    name: "MaskToImage",
    display: "Convert Mask to Image",
    category: "mask",
    module: MOD,
    required: { mask: T("MASK") },
    outputs: [["IMAGE"]],
  },
  (inputs) => out(maskAsImage(inputs.mask)),
);

const CHANNELS = ["red", "green", "blue", "alpha"] as const;

const imageToMask = defineNode(
  {
    name: "ImageToMask",
    display: "Convert Image to Mask",
    category: "mask",
    module: MOD,
    required: { image: T("IMAGE"), channel: COMBO(CHANNELS) },
    outputs: [["MASK"]],
  },
  (inputs) => {
    const image = inputs.image;
    const [b, h, w, c] = image.shape as [number, number, number, number];
    const k = CHANNELS.indexOf(inputs.channel);
    if (k >= c)
      throw new NodeExecutionError(
        "IndexError",
        `index ${k} is out of bounds for dimension 3 with size ${c}`,
      );
    const data = new Float32Array(b * h * w);
    for (let i = 0; i < data.length; i++) data[i] = image.data[i * c + k] as number;
    return out(tensor([b, h, w], data));
  },
);

const imageColorToMask = defineNode(
  {
    name: "ImageColorToMask",
    category: "mask",
    module: MOD,
    required: {
      image: T("IMAGE"),
      color: INT({ default: 0, min: 0, max: 0xffffff, step: 1, display: "color" }),
    },
    outputs: [["MASK"]],
  },
  (inputs) => {
    const image = inputs.image;
    const [b, h, w, c] = image.shape as [number, number, number, number];
    const color = inputs.color;
    const data = new Float32Array(b * h * w);
    const q = (v: number) => pyRound(f32(Math.min(1, Math.max(0, v)) * 255));
    for (let i = 0; i < data.length; i++) {
      const rgb =
        (q(image.data[i * c] as number) << 16) +
        (q(image.data[i * c + 1] as number) << 8) +
        q(image.data[i * c + 2] as number);
      data[i] = rgb === color ? 1 : 0;
    }
    return out(tensor([b, h, w], data));
  },
);

const solidMask = defineNode(
  {
    name: "SolidMask",
    category: "mask",
    module: MOD,
    required: {
      value: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
      width: RESOLUTION(512, 1, 1),
      height: RESOLUTION(512, 1, 1),
    },
    outputs: [["MASK"]],
  },
  (inputs) => {
    const w = inputs.width;
    const h = inputs.height;
    return out(tensor([1, h, w], new Float32Array(w * h).fill(inputs.value)));
  },
);

const invertMask = defineNode(
  { name: "InvertMask", category: "mask", module: MOD, required: { mask: T("MASK") }, outputs: [["MASK"]] },
  (inputs) => {
    const m = inputs.mask;
    return out(
      tensor(
        m.shape,
        m.data.map((v) => f32(1 - v)),
      ),
    );
  },
);

const cropMask = defineNode(
  {
    name: "CropMask",
    category: "mask",
    module: MOD,
    required: {
      mask: T("MASK"),
      x: RESOLUTION(0, 0, 1),
      y: RESOLUTION(0, 0, 1),
      width: RESOLUTION(512, 1, 1),
      height: RESOLUTION(512, 1, 1),
    },
    outputs: [["MASK"]],
  },
  (inputs) => {
    const [n, h, w] = maskShape(inputs.mask);
    const x0 = Math.min(inputs.x, w);
    const y0 = Math.min(inputs.y, h);
    const cw = Math.min(w, x0 + inputs.width) - x0;
    const ch = Math.min(h, y0 + inputs.height) - y0;
    const src = inputs.mask.data;
    const data = new Float32Array(n * ch * cw);
    for (let b = 0; b < n; b++)
      for (let y = 0; y < ch; y++)
        data.set(src.subarray((b * h + y0 + y) * w + x0, (b * h + y0 + y) * w + x0 + cw), (b * ch + y) * cw);
    return out(tensor([n, ch, cw], data));
  },
);

const maskComposite = defineNode(
  {
    name: "MaskComposite",
    category: "mask",
    module: MOD,
    required: {
      destination: T("MASK"),
      source: T("MASK"),
      x: RESOLUTION(0, 0, 1),
      y: RESOLUTION(0, 0, 1),
      operation: COMBO(["multiply", "add", "subtract", "and", "or", "xor"]),
    },
    outputs: [["MASK"]],
  },
  (inputs) => {
    // output[:, top:bottom, left:right] = output[:, top:bottom, left:right] OP source[:, :visible_height, :visible_width],
    // with Python's slices (a negative visible size counts from the end), torch's broadcasting and its errors.
    const output = asMaskBatch(inputs.destination);
    const source = asMaskBatch(inputs.source);
    const [, dh, dw] = output.shape as [number, number, number];
    const [, sh, sw] = source.shape as [number, number, number];
    const left = inputs.x;
    const top = inputs.y;
    const right = Math.min(left + sw, dw);
    const bottom = Math.min(top + sh, dh);
    const rows: [number, number] = [top, bottom];
    const cols: [number, number] = [left, right];
    const sourcePortion = sliceLast2(source, [undefined, bottom - top], [undefined, right - left]);
    const destinationPortion = sliceLast2(output, rows, cols);
    const bool = (v: number) => pyRound(v) !== 0;
    const op = inputs.operation;
    const combined = broadcastMap(destinationPortion, sourcePortion, (d, s) => {
      if (op === "multiply") return f32(d * s);
      if (op === "add") return f32(d + s);
      if (op === "subtract") return f32(d - s);
      if (op === "and") return bool(d) && bool(s) ? 1 : 0;
      if (op === "or") return bool(d) || bool(s) ? 1 : 0;
      return bool(d) !== bool(s) ? 1 : 0;
    });
    const result = assignLast2(output, rows, cols, expandTo(combined, destinationPortion.shape));
    for (let i = 0; i < result.data.length; i++)
      result.data[i] = Math.min(1, Math.max(0, result.data[i] as number));
    return out(result);
  },
);

/** `mask.reshape((-1, mask.shape[-2], mask.shape[-1]))`. */
function asMaskBatch(mask: Tensor): Tensor {
  return tensor(maskShape(mask), mask.data);
}

const featherMask = defineNode(
  {
    name: "FeatherMask",
    category: "mask",
    module: MOD,
    required: {
      mask: T("MASK"),
      left: RESOLUTION(0, 0, 1),
      top: RESOLUTION(0, 0, 1),
      right: RESOLUTION(0, 0, 1),
      bottom: RESOLUTION(0, 0, 1),
    },
    outputs: [["MASK"]],
  },
  (inputs) => {
    const [n, h, w] = maskShape(inputs.mask);
    const data = new Float32Array(inputs.mask.data);
    const left = Math.min(inputs.left, w);
    const right = Math.min(inputs.right, w);
    const top = Math.min(inputs.top, h);
    const bottom = Math.min(inputs.bottom, h);
    const col = (x: number, rate: number) => {
      for (let b = 0; b < n; b++)
        for (let y = 0; y < h; y++)
          data[(b * h + y) * w + x] = f32((data[(b * h + y) * w + x] as number) * f32(rate));
    };
    const row = (y: number, rate: number) => {
      for (let b = 0; b < n; b++)
        for (let x = 0; x < w; x++)
          data[(b * h + y) * w + x] = f32((data[(b * h + y) * w + x] as number) * f32(rate));
    };
    // Python's `output[:, :, -x]` with x = 0 is column 0: ComfyUI's off-by-one is kept.
    for (let x = 0; x < left; x++) col(x, (x + 1) / left);
    for (let x = 0; x < right; x++) col(x === 0 ? 0 : w - x, (x + 1) / right);
    for (let y = 0; y < top; y++) row(y, (y + 1) / top);
    for (let y = 0; y < bottom; y++) row(y === 0 ? 0 : h - y, (y + 1) / bottom);
    return out(tensor([n, h, w], data));
  },
);

const growMask = defineNode(
  {
    name: "GrowMask",
    category: "mask",
    module: MOD,
    required: {
      mask: T("MASK"),
      expand: INT({ default: 0, min: -MAX_RESOLUTION, max: MAX_RESOLUTION, step: 1 }),
      tapered_corners: BOOLEAN({ default: true }),
    },
    outputs: [["MASK"]],
  },
  (inputs) => {
    const [n, h, w] = maskShape(inputs.mask);
    const expand = inputs.expand;
    const corners = !inputs.tapered_corners;
    let data = new Float32Array(inputs.mask.data);
    const offsets: Array<[number, number]> = [];
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) if (corners || dx === 0 || dy === 0) offsets.push([dy, dx]);
    for (let it = 0; it < Math.abs(expand); it++) {
      const next = new Float32Array(data.length);
      for (let b = 0; b < n; b++)
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            let v = expand < 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
            for (const [dy, dx] of offsets) {
              // scipy's 'reflect' border repeats the edge pixel.
              const yy = Math.min(h - 1, Math.max(0, y + dy));
              const xx = Math.min(w - 1, Math.max(0, x + dx));
              const s = data[(b * h + yy) * w + xx] as number;
              v = expand < 0 ? Math.min(v, s) : Math.max(v, s);
            }
            next[(b * h + y) * w + x] = v;
          }
      data = next;
    }
    return out(tensor([n, h, w], data));
  },
);

const thresholdMask = defineNode(
  {
    name: "ThresholdMask",
    category: "mask",
    module: MOD,
    required: { mask: T("MASK"), value: FLOAT({ default: 0.5, min: 0.0, max: 1.0, step: 0.01 }) },
    outputs: [["MASK"]],
  },
  (inputs) => {
    const m = inputs.mask;
    const t = f32(inputs.value);
    return out(
      tensor(
        m.shape,
        m.data.map((v) => (v > t ? 1 : 0)),
      ),
    );
  },
);

const latentCompositeMasked = defineNode(
  {
    name: "LatentCompositeMasked",
    category: "latent",
    module: "comfy_extras.nodes_mask",
    required: {
      destination: T("LATENT"),
      source: T("LATENT"),
      x: RESOLUTION(0, 0, 8),
      y: RESOLUTION(0, 0, 8),
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
    const samples = composite(d.samples, src, inputs.x, inputs.y, inputs.mask, 8, inputs.resize_source);
    return out({ ...d, samples });
  },
);

/** MaskPreview: the mask as a 3-channel image, saved like PreviewImage. */
const maskPreview = defineNode(
  {
    name: "MaskPreview",
    category: "mask",
    module: "comfy_extras.nodes_mask",
    description: "Saves the input images to your ComfyUI output directory.",
    outputNode: true,
    required: { mask: T("MASK") },
    hidden: { prompt: "PROMPT", extra_pnginfo: "EXTRA_PNGINFO" },
  },
  (inputs, ctx) => {
    const preview = maskAsImage(inputs.mask);
    return saveImages(preview, "ComfyUI", ctx, {
      type: "temp",
      compressLevel: 1,
      prefixAppend: tempSuffix(),
    });
  },
);

export const nodes = [
  imageCompositeMasked,
  maskToImage,
  imageToMask,
  imageColorToMask,
  solidMask,
  invertMask,
  cropMask,
  maskComposite,
  featherMask,
  growMask,
  thresholdMask,
  latentCompositeMasked,
  maskPreview,
];
