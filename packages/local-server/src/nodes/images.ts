import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeApng } from "@comfy-ts/core/png";
import { pyJsonDumps, pyRound } from "@comfy-ts/core/python";
import { encodeWebp } from "@comfy-ts/media";
import { NodeExecutionError } from "../execution/node-impl.js";
import { saveImagePath } from "../files/save-images.js";
import { PIL_PNG } from "../image/pil-deflate.js";
import { pilExifBytes } from "../image/pil-exif.js";
import { imageToPixels } from "../image/tensor-image.js";
import { randn, TorchGenerator } from "../random/torch-generator.js";
import { upscaleImage } from "../resample/common-upscale.js";
import { cropImage, flipImage, padBatch, padCentered, padChannels, rot90Image } from "../tensor/nhwc.js";
import { cat, clamp01, dim, f32, repeatBatch, sliceBatch } from "../tensor/ops.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import {
  BATCH_SIZE,
  BOOLEAN,
  COMBO,
  defineNode,
  FLOAT,
  INT,
  out,
  RESOLUTION,
  STRING,
  T,
  U64_MAX,
} from "./define.js";

// comfy_extras/nodes_images.py

const MOD = "comfy_extras.nodes_images";

const imageCrop = defineNode(
  {
    name: "ImageCrop",
    display: "Image Crop",
    category: "image/transform",
    module: MOD,
    required: {
      image: T("IMAGE"),
      width: RESOLUTION(512, 1, 1),
      height: RESOLUTION(512, 1, 1),
      x: RESOLUTION(0, 0, 1),
      y: RESOLUTION(0, 0, 1),
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

const repeatImageBatch = defineNode(
  {
    name: "RepeatImageBatch",
    category: "image/batch",
    module: MOD,
    required: { image: T("IMAGE"), amount: BATCH_SIZE },
    outputs: [["IMAGE"]],
  },
  (inputs) => out(repeatBatch(inputs.image, inputs.amount)),
);

const imageFromBatch = defineNode(
  {
    name: "ImageFromBatch",
    category: "image/batch",
    module: MOD,
    required: {
      image: T("IMAGE"),
      batch_index: INT({ default: 0, min: 0, max: 4095 }),
      length: BATCH_SIZE,
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

const imageAddNoise = defineNode(
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

const getImageSize = defineNode(
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

const imageRotate = defineNode(
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

const imageFlip = defineNode(
  {
    name: "ImageFlip",
    category: "image/transform",
    module: MOD,
    required: { image: T("IMAGE"), flip_method: COMBO(["x-axis: vertically", "y-axis: horizontally"]) },
    outputs: [["IMAGE"]],
  },
  (inputs) => out(flipImage(inputs.image, inputs.flip_method.startsWith("x-axis") ? 1 : 2)),
);

const resizeAndPadImage = defineNode(
  {
    name: "ResizeAndPadImage",
    category: "image/transform",
    module: MOD,
    required: {
      image: T("IMAGE"),
      target_width: RESOLUTION(512, 1, 1),
      target_height: RESOLUTION(512, 1, 1),
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

const imageScaleToMaxDimension = defineNode(
  {
    name: "ImageScaleToMaxDimension",
    category: "image/upscaling",
    module: MOD,
    required: {
      image: T("IMAGE"),
      upscale_method: COMBO(["area", "lanczos", "bilinear", "nearest-exact", "bilinear", "bicubic"]),
      largest_size: RESOLUTION(512, 0, 1),
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

const imageStitch = defineNode(
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
    return out(cat(parts, concatAxis));
  },
);

/** SaveAnimatedPNG: one APNG of the whole batch with `comf` metadata chunks after the image data. */
const saveAnimatedPng = defineNode(
  {
    name: "SaveAnimatedPNG",
    category: "image/animation",
    module: "comfy_extras.nodes_images",
    outputNode: true,
    required: {
      images: T("IMAGE"),
      filename_prefix: STRING({ default: "ComfyUI" }),
      fps: FLOAT({ default: 6.0, min: 0.01, max: 1000.0, step: 0.01 }),
      compress_level: INT({ default: 4, min: 0, max: 9 }),
    },
    hidden: { prompt: "PROMPT", extra_pnginfo: "EXTRA_PNGINFO" },
  },
  (inputs, ctx) => {
    const images = inputs.images;
    const path = saveImagePath(inputs.filename_prefix, ctx.dirs.output, dim(images, 2), dim(images, 1));
    const comf = (key: string, value: unknown): readonly [string, Uint8Array] => [
      "comf",
      Buffer.from(`${key}\0${pyJsonDumps(value)}`, "latin1"),
    ];
    const afterData = [
      comf("prompt", ctx.prompt),
      ...Object.entries(ctx.extraPngInfo ?? {}).map(([k, v]) => comf(k, v)),
    ];
    const frames = Array.from({ length: dim(images, 0) }, (_, b) => imageToPixels(images, b));
    const file = `${path.filename}_${String(path.counter).padStart(5, "0")}_.png`;
    const png = encodeApng(frames, {
      delayMs: Math.trunc(1000 / inputs.fps),
      // Pillow 9.4 encodes APNG frames from copies that do not carry the save's encoder settings:
      // `compress_level` is accepted but every frame is written at zlib's default level.
      compressLevel: 6,
      afterData,
      pil: PIL_PNG,
    });
    writeFileSync(join(path.folder, file), png);
    return {
      ui: { images: [{ filename: file, subfolder: path.subfolder, type: "output" }], animated: [true] },
    };
  },
);

const WEBP_METHODS = { default: 4, fastest: 0, slowest: 6 } as const;

/**
 * SaveAnimatedWEBP: the whole batch as one WebP (PIL's `save_all`: WebPAnimEncoder, each frame
 * `int(1000/fps)` ms), or a still VP8X WebP for a batch of one (PIL's plain `save`). The prompt and
 * extra_pnginfo go into EXIF as ComfyUI puts them: 0x0110 `prompt:<json>`, then 0x010F, 0x010E, …
 * `<key>:<json>`; an animation's EXIF chunk keeps PIL's `Exif\0\0` prefix, a still's drops it.
 */
const saveAnimatedWebp = defineNode(
  {
    name: "SaveAnimatedWEBP",
    category: "image/animation",
    module: "comfy_extras.nodes_images",
    outputNode: true,
    required: {
      images: T("IMAGE"),
      filename_prefix: STRING({ default: "ComfyUI" }),
      fps: FLOAT({ default: 6.0, min: 0.01, max: 1000.0, step: 0.01 }),
      lossless: BOOLEAN({ default: true }),
      quality: INT({ default: 80, min: 0, max: 100 }),
      method: COMBO(["default", "fastest", "slowest"]),
    },
    hidden: { prompt: "PROMPT", extra_pnginfo: "EXTRA_PNGINFO" },
  },
  async (inputs, ctx) => {
    const images = inputs.images;
    const [n, height, width] = [dim(images, 0), dim(images, 1), dim(images, 2)];
    const path = saveImagePath(inputs.filename_prefix, ctx.dirs.output, width, height);
    const tags = new Map<number, string>();
    tags.set(0x0110, `prompt:${pyJsonDumps(ctx.prompt)}`);
    let tag = 0x010f;
    for (const [key, value] of Object.entries(ctx.extraPngInfo ?? {}))
      tags.set(tag--, `${key}:${pyJsonDumps(value)}`);
    const exif = pilExifBytes(tags);
    const pixels = Array.from({ length: n }, (_, b) => webpFrame(imageToPixels(images, b)));
    const channels = pixels.some((p) => p.channels === 4) ? 4 : 3;
    const file = `${path.filename}_${String(path.counter).padStart(5, "0")}_.webp`;
    const webp = await encodeWebp(
      { width, height, channels, frames: pixels.map((p) => p.data) },
      {
        lossless: inputs.lossless,
        quality: inputs.quality,
        method: WEBP_METHODS[inputs.method],
        durationMs: Math.trunc(1000.0 / inputs.fps),
        exif: n > 1 ? exif : exif.subarray(6),
      },
    );
    writeFileSync(join(path.folder, file), webp);
    return {
      ui: { images: [{ filename: file, subfolder: path.subfolder, type: "output" }], animated: [n !== 1] },
    };
  },
);

/** A frame as PIL hands it to libwebp: RGB, or RGBA when the image has alpha (L → RGB, LA → RGBA). */
function webpFrame(p: ReturnType<typeof imageToPixels>): { channels: 3 | 4; data: Uint8Array } {
  if (p.channels === 3 || p.channels === 4) return { channels: p.channels, data: p.data };
  const out = p.channels === 1 ? 3 : 4;
  const data = new Uint8Array(p.width * p.height * out);
  for (let i = 0; i < p.width * p.height; i++) {
    const v = p.data[i * p.channels]!;
    data.fill(v, i * out, i * out + 3);
    if (out === 4) data[i * 4 + 3] = p.data[i * 2 + 1]!;
  }
  return { channels: out, data };
}

export const nodes = [
  imageCrop,
  repeatImageBatch,
  imageFromBatch,
  imageAddNoise,
  getImageSize,
  imageRotate,
  imageFlip,
  resizeAndPadImage,
  imageScaleToMaxDimension,
  imageStitch,
  saveAnimatedPng,
  saveAnimatedWebp,
];
