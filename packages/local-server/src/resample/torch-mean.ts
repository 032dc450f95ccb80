import { f32 } from "../tensor/float32.js";
import type { Strides } from "../tensor/strides.js";
import type { Tensor } from "../tensor/tensor.js";
import { multiRowSum, rowSum, torchSum } from "../tensor/torch-sum.js";

interface Dim {
  size: number;
  /** Element strides: in the input view, in the [N, C] output. */
  inStride: number;
  outStride: number;
}

/**
 * `x.mean((-1, -2))` of an NCHW view (what `adaptive_avg_pool2d` does for a 1×1 output) in torch
 * 1.13's CPU order: TensorIterator puts the reduced dimensions innermost, coalesces dimensions whose
 * strides chain, and `cascade_sum` (SumKernel.cpp) picks its loop by the strides of the two innermost;
 * every 2-D block adds its sums into the output. Then `sum / (H·W)`. One value per (n, c).
 * (A single thread's order: torch splits reductions of more than 32,768 elements with few outputs
 * across threads.)
 */
export function torchMeanHW(input: Tensor, strides: Strides): Float32Array {
  const [n, c, h, w] = input.shape as [number, number, number, number];
  // The view's memory: each logical element at its strided offset.
  let extent = 1;
  for (let d = 0; d < 4; d++) extent += ((input.shape[d] as number) - 1) * (strides[d] as number);
  const memory = new Float32Array(Math.max(extent, 1));
  for (let b = 0; b < n; b++)
    for (let k = 0; k < c; k++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          memory[
            b * (strides[0] as number) +
              k * (strides[1] as number) +
              y * (strides[2] as number) +
              x * (strides[3] as number)
          ] = input.data[((b * c + k) * h + y) * w + x] as number;

  const all: Dim[] = [
    { size: w, inStride: strides[3] as number, outStride: 0 },
    { size: h, inStride: strides[2] as number, outStride: 0 },
    { size: c, inStride: strides[1] as number, outStride: 1 },
    { size: n, inStride: strides[0] as number, outStride: c },
  ];
  const dims: Dim[] = [];
  for (const d of all) {
    if (d.size === 1) continue;
    const last = dims[dims.length - 1];
    if (last && d.inStride === last.size * last.inStride && d.outStride === last.size * last.outStride) {
      last.size *= d.size;
    } else dims.push({ ...d });
  }
  while (dims.length < 2) dims.push({ size: 1, inStride: 0, outStride: 0 });
  let [d0, d1] = dims as [Dim, Dim];
  const outer = dims.slice(2);

  const sums = new Float32Array(n * c);
  // "Move reduction to be the 1st dim".
  if (d0.outStride !== 0 && d1.outStride === 0) [d0, d1] = [d1, d0];
  const block = (inBase: number, outBase: number) => {
    const load = (at: number) => memory[at] as number;
    const add = (j: number, v: number) => {
      const o = outBase + j * d1.outStride;
      sums[o] = f32((sums[o] as number) + v);
    };
    if (d0.outStride !== 0) {
      // Not a reduction in this block: each element adds to its own output.
      for (let j = 0; j < d1.size; j++)
        for (let i = 0; i < d0.size; i++) {
          const o = outBase + i * d0.outStride + j * d1.outStride;
          sums[o] = f32((sums[o] as number) + load(inBase + i * d0.inStride + j * d1.inStride));
        }
      return;
    }
    if (d0.inStride === 1 && d0.size >= 8) {
      // vectorized_inner_sum: each row as torchSum's 8-lane cascade.
      const row = new Float32Array(d0.size);
      for (let j = 0; j < d1.size; j++) {
        for (let i = 0; i < d0.size; i++) row[i] = load(inBase + i + j * d1.inStride);
        add(j, torchSum(row));
      }
    } else if (d1.inStride === 1 && d1.size >= 8) {
      // vectorized_outer_sum: groups of 32 and of 8 lanes, then single columns.
      // (A vector lane adds like a scalar column: blocks of 32 sum each column in one cascade, the
      // rest by `row_sum`.)
      const blocks = Math.floor(d1.size / 32) * 32;
      for (let j = 0; j < d1.size; j++) {
        const column = (i: number) => load(inBase + i * d0.inStride + j);
        add(
          j,
          j < blocks ? (multiRowSum((i) => column(i), 1, d0.size)[0] as number) : rowSum(column, d0.size),
        );
      }
    } else if (d0.inStride < d1.inStride) {
      for (let j = 0; j < d1.size; j++)
        add(
          j,
          rowSum((i) => load(inBase + i * d0.inStride + j * d1.inStride), d0.size),
        );
    } else {
      // scalar_outer_sum: columns in groups of 4 summed side by side, then single columns.
      let j = 0;
      for (; j + 3 < d1.size; j += 4) {
        const base = j;
        const four = multiRowSum(
          (i, k) => load(inBase + i * d0.inStride + (base + k) * d1.inStride),
          4,
          d0.size,
        );
        for (let k = 0; k < 4; k++) add(base + k, four[k] as number);
      }
      for (; j < d1.size; j++)
        add(
          j,
          rowSum((i) => load(inBase + i * d0.inStride + j * d1.inStride), d0.size),
        );
    }
  };
  const walk = (level: number, inBase: number, outBase: number) => {
    if (level < 0) return block(inBase, outBase);
    const d = outer[level] as Dim;
    for (let i = 0; i < d.size; i++) walk(level - 1, inBase + i * d.inStride, outBase + i * d.outStride);
  };
  walk(outer.length - 1, 0, 0);
  return sums.map((s) => f32(s / (h * w)));
}
