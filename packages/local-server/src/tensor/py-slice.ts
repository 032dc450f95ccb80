import { type Tensor, tensor } from "./tensor.js";

/** Python's `seq[start:stop]` on an axis of `size`: the first index and the length it selects. */
export function pySlice(size: number, start: number | undefined, stop: number | undefined): [number, number] {
  const clamp = (i: number) => (i < 0 ? Math.max(0, size + i) : Math.min(i, size));
  const from = start === undefined ? 0 : clamp(start);
  const to = stop === undefined ? size : clamp(stop);
  return [from, Math.max(0, to - from)];
}

/** `t[..., rows, cols]`: a dense copy of the last two axes sliced by Python's rules. */
export function sliceLast2(
  t: Tensor,
  rows: [number | undefined, number | undefined],
  cols: [number | undefined, number | undefined],
): Tensor {
  const h = t.shape.at(-2) as number;
  const w = t.shape.at(-1) as number;
  const [y0, sh] = pySlice(h, ...rows);
  const [x0, sw] = pySlice(w, ...cols);
  const planes = t.data.length / (h * w || 1);
  const out = new Float32Array(planes * sh * sw);
  for (let p = 0; p < planes; p++)
    for (let y = 0; y < sh; y++)
      out.set(t.data.subarray((p * h + y0 + y) * w + x0, (p * h + y0 + y) * w + x0 + sw), (p * sh + y) * sw);
  return tensor([...t.shape.slice(0, -2), sh, sw], out);
}

/** `t[..., rows, cols] = value` (value already of the slice's shape): a copy of `t` with the region replaced. */
export function assignLast2(
  t: Tensor,
  rows: [number | undefined, number | undefined],
  cols: [number | undefined, number | undefined],
  value: Tensor,
): Tensor {
  const h = t.shape.at(-2) as number;
  const w = t.shape.at(-1) as number;
  const [y0, sh] = pySlice(h, ...rows);
  const [x0, sw] = pySlice(w, ...cols);
  const planes = t.data.length / (h * w || 1);
  const out = new Float32Array(t.data);
  for (let p = 0; p < planes; p++)
    for (let y = 0; y < sh; y++)
      out.set(value.data.subarray((p * sh + y) * sw, (p * sh + y + 1) * sw), (p * h + y0 + y) * w + x0);
  return tensor(t.shape, out);
}
