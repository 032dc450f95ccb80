/**
 * A dense float32 tensor in row-major order, as torch holds ComfyUI's data on the CPU.
 * Images are `[batch, height, width, channels]` in [0, 1]; masks are `[batch, height, width]`;
 * latents are `{ samples: [batch, channels, height / 8, width / 8] }`.
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function tensor(shape: readonly number[], data?: Float32Array): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data && data.length !== size) {
    throw new Error(`tensor data has ${data.length} elements, shape [${shape.join(", ")}] needs ${size}`);
  }
  return { shape: [...shape], data: data ?? new Float32Array(size) };
}
