import { NodeExecutionError } from "../execution/node-impl.js";
import { interpolate } from "../resample/torch-interpolate.js";
import { maskShape } from "./nhwc.js";
import { dim, f32, repeatToBatch } from "./ops.js";
import type { Strides } from "./strides.js";
import { type Tensor, tensor } from "./tensor.js";

/**
 * `nodes_mask.composite` on NCHW tensors: paste `source` at (x, y) (in units of `multiplier`),
 * blended by `mask` (bilinear-resized to the source), clipped to the destination. `sourceStrides`:
 * the strides of the NCHW view the source stands for (default dense), which pick the resize kernel.
 */
export function composite(
  destination: Tensor,
  sourceIn: Tensor,
  xIn: number,
  yIn: number,
  mask: Tensor | undefined,
  multiplier: number,
  resizeSource: boolean,
  sourceStrides?: Strides,
): Tensor {
  const [db, dc, dh, dw] = destination.shape as [number, number, number, number];
  let source = sourceIn;
  if (resizeSource) {
    source = interpolate(source, dh, dw, "bilinear", sourceStrides ? { strides: sourceStrides } : {});
  }
  source = repeatToBatch(source, db);
  const [, sc, sh, sw] = source.shape as [number, number, number, number];
  if (sc !== dc && sc !== 1) {
    // `inverse_mask * destination[…]` (the mask of ones shaped like the source) or the final sum fails.
    throw new NodeExecutionError(
      "RuntimeError",
      `The size of tensor a (${sc}) must match the size of tensor b (${dc}) at non-singleton dimension 1`,
    );
  }
  const x = Math.max(-sw * multiplier, Math.min(xIn, dw * multiplier));
  const y = Math.max(-sh * multiplier, Math.min(yIn, dh * multiplier));
  const left = Math.floor(x / multiplier);
  const top = Math.floor(y / multiplier);
  let m: Tensor | undefined;
  if (mask) {
    const [mn, mh, mw] = maskShape(mask);
    m = repeatToBatch(interpolate(tensor([mn, 1, mh, mw], mask.data), sh, sw, "bilinear"), sh > 0 ? db : db);
  }
  const visW = dw - left + Math.min(0, x);
  const visH = dh - top + Math.min(0, y);
  const out = new Float32Array(destination.data);
  for (let n = 0; n < db; n++)
    for (let c = 0; c < dc; c++)
      for (let yy = 0; yy < Math.min(sh, visH); yy++) {
        const ty = top + yy;
        if (ty < 0 || ty >= dh) continue;
        for (let xx = 0; xx < Math.min(sw, visW); xx++) {
          const tx = left + xx;
          if (tx < 0 || tx >= dw) continue;
          const s = source.data[((n * sc + (sc === 1 ? 0 : c)) * sh + yy) * sw + xx] as number;
          const at = ((n * dc + c) * dh + ty) * dw + tx;
          if (!m) {
            out[at] = f32(f32(1 * s) + f32(0 * (destination.data[at] as number)));
            continue;
          }
          const mv = m.data[(Math.min(n, dim(m, 0) - 1) * sh + yy) * sw + xx] as number;
          out[at] = f32(f32(mv * s) + f32(f32(1 - mv) * (destination.data[at] as number)));
        }
      }
  return tensor(destination.shape, out);
}
