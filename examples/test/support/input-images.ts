// Input images for the GPU examples, drawn in code so no binary fixture is needed.
import { encodePng } from "@comfy-ts/testing/node";

/** A grey checkerboard of 64-pixel squares. */
export function checkerboardPng(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = ((x >> 6) + (y >> 6)) % 2 === 0 ? 200 : 60;
      data.set([value, value, value, 255], (y * width + x) * 4);
    }
  }
  return encodePng({ width, height, data });
}

/** A white disc on black (white = repaint), centred, with a radius of a quarter of the smaller side. */
export function circleMaskPng(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  const radius = Math.min(width, height) / 4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 <= radius ** 2 ? 255 : 0;
      data.set([inside, inside, inside, 255], (y * width + x) * 4);
    }
  }
  return encodePng({ width, height, data });
}
