import { pyRound } from "@comfy-ts/core/python";
import { f32, fmaf } from "./float32.js";

/**
 * torch's float32 `sin`/`cos` on CPU: its AVX2 kernels call SLEEF's `Sleef_sinf8_u10`/`Sleef_cosf8_u10`
 * (SLEEF 3.5, built with FMA), which are within 1 ulp but not always the correctly rounded result, so
 * `Math.sin` rounded to float32 differs in the last bit now and then. This is SLEEF's `xsinf_u1` and
 * `xcosf_u1` for |x| < 125 (its Cody–Waite branch), in float32 double-float arithmetic, step by step
 * (each double-float `(hi, lo)` kept in two locals). No library offers these bit-exactly; torchaudio's
 * resampling kernel needs them (`audio/torchaudio-resample.ts`).
 */

/** SLEEF's float constants, written as the exact values of those float32s. */
const M_1_PI = f32(0.3183098861837907);
const PI_A2 = 3.1414794921875;
const PI_B2 = 0.0001131594181060791;
const PI_C2 = 1.984187258941006e-9;
const TRIG_RANGE_MAX2 = 125;

/** `vrint_vf_vf`: round to nearest, ties to even. */
const rint = pyRound;

/** The polynomial both functions share, on the reduced argument `th + tl` (a float32 double-float). */
function kernel(th: number, tl: number): number {
  // dfsqu: s = t², as (sh, sl)
  const sh = f32(th * th);
  const sl = fmaf(f32(th + th), tl, fmaf(th, th, -sh));
  let u = 2.6083159809786594e-6;
  u = fmaf(u, sh, -0.00019810690719168633);
  u = fmaf(u, sh, 0.00833307858556509);
  // dfadd_vf2_vf_vf(-1/6…, u·s)
  const ah = f32(-0.16666659712791443 + f32(u * sh));
  const al = f32(f32(-0.16666659712791443 - ah) + f32(u * sh));
  // dfmul_vf2_vf2_vf2(a, s)
  const mh = f32(ah * sh);
  const ml = fmaf(ah, sl, fmaf(al, sh, fmaf(ah, sh, -mh)));
  // dfadd_vf2_vf_vf2(1, m)
  const xh = f32(1 + mh);
  const xl = f32(f32(f32(1 - xh) + mh) + ml);
  // dfmul_vf_vf2_vf2(t, x)
  return fmaf(th, xh, fmaf(tl, xh, f32(th * xl)));
}

function inRange(d: number): void {
  if (!(Math.abs(d) < TRIG_RANGE_MAX2)) {
    throw new RangeError(`sleef sin/cos: |${d}| ≥ ${TRIG_RANGE_MAX2} is outside the ported range`);
  }
}

/** `Sleef_sinf_u10` of a float32 `d` with |d| < 125 (NaN for NaN and ±∞). */
export function sleefSinf(d: number): number {
  if (!Number.isFinite(d)) return Number.NaN;
  inRange(d);
  const u = rint(f32(d * M_1_PI));
  const v = fmaf(u, -PI_A2, d);
  // dfadd2_vf2_vf_vf(v, u·−PI_B2)
  const y = f32(u * -PI_B2);
  let sh = f32(v + y);
  const vv = f32(sh - v);
  let sl = f32(f32(v - f32(sh - vv)) + f32(y - vv));
  // dfadd_vf2_vf2_vf(s, u·−PI_C2)
  const z = f32(u * -PI_C2);
  const nh = f32(sh + z);
  sl = f32(f32(f32(sh - nh) + z) + sl);
  sh = nh;
  const r = kernel(sh, sl);
  if (Object.is(d, -0)) return d;
  return (u & 1) === 1 ? -r : r;
}

/** `Sleef_cosf_u10` of a float32 `d` with |d| < 125 (NaN for NaN and ±∞). */
export function sleefCosf(d: number): number {
  if (!Number.isFinite(d)) return Number.NaN;
  inRange(d);
  const dq = fmaf(rint(fmaf(d, M_1_PI, -0.5)), 2, 1);
  // dfadd2_vf2_vf_vf(d, dq·−PI_A2/2)
  const a = f32(dq * (-PI_A2 * 0.5));
  let sh = f32(d + a);
  let v = f32(sh - d);
  let sl = f32(f32(d - f32(sh - v)) + f32(a - v));
  // dfadd2_vf2_vf2_vf(s, dq·−PI_B2/2), then the same with PI_C2
  for (const c of [-PI_B2 * 0.5, -PI_C2 * 0.5]) {
    const y = f32(dq * c);
    const nh = f32(sh + y);
    v = f32(nh - sh);
    const t = f32(f32(sh - f32(nh - v)) + f32(y - v));
    sl = f32(t + sl);
    sh = nh;
  }
  const r = kernel(sh, sl);
  return (dq & 2) === 0 ? -r : r;
}
