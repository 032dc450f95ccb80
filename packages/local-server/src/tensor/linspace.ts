import { f32, fmaf } from "./float32.js";
import { type Tensor, tensor } from "./tensor.js";

const LANES = 8; // Vectorized<float> on AVX2

/**
 * `torch.linspace(start, end, steps)` in float32 as torch 1.13's CPU kernel computes it: values
 * before the halfway index count up from `start` (`start + step * i`), the rest down from `end`
 * (`end - step * (steps - i - 1)`), each a fused multiply-add as the AVX2 build compiles it.
 * Runs of 16 values are vectorized: a vector of 8 takes its base from the formula of its first
 * index (even when it crosses halfway) and adds `lane * step` to it, rounding the product and the sum.
 */
export function linspace(start: number, end: number, steps: number): Tensor {
  const out = new Float32Array(steps);
  if (steps === 1) out[0] = start;
  else if (steps > 1) {
    const s = f32(start);
    const e = f32(end);
    const step = f32(f32(e - s) / (steps - 1));
    const halfway = Math.floor(steps / 2);
    const at = (i: number) => (i < halfway ? fmaf(step, i, s) : fmaf(-step, steps - i - 1, e));
    const vectorized = steps - (steps % (2 * LANES));
    for (let v = 0; v < vectorized; v += LANES) {
      const base = at(v);
      out[v] = base;
      for (let lane = 1; lane < LANES; lane++) out[v + lane] = f32(base + f32(lane * step));
    }
    for (let i = vectorized; i < steps; i++) out[i] = at(i);
  }
  return tensor([steps], out);
}
