import { fmaf } from "../tensor/float32.js";

/**
 * Scalar float32 copies of the cephes-style `log256_ps` and `sincos256_ps` that torch's AVX2 normal
 * fill uses (ATen `native/cpu/avx_mathfun.h`). Every step rounds to float32 as the vector unit does;
 * `fused` models GCC contracting a multiply and the add that uses it into one FMA (torch's AVX2 build
 * with `-mfma`): where an add has two products, the one computed first is fused.
 */

const f = Math.fround;
const f32buf = new Float32Array(1);
const i32buf = new Int32Array(f32buf.buffer);

function bits(x: number): number {
  f32buf[0] = x;
  return i32buf[0] as number;
}
function fromBits(b: number): number {
  i32buf[0] = b;
  return f32buf[0] as number;
}

const SQRTHF = f(Math.SQRT1_2);
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f);
const LOG_Q1 = f(-2.1219444e-4);
const LOG_Q2 = f(0.693359375);
const MIN_NORM_POS = fromBits(0x00800000);

const DP1 = f(-0.78515625);
const DP2 = f(-2.418756484985352e-4);
const DP3 = f(-3.774894977445941e-8);
const SINCOF = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(f);
const COSCOF = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(f);
const FOPI = f(1.27323954473516);

/** `a * b + c` in float32, either fused (one rounding) or as two rounded operations. */
function madd(a: number, b: number, c: number, fused: boolean): number {
  return fused ? fmaf(a, b, c) : f(f(a * b) + c);
}

export function log256(input: number, fused: boolean): number {
  if (!(input > 0)) return Number.NaN;
  let x = Math.max(input, MIN_NORM_POS);
  const b = bits(x);
  x = fromBits((b & ~0x7f800000) | bits(0.5));
  let e = f((b >>> 23) - 0x7f + 1);
  const mask = x < SQRTHF;
  const tmp = mask ? x : 0;
  x = f(x - 1);
  e = f(e - (mask ? 1 : 0));
  x = f(x + tmp);
  const z = f(x * x);
  let y = LOG_P[0] as number;
  for (let k = 1; k < LOG_P.length; k++) y = madd(y, x, LOG_P[k] as number, fused);
  y = f(y * x);
  // GCC fuses the first product of `y·z + e·q1` (in statement order) into the add.
  y = fused ? fmaf(y, z, f(e * LOG_Q1)) : f(f(y * z) + f(e * LOG_Q1));
  y = madd(-z, 0.5, y, fused);
  x = f(x + y);
  x = madd(e, LOG_Q2, x, fused);
  return x;
}

/** Results of the last `sincos256` call (`[sin, cos]`), to avoid an allocation per sample. */
export const sincosResult = new Float64Array(2);

export function sincos256(input: number, fused: boolean): void {
  let signSin = input < 0 || Object.is(input, -0) ? -1 : 1;
  let x = Math.abs(input);
  let j = Math.trunc(f(x * FOPI)) | 0;
  j = (j + 1) & ~1;
  const y0 = j;
  if (j & 4) signSin = -signSin;
  const polyMask = (j & 2) === 0;
  const signCos = (~(j - 2) & 4) !== 0 ? -1 : 1;
  x = madd(y0, DP1, x, fused);
  x = madd(y0, DP2, x, fused);
  x = madd(y0, DP3, x, fused);
  const z = f(x * x);
  let y = COSCOF[0] as number;
  y = madd(y, z, COSCOF[1] as number, fused);
  y = madd(y, z, COSCOF[2] as number, fused);
  y = f(y * z);
  // `y·z − z·0.5`: the product before the subtraction is the fused one.
  y = fused ? fmaf(y, z, -f(z * 0.5)) : f(f(y * z) - f(z * 0.5));
  y = f(y + 1);
  let y2 = SINCOF[0] as number;
  y2 = madd(y2, z, SINCOF[1] as number, fused);
  y2 = madd(y2, z, SINCOF[2] as number, fused);
  y2 = f(y2 * z);
  y2 = madd(y2, x, x, fused);
  const ysin2 = polyMask ? y2 : 0;
  const ysin1 = polyMask ? 0 : y;
  y2 = f(y2 - ysin2);
  y = f(y - ysin1);
  sincosResult[0] = signSin * f(ysin1 + ysin2);
  sincosResult[1] = signCos * f(y + y2);
}
