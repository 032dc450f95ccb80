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
  if (n < LANES) {
    let s = 0;
    for (let i = 0; i < n; i++) s = f(s + (x[i] as number));
    return s;
  }
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
