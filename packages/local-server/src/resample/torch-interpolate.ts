import { NodeExecutionError } from "../execution/node-impl.js";
import { fmaf } from "../tensor/float32.js";
import { contiguousStrides, isChannelsLastContiguous, type Strides } from "../tensor/strides.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { torchMeanHW } from "./torch-mean.js";

const f = Math.fround;

/** `F.interpolate` modes ComfyUI's `common_upscale` passes through. */
export type TorchInterpolateMode = "nearest-exact" | "bilinear" | "bicubic" | "area";

export interface InterpolateOptions {
  /**
   * Element strides of the NCHW view Python passes (default: dense NCHW). torch picks its CPU kernel by
   * the view's layout: bilinear on a channels-last-contiguous view (an NHWC image moved with
   * `movedim(-1, 1)`, a one-channel mask, any 1×1 plane) runs a kernel that sums in double precision.
   */
  readonly strides?: Strides;
}

/**
 * `torch.nn.functional.interpolate(x, size=(outH, outW), mode)` on a float32 NCHW tensor, with
 * `align_corners=False`, following torch 1.13's CPU kernels (`UpSampleKernel.cpp`,
 * `AdaptiveAvgPoolKernel.cpp`) step by step: float32 scales, double source indices, and the float32
 * operations and FMA contractions of its AVX2 build. No library reproduces these roundings, which
 * decide the saved byte where a value lands on k/255, so this is written out by hand.
 */
export function interpolate(
  input: Tensor,
  outH: number,
  outW: number,
  mode: TorchInterpolateMode,
  options: InterpolateOptions = {},
): Tensor {
  const [b, c, h, w] = input.shape as [number, number, number, number];
  checkSizes(input.shape, outH, outW, mode);
  const out = new Float32Array(b * c * outH * outW);
  const planes = b * c;
  if (mode === "area") {
    if (outH === 1 && outW === 1) {
      // `adaptive_avg_pool2d` to 1×1 is `mean((-1, -2))`, a reduction with its own summation order.
      out.set(torchMeanHW(input, options.strides ?? contiguousStrides(input.shape)));
      return tensor([b, c, 1, 1], out);
    }
    for (let p = 0; p < planes; p++) areaPlane(input.data, p * h * w, h, w, out, p * outH * outW, outH, outW);
    return tensor([b, c, outH, outW], out);
  }
  if (mode === "nearest-exact") {
    const ys = nearestExact(h, outH);
    const xs = nearestExact(w, outW);
    for (let p = 0; p < planes; p++)
      for (let y = 0; y < outH; y++)
        for (let x = 0; x < outW; x++)
          out[(p * outH + y) * outW + x] = input.data[
            p * h * w + (ys[y] as number) * w + (xs[x] as number)
          ] as number;
    return tensor([b, c, outH, outW], out);
  }
  if (mode === "bilinear") {
    const strides = options.strides ?? contiguousStrides(input.shape);
    if (isChannelsLastContiguous(input.shape, strides)) bilinearChannelsLast(input, out, outH, outW);
    else bilinearGeneric(input, out, outH, outW);
    return tensor([b, c, outH, outW], out);
  }
  bicubicGeneric(input, out, outH, outW);
  return tensor([b, c, outH, outW], out);
}

/** torch's shape checks: `adaptive_avg_pool2d` for area, `upsample_2d_common_check` for the others. */
function checkSizes(shape: readonly number[], outH: number, outW: number, mode: TorchInterpolateMode): void {
  const [, , h, w] = shape as [number, number, number, number];
  if (mode === "area") {
    const empty = shape.findIndex((d, i) => i > 0 && d === 0);
    if (empty > 0) {
      throw new NodeExecutionError(
        "RuntimeError",
        `adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [${shape.join(", ")}] with dimension ${empty} being empty`,
      );
    }
    return;
  }
  if (h <= 0 || w <= 0 || outH <= 0 || outW <= 0) {
    throw new NodeExecutionError(
      "RuntimeError",
      `Input and output sizes should be greater than 0, but got input (H: ${h}, W: ${w}) output (H: ${outH}, W: ${outW})`,
    );
  }
}

