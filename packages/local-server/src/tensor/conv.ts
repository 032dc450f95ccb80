import { NodeExecutionError } from "../execution/node-impl.js";
import { type ConvCpu, convKernel, fusesMultiplyAdd, REFERENCE_CPU } from "./conv2d-path.js";
import { f32, fmaf } from "./float32.js";
import { linspace } from "./linspace.js";
import { sleefExpf } from "./sleef.js";
import { type Tensor, tensor } from "./tensor.js";
import { torchSum } from "./torch-sum.js";

/** `gaussian_kernel(size, sigma)` of nodes_post_processing (torch's `exp` is SLEEF's), normalised to sum 1. */
export function gaussianKernel(size: number, sigma: number): Float32Array {
  const l = linspace(-1, 1, size).data;
  const g = new Float32Array(size * size);
  const denom = f32(2 * sigma * sigma);
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      const x = l[i] as number;
      const y = l[j] as number;
      const d = f32(Math.sqrt(f32(f32(x * x) + f32(y * y))));
      const v = sleefExpf(f32(-f32(d * d) / denom));
      g[i * size + j] = v;
    }
  const s = torchSum(g);
  for (let i = 0; i < g.length; i++) g[i] = f32((g[i] as number) / s);
  return g;
}

/**
 * ComfyUI's blur and sharpen convolution of an NHWC image: `F.pad(x, (r, r, r, r), "reflect")`, then
 * `F.conv2d(…, kernel per channel, padding=r, groups=channels)[…, r:-r, r:-r]`. Each output sums its
 * `(2r+1)²` taps in row-major order starting from zero, fused (one rounding per tap) or not as the
 * kernel torch runs for this shape does (`conv2d-path.ts`).
 */
export function convolveReflect(
  image: Tensor,
  kernel: Float32Array,
  radius: number,
  cpu: ConvCpu = REFERENCE_CPU,
): Tensor {
  const [b, h, w, c] = image.shape as [number, number, number, number];
  if (radius >= h || radius >= w) {
    // torch's reflection_pad2d checks the width (argument #4, dim 3) before the height (#6, dim 2).
    const [arg, dim] = radius >= w ? [4, 3] : [6, 2];
    throw new NodeExecutionError(
      "RuntimeError",
      `Argument #${arg}: Padding size should be less than the corresponding input dimension, but got: padding (${radius}, ${radius}) at dimension ${dim} of input 4`,
    );
  }
  const k = 2 * radius + 1;
  const pw = w + 2 * radius;
  const ph = h + 2 * radius;
  const fused = fusesMultiplyAdd(
    convKernel({ batch: b, channels: c, height: ph, width: pw, radius }, cpu),
    cpu,
  );
  const reflect = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
  const plane = new Float32Array(pw * ph);
  const data = new Float32Array(image.data.length);
  for (let n = 0; n < b; n++)
    for (let ch = 0; ch < c; ch++) {
      // The reflect-padded plane of one channel, so the tap loop is plain indexing.
      for (let y = 0; y < ph; y++) {
        const sy = reflect(y - radius, h);
        for (let x = 0; x < pw; x++)
          plane[y * pw + x] = image.data[((n * h + sy) * w + reflect(x - radius, w)) * c + ch] as number;
      }
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          let acc = 0;
          for (let i = 0; i < k; i++) {
            const row = (y + i) * pw + x;
            const kr = i * k;
            if (fused)
              for (let j = 0; j < k; j++) acc = fmaf(kernel[kr + j] as number, plane[row + j] as number, acc);
            else
              for (let j = 0; j < k; j++)
                acc = f32(acc + f32((kernel[kr + j] as number) * (plane[row + j] as number)));
          }
          data[((n * h + y) * w + x) * c + ch] = acc;
        }
    }
  // The result stands for `conv2d(…)[:, :, r:-r, r:-r].permute(0, 2, 3, 1)`: a view of the padded NCHW output.
  return { ...tensor(image.shape, data), strides: [c * ph * pw, pw, 1, ph * pw] };
}
