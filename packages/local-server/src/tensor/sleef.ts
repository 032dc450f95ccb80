import { pyRound } from "@comfy-ts/core/python";
import { f32, fmaf } from "./float32.js";

/**
 * The float32 `exp` and `acos` of torch 1.13's CPU tensors (`sin` and `cos`: `sleef-trig.ts`). Its
 * AVX2 `Vectorized<float>` evaluates them with SLEEF 3.5's 1-ULP vector functions (`Sleef_expf8_u10`,
 * `Sleef_acosf8_u10`), whose results differ from the correctly rounded value in the last bit for
 * a few inputs in a hundred. SLEEF's algorithms are reproduced here operation by operation: every
 * `vmla`/`vfma` is one fused multiply-add (`fmaf`), every other operation one float32 rounding,
 * and double-float pairs `[hi, lo]` are kept as SLEEF keeps them.
 */

const i32 = new Int32Array(1);
const f32v = new Float32Array(i32.buffer);

/** 2^q as a float32 built from its bits (`vpow2i_vf_vi2`), for -126 ≤ q ≤ 127. */
function pow2i(q: number): number {
  i32[0] = (q + 0x7f) << 23;
  return f32v[0] as number;
}

/** `_mm256_cvtps_epi32`: round to the nearest integer, ties to even. */
const rintToInt = pyRound;

const R_LN2F = f32(Math.LOG2E);
const L2UF = f32(0.693145751953125);
const L2LF = f32(1.428606765330187e-6);
const EXP_POLY = [
  0.00019852761761285365, 0.0013930435525253415, 0.008333360776305199, 0.041666485369205475,
  0.1666666716337204, 0.5,
].map(f32);

/** `Sleef_expf8_u10` (SLEEF's `xexpf`) on one float32 lane. */
export function sleefExpf(d: number): number {
  const q = rintToInt(f32(d * R_LN2F));
  let s = fmaf(q, -L2UF, d);
  s = fmaf(q, -L2LF, s);
  let u = EXP_POLY[0] as number;
  for (let k = 1; k < EXP_POLY.length; k++) u = fmaf(u, s, EXP_POLY[k] as number);
  u = f32(1 + fmaf(f32(s * s), u, s));
  const half = q >> 1;
  u = f32(f32(u * pow2i(half)) * pow2i(q - half));
  if (d < -104) return 0;
  if (d > 100) return Number.POSITIVE_INFINITY;
  return Number.isNaN(d) ? d : u;
}

// Double-float helpers of SLEEF's df.h (FMA variants): a value is the unevaluated sum hi + lo.
type DF = [number, number];

function dfAddDFF(x: DF, y: number): DF {
  const s = f32(x[0] + y);
  return [s, f32(f32(f32(x[0] - s) + y) + x[1])];
}
function dfAddFF(x: number, y: number): DF {
  const s = f32(x + y);
  return [s, f32(f32(x - s) + y)];
}
function dfAdd2FDF(x: number, y: DF): DF {
  const s = f32(x + y[0]);
  const v = f32(s - x);
  return [s, f32(f32(f32(x - f32(s - v)) + f32(y[0] - v)) + y[1])];
}
function dfSubDFDF(x: DF, y: DF): DF {
  const s = f32(x[0] - y[0]);
  let t = f32(x[0] - s);
  t = f32(t - y[0]);
  t = f32(t + x[1]);
  return [s, f32(t - y[1])];
}
function dfMulFF(x: number, y: number): DF {
  const s = f32(x * y);
  return [s, fmaf(x, y, -s)];
}
function dfMulDFDF(x: DF, y: DF): DF {
  const s = f32(x[0] * y[0]);
  return [s, fmaf(x[0], y[1], fmaf(x[1], y[0], fmaf(x[0], y[0], -s)))];
}
function dfRecF(d: number): DF {
  const s = f32(1 / d);
  return [s, f32(s * fmaf(-d, s, 1))];
}
function dfScale(d: DF, s: number): DF {
  return [f32(d[0] * s), f32(d[1] * s)];
}
function dfSqrtF(d: number): DF {
  const t = f32(Math.sqrt(d));
  return dfScale(dfMulDFDF(dfAdd2FDF(d, dfMulFF(t, t)), dfRecF(t)), 0.5);
}

const PI_HI = f32(3.1415927410125732);
const PI_LO = f32(-8.742277657347586e-8);
const ACOS_POLY = [0.4197454825e-1, 0.2424046025e-1, 0.4547423869e-1, 0.7495029271e-1, 0.1666677296].map(f32);

/** `Sleef_acosf8_u10` (SLEEF's `xacosf_u1`) on one float32 lane. */
export function sleefAcosf(d: number): number {
  const a = Math.abs(d);
  const small = a < 0.5;
  const x2 = small ? f32(d * d) : f32(f32(1 - a) * 0.5);
  let x: DF = small ? [a, 0] : dfSqrtF(x2);
  if (a === 1) x = [0, 0];
  let u = ACOS_POLY[0] as number;
  for (let k = 1; k < ACOS_POLY.length; k++) u = fmaf(u, x2, ACOS_POLY[k] as number);
  u = f32(u * f32(x2 * x[0]));
  const sign = d < 0 || Object.is(d, -0) ? -1 : 1;
  let y = dfSubDFDF([f32(PI_HI / 2), f32(PI_LO / 2)], dfAddFF(sign * x[0], sign * u));
  x = dfAddDFF(x, u);
  if (!small) y = dfScale(x, 2);
  if (!small && d < 0) y = dfSubDFDF([PI_HI, PI_LO], y);
  return f32(y[0] + y[1]);
}
