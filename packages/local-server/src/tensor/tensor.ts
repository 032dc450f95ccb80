import { ComfyError } from "@comfy-ts/core";

/**
 * A dense float32 tensor in row-major order, as torch holds ComfyUI's data on the CPU.
 * Images are `[batch, height, width, channels]` in [0, 1]; masks are `[batch, height, width]`;
 * latents are `{ samples: [batch, channels, height / 8, width / 8] }`.
 */
export interface Tensor {
  readonly shape: readonly number[];
  /** The elements, always dense in row-major order of `shape`. */
  readonly data: Float32Array;
  /**
   * Element strides (per axis of `shape`) of the torch view this tensor stands for, when that view is
   * not dense row-major — e.g. ImageBlur's output, a permuted slice of conv2d's NCHW result. Only code
   * whose float32 rounding depends on the layout reads it (torch picks some CPU kernels by strides);
   * results built anew are dense again.
   */
  readonly strides?: readonly number[];
}

/** A torch RuntimeError about shapes (reported as `RuntimeError` in `execution_error`). */
export class ShapeError extends ComfyError {
  readonly pythonType = "RuntimeError";
  constructor(message: string) {
    super("SHAPE_MISMATCH", message);
  }
}

/** True for a tensor among values of any type (the value of a `"*"` input, a custom node's output). */
export function isTensor(value: unknown): value is Tensor {
  return (
    typeof value === "object" &&
    value !== null &&
    "shape" in value &&
    Array.isArray(value.shape) &&
    "data" in value &&
    value.data instanceof Float32Array
  );
}

/**
 * A tensor of `shape` over `data` (zeros when omitted).
 *
 * @throws {ShapeError} when a dimension is not a non-negative integer or `data` has the wrong length.
 */
export function tensor(shape: readonly number[], data?: Float32Array): Tensor {
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new ShapeError(`tensor shape [${shape.join(", ")}] has ${dim}: dimensions must be integers ≥ 0`);
    }
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (data && data.length !== size) {
    throw new ShapeError(
      `tensor data has ${data.length} elements, shape [${shape.join(", ")}] needs ${size}`,
    );
  }
  return { shape: [...shape], data: data ?? new Float32Array(size) };
}
