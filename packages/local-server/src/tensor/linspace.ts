import { type Tensor, tensor } from "./tensor.js";

const f = Math.fround;

/** `torch.linspace(start, end, steps)` in float32: the first half counts up from start, the rest down from end. */
export function linspace(start: number, end: number, steps: number): Tensor {
  const out = new Float32Array(steps);
  if (steps === 1) out[0] = start;
  else if (steps > 1) {
    const s = f(start);
    const e = f(end);
    const step = f(f(e - s) / (steps - 1));
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) out[i] = i < half ? f(s + f(step * i)) : f(e - f(step * (steps - i - 1)));
  }
  return tensor([steps], out);
}
