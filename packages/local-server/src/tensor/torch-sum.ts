const f = Math.fround;
const LANES = 8; // Vectorized<float> on AVX2
const ILP = 4;
const LEVELS = 4;

/**
 * `tensor.sum()` of a contiguous float32 tensor in torch 1.13's CPU order (SumKernel.cpp,
 * `vectorized_inner_sum`): 8-lane vectors summed by 4 interleaved accumulators with cascade levels,
 * leftover vectors into the first accumulator, then the scalar tail plus the lanes in order.
 */
export function torchSum(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < LANES) return rowSum((i) => x[i] as number, n);
  const vecCount = Math.floor(n / LANES);
  const vec = (v: number, lane: number) => x[v * LANES + lane] as number;
  // multi_row_sum over rows of ILP vectors: acc[level][k][lane].
  const sizeIlp = Math.floor(vecCount / ILP);
  const ceilLog2 = sizeIlp <= 1 ? 0 : Math.ceil(Math.log2(sizeIlp));
  const levelPower = Math.max(4, Math.floor(ceilLog2 / LEVELS));
  const levelStep = 1 << levelPower;
  const levelMask = levelStep - 1;
  const acc = Array.from({ length: LEVELS }, () =>
    Array.from({ length: ILP }, () => new Float32Array(LANES)),
  );
  const addRow = (into: Float32Array[], i: number) => {
    for (let k = 0; k < ILP; k++)
      for (let l = 0; l < LANES; l++)
        (into[k] as Float32Array)[l] = f((into[k] as Float32Array)[l]! + vec(i * ILP + k, l));
  };
  let i = 0;
  while (i + levelStep <= sizeIlp) {
    for (let j = 0; j < levelStep; j++, i++) addRow(acc[0] as Float32Array[], i);
    for (let j = 1; j < LEVELS; j++) {
      for (let k = 0; k < ILP; k++)
        for (let l = 0; l < LANES; l++) {
          acc[j]![k]![l] = f(acc[j]![k]![l]! + acc[j - 1]![k]![l]!);
          acc[j - 1]![k]![l] = 0;
        }
      if ((i & (levelMask << (j * levelPower))) !== 0) break;
    }
  }
  for (; i < sizeIlp; i++) addRow(acc[0] as Float32Array[], i);
  for (let j = 1; j < LEVELS; j++)
    for (let k = 0; k < ILP; k++)
      for (let l = 0; l < LANES; l++) acc[0]![k]![l] = f(acc[0]![k]![l]! + acc[j]![k]![l]!);
  const partial = acc[0] as Float32Array[];
  // row_sum: leftover vectors into partial[0], then partial[0] += partial[1..3].
  for (let v = sizeIlp * ILP; v < vecCount; v++)
    for (let l = 0; l < LANES; l++) partial[0]![l] = f(partial[0]![l]! + vec(v, l));
  for (let k = 1; k < ILP; k++)
    for (let l = 0; l < LANES; l++) partial[0]![l] = f(partial[0]![l]! + partial[k]![l]!);
  let total = 0;
  for (let t = vecCount * LANES; t < n; t++) total = f(total + (x[t] as number));
  for (let l = 0; l < LANES; l++) total = f(total + partial[0]![l]!);
  return total;
}

/**
 * `multi_row_sum<float, nrows>` (SumKernel.cpp): `nrows` float32 sums side by side over `size` steps,
 * `load(i, k)` the value of step i for sum k, accumulated through 4 cascade levels of 2^4 steps.
 */
export function multiRowSum(load: (i: number, k: number) => number, nrows: number, size: number): number[] {
  const ceilLog2 = size <= 1 ? 0 : Math.ceil(Math.log2(size));
  const levelPower = Math.max(4, Math.floor(ceilLog2 / LEVELS));
  const levelStep = 1 << levelPower;
  const levelMask = levelStep - 1;
  const acc = Array.from({ length: LEVELS }, () => new Array<number>(nrows).fill(0));
  const first = acc[0] as number[];
  let i = 0;
  while (i + levelStep <= size) {
    for (let j = 0; j < levelStep; j++, i++)
      for (let k = 0; k < nrows; k++) first[k] = f((first[k] as number) + load(i, k));
    for (let j = 1; j < LEVELS; j++) {
      const lo = acc[j - 1] as number[];
      const hi = acc[j] as number[];
      for (let k = 0; k < nrows; k++) {
        hi[k] = f((hi[k] as number) + (lo[k] as number));
        lo[k] = 0;
      }
      if ((i & (levelMask << (j * levelPower))) !== 0) break;
    }
  }
  for (; i < size; i++) for (let k = 0; k < nrows; k++) first[k] = f((first[k] as number) + load(i, k));
  for (let j = 1; j < LEVELS; j++)
    for (let k = 0; k < nrows; k++) first[k] = f((first[k] as number) + ((acc[j] as number[])[k] as number));
  return first;
}

/**
 * Scalar `row_sum` (SumKernel.cpp): the row read as rows of 4 into 4 partial sums
 * (`multiRowSum`), the leftover values into the first, then the first plus the other three.
 */
export function rowSum(load: (i: number) => number, size: number): number {
  const sizeIlp = Math.floor(size / ILP);
  const partial = multiRowSum((i, k) => load(i * ILP + k), ILP, sizeIlp);
  let total = partial[0] as number;
  for (let i = sizeIlp * ILP; i < size; i++) total = f(total + load(i));
  for (let k = 1; k < ILP; k++) total = f(total + (partial[k] as number));
  return total;
}
