import { NodeExecutionError } from "../execution/node-impl.js";
import { randn, TorchGenerator } from "../random/torch-generator.js";
import { pyRound } from "../resample/common-upscale.js";
import { catBatch, clamp01, dim, f32, sliceBatch } from "../tensor/ops.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { upscaleImage } from "./builtin/image.js";
import { BOOLEAN, COMBO, defineNode, FLOAT, INT, MAX_RESOLUTION, out, T, U64_MAX } from "./define.js";

const MOD = "comfy_extras.nodes_images";

export const imageCrop = defineNode(
  {
    name: "ImageCrop",
    display: "Image Crop",
    category: "image/transform",
    module: MOD,
    required: {
      image: T("IMAGE"),
      width: INT({ default: 512, min: 1, max: MAX_RESOLUTION, step: 1 }),
      height: INT({ default: 512, min: 1, max: MAX_RESOLUTION, step: 1 }),
      x: INT({ default: 0, min: 0, max: MAX_RESOLUTION, step: 1 }),
      y: INT({ default: 0, min: 0, max: MAX_RESOLUTION, step: 1 }),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const [, h, w] = image.shape as [number, number, number];
    const x = Math.min(inputs.x, w - 1);
    const y = Math.min(inputs.y, h - 1);
    const toX = Math.min(w, x + inputs.width);
    const toY = Math.min(h, y + inputs.height);
    return out(cropImage(image, x, y, toX - x, toY - y));
  },
);

/** `image[:, y:y+h, x:x+w, :]` for in-bounds rectangles. */
export function cropImage(image: Tensor, x: number, y: number, cw: number, ch: number): Tensor {
  const [b, h, w, c] = image.shape as [number, number, number, number];
  const data = new Float32Array(b * ch * cw * c);
  for (let n = 0; n < b; n++)
    for (let yy = 0; yy < ch; yy++) {
      const src = ((n * h + y + yy) * w + x) * c;
      data.set(image.data.subarray(src, src + cw * c), (n * ch + yy) * cw * c);
    }
  return tensor([b, ch, cw, c], data);
}

/** `t.repeat((amount, 1, 1, …))`. */
export function repeatBatch(t: Tensor, amount: number): Tensor {
  return catBatch(Array.from({ length: amount }, () => t));
}

export const repeatImageBatch = defineNode(
  {
    name: "RepeatImageBatch",
    category: "image/batch",
    module: MOD,
    required: { image: T("IMAGE"), amount: INT({ default: 1, min: 1, max: 4096 }) },
    outputs: [["IMAGE"]],
  },
  (inputs) => out(repeatBatch(inputs.image, inputs.amount)),
);

export const imageFromBatch = defineNode(
  {
    name: "ImageFromBatch",
    category: "image/batch",
    module: MOD,
    required: {
      image: T("IMAGE"),
      batch_index: INT({ default: 0, min: 0, max: 4095 }),
      length: INT({ default: 1, min: 1, max: 4096 }),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const n = dim(image, 0);
    const index = Math.min(n - 1, inputs.batch_index);
    const length = Math.min(n - index, inputs.length);
    return out(sliceBatch(image, index, length));
  },
);

export const imageAddNoise = defineNode(
  {
    name: "ImageAddNoise",
    category: "image",
    module: MOD,
    required: {
      image: T("IMAGE"),
      seed: INT({
        default: 0,
        min: 0,
        max: U64_MAX,
        control_after_generate: true,
        tooltip: "The random seed used for creating the noise.",
      }),
      strength: FLOAT({ default: 0.5, min: 0.0, max: 1.0, step: 0.01 }),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const seed = BigInt(inputs.seed);
    const noise = randn(new TorchGenerator(seed), image.data.length);
    const s = f32(inputs.strength);
    const data = new Float32Array(image.data.length);
    for (let i = 0; i < data.length; i++)
      data[i] = clamp01(f32((image.data[i] as number) + f32(s * (noise[i] as number))));
    return out(tensor(image.shape, data));
  },
);

export const getImageSize = defineNode(
  {
    name: "GetImageSize",
    display: "Get Image Size",
    category: "image",
    module: MOD,
    description: "Returns width and height of the image, and passes it through unchanged.",
    required: { image: T("IMAGE") },
    hidden: { unique_id: "UNIQUE_ID" },
    outputs: [
      ["INT", "width"],
      ["INT", "height"],
      ["INT", "batch_size"],
    ],
  },
  (inputs, ctx) => {
    const image = inputs.image;
    const [b, h, w] = image.shape as [number, number, number];
    ctx.progressText(`width: ${w}, height: ${h}\n batch size: ${b}`);
    return out(w, h, b);
  },
);

/** `torch.rot90(image, k, dims=[2, 1])` on NHWC: quarter turns from W towards H. */
export function rot90Image(image: Tensor, k: number): Tensor {
  const [b, h, w, c] = image.shape as [number, number, number, number];
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return image;
  const oh = turns === 2 ? h : w;
  const ow = turns === 2 ? w : h;
  const data = new Float32Array(image.data.length);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let sy: number;
        let sx: number;
        if (turns === 1) [sy, sx] = [h - 1 - j, i];
        else if (turns === 2) [sy, sx] = [h - 1 - i, w - 1 - j];
        else [sy, sx] = [j, w - 1 - i];
        const src = ((n * h + sy) * w + sx) * c;
        data.set(image.data.subarray(src, src + c), ((n * oh + i) * ow + j) * c);
      }
  return tensor([b, oh, ow, c], data);
}

export const imageRotate = defineNode(
  {
    name: "ImageRotate",
    category: "image/transform",
    module: MOD,
    required: { image: T("IMAGE"), rotation: COMBO(["none", "90 degrees", "180 degrees", "270 degrees"]) },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const r = inputs.rotation;
    const k = r.startsWith("90") ? 1 : r.startsWith("180") ? 2 : r.startsWith("270") ? 3 : 0;
    return out(rot90Image(inputs.image, k));
  },
);

/** `torch.flip(image, dims=[axis])` for axis 1 (rows) or 2 (columns) of an NHWC tensor. */
export function flipImage(image: Tensor, axis: 1 | 2): Tensor {
  const [b, h, w, c] = image.shape as [number, number, number, number];
  const data = new Float32Array(image.data.length);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const sy = axis === 1 ? h - 1 - y : y;
        const sx = axis === 2 ? w - 1 - x : x;
        const src = ((n * h + sy) * w + sx) * c;
        data.set(image.data.subarray(src, src + c), ((n * h + y) * w + x) * c);
      }
  return tensor(image.shape, data);
}

export const imageFlip = defineNode(
  {
    name: "ImageFlip",
    category: "image/transform",
    module: MOD,
    required: { image: T("IMAGE"), flip_method: COMBO(["x-axis: vertically", "y-axis: horizontally"]) },
    outputs: [["IMAGE"]],
  },
  (inputs) => out(flipImage(inputs.image, inputs.flip_method.startsWith("x-axis") ? 1 : 2)),
);

export const resizeAndPadImage = defineNode(
  {
    name: "ResizeAndPadImage",
    category: "image/transform",
    module: MOD,
    required: {
      image: T("IMAGE"),
      target_width: INT({ default: 512, min: 1, max: MAX_RESOLUTION, step: 1 }),
      target_height: INT({ default: 512, min: 1, max: MAX_RESOLUTION, step: 1 }),
      padding_color: COMBO(["white", "black"]),
      interpolation: COMBO(["area", "bicubic", "nearest-exact", "bilinear", "lanczos"]),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const [b, h, w, c] = image.shape as [number, number, number, number];
    const tw = inputs.target_width;
    const th = inputs.target_height;
    const scale = Math.min(tw / w, th / h);
    const nw = Math.trunc(w * scale);
    const nh = Math.trunc(h * scale);
    const resized = upscaleImage(image, nw, nh, inputs.interpolation, "disabled");
    const data = new Float32Array(b * th * tw * c).fill(inputs.padding_color === "black" ? 0 : 1);
    const yo = Math.floor((th - nh) / 2);
    const xo = Math.floor((tw - nw) / 2);
    for (let n = 0; n < b; n++)
      for (let y = 0; y < nh; y++) {
        const src = (n * nh + y) * nw * c;
        data.set(resized.data.subarray(src, src + nw * c), ((n * th + y + yo) * tw + xo) * c);
      }
    return out(tensor([b, th, tw, c], data));
  },
);

export const imageScaleToMaxDimension = defineNode(
  {
    name: "ImageScaleToMaxDimension",
    category: "image/upscaling",
    module: MOD,
    required: {
      image: T("IMAGE"),
      upscale_method: COMBO(["area", "lanczos", "bilinear", "nearest-exact", "bilinear", "bicubic"]),
      largest_size: INT({ default: 512, min: 0, max: MAX_RESOLUTION, step: 1 }),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    let h = dim(image, 1);
    let w = dim(image, 2);
    const size = inputs.largest_size;
    if (h > w) {
      w = pyRound((w / h) * size);
      h = size;
    } else if (w > h) {
      h = pyRound((h / w) * size);
      w = size;
    } else {
      h = size;
      w = size;
    }
    return out(upscaleImage(image, w, h, inputs.upscale_method, "disabled"));
  },
);

const SPACING_COLORS: Record<string, readonly number[]> = {
  white: [1, 1, 1],
  black: [0, 0, 0],
  red: [1, 0, 0],
  green: [0, 1, 0],
  blue: [0, 0, 1],
};

export const imageStitch = defineNode(
  {
    name: "ImageStitch",
    display: "Image Stitch",
    category: "image/transform",
    module: MOD,
    description:
      "\nStitches image2 to image1 in the specified direction.\nIf image2 is not provided, returns image1 unchanged.\nOptional spacing can be added between images.\n",
    required: {
      image1: T("IMAGE"),
      direction: COMBO(["right", "down", "left", "up"], { default: "right" }),
      match_image_size: BOOLEAN({ default: true }),
      spacing_width: INT({ default: 0, min: 0, max: 1024, step: 2 }),
      spacing_color: COMBO(["white", "black", "red", "green", "blue"], { default: "white" }),
    },
    optional: { image2: T("IMAGE") },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    let image1 = inputs.image1;
    let image2 = inputs.image2;
    if (!image2) return out(image1);
    const direction = inputs.direction;
    const horizontal = direction === "left" || direction === "right";
    const batch = Math.max(dim(image1, 0), dim(image2, 0));
    image1 = padBatch(image1, batch);
    image2 = padBatch(image2, batch);
    const color = SPACING_COLORS[inputs.spacing_color] ?? [1, 1, 1];
    const isGray = color[0] === color[1] && color[1] === color[2];
    if (inputs.match_image_size) {
      const [h1, w1] = [dim(image1, 1), dim(image1, 2)];
      const aspect = dim(image2, 2) / dim(image2, 1);
      const [tw, th] = horizontal ? [Math.trunc(h1 * aspect), h1] : [w1, Math.trunc(w1 / aspect)];
      image2 = upscaleImage(image2, tw, th, "lanczos", "disabled");
    } else {
      // Pad the non-concatenated side to the larger one (grey spacing colours pad with their value, others with 0).
      const padValue = isGray ? (color[0] as number) : 0;
      const axis = horizontal ? 1 : 2;
      const target = Math.max(dim(image1, axis), dim(image2, axis));
      image1 = padCentered(image1, axis, target, padValue);
      image2 = padCentered(image2, axis, target, padValue);
    }
    const channels = Math.max(dim(image1, 3), dim(image2, 3));
    image1 = padChannels(image1, channels);
    image2 = padChannels(image2, channels);
    const parts: Tensor[] = direction === "left" || direction === "up" ? [image2, image1] : [image1, image2];
    let spacing = inputs.spacing_width;
    if (spacing > 0) {
      spacing += spacing % 2;
      const [sh, sw] = horizontal
        ? [Math.max(dim(image1, 1), dim(image2, 1)), spacing]
        : [spacing, Math.max(dim(image1, 2), dim(image2, 2))];
      const data = new Float32Array(batch * sh * sw * channels);
      for (let p = 0; p < batch * sh * sw; p++)
        for (let k = 0; k < channels; k++) data[p * channels + k] = k < 3 ? (color[k] as number) : 1;
      parts.splice(1, 0, tensor([batch, sh, sw, channels], data));
    }
    const concatAxis = horizontal ? 2 : 1;
    for (const p of parts) {
      const other = horizontal ? 1 : 2;
      if (dim(p, other) !== dim(parts[0] as Tensor, other)) {
        throw new NodeExecutionError(
          "RuntimeError",
          `Sizes of tensors must match except in dimension ${concatAxis}. Expected size ${dim(parts[0] as Tensor, other)} but got size ${dim(p, other)} for tensor number ${parts.indexOf(p)} in the list.`,
        );
      }
    }
    return out(horizontal ? catWidth(parts) : catHeight(parts));
  },
);

/** Repeats the last item until the batch has `n` items (ImageStitch's batch alignment). */
function padBatch(t: Tensor, n: number): Tensor {
  const b = dim(t, 0);
  if (b >= n) return t;
  return catBatch([t, ...Array.from({ length: n - b }, () => sliceBatch(t, b - 1, 1))]);
}

/** `F.pad` of axis 1 (height) or 2 (width) to `target`, half before (rounded down) and the rest after. */
function padCentered(t: Tensor, axis: 1 | 2, target: number, value: number): Tensor {
  const [b, h, w, c] = t.shape as [number, number, number, number];
  const size = axis === 1 ? h : w;
  if (size >= target) return t;
  const before = Math.floor((target - size) / 2);
  const [nh, nw] = axis === 1 ? [target, w] : [h, target];
  const data = new Float32Array(b * nh * nw * c).fill(value);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      data.set(
        t.data.subarray((n * h + y) * w * c, ((n * h + y) * w + w) * c),
        ((n * nh + y + (axis === 1 ? before : 0)) * nw + (axis === 2 ? before : 0)) * c,
      );
  return tensor([b, nh, nw, c], data);
}

/** Appends channels of ones up to `channels` (an alpha of 1 for RGB next to RGBA). */
function padChannels(t: Tensor, channels: number): Tensor {
  const [b, h, w, c] = t.shape as [number, number, number, number];
  if (c >= channels) return t;
  const data = new Float32Array(b * h * w * channels).fill(1);
  for (let p = 0; p < b * h * w; p++) data.set(t.data.subarray(p * c, p * c + c), p * channels);
  return tensor([b, h, w, channels], data);
}

function catHeight(parts: readonly Tensor[]): Tensor {
  const b = dim(parts[0] as Tensor, 0);
  const w = dim(parts[0] as Tensor, 2);
  const c = dim(parts[0] as Tensor, 3);
  const h = parts.reduce((a, p) => a + dim(p, 1), 0);
  const data = new Float32Array(b * h * w * c);
  for (let n = 0; n < b; n++) {
    let y0 = 0;
    for (const p of parts) {
      const ph = dim(p, 1);
      data.set(p.data.subarray(n * ph * w * c, (n + 1) * ph * w * c), (n * h + y0) * w * c);
      y0 += ph;
    }
  }
  return tensor([b, h, w, c], data);
}

function catWidth(parts: readonly Tensor[]): Tensor {
  const b = dim(parts[0] as Tensor, 0);
  const h = dim(parts[0] as Tensor, 1);
  const c = dim(parts[0] as Tensor, 3);
  const w = parts.reduce((a, p) => a + dim(p, 2), 0);
  const data = new Float32Array(b * h * w * c);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++) {
      let x0 = 0;
      for (const p of parts) {
        const pw = dim(p, 2);
        const src = (n * h + y) * pw * c;
        data.set(p.data.subarray(src, src + pw * c), ((n * h + y) * w + x0) * c);
        x0 += pw;
      }
    }
  return tensor([b, h, w, c], data);
}
