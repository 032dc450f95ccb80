import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MediaError } from "@comfy-ts/media";
import { type NodeContext, NodeExecutionError } from "../../execution/node-impl.js";
import { annotatedInputPath as inputPath } from "../../files/safe-path.js";
import { ImageDecodeError } from "../../image/errors.js";
import {
  bands,
  convert,
  exifTranspose,
  getChannel,
  type OpenedImage,
  openImage,
  type PilImage,
  pointDiv255,
} from "../../image/pil-image.js";
import { pixelsToImage } from "../../image/tensor-image.js";
import { catBatch } from "../../tensor/ops.js";
import { type Tensor, tensor } from "../../tensor/tensor.js";
import { COMBO, defineNode, FILES, type FileLister, out } from "../define.js";

// nodes.py

async function readImage(name: string, ctx: NodeContext): Promise<OpenedImage> {
  const path = inputPath(name, ctx);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new NodeExecutionError(
      "FileNotFoundError",
      `[Errno 2] No such file or directory: '${join(ctx.dirs.input, name)}'`,
    );
  }
  try {
    return await openImage(bytes, path);
  } catch (error) {
    if (error instanceof ImageDecodeError && error.pythonType) {
      throw new NodeExecutionError(error.pythonType, error.message);
    }
    if (error instanceof ImageDecodeError) {
      throw new NodeExecutionError("PIL.UnidentifiedImageError", `cannot identify image file '${path}'`);
    }
    // A file PIL opens but this server cannot decode (truncated/corrupt data, a missing codec library):
    // an OSError naming the file and what is wrong, as PIL's load would raise.
    if (error instanceof MediaError) throw new NodeExecutionError("OSError", error.message);
    throw error;
  }
}

/** `IS_CHANGED`: the SHA-256 of the file, so a re-uploaded image re-runs the node. */
function fileFingerprint(literals: Record<string, unknown>, ctx: NodeContext): unknown {
  try {
    return createHash("sha256")
      .update(readFileSync(inputPath(String(literals.image), ctx)))
      .digest("hex");
  } catch {
    return Number.NaN;
  }
}

function maskFrom(values: Int32Array, width: number, height: number, invert: boolean): Tensor {
  const data = new Float32Array(values.length);
  for (let i = 0; i < data.length; i++) {
    const v = Math.fround((values[i] as number) / 255);
    data[i] = invert ? Math.fround(1 - v) : v;
  }
  return tensor([1, height, width], data);
}

/** `os.listdir` of the input folder itself, filtered to image content types. */
const imageFiles: FileLister = (env) =>
  env.inputFiles().filter((f) => !f.includes("/") && /\.(png|jpe?g|gif|webp|bmp|tiff?|avif|heic)$/i.test(f));

/** ComfyUI's LoadImage: every frame as an RGB batch, masks from alpha or palette transparency. */
const loadImage = defineNode(
  {
    name: "LoadImage",
    display: "Load Image",
    category: "image",
    module: "nodes",
    required: { image: FILES(imageFiles, { image_upload: true }) },
    outputs: [["IMAGE"], ["MASK"]],
  },
  async (inputs, ctx) => {
    const { frames, orientation } = await readImage(inputs.image, ctx);
    const images: Tensor[] = [];
    const masks: Tensor[] = [];
    let w: number | undefined;
    let h: number | undefined;
    for (let frame of frames) {
      frame = exifTranspose(frame, orientation);
      if (frame.mode === "I") frame = pointDiv255(frame);
      const rgb = convert(frame, "RGB");
      if (w === undefined) {
        w = rgb.width;
        h = rgb.height;
      }
      if (rgb.width !== w || rgb.height !== h) continue;
      images.push(pixelsToImage(rgb.data, rgb.width, rgb.height, 3));
      if (bands(frame).includes("A"))
        masks.push(maskFrom(getChannel(frame, "A"), frame.width, frame.height, true));
      else if (frame.mode === "P" && frame.transparency) {
        masks.push(maskFrom(getChannel(convert(frame, "RGBA"), "A"), frame.width, frame.height, true));
      } else masks.push(tensor([1, 64, 64]));
    }
    if (images.length > 1) return out(catBatch(images), catBatch(masks));
    return out(images[0], masks[0]);
  },
  { fingerprint: fileFingerprint },
);

const CHANNELS = ["alpha", "red", "green", "blue"] as const;

/** ComfyUI's LoadImageMask: one channel of the first frame (non-RGBA images converted to RGBA first). */
const loadImageMask = defineNode(
  {
    name: "LoadImageMask",
    display: "Load Image (as Mask)",
    category: "mask",
    module: "nodes",
    required: {
      image: FILES(imageFiles, { image_upload: true }),
      channel: COMBO(CHANNELS),
    },
    outputs: [["MASK"]],
  },
  async (inputs, ctx) => {
    const opened = await readImage(inputs.image, ctx);
    let im: PilImage = exifTranspose(opened.frames[0] as PilImage, opened.orientation);
    if (bands(im) !== "RGBA") {
      if (im.mode === "I") im = pointDiv255(im);
      im = convert(im, "RGBA");
    }
    const c = inputs.channel[0]?.toUpperCase() ?? "A";
    return out(maskFrom(getChannel(im, c), im.width, im.height, c === "A"));
  },
  { fingerprint: fileFingerprint },
);

export const nodes = [loadImage, loadImageMask];
