import { NodeExecutionError } from "../execution/node-impl.js";
import { type Tensor, tensor } from "./tensor.js";

/**
 * The shape of `a ⊙ b` under torch's broadcasting (`infer_size`): sizes are aligned from the last
 * axis, a size of 1 stretches. A mismatch fails with torch's message, which names the operands in
 * the order the failing Python expression has them and the first bad axis counted from the last.
 */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    const sa = a[i - n + a.length] ?? 1;
    const sb = b[i - n + b.length] ?? 1;
    if (sa !== sb && sa !== 1 && sb !== 1) {
      throw new NodeExecutionError(
        "RuntimeError",
        `The size of tensor a (${sa}) must match the size of tensor b (${sb}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = sa === 1 ? sb : sa;
  }
  return out;
}

/** For each element of a tensor of `shape`, the index of the element of `t` broadcast onto it. */
export function broadcastIndex(t: Tensor, shape: readonly number[]): Int32Array {
  const n = shape.reduce((x, y) => x * y, 1);
  const index = new Int32Array(n);
  const offset = shape.length - t.shape.length;
  // Strides of t as seen from `shape`: 0 on stretched and missing axes.
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    const size = t.shape[i] as number;
    if (size !== 1) strides[i + offset] = s;
    s *= size;
  }
  const at = new Array<number>(shape.length).fill(0);
  let src = 0;
  for (let k = 0; k < n; k++) {
    index[k] = src;
    for (let i = shape.length - 1; i >= 0; i--) {
      at[i] = (at[i] as number) + 1;
      src += strides[i] as number;
      if ((at[i] as number) < (shape[i] as number)) break;
      src -= (strides[i] as number) * (shape[i] as number);
      at[i] = 0;
    }
  }
  return index;
}

/** `fn(a, b)` elementwise over the broadcast shape of `a` and `b`. */
export function broadcastMap(a: Tensor, b: Tensor, fn: (x: number, y: number) => number): Tensor {
  const shape = broadcastShape(a.shape, b.shape);
  const ia = broadcastIndex(a, shape);
  const ib = broadcastIndex(b, shape);
  const out = new Float32Array(ia.length);
  for (let k = 0; k < out.length; k++)
    out[k] = fn(a.data[ia[k] as number] as number, b.data[ib[k] as number] as number);
  return tensor(shape, out);
}

/**
 * `t` expanded to `shape` as torch's `copy_` into a view of that shape expands its source: sizes of
 * 1 stretch, others must match (checked from the last axis, with torch's message).
 */
export function expandTo(t: Tensor, shape: readonly number[]): Tensor {
  const offset = shape.length - t.shape.length;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = t.shape[i - offset] ?? 1;
    if (size !== shape[i] && size !== 1) {
      throw new NodeExecutionError(
        "RuntimeError",
        `The expanded size of the tensor (${shape[i]}) must match the existing size (${size}) at non-singleton dimension ${i}.  Target sizes: [${shape.join(", ")}].  Tensor sizes: [${t.shape.join(", ")}]`,
      );
    }
  }
  const index = broadcastIndex(t, shape);
  const out = new Float32Array(index.length);
  for (let k = 0; k < out.length; k++) out[k] = t.data[index[k] as number] as number;
  return tensor(shape, out);
}
