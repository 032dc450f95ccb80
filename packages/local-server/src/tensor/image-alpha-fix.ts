import { contiguousStrides } from "./strides.js";
import { type Tensor, tensor } from "./tensor.js";

/**
 * `node_helpers.image_alpha_fix(destination, source)`, ComfyUI's fit of two images with different
 * channel counts before blending or compositing them: a source with more channels loses its last
 * ones; a destination with fewer channels gains one more channel of 1.0 (only one: a 3-channel
 * destination and a 1-channel source become 4 and 1 channels, which then broadcast).
 */
export function imageAlphaFix(destination: Tensor, source: Tensor): [Tensor, Tensor] {
  const dc = destination.shape.at(-1) as number;
  const sc = source.shape.at(-1) as number;
  if (dc < sc) {
    // `source[..., :dc]` is a view: it keeps the strides of the tensor it slices.
    const sliced = lastAxis(source, sc, dc, dc);
    return [destination, { ...sliced, strides: source.strides ?? contiguousStrides(source.shape) }];
  }
  if (dc > sc) return [lastAxis(destination, dc, dc + 1, dc), source];
  return [destination, source];
}

/** A copy of `t` whose last axis has `to` channels: the first `keep` of its `from`, the rest 1.0. */
function lastAxis(t: Tensor, from: number, to: number, keep: number): Tensor {
  const pixels = t.data.length / from;
  const out = new Float32Array(pixels * to).fill(1);
  for (let p = 0; p < pixels; p++)
    for (let k = 0; k < keep; k++) out[p * to + k] = t.data[p * from + k] as number;
  return tensor([...t.shape.slice(0, -1), to], out);
}
