/**
 * float32 arithmetic as torch's CPU kernels do it, for the few places where the compiler's choices
 * decide the last bit (and so, after `255 * x` truncation, a saved byte).
 */
export const f32 = Math.fround;

const view = new DataView(new ArrayBuffer(4));

/** The float32 after `x` towards +∞ (x a finite float32). */
function nextUp(x: number): number {
  if (x === 0) return 2 ** -149;
  view.setFloat32(0, x);
  view.setInt32(0, view.getInt32(0) + (x > 0 ? 1 : -1));
  return view.getFloat32(0);
}

/**
 * C's `fmaf(a, b, c)`: `a * b + c` with one rounding to float32, as GCC emits it when it contracts a
 * float multiply and add into an FMA instruction (`-ffp-contract=fast`, torch's AVX2 kernels).
 * The product of two float32 values is exact in a double; the double sum is exact but for its own
 * rounding, which only matters when it lands exactly halfway between two float32 values — then the
 * sign of the sum's rounding error decides.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = f32(s);
  if (r === s || !Number.isFinite(s)) return r;
  // Only a sum exactly halfway between two float32s can round wrongly; then r + 2(s − r) is the other
  // one, exactly. Anything else returns here, cheaply (most calls).
  const other2 = r + 2 * (s - r);
  if (f32(other2) !== other2) return r;
  // TwoSum: the exact error of s = p + c.
  const bp = s - c;
  const e = p - bp + (c - (s - bp));
  if (e === 0) return r;
  const other = s > r ? nextUp(r) : -nextUp(-r);
  if (s !== (r + other) / 2) return r;
  return e > 0 === other > r ? other : r;
}
