import type { RgbaImage } from "../../src/index.js";

/** Deterministic noisy RGBA pixels (a xorshift stream), the hardest case for PNG compression. */
export function noiseImage(width: number, height: number, seed: number, opaque = false): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    data[i] = opaque && i % 4 === 3 ? 255 : state & 0xff;
  }
  return { width, height, data };
}

/** A solid image of one RGBA color. */
export function solidImage(
  width: number,
  height: number,
  rgba: readonly [number, number, number, number],
): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
  return { width, height, data };
}

/** A copy with `count` pixels (from the top-left, row-major) set to `rgba`. */
export function withChangedPixels(
  image: RgbaImage,
  count: number,
  rgba: readonly [number, number, number, number] = [255, 0, 255, 255],
): RgbaImage {
  const data = new Uint8Array(image.data);
  for (let p = 0; p < count; p++) data.set(rgba, p * 4);
  return { width: image.width, height: image.height, data };
}
