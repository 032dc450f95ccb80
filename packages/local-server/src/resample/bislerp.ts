import { sleefAcosf } from "../tensor/sleef.js";
import { sleefSinf } from "../tensor/sleef-trig.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { normLastDim, normStrided } from "../tensor/torch-norm.js";
import { multiRowSum, rowSum, torchSum } from "../tensor/torch-sum.js";
import { interpolate } from "./torch-interpolate.js";

const f = Math.fround;

/** `generate_bilinear_data`: ratio and the two source columns per output index. */
function bilinearData(oldLen: number, newLen: number): { ratio: number[]; c1: number[]; c2: number[] } {
  const a = tensor(
    [1, 1, 1, oldLen],
    Float32Array.from({ length: oldLen }, (_, i) => i),
  );
  const b = tensor(
    [1, 1, 1, oldLen],
    Float32Array.from({ length: oldLen }, (_, i) => (i === oldLen - 1 ? i : i + 1)),
  );
  const ia = interpolate(a, 1, newLen, "bilinear").data;
  const ib = interpolate(b, 1, newLen, "bilinear").data;
  const ratio: number[] = [];
  const c1: number[] = [];
  const c2: number[] = [];
  for (let i = 0; i < newLen; i++) {
    const v = ia[i] as number;
    ratio.push(f(v - Math.floor(v)));
    c1.push(Math.trunc(v));
    c2.push(Math.trunc(ib[i] as number));
  }
  return { ratio, c1, c2 };
}

const DOT_HIGH = f(1 - 1e-5);
const DOT_LOW = f(1e-5 - 1);

/**
 * How torch lays out the `[rows, c]` tensors slerp works on, which decides the order of its sums.
 * `pass.movedim(1, -1).reshape((-1, c))` copies into contiguous rows, except for a batch of one,
 * where it is a transposed view: then norms take torch's generic reduction, and `sum(1)` runs over
 * the outer axis — one running sum for the rows in whole blocks of 32 (of 4 below 8 rows), four
 * interleaved partial sums (`rowSum`) for the others.
 */
interface RowOrder {
  readonly transposed: boolean;
  readonly row: number;
  readonly sequentialRows: number;
}

function rowOrder(batch: number, channels: number, rows: number): (row: number) => RowOrder {
  const transposed = batch === 1 && channels > 1 && rows > 1;
  const sequentialRows = rows >= 8 ? rows - (rows % 32) : rows - (rows % 4);
  const order = { transposed, row: 0, sequentialRows };
  return (row) => {
    order.row = row;
    return order;
  };
}

/**
 * `comfy.utils.bislerp`'s `slerp` of two channel vectors `b1`, `b2` at ratio `r`, as torch 1.13 runs
 * its tensor operations: norms and the dot product's sum in the order `order` says,
 * `acos` and `sin` by SLEEF, every other step one float32 rounding.
 */
function slerp(
  b1: Float32Array,
  b2: Float32Array,
  r: number,
  out: Float32Array,
  scratch: Float32Array,
  order: RowOrder,
): void {
  const c = b1.length;
  const n1 = order.transposed ? normStrided(b1) : normLastDim(b1);
  const n2 = order.transposed ? normStrided(b2) : normLastDim(b2);
  const unit1 = (k: number) => (n1 === 0 ? 0 : f((b1[k] as number) / n1));
  const unit2 = (k: number) => (n2 === 0 ? 0 : f((b2[k] as number) / n2));
  for (let k = 0; k < c; k++) scratch[k] = f(unit1(k) * unit2(k));
  const dot = !order.transposed
    ? torchSum(scratch)
    : order.row < order.sequentialRows
      ? (multiRowSum((i) => scratch[i] as number, 1, c)[0] as number)
      : rowSum((i) => scratch[i] as number, c);
  const keep = f(1 - r);
  if (dot > DOT_HIGH) {
    out.set(b1);
    return;
  }
  if (dot < DOT_LOW) {
    for (let k = 0; k < c; k++) out[k] = f(f((b1[k] as number) * keep) + f((b2[k] as number) * r));
    return;
  }
  const omega = sleefAcosf(dot);
  const so = sleefSinf(omega);
  const w1 = f(sleefSinf(f(keep * omega)) / so);
  const w2 = f(sleefSinf(f(r * omega)) / so);
  const scale = f(f(n1 * keep) + f(n2 * r));
  for (let k = 0; k < c; k++) out[k] = f(f(f(w1 * unit1(k)) + f(w2 * unit2(k))) * scale);
}

/** `comfy.utils.bislerp`: slerp along width, then along height, over channel vectors. */
export function bislerp(samples: Tensor, width: number, height: number): Tensor {
  const [n, c, h, w] = samples.shape as [number, number, number, number];
  const s = samples.data;
  const dx = bilinearData(w, width);
  const mid = new Float32Array(n * c * h * width);
  const b1 = new Float32Array(c);
  const b2 = new Float32Array(c);
  const r = new Float32Array(c);
  const scratch = new Float32Array(c);
  const across = rowOrder(n, c, n * h * width);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < width; x++) {
        for (let k = 0; k < c; k++) {
          b1[k] = s[((b * c + k) * h + y) * w + (dx.c1[x] as number)] as number;
          b2[k] = s[((b * c + k) * h + y) * w + (dx.c2[x] as number)] as number;
        }
        slerp(b1, b2, dx.ratio[x] as number, r, scratch, across((b * h + y) * width + x));
        for (let k = 0; k < c; k++) mid[((b * c + k) * h + y) * width + x] = r[k] as number;
      }
  const dy = bilinearData(h, height);
  const out = new Float32Array(n * c * height * width);
  const down = rowOrder(n, c, n * height * width);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        for (let k = 0; k < c; k++) {
          b1[k] = mid[((b * c + k) * h + (dy.c1[y] as number)) * width + x] as number;
          b2[k] = mid[((b * c + k) * h + (dy.c2[y] as number)) * width + x] as number;
        }
        slerp(b1, b2, dy.ratio[y] as number, r, scratch, down((b * height + y) * width + x));
        for (let k = 0; k < c; k++) out[((b * c + k) * height + y) * width + x] = r[k] as number;
      }
  return tensor([n, c, height, width], out);
}
