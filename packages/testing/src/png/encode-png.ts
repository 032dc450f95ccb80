import { deflateSync } from "node:zlib";
import { pngChunk as chunk, PNG_SIGNATURE } from "@comfy-ts/core/png";
import type { RgbaImage } from "./decode-png.js";

/**
 * Encodes 8-bit RGBA as a PNG (filter Up, zlib level 4 like ComfyUI's SaveImage by default). Used for
 * diff images and for goldens written from decoded pixels.
 */
export function encodePng(image: RgbaImage, options: { level?: number } = {}): Buffer {
  const { width, height, data } = image;
  const stride = width * 4;
  const filtered = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    const src = y * stride;
    if (y === 0) {
      filtered[row] = 0;
      filtered.set(data.subarray(src, src + stride), row + 1);
      continue;
    }
    filtered[row] = 2;
    for (let x = 0; x < stride; x++)
      filtered[row + 1 + x] = (data[src + x]! - data[src - stride + x]!) & 0xff;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(filtered, { level: options.level ?? 4 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}
