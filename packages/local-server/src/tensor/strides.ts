/**
 * Element strides of a torch view. The local server keeps tensors dense in their logical order, but
 * torch picks CPU kernels (and so float32 rounding) by a view's memory layout, so code that mirrors a
 * layout-dependent kernel carries the strides the Python view would have.
 */
export type Strides = readonly number[];

/** Strides of a dense row-major tensor of `shape`. */
export function contiguousStrides(shape: readonly number[]): Strides {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i] as number;
  }
  return out;
}

/** `x.movedim(-1, 1)` of a dense NHWC image: the NCHW view over channels-last memory. */
export function nhwcAsNchwStrides([n, h, w, c]: readonly number[]): Strides {
  void n;
  const cc = c as number;
  const ww = w as number;
  return [(h as number) * ww * cc, 1, ww * cc, cc];
}

/** Strides of `image.movedim(-1, 1)`, the NCHW view of an NHWC image whose own strides are `strides`. */
export function nchwViewOfNhwc([n, h, w, c]: Strides): Strides {
  return [n as number, c as number, h as number, w as number];
}

/**
 * `Tensor.is_contiguous(memory_format=torch.channels_last)` of a 4-D view (c10's
 * `compute_channels_last_contiguous_2d`): walking C, W, H, N, each dimension of size ≠ 1 must have
 * the stride of the dense NHWC layout. A dense NCHW tensor with one channel qualifies too.
 */
export function isChannelsLastContiguous(shape: readonly number[], strides: Strides): boolean {
  if (shape.length !== 4) return false;
  let expected = 1;
  for (const d of [1, 3, 2, 0]) {
    const size = shape[d] as number;
    if (size === 1) continue;
    if (strides[d] !== expected) return false;
    expected *= size;
  }
  return true;
}
