import { type Tensor, tensor } from "../tensor/tensor.js";

const f = Math.fround;

/** `F.interpolate` modes ComfyUI's `common_upscale` passes through. */
export type TorchInterpolateMode = "nearest-exact" | "bilinear" | "bicubic" | "area";

export interface InterpolateOptions {
  /**
   * Which CPU kernel torch picks for bilinear: the channels-last one (a contiguous NHWC image moved to
   * NCHW, as ImageScale does without crop) or the generic one (contiguous or cropped views).
   */
  readonly channelsLast?: boolean;
  /** Model the compiler's multiply-add contraction in torch's AVX2 build. */
  readonly fused?: boolean;
}

/**
 * `torch.nn.functional.interpolate(x, size=(outH, outW), mode)` on a float32 NCHW tensor, with
 * `align_corners=False`, following torch 1.13's CPU kernels step by step in float32.
 */
export function interpolate(
  input: Tensor,
  outH: number,
  outW: number,
  mode: TorchInterpolateMode,
  options: InterpolateOptions = {},
): Tensor {
  const [b, c, h, w] = input.shape as [number, number, number, number];
  const out = new Float32Array(b * c * outH * outW);
  const planes = b * c;
  if (mode === "area") {
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
  const fused = options.fused ?? false;
  const madd = fused
    ? (a: number, x: number, acc: number) => f(a * x + acc)
    : (a: number, x: number, acc: number) => f(f(a * x) + acc);
  const mul = (a: number, b: number) => f(a * b);
  if (mode === "bilinear") {
    const ry = linearTaps(h, outH);
    const rx = linearTaps(w, outW);
    for (let p = 0; p < planes; p++) {
      const base = p * h * w;
      for (let y = 0; y < outH; y++) {
        const [y0, y1, hy0, hy1] = ry[y] as [number, number, number, number];
        for (let x = 0; x < outW; x++) {
          const [x0, x1, wx0, wx1] = rx[x] as [number, number, number, number];
          const s = input.data;
          const v00 = s[base + y0 * w + x0] as number;
          const v01 = s[base + y0 * w + x1] as number;
          const v10 = s[base + y1 * w + x0] as number;
          const v11 = s[base + y1 * w + x1] as number;
          let v: number;
          if (options.channelsLast) {
            v = mul(v00, f(hy0 * wx0));
            v = madd(v01, f(hy0 * wx1), v);
            v = madd(v10, f(hy1 * wx0), v);
            v = madd(v11, f(hy1 * wx1), v);
          } else {
            // `t0 * w0 + t1 * w1` with the first product fused (GCC's contraction in torch's AVX2 build).
            const t0 = f(v00 * wx0 + f(v01 * wx1));
            const t1 = f(v10 * wx0 + f(v11 * wx1));
            v = f(t0 * hy0 + f(t1 * hy1));
          }
          out[(p * outH + y) * outW + x] = f(v);
        }
      }
    }
    return tensor([b, c, outH, outW], out);
  }
  const cy = cubicTaps(h, outH);
  const cx = cubicTaps(w, outW);
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let y = 0; y < outH; y++) {
      const ty = cy[y] as CubicTaps;
      for (let x = 0; x < outW; x++) {
        const tx = cx[x] as CubicTaps;
        let acc = 0;
        for (let j = 0; j < 4; j++) {
          const row = base + (ty.index[j] as number) * w;
          // `output = t * w; output += t * w …`, each `+=` contracted to an FMA.
          let t = mul(input.data[row + (tx.index[0] as number)] as number, tx.weight[0] as number);
          for (let i = 1; i < 4; i++)
            t = f((input.data[row + (tx.index[i] as number)] as number) * (tx.weight[i] as number) + t);
          acc = j === 0 ? mul(t, ty.weight[0] as number) : f(t * (ty.weight[j] as number) + acc);
        }
        out[(p * outH + y) * outW + x] = f(acc);
      }
    }
  }
  return tensor([b, c, outH, outW], out);
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
    // The source index stays in double precision (`dst_index + 0.5` is a double); lambda is stored as float.
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
// Coefficients as the AVX2 build computes them: each `a * x + b` step contracted to one FMA.
function cubic1(x: number): number {
  return f(f(f(f(A + 2) * x - f(A + 3)) * x) * x + 1);
}
function cubic2(x: number): number {
  return f(f(f(A * x - f(5 * A)) * x + f(8 * A)) * x - f(4 * A));
}

function cubicTaps(inSize: number, outSize: number): CubicTaps[] {
  const scale = f(inSize / outSize);
  const taps: CubicTaps[] = [];
  for (let i = 0; i < outSize; i++) {
    // Double-precision source index, float fraction (see linearTaps).
    const real = scale * (i + 0.5) - 0.5;
    const i0 = Math.floor(real);
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
