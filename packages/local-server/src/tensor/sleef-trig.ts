import { f32, fmaf } from "./float32.js";

/**
 * torch's float32 `sin`/`cos` on CPU: its AVX2 kernels call SLEEF's `Sleef_sinf8_u10`/`Sleef_cosf8_u10`
 * (SLEEF 3.5, built with FMA), which are within 1 ulp but not always the correctly rounded result, so
 * `Math.sin` rounded to float32 differs in the last bit now and then. This is SLEEF's `xsinf_u1` and
 * `xcosf_u1` for |x| < 125 (its Cody–Waite branch), in float32 double-float arithmetic, step by step.
 * No library offers these bit-exactly; torchaudio's resampling kernel needs them (`audio/resample.ts`).
 */

/** SLEEF's float constants, written as the exact values of those float32s. */
const M_1_PI = f32(0.3183098861837907);
const PI_A2 = 3.1414794921875;
const PI_B2 = 0.0001131594181060791;
const PI_C2 = 1.984187258941006e-9;
const TRIG_RANGE_MAX2 = 125;

/** A float32 double-float: the value x + y with |y| ≤ ulp(x) / 2. */
interface DF {
  readonly x: number;
  readonly y: number;
}

/** `vrint_vf_vf`: round to nearest, ties to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function add2(x: number, y: number): DF {
  const s = f32(x + y);
  const v = f32(s - x);
  return { x: s, y: f32(f32(x - f32(s - v)) + f32(y - v)) };
}

function add2DFF(x: DF, y: number): DF {
  const s = f32(x.x + y);
  const v = f32(s - x.x);
  const t = f32(f32(x.x - f32(s - v)) + f32(y - v));
  return { x: s, y: f32(t + x.y) };
}

function addDFF(x: DF, y: number): DF {
  const s = f32(x.x + y);
  return { x: s, y: f32(f32(f32(x.x - s) + y) + x.y) };
}

function addFDF(x: number, y: DF): DF {
  const s = f32(x + y.x);
  return { x: s, y: f32(f32(f32(x - s) + y.x) + y.y) };
}

function addFF(x: number, y: number): DF {
  const s = f32(x + y);
  return { x: s, y: f32(f32(x - s) + y) };
}

function squ(x: DF): DF {
  const s = f32(x.x * x.x);
  return { x: s, y: fmaf(f32(x.x + x.x), x.y, fmaf(x.x, x.x, -s)) };
}

function mulDF(x: DF, y: DF): DF {
  const s = f32(x.x * y.x);
  return { x: s, y: fmaf(x.x, y.y, fmaf(x.y, y.x, fmaf(x.x, y.x, -s))) };
}

function mulToF(x: DF, y: DF): number {
  return fmaf(x.x, y.x, fmaf(x.y, y.x, f32(x.x * y.y)));
}

/** The polynomial both functions share, on the reduced argument `t`. */
function kernel(t: DF): number {
  const s = squ(t);
  let u = 2.6083159809786594e-6;
  u = fmaf(u, s.x, -0.00019810690719168633);
  u = fmaf(u, s.x, 0.00833307858556509);
  const x = addFDF(1, mulDF(addFF(-0.16666659712791443, f32(u * s.x)), s));
  return mulToF(t, x);
}

function inRange(d: number): void {
  if (!(Math.abs(d) < TRIG_RANGE_MAX2)) {
    throw new RangeError(`sleef sin/cos: |${d}| ≥ ${TRIG_RANGE_MAX2} is outside the ported range`);
  }
}

/** `Sleef_sinf_u10` of a float32 `d` with |d| < 125. */
export function sleefSinf(d: number): number {
  inRange(d);
  const u = rint(f32(d * M_1_PI));
  const v = fmaf(u, -PI_A2, d);
  let s = add2(v, f32(u * -PI_B2));
  s = addDFF(s, f32(u * -PI_C2));
  let r = kernel(s);
  if ((u & 1) === 1) r = -r;
  return Object.is(d, -0) ? d : r;
}

/** `Sleef_cosf_u10` of a float32 `d` with |d| < 125. */
export function sleefCosf(d: number): number {
  inRange(d);
  const dq = fmaf(rint(fmaf(d, M_1_PI, -0.5)), 2, 1);
  let s = add2(d, f32(dq * (-PI_A2 * 0.5)));
  s = add2DFF(s, f32(dq * (-PI_B2 * 0.5)));
  s = add2DFF(s, f32(dq * (-PI_C2 * 0.5)));
  const r = kernel(s);
  return (dq & 2) === 0 ? -r : r;
}
