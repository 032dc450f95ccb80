import { pyRound } from "@comfy-ts/core/python";
import { type NodeContext, NodeExecutionError } from "../../execution/node-impl.js";
import { interpolate } from "../../resample/torch-interpolate.js";
import { channelsFirst, channelsLast, dim, f32 } from "../../tensor/ops.js";
import { type Tensor, tensor } from "../../tensor/tensor.js";
import { COMBO, defineNode, INT, out, T } from "../define.js";
import type { PixelSpaceVae } from "../socket-types.js";

// nodes.py

/** `VAE.encode` with the pixel-space VAE: the first 3 channels, `x * 2 - 1`, moved to NCHW. */
export function pixelEncode(pixels: Tensor): Tensor {
  const [b, h, w, c] = pixels.shape as [number, number, number, number];
  const data = new Float32Array(b * h * w * 3);
  for (let p = 0; p < b * h * w; p++)
    for (let k = 0; k < 3; k++)
      data[p * 3 + k] = f32(f32(2 * (pixels.data[p * c + Math.min(k, c - 1)] as number)) - 1);
  return channelsFirst(tensor([b, h, w, 3], data));
}

/** `VAE.decode` with the pixel-space VAE: `clamp((x + 1) / 2, 0, 1)`, moved to NHWC. */
export function pixelDecode(samples: Tensor): Tensor {
  const d = samples.data.map((v) => Math.min(1, Math.max(0, f32(f32(v + 1) / 2))));
  return channelsLast(tensor(samples.shape, d));
}

const vaeLoader = defineNode(
  {
    name: "VAELoader",
    display: "Load VAE",
    category: "loaders",
    module: "nodes",
    required: { vae_name: COMBO(["pixel_space"]) },
    outputs: [["VAE"]],
  },
  (inputs) => {
    if (inputs.vae_name !== "pixel_space") {
      throw new NodeExecutionError(
        "RuntimeError",
        `this server runs no models: VAE "${inputs.vae_name}" is not available`,
      );
    }
    return out({ kind: "pixel_space" } satisfies PixelSpaceVae);
  },
);

const vaeDecode = defineNode(
  {
    name: "VAEDecode",
    display: "VAE Decode",
    category: "latent",
    module: "nodes",
    description: "Decodes latent images back into pixel space images.",
    required: {
      samples: T("LATENT", { tooltip: "The latent to be decoded." }),
      vae: T("VAE", { tooltip: "The VAE model used for decoding the latent." }),
    },
    outputs: [["IMAGE", "IMAGE", false, "The decoded image."]],
    outputTooltips: true,
  },
  (inputs) => {
    return out(pixelDecode(inputs.samples.samples));
  },
);

const vaeDecodeTiled = defineNode(
  {
    name: "VAEDecodeTiled",
    display: "VAE Decode (Tiled)",
    category: "_for_testing",
    module: "nodes",
    required: {
      samples: T("LATENT"),
      vae: T("VAE"),
      tile_size: INT({ default: 512, min: 64, max: 4096, step: 32 }),
      overlap: INT({ default: 64, min: 0, max: 4096, step: 32 }),
      temporal_size: INT({
        default: 64,
        min: 8,
        max: 4096,
        step: 4,
        tooltip: "Only used for video VAEs: Amount of frames to decode at a time.",
      }),
      temporal_overlap: INT({
        default: 8,
        min: 4,
        max: 4096,
        step: 4,
        tooltip: "Only used for video VAEs: Amount of frames to overlap.",
      }),
    },
    outputs: [["IMAGE"]],
  },
  (inputs, ctx) => {
    const samples = inputs.samples.samples;
    const tileSize = inputs.tile_size;
    let overlap = inputs.overlap;
    if (tileSize < overlap * 4) overlap = Math.floor(tileSize / 4);
    // VAE.decode_tiled_: the mean of three tilings (tall, wide, square), then process_output.
    const progress = tileProgress(samples, tileSize, overlap, ctx);
    const a = tiledScale(samples, tileSize * 2, Math.floor(tileSize / 2), overlap, (v) => v, progress);
    const b = tiledScale(samples, Math.floor(tileSize / 2), tileSize * 2, overlap, (v) => v, progress);
    const c = tiledScale(samples, tileSize, tileSize, overlap, (v) => v, progress);
    const mean = a.map((v, i) => f32(f32(f32(v + (b[i] as number)) + (c[i] as number)) / 3));
    const decoded = mean.map((v) => Math.min(1, Math.max(0, f32(f32(v + 1) / 2))));
    return out(channelsLast(tensor(samples.shape, decoded)));
  },
);

