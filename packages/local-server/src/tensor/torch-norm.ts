import { f32, fmaf } from "./float32.js";

const LANES = 8; // Vectorized<float> on AVX2

/**
 * `torch.linalg.vector_norm(x, 2, dim=-1)` of one contiguous row of float32 values, as torch 1.13's
 * fast last-axis kernel computes it (ReduceOpsKernel.cpp, `norm_kernel_tensor_iterator_impl`):
 * eight lanes accumulate squares with fused multiply-adds, the lanes are added in order, then the
 * rest of the row — which GCC compiled as runs of four rounded squares added in order, and a last
 * one to three fused multiply-adds — and the square root.
 */
export function normLastDim(row: ArrayLike<number>, start = 0, length = row.length - start): number {
  const lanes = new Float64Array(LANES);
  let d = 0;
  for (; d + LANES <= length; d += LANES)
    for (let l = 0; l < LANES; l++) {
      const x = row[start + d + l] as number;
      lanes[l] = fmaf(x, x, lanes[l] as number);
    }
  let total = lanes[0] as number;
  for (let l = 1; l < LANES; l++) total = f32(total + (lanes[l] as number));
  for (; d + 4 <= length; d += 4)
    for (let k = 0; k < 4; k++) {
      const x = row[start + d + k] as number;
      total = f32(total + f32(x * x));
    }
  for (; d < length; d++) {
    const x = row[start + d] as number;
    total = fmaf(x, x, total);
  }
  return f32(Math.sqrt(total));
}

/**
 * The same norm of a row whose elements are not adjacent in memory (a transposed view): torch's
 * generic reduction (`NormTwoOps`), one fused multiply-add per element in order, then the root.
 */
export function normStrided(row: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < row.length; i++) {
    const x = row[i] as number;
    total = fmaf(x, x, total);
  }
  return f32(Math.sqrt(total));
}