/**
 * `cpu_upsample_linear_channels_last`: per pixel the four weights `h·w` rounded to float32 and held as
 * double; channels beyond the last multiple of 8 sum the four exact products in double and round once;
 * the 8-wide vector part rounds the weights back to float32 and runs float32 multiply-adds, GCC's
 * contraction of `t00·w00 + (t01·w01 + (t10·w10 + t11·w11))` fusing the `t11` product innermost.
 */
function bilinearChannelsLast(input: Tensor, out: Float32Array, outH: number, outW: number): void {
  const [b, c, h, w] = input.shape as [number, number, number, number];
  const ry = linearTaps(h, outH);
  const rx = linearTaps(w, outW);
  const s = input.data;
  const vectorised = c - (c % 8);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < outH; y++) {
      const [y0, y1, h0, h1] = ry[y] as [number, number, number, number];
      for (let x = 0; x < outW; x++) {
        const [x0, x1, w0, w1] = rx[x] as [number, number, number, number];
        const w00 = f(h0 * w0);
        const w01 = f(h0 * w1);
        const w10 = f(h1 * w0);
        const w11 = f(h1 * w1);
        for (let k = 0; k < c; k++) {
          const base = (n * c + k) * h * w;
          const i00 = s[base + y0 * w + x0] as number;
          const i01 = s[base + y0 * w + x1] as number;
          const i10 = s[base + y1 * w + x0] as number;
          const i11 = s[base + y1 * w + x1] as number;
          out[((n * c + k) * outH + y) * outW + x] =
            k < vectorised
              ? fmaf(i00, w00, fmaf(i01, w01, fmaf(i11, w11, f(i10 * w10))))
              : f(i00 * w00 + i01 * w01 + i10 * w10 + i11 * w11);
        }
      }
    }
}

/**
 * The generic kernel (`Interpolate<2, float, int64_t, 2>`): along the width `t0 * w0 + t1 * w1` per
 * row, then the same along the height, each sum with its first product contracted into an FMA.
 */
function bilinearGeneric(input: Tensor, out: Float32Array, outH: number, outW: number): void {
  const [b, c, h, w] = input.shape as [number, number, number, number];
  const ry = linearTaps(h, outH);
  const rx = linearTaps(w, outW);
  const s = input.data;
  for (let p = 0; p < b * c; p++) {
    const base = p * h * w;
    for (let y = 0; y < outH; y++) {
      const [y0, y1, hy0, hy1] = ry[y] as [number, number, number, number];
      for (let x = 0; x < outW; x++) {
        const [x0, x1, wx0, wx1] = rx[x] as [number, number, number, number];
        const t0 = fmaf(s[base + y0 * w + x0] as number, wx0, f((s[base + y0 * w + x1] as number) * wx1));
        const t1 = fmaf(s[base + y1 * w + x0] as number, wx0, f((s[base + y1 * w + x1] as number) * wx1));
        out[(p * outH + y) * outW + x] = fmaf(t0, hy0, f(t1 * hy1));
      }
    }
  }
}

/**
 * The generic kernel with four taps (`Interpolate<2, float, int64_t, 4>`): per row along the width, then
 * along the height, `output = t0 * w0; output += t1 * w1 …` — the compiler fuses the first product
 * into the first `+=` and each later product into its own, so `fma(t3, w3, fma(t2, w2, fma(t0, w0, t1 * w1)))`.
 */
function bicubicGeneric(input: Tensor, out: Float32Array, outH: number, outW: number): void {
  const [b, c, h, w] = input.shape as [number, number, number, number];
  const cy = cubicTaps(h, outH);
  const cx = cubicTaps(w, outW);
  const s = input.data;
  const rows = new Float64Array(4);
  for (let p = 0; p < b * c; p++) {
    const base = p * h * w;
    for (let y = 0; y < outH; y++) {
      const ty = cy[y] as CubicTaps;
      for (let x = 0; x < outW; x++) {
        const tx = cx[x] as CubicTaps;
        for (let j = 0; j < 4; j++) {
          const row = base + (ty.index[j] as number) * w;
          rows[j] = sum4(
            s[row + (tx.index[0] as number)] as number,
            s[row + (tx.index[1] as number)] as number,
            s[row + (tx.index[2] as number)] as number,
            s[row + (tx.index[3] as number)] as number,
            tx.weight,
          );
        }
        out[(p * outH + y) * outW + x] = sum4(
          rows[0] as number,
          rows[1] as number,
          rows[2] as number,
          rows[3] as number,
          ty.weight,
        );
      }
    }
  }
}