/**
 * `comfy.utils.tiled_scale` with the pixel-space (identity) decoder on an NCHW tensor: overlapping
 * tiles feathered linearly over `overlap` pixels, accumulated and divided by the summed masks.
 */
function tiledScale(
  samples: Tensor,
  tileH: number,
  tileW: number,
  overlap: number,
  fn: (v: number) => number,
  onTile: () => void,
): Float32Array {
  const [n, c, h, w] = samples.shape as [number, number, number, number];
  const result = new Float32Array(samples.data.length);
  const positions = (size: number, tile: number) => {
    if (size <= tile) return [0];
    const list: number[] = [];
    for (let p = 0; p < size - overlap; p += tile - overlap) list.push(p);
    return list;
  };
  for (let b = 0; b < n; b++) {
    const plane = h * w;
    const base = b * c * plane;
    if (h <= tileH && w <= tileW) {
      result.set(samples.data.subarray(base, base + c * plane).map(fn), base);
      onTile();
      continue;
    }
    const acc = new Float32Array(c * plane);
    const div = new Float32Array(c * plane);
    for (const py of positions(h, tileH))
      for (const px of positions(w, tileW)) {
        const y0 = Math.max(0, Math.min(h - overlap, py));
        const x0 = Math.max(0, Math.min(w - overlap, px));
        const th = Math.min(tileH, h - y0);
        const tw = Math.min(tileW, w - x0);
        onTile();
        const maskY = feather(th, overlap);
        const maskX = feather(tw, overlap);
        for (let k = 0; k < c; k++)
          for (let y = 0; y < th; y++)
            for (let x = 0; x < tw; x++) {
              // mul_ along H first, then along W, as the mask is built.
              const m = f32((maskY[y] as number) * (maskX[x] as number));
              const at = k * plane + (y0 + y) * w + x0 + x;
              acc[at] = f32((acc[at] as number) + f32(fn(samples.data[base + at] as number) * m));
              div[at] = f32((div[at] as number) + m);
            }
      }
    for (let i = 0; i < acc.length; i++) result[base + i] = f32((acc[i] as number) / (div[i] as number));
  }
  return result;
}

/** `comfy.utils.get_tiled_scale_steps`, with Python's ZeroDivisionError when a tile is no larger than the overlap. */
function tiledSteps(width: number, height: number, tileX: number, tileY: number, overlap: number): number {
  const count = (size: number, tile: number) => {
    if (size <= tile) return 1;
    if (tile - overlap === 0) throw new NodeExecutionError("ZeroDivisionError", "division by zero");
    return Math.ceil((size - overlap) / (tile - overlap));
  };
  return count(height, tileY) * count(width, tileX);
}

/** One ProgressBar over the three tilings of `decode_tiled_`/`encode_tiled_`, advanced per tile. */
function tileProgress(t: Tensor, tile: number, overlap: number, ctx: NodeContext): () => void {
  const [n, , h, w] = t.shape as [number, number, number, number];
  const total =
    n *
    (tiledSteps(w, h, tile, tile, overlap) +
      tiledSteps(w, h, Math.floor(tile / 2), tile * 2, overlap) +
      tiledSteps(w, h, tile * 2, Math.floor(tile / 2), overlap));
  let done = 0;
  return () => ctx.progress(++done, total);
}

/** The 1-D feather of a tile edge: `(t + 1) / feather` on both ends, 1 inside (none if the tile is too small). */
function feather(length: number, overlap: number): Float32Array {
  const mask = new Float32Array(length).fill(1);
  if (overlap >= length) return mask;
  for (let t = 0; t < overlap; t++) {
    const a = f32((t + 1) / overlap);
    mask[t] = f32((mask[t] as number) * a);
    mask[length - 1 - t] = f32((mask[length - 1 - t] as number) * a);
  }
  return mask;
}

const vaeEncodeTiled = defineNode(
  {
    name: "VAEEncodeTiled",
    display: "VAE Encode (Tiled)",
    category: "_for_testing",
    module: "nodes",
    required: {
      pixels: T("IMAGE"),
      vae: T("VAE"),
      tile_size: INT({ default: 512, min: 64, max: 4096, step: 64 }),
      overlap: INT({ default: 64, min: 0, max: 4096, step: 32 }),
      temporal_size: INT({
        default: 64,
        min: 8,
        max: 4096,
        step: 4,
        tooltip: "Only used for video VAEs: Amount of frames to encode at a time.",
      }),
      temporal_overlap: INT({
        default: 8,
        min: 4,
        max: 4096,
        step: 4,
        tooltip: "Only used for video VAEs: Amount of frames to overlap.",
      }),
    },
    outputs: [["LATENT"]],
  },
  (inputs, ctx) => {
    const pixels = channelsFirst(rgbOnly(inputs.pixels));
    const tile = inputs.tile_size;
    const overlap = inputs.overlap;
    // VAE.encode_tiled_: square, wide and tall tilings of process_input (x * 2 - 1), averaged.
    const progress = tileProgress(pixels, tile, overlap, ctx);
    const enc = (v: number) => f32(f32(v * 2) - 1);
    const a = tiledScale(pixels, tile, tile, overlap, enc, progress);
    const b = tiledScale(pixels, Math.floor(tile / 2), tile * 2, overlap, enc, progress);
    const c = tiledScale(pixels, tile * 2, Math.floor(tile / 2), overlap, enc, progress);
    const mean = a.map((v, i) => f32(f32(f32(v + (b[i] as number)) + (c[i] as number)) / 3));
    return out({ samples: tensor(pixels.shape, mean) });
  },
);

