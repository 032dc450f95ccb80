import { type Tensor, tensor } from "../tensor/tensor.js";
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

/** Spherical interpolation of two C-vectors as `comfy.utils.bislerp`'s `slerp` does it. */
function slerp(b1: Float64Array, b2: Float64Array, r: number, out: Float64Array): void {
  const c = b1.length;
  let n1 = 0;
  let n2 = 0;
  for (let k = 0; k < c; k++) {
    n1 += (b1[k] as number) ** 2;
    n2 += (b2[k] as number) ** 2;
  }
  n1 = f(Math.sqrt(n1));
  n2 = f(Math.sqrt(n2));
  let dot = 0;
  for (let k = 0; k < c; k++) {
    const a = n1 === 0 ? 0 : f((b1[k] as number) / n1);
    const b = n2 === 0 ? 0 : f((b2[k] as number) / n2);
    dot += a * b;
  }
  dot = f(dot);
  if (dot > 1 - 1e-5) {
    out.set(b1);
    return;
  }
  if (dot < 1e-5 - 1) {
    for (let k = 0; k < c; k++) out[k] = f(f((b1[k] as number) * f(1 - r)) + f((b2[k] as number) * r));
    return;
  }
  const omega = f(Math.acos(dot));
  const so = f(Math.sin(omega));
  const w1 = f(f(Math.sin(f(f(1 - r) * omega))) / so);
  const w2 = f(f(Math.sin(f(r * omega))) / so);
  const scale = f(f(n1 * f(1 - r)) + f(n2 * r));
  for (let k = 0; k < c; k++) {
    const a = n1 === 0 ? 0 : f((b1[k] as number) / n1);
    const b = n2 === 0 ? 0 : f((b2[k] as number) / n2);
    out[k] = f(f(f(w1 * a) + f(w2 * b)) * scale);
  }
}

/** `comfy.utils.bislerp`: slerp along width, then along height, over channel vectors. */
export function bislerp(samples: Tensor, width: number, height: number): Tensor {
  const [n, c, h, w] = samples.shape as [number, number, number, number];
  const s = samples.data;
  const dx = bilinearData(w, width);
  const mid = new Float32Array(n * c * h * width);
  const b1 = new Float64Array(c);
  const b2 = new Float64Array(c);
  const r = new Float64Array(c);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < width; x++) {
        for (let k = 0; k < c; k++) {
          b1[k] = s[((b * c + k) * h + y) * w + (dx.c1[x] as number)] as number;
          b2[k] = s[((b * c + k) * h + y) * w + (dx.c2[x] as number)] as number;
        }
        slerp(b1, b2, dx.ratio[x] as number, r);
        for (let k = 0; k < c; k++) mid[((b * c + k) * h + y) * width + x] = r[k] as number;
      }
  const dy = bilinearData(h, height);
  const out = new Float32Array(n * c * height * width);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        for (let k = 0; k < c; k++) {
          b1[k] = mid[((b * c + k) * h + (dy.c1[y] as number)) * width + x] as number;
          b2[k] = mid[((b * c + k) * h + (dy.c2[y] as number)) * width + x] as number;
        }
        slerp(b1, b2, dy.ratio[y] as number, r);
        for (let k = 0; k < c; k++) out[((b * c + k) * height + y) * width + x] = r[k] as number;
      }
  return tensor([n, c, height, width], out);
}
