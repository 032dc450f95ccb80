import { ShapeError, type Tensor, tensor } from "./tensor.js";

export const f32 = Math.fround;

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function dim(t: Tensor, i: number): number {
  const d = t.shape[i < 0 ? t.shape.length + i : i];
  if (d === undefined) throw new Error(`tensor of shape [${t.shape.join(", ")}] has no dimension ${i}`);
  return d;
}

export function full(shape: readonly number[], value: number): Tensor {
  return tensor(shape, new Float32Array(numel(shape)).fill(value));
}

export function map(t: Tensor, fn: (v: number, i: number) => number): Tensor {
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = fn(t.data[i] as number, i);
  return tensor(t.shape, out);
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Moves the last axis to position 1 (`movedim(-1, 1)`), copying into a dense tensor. */
export function channelsFirst(t: Tensor): Tensor {
  const [b, h, w, c] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++)
          out[((n * c + k) * h + y) * w + x] = t.data[((n * h + y) * w + x) * c + k] as number;
  return tensor([b, c, h, w], out);
}

/** Moves axis 1 to the end (`movedim(1, -1)`). */
export function channelsLast(t: Tensor): Tensor {
  const [b, c, h, w] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let n = 0; n < b; n++)
    for (let k = 0; k < c; k++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          out[((n * h + y) * w + x) * c + k] = t.data[((n * c + k) * h + y) * w + x] as number;
  return tensor([b, h, w, c], out);
}

/** `torch.cat(ts, dim=0)`. */
export function catBatch(ts: readonly Tensor[]): Tensor {
  return cat(ts, 0);
}

/** `t.repeat((amount, 1, …))`: the whole batch `amount` times. */
export function repeatBatch(t: Tensor, amount: number): Tensor {
  return catBatch(Array.from({ length: amount }, () => t));
}

/** `comfy.utils.repeat_to_batch_size`: repeated (cycling) or cut to `n` items along the batch axis. */
export function repeatToBatch(t: Tensor, n: number): Tensor {
  const b = dim(t, 0);
  if (b === n) return t;
  const per = numel(t.shape.slice(1));
  const data = new Float32Array(n * per);
  for (let i = 0; i < n; i++) data.set(t.data.subarray((i % b) * per, ((i % b) + 1) * per), i * per);
  return tensor([n, ...t.shape.slice(1)], data);
}

/** Items `start … start+length-1` along the batch axis. */
export function sliceBatch(t: Tensor, start: number, length: number): Tensor {
  const per = numel(t.shape.slice(1));
  return tensor([length, ...t.shape.slice(1)], t.data.slice(start * per, (start + length) * per));
}

export { ShapeError } from "./tensor.js";

/** `torch.narrow(t, axis, start, length)` as a dense copy. */
export function narrow(t: Tensor, axis: number, start: number, length: number): Tensor {
  const ax = axis < 0 ? t.shape.length + axis : axis;
  const outer = numel(t.shape.slice(0, ax));
  const size = t.shape[ax] as number;
  const inner = numel(t.shape.slice(ax + 1));
  const data = new Float32Array(outer * length * inner);
  for (let o = 0; o < outer; o++)
    data.set(
      t.data.subarray((o * size + start) * inner, (o * size + start + length) * inner),
      o * length * inner,
    );
  const shape = [...t.shape];
  shape[ax] = length;
  return tensor(shape, data);
}

/** `torch.cat(ts, dim=axis)`: every other axis must match. */
export function cat(ts: readonly Tensor[], axis: number): Tensor {
  const first = ts[0];
  if (!first) throw new Error("cat of no tensors");
  const ax = axis < 0 ? first.shape.length + axis : axis;
  for (const [i, t] of ts.entries()) {
    const bad = t.shape.findIndex((d, k) => k !== ax && d !== first.shape[k]);
    if (bad >= 0 || t.shape.length !== first.shape.length) {
      throw new ShapeError(
        `Sizes of tensors must match except in dimension ${ax}. Expected size ${first.shape[bad]} but got size ${t.shape[bad]} for tensor number ${i} in the list.`,
      );
    }
  }
  const outer = numel(first.shape.slice(0, ax));
  const inner = numel(first.shape.slice(ax + 1));
  const total = ts.reduce((a, t) => a + (t.shape[ax] as number), 0);
  const data = new Float32Array(outer * total * inner);
  for (let o = 0; o < outer; o++) {
    let at = 0;
    for (const t of ts) {
      const len = (t.shape[ax] as number) * inner;
      data.set(t.data.subarray(o * len, (o + 1) * len), o * total * inner + at);
      at += len;
    }
  }
  const shape = [...first.shape];
  shape[ax] = total;
  return tensor(shape, data);
}
