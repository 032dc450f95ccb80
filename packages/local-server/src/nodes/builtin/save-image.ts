import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, normalize, posix, resolve } from "node:path";
import { encodeApng, encodePng } from "@comfy-ts/core/png";
import { encodeWebp } from "@comfy-ts/media";
import { type NodeContext, NodeExecutionError } from "../../execution/node-impl.js";
import { isInside } from "../../files/safe-path.js";
import { pilExifBytes } from "../../image/pil-exif.js";
import { imageToPixels } from "../../image/tensor-image.js";
import { dim } from "../../tensor/ops.js";
import { type Tensor, tensor } from "../../tensor/tensor.js";
import { BOOLEAN, COMBO, defineNode, FLOAT, INT, STRING, T } from "../define.js";
import { pythonJsonDumps } from "../python-repr.js";

export interface SavePath {
  readonly folder: string;
  readonly filename: string;
  readonly counter: number;
  readonly subfolder: string;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * `folder_paths.get_save_image_path`: expands `%width%`, `%height%`, `%year%` … in the prefix, splits
 * off its subfolder, refuses folders outside `outputDir`, and continues the `_00001_` counter.
 */
export function saveImagePath(
  prefix: string,
  outputDir: string,
  width: number,
  height: number,
  now = new Date(),
): SavePath {
  let p = prefix;
  if (p.includes("%")) {
    p = p
      .replaceAll("%width%", String(width))
      .replaceAll("%height%", String(height))
      .replaceAll("%year%", String(now.getFullYear()))
      .replaceAll("%month%", pad2(now.getMonth() + 1))
      .replaceAll("%day%", pad2(now.getDate()))
      .replaceAll("%hour%", pad2(now.getHours()))
      .replaceAll("%minute%", pad2(now.getMinutes()))
      .replaceAll("%second%", pad2(now.getSeconds()));
  }
  const norm = posix.normalize(p.replaceAll("\\", "/"));
  const subfolder = posix.dirname(norm) === "." ? "" : posix.dirname(norm);
  const filename = posix.basename(norm);
  const base = resolve(outputDir);
  const folder = resolve(base, subfolder);
  // ComfyUI compares resolved paths: `..foo/bar` stays inside, `../foo/bar` and `/abs/bar` do not.
  if (!isInside(base, folder)) {
    throw new NodeExecutionError(
      "Exception",
      `**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: ${folder}\n         output_dir: ${base}`,
    );
  }
  let counter = 1;
  if (existsSync(folder)) {
    const prefixLen = filename.length;
    for (const f of readdirSync(folder)) {
      const head = f.slice(0, prefixLen + 1);
      if (head.slice(0, -1) !== filename || head.at(-1) !== "_") continue;
      const digits = Number.parseInt(f.slice(prefixLen + 1).split("_")[0] ?? "", 10);
      const d =
        Number.isFinite(digits) && /^\d+$/.test(f.slice(prefixLen + 1).split("_")[0] ?? "") ? digits : 0;
      counter = Math.max(counter, d + 1);
    }
  } else {
    mkdirSync(folder, { recursive: true });
  }
  return { folder, filename, counter, subfolder: normalize(subfolder) === "." ? "" : subfolder };
}

export interface SaveOptions {
  readonly type: "output" | "temp";
  readonly compressLevel: number;
  readonly prefixAppend?: string;
}

/** `SaveImage.save_images`: one PNG per batch item with `prompt` and extra_pnginfo text chunks. */
export function saveImages(images: Tensor, prefix: string, ctx: NodeContext, options: SaveOptions) {
  const dir = options.type === "output" ? ctx.dirs.output : ctx.dirs.temp;
  const path = saveImagePath(prefix + (options.prefixAppend ?? ""), dir, dim(images, 2), dim(images, 1));
  const results: Array<{ filename: string; subfolder: string; type: string }> = [];
  const text: Array<[string, string]> = [];
  text.push(["prompt", pythonJsonDumps(ctx.prompt)]);
  for (const [key, value] of Object.entries(ctx.extraPngInfo ?? {})) text.push([key, pythonJsonDumps(value)]);
  let counter = path.counter;
  for (let b = 0; b < dim(images, 0); b++) {
    const name = path.filename.replaceAll("%batch_num%", String(b));
    const file = `${name}_${String(counter).padStart(5, "0")}_.png`;
    const png = encodePng(imageToPixels(images, b), { text, compressLevel: options.compressLevel });
    writeFileSync(join(path.folder, file), png);
    results.push({ filename: file, subfolder: path.subfolder, type: options.type });
    counter++;
  }
  return { ui: { images: results } };
}

const TEMP_LETTERS = "abcdefghijklmnopqrstupvxyz";
/** PreviewImage's `_temp_` + five random letters (ComfyUI's alphabet, with its doubled "p"). */
export function tempSuffix(random = Math.random): string {
  let s = "_temp_";
  for (let i = 0; i < 5; i++) s += TEMP_LETTERS[Math.floor(random() * TEMP_LETTERS.length)];
  return s;
}

const HIDDEN = { prompt: "PROMPT", extra_pnginfo: "EXTRA_PNGINFO" };

export const saveImage = defineNode(
  {
    name: "SaveImage",
    display: "Save Image",
    category: "image",
    module: "nodes",
    description: "Saves the input images to your ComfyUI output directory.",
    outputNode: true,
    required: {
      images: T("IMAGE", { tooltip: "The images to save." }),
      filename_prefix: STRING({
        default: "ComfyUI",
        tooltip:
          "The prefix for the file to save. This may include formatting information such as %date:yyyy-MM-dd% or %Empty Latent Image.width% to include values from nodes.",
      }),
    },
    hidden: HIDDEN,
  },
  (inputs, ctx) =>
    saveImages(inputs.images, inputs.filename_prefix, ctx, {
      type: "output",
      compressLevel: 4,
    }),
);

export const previewImage = defineNode(
  {
    name: "PreviewImage",
    display: "Preview Image",
    category: "image",
    module: "nodes",
    description: "Saves the input images to your ComfyUI output directory.",
    outputNode: true,
    required: { images: T("IMAGE") },
    hidden: HIDDEN,
  },
  (inputs, ctx) =>
    saveImages(inputs.images, "ComfyUI", ctx, {
      type: "temp",
      compressLevel: 1,
      prefixAppend: tempSuffix(),
    }),
);

/** MaskPreview: the mask as a 3-channel image, saved like PreviewImage. */
export const maskPreview = defineNode(
  {
    name: "MaskPreview",
    category: "mask",
    module: "comfy_extras.nodes_mask",
    description: "Saves the input images to your ComfyUI output directory.",
    outputNode: true,
    required: { mask: T("MASK") },
    hidden: HIDDEN,
  },
  (inputs, ctx) => {
    const preview = maskToImage3(inputs.mask);
    return saveImages(preview, "ComfyUI", ctx, {
      type: "temp",
      compressLevel: 1,
      prefixAppend: tempSuffix(),
    });
  },
);

/** `mask.reshape((-1, 1, H, W)).movedim(1, -1).expand(-1, -1, -1, 3)`. */
export function maskToImage3(mask: Tensor): Tensor {
  const h = dim(mask, -2);
  const w = dim(mask, -1);
  const n = mask.data.length / (h * w);
  const data = new Float32Array(n * h * w * 3);
  for (let i = 0; i < n * h * w; i++) {
    const v = mask.data[i] as number;
    data[i * 3] = v;
    data[i * 3 + 1] = v;
    data[i * 3 + 2] = v;
  }
  return tensor([n, h, w, 3], data);
}

/** SaveImageWebsocket: each image as a PNG preview frame with step progress; no files, no `executed` output. */
export const saveImageWebsocket = defineNode(
  {
    name: "SaveImageWebsocket",
    category: "api/image",
    module: "custom_nodes.websocket_image_save",
    outputNode: true,
    required: { images: T("IMAGE") },
  },
  (inputs, ctx: NodeContext) => {
    const images = inputs.images;
    const n = dim(images, 0);
    for (let b = 0; b < n; b++) {
      ctx.progress(b, n, { format: "PNG", bytes: encodePng(imageToPixels(images, b), { compressLevel: 1 }) });
    }
    return {};
  },
  { fingerprint: () => Number.NaN },
);

/** SaveAnimatedPNG: one APNG of the whole batch with `comf` metadata chunks after the image data. */
export const saveAnimatedPng = defineNode(
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
    hidden: HIDDEN,
  },
  (inputs, ctx) => {
    const images = inputs.images;
    const path = saveImagePath(inputs.filename_prefix, ctx.dirs.output, dim(images, 2), dim(images, 1));
    const comf = (key: string, value: unknown): readonly [string, Uint8Array] => [
      "comf",
      Buffer.from(`${key}\0${pythonJsonDumps(value)}`, "latin1"),
    ];
    const afterData = [
      comf("prompt", ctx.prompt),
      ...Object.entries(ctx.extraPngInfo ?? {}).map(([k, v]) => comf(k, v)),
    ];
    const frames = Array.from({ length: dim(images, 0) }, (_, b) => imageToPixels(images, b));
    const file = `${path.filename}_${String(path.counter).padStart(5, "0")}_.png`;
    const png = encodeApng(frames, {
      delayMs: Math.trunc(1000 / inputs.fps),
      compressLevel: inputs.compress_level,
      afterData,
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
export const saveAnimatedWebp = defineNode(
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
    hidden: HIDDEN,
  },
  async (inputs, ctx) => {
    const images = inputs.images;
    const [n, height, width] = [dim(images, 0), dim(images, 1), dim(images, 2)];
    const path = saveImagePath(inputs.filename_prefix, ctx.dirs.output, width, height);
    const tags = new Map<number, string>();
    tags.set(0x0110, `prompt:${pythonJsonDumps(ctx.prompt)}`);
    let tag = 0x010f;
    for (const [key, value] of Object.entries(ctx.extraPngInfo ?? {}))
      tags.set(tag--, `${key}:${pythonJsonDumps(value)}`);
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
