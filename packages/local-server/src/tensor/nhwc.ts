import { catBatch, dim, numel, sliceBatch } from "./ops.js";
import { type Tensor, tensor } from "./tensor.js";

// Layout operations on images (`[batch, height, width, channels]`) and masks (`[batch, height, width]`)
// that several nodes share, each as the torch expression it reproduces.

/** `image[:, y:y+h, x:x+w, :]` for in-bounds rectangles. */
export function cropImage(image: Tensor, x: number, y: number, cw: number, ch: number): Tensor {
  const [b, h, w, c] = image.shape as [number, number, number, number];
  const data = new Float32Array(b * ch * cw * c);
  for (let n = 0; n < b; n++)
    for (let yy = 0; yy < ch; yy++) {
      const src = ((n * h + y + yy) * w + x) * c;
      data.set(image.data.subarray(src, src + cw * c), (n * ch + yy) * cw * c);
    }
  return tensor([b, ch, cw, c], data);
}

/** `torch.rot90(image, k, dims=[2, 1])` on NHWC: quarter turns from W towards H. */
export function rot90Image(image: Tensor, k: number): Tensor {
  const [b, h, w, c] = image.shape as [number, number, number, number];
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return image;
  const oh = turns === 2 ? h : w;
  const ow = turns === 2 ? w : h;
  const data = new Float32Array(image.data.length);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let sy: number;
        let sx: number;
        if (turns === 1) [sy, sx] = [h - 1 - j, i];
        else if (turns === 2) [sy, sx] = [h - 1 - i, w - 1 - j];
        else [sy, sx] = [j, w - 1 - i];
        const src = ((n * h + sy) * w + sx) * c;
        data.set(image.data.subarray(src, src + c), ((n * oh + i) * ow + j) * c);
      }
  return tensor([b, oh, ow, c], data);
}

/** `torch.flip(image, dims=[axis])` for axis 1 (rows) or 2 (columns) of an NHWC tensor. */
export function flipImage(image: Tensor, axis: 1 | 2): Tensor {
  const [b, h, w, c] = image.shape as [number, number, number, number];
  const data = new Float32Array(image.data.length);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const sy = axis === 1 ? h - 1 - y : y;
        const sx = axis === 2 ? w - 1 - x : x;
        const src = ((n * h + sy) * w + sx) * c;
        data.set(image.data.subarray(src, src + c), ((n * h + y) * w + x) * c);
      }
  return tensor(image.shape, data);
}

/** Repeats the last item until the batch has `n` items (ImageStitch's batch alignment). */
export function padBatch(t: Tensor, n: number): Tensor {
  const b = dim(t, 0);
  if (b >= n) return t;
  return catBatch([t, ...Array.from({ length: n - b }, () => sliceBatch(t, b - 1, 1))]);
}

/** `F.pad` of axis 1 (height) or 2 (width) to `target`, half before (rounded down) and the rest after. */
export function padCentered(t: Tensor, axis: 1 | 2, target: number, value: number): Tensor {
  const [b, h, w, c] = t.shape as [number, number, number, number];
  const size = axis === 1 ? h : w;
  if (size >= target) return t;
  const before = Math.floor((target - size) / 2);
  const [nh, nw] = axis === 1 ? [target, w] : [h, target];
  const data = new Float32Array(b * nh * nw * c).fill(value);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      data.set(
        t.data.subarray((n * h + y) * w * c, ((n * h + y) * w + w) * c),
        ((n * nh + y + (axis === 1 ? before : 0)) * nw + (axis === 2 ? before : 0)) * c,
      );
  return tensor([b, nh, nw, c], data);
}

/** Appends channels of ones up to `channels` (an alpha of 1 for RGB next to RGBA). */
export function padChannels(t: Tensor, channels: number): Tensor {
  const [b, h, w, c] = t.shape as [number, number, number, number];
  if (c >= channels) return t;
  const data = new Float32Array(b * h * w * channels).fill(1);
  for (let p = 0; p < b * h * w; p++) data.set(t.data.subarray(p * c, p * c + c), p * channels);
  return tensor([b, h, w, channels], data);
}

/** `mask.reshape((-1, 1, H, W)).movedim(1, -1).expand(-1, -1, -1, 3)`. */
export function maskAsImage(mask: Tensor): Tensor {
  const h = dim(mask, -2);
  const w = dim(mask, -1);
  const n = mask.data.length / (h * w);
  const data = new Float32Array(n * h * w * 3);
  for (let i = 0; i < n * h * w; i++) {
    const v = mask.data[i] as number;
    data[i * 3] = v;
    data[i * 3 + 1] = v;
    data[i * 3 + 2] = v;
  }
  return tensor([n, h, w, 3], data);
}

/** `mask.reshape((-1, H, W))` as [n, h, w]. */
export function maskShape(mask: Tensor): [number, number, number] {
  const h = dim(mask, -2);
  const w = dim(mask, -1);
  return [numel(mask.shape) / (h * w), h, w];
}
