import { NodeExecutionError } from "../execution/node-impl.js";
import { mapToPalette, mapToPaletteFloydSteinberg, medianCutPalette } from "../image/median-cut.js";
import { f32 } from "../tensor/ops.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { defineNode, INT, out, T, V3COMBO } from "./define.js";

/** numpy's `normalized_bayer_matrix(n)` of ComfyUI's Quantize, in float32. */
function bayerMatrix(n: number): Float32Array {
  if (n === 0) return new Float32Array(1);
  const prev = bayerMatrix(n - 1);
  const size = 1 << (n - 1);
  const q = 4 ** n;
  const m = prev.map((v) => f32(q * v));
  const out = new Float32Array(4 * size * size);
  const quads: Array<[number, number, number]> = [
    [0, 0, -1.5],
    [0, 1, 0.5],
    [1, 0, 1.5],
    [1, 1, -0.5],
  ];
  for (const [qy, qx, add] of quads)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        out[(qy * size + y) * 2 * size + qx * size + x] = f32(f32((m[y * size + x] as number) + add) / q);
  return out;
}

/** `(image * 255).to(torch.uint8)` of one batch item. */
function toBytes(image: Tensor, b: number): Uint8Array {
  const [, h, w] = image.shape as [number, number, number];
  const c = image.shape[3] as number;
  const out = new Uint8Array(h * w * 3);
  for (let p = 0; p < h * w; p++)
    for (let k = 0; k < 3; k++)
      out[p * 3 + k] = Math.trunc(f32((image.data[(b * h * w + p) * c + k] as number) * 255)) & 255;
  return out;
}

/** ImageQuantize: Pillow median-cut palette, then no dithering or ComfyUI's ordered Bayer dithering. */
export const imageQuantize = defineNode(
  {
    name: "ImageQuantize",
    category: "image/postprocessing",
    module: "comfy_extras.nodes_post_processing",
    v3: true,
    required: {
      image: T("IMAGE", {}),
      colors: INT({ default: 256, min: 1, max: 256, step: 1 }),
      dither: V3COMBO(["none", "floyd-steinberg", "bayer-2", "bayer-4", "bayer-8", "bayer-16"]),
    },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const [n, h, w] = image.shape as [number, number, number];
    const dither = inputs.dither;
    const result = new Float32Array(image.data.length);
    const c = image.shape[3] as number;
    for (let b = 0; b < n; b++) {
      const bytes = toBytes(image, b);
      const palette = medianCutPalette(bytes, inputs.colors);
      let mapped: Uint8Array;
      if (dither === "none") mapped = mapToPalette(bytes, palette);
      else if (
        dither === "bayer-2" ||
        dither === "bayer-4" ||
        dither === "bayer-8" ||
        dither === "bayer-16"
      ) {
        const order = Number(dither.slice("bayer-".length));
        const bn = Math.trunc(Math.log2(order));
        const m = bayerMatrix(bn);
        const size = 1 << bn;
        // `len(pal_im.getpalette()) // 3` is 256 in Pillow 9.4 whatever the colour count.
        const spread = (2 * 256) / 256;
        const dithered = new Uint8Array(bytes.length);
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            const t = f32(f32(spread * (m[(y % size) * size + (x % size)] as number)) + 0.5);
            for (let k = 0; k < 3; k++) {
              const v = Math.min(255, Math.max(0, f32((bytes[(y * w + x) * 3 + k] as number) + t)));
              dithered[(y * w + x) * 3 + k] = Math.trunc(v);
            }
          }
        mapped = mapToPalette(dithered, palette);
      } else if (dither === "floyd-steinberg") {
        mapped = mapToPaletteFloydSteinberg(bytes, w, h, palette);
      } else {
        throw new NodeExecutionError("KeyError", `'${String(dither)}'`);
      }
      for (let p = 0; p < h * w; p++)
        for (let k = 0; k < c; k++)
          result[(b * h * w + p) * c + k] = k < 3 ? f32((mapped[p * 3 + k] as number) / 255) : 0;
    }
    return out(tensor([n, h, w, 3], c === 3 ? result : result.filter((_, i) => i % c < 3)));
  },
);