/** `pixels[:, :, :, :3]`. */
function rgbOnly(pixels: Tensor): Tensor {
  const [b, h, w, c] = pixels.shape as [number, number, number, number];
  if (c === 3) return pixels;
  const data = new Float32Array(b * h * w * 3);
  for (let p = 0; p < b * h * w; p++)
    for (let k = 0; k < 3; k++) data[p * 3 + k] = pixels.data[p * c + Math.min(k, c - 1)] as number;
  return tensor([b, h, w, 3], data);
}

const vaeEncode = defineNode(
  {
    name: "VAEEncode",
    display: "VAE Encode",
    category: "latent",
    module: "nodes",
    required: { pixels: T("IMAGE"), vae: T("VAE") },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    return out({ samples: pixelEncode(inputs.pixels) });
  },
);

const vaeEncodeForInpaint = defineNode(
  {
    name: "VAEEncodeForInpaint",
    display: "VAE Encode (for Inpainting)",
    category: "latent/inpaint",
    module: "nodes",
    required: {
      pixels: T("IMAGE"),
      vae: T("VAE"),
      mask: T("MASK"),
      grow_mask_by: INT({ default: 6, min: 0, max: 64, step: 1 }),
    },
    outputs: [["LATENT"]],
  },
  (inputs) => {
    const pixels = inputs.pixels;
    const maskIn = inputs.mask;
    const [b, h, w, c] = pixels.shape as [number, number, number, number];
    const mh = dim(maskIn, -2);
    const mw = dim(maskIn, -1);
    const mn = maskIn.data.length / (mh * mw);
    const mask = interpolate(tensor([mn, 1, mh, mw], maskIn.data), h, w, "bilinear");
    const rounded = mask.data.map((v) => pyRound(v));
    const grow = inputs.grow_mask_by;
    let erosion: Float32Array;
    if (grow === 0) erosion = mask.data;
    else {
      const pad = Math.ceil((grow - 1) / 2);
      const oh = h + 2 * pad - grow + 1;
      const ow = w + 2 * pad - grow + 1;
      erosion = new Float32Array(mn * oh * ow);
      for (let n = 0; n < mn; n++)
        for (let y = 0; y < oh; y++)
          for (let x = 0; x < ow; x++) {
            let s = 0;
            for (let i = 0; i < grow; i++)
              for (let j = 0; j < grow; j++) {
                const sy = y + i - pad;
                const sx = x + j - pad;
                if (sy >= 0 && sy < h && sx >= 0 && sx < w) s += rounded[(n * h + sy) * w + sx] as number;
              }
            erosion[(n * oh + y) * ow + x] = Math.min(1, Math.max(0, s));
          }
      const cropped = new Float32Array(mn * h * w);
      for (let n = 0; n < mn; n++)
        for (let y = 0; y < Math.min(h, oh); y++)
          for (let x = 0; x < Math.min(w, ow); x++)
            cropped[(n * h + y) * w + x] = pyRound(erosion[(n * oh + y) * ow + x] as number);
      erosion = cropped;
    }
    const px = new Float32Array(pixels.data);
    for (let n = 0; n < b; n++)
      for (let p = 0; p < h * w; p++) {
        const m = f32(1 - (rounded[Math.min(n, mn - 1) * h * w + p] as number));
        for (let k = 0; k < 3; k++) {
          const at = (n * h * w + p) * c + k;
          px[at] = f32(f32(f32((px[at] as number) - 0.5) * m) + 0.5);
        }
      }
    const noiseMask =
      grow === 0 ? tensor([mn, 1, h, w], erosion.map(pyRound)) : tensor([mn, 1, h, w], erosion);
    return out({ samples: pixelEncode(tensor(pixels.shape, px)), noise_mask: noiseMask });
  },
);

export const nodes = [vaeLoader, vaeDecode, vaeDecodeTiled, vaeEncodeTiled, vaeEncode, vaeEncodeForInpaint];