function sum4(v0: number, v1: number, v2: number, v3: number, w: readonly number[]): number {
  const o = fmaf(v0, w[0] as number, f(v1 * (w[1] as number)));
  return fmaf(v3, w[3] as number, fmaf(v2, w[2] as number, o));
}

function nearestExact(inSize: number, outSize: number): Int32Array {
  const scale = f(inSize / outSize);
  const idx = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) idx[i] = Math.min(Math.floor(f((i + 0.5) * scale)), inSize - 1);
  return idx;
}

/** `compute_source_index_and_lambda`: the two taps and their weights per output index. */
function linearTaps(inSize: number, outSize: number): Array<[number, number, number, number]> {
  const taps: Array<[number, number, number, number]> = [];
  const scale = f(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    if (inSize === outSize) {
      taps.push([i, i, 1, 0]);
      continue;
    }
    // `compute_source_index_and_lambda`: the source index in `acc_type<float>` (double on the CPU), lambda rounded to float.
    let real = scale * (i + 0.5) - 0.5;
    if (real < 0) real = 0;
    const i0 = Math.min(Math.floor(real), inSize - 1);
    const l1 = Math.min(Math.max(f(real - i0), 0), 1);
    const i1 = i0 + (i0 < inSize - 1 ? 1 : 0);
    taps.push([i0, i1, f(1 - l1), l1]);
  }
  return taps;
}

interface CubicTaps {
  readonly index: number[];
  readonly weight: number[];
}

const A = -0.75;
// `cubic_convolution1/2` as the AVX2 build computes them: GCC contracts only some of the
// multiply-adds (found against torch's weights; each other choice is off in the last bits).
function cubic1(x: number): number {
  return f(f(f(fmaf(f(A + 2), x, -f(A + 3)) * x) * x) + 1);
}
function cubic2(x: number): number {
  return f(f(fmaf(fmaf(A, x, -f(5 * A)), x, f(8 * A)) * x) - f(4 * A));
}

/**
 * `HelperInterpCubic::compute_indices_weights`: double source index (no clamping at 0), the integer
 * part by `floorf` of it rounded to float32, the fraction rounded to float32.
 */
function cubicTaps(inSize: number, outSize: number): CubicTaps[] {
  const scale = f(inSize / outSize);
  const taps: CubicTaps[] = [];
  for (let i = 0; i < outSize; i++) {
    const real = scale * (i + 0.5) - 0.5;
    const i0 = Math.floor(f(real));
    const t = f(real - i0);
    const weight = [cubic2(f(t + 1)), cubic1(t), cubic1(f(1 - t)), cubic2(f(f(1 - t) + 1))];
    const index = [0, 1, 2, 3].map((j) => Math.max(Math.min(i0 - 1 + j, inSize - 1), 0));
    taps.push({ index, weight });
  }
  return taps;
}

/** `adaptive_avg_pool2d` over one plane: float32 running sum, then `/ kh / kw`. */
function areaPlane(
  src: Float32Array,
  base: number,
  h: number,
  w: number,
  out: Float32Array,
  outBase: number,
  outH: number,
  outW: number,
): void {
  for (let oy = 0; oy < outH; oy++) {
    const y0 = Math.floor((oy * h) / outH);
    const y1 = Math.ceil(((oy + 1) * h) / outH);
    for (let ox = 0; ox < outW; ox++) {
      const x0 = Math.floor((ox * w) / outW);
      const x1 = Math.ceil(((ox + 1) * w) / outW);
      let sum = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) sum = f(sum + (src[base + y * w + x] as number));
      out[outBase + oy * outW + ox] = f(f(sum / (y1 - y0)) / (x1 - x0));
    }
  }
}
