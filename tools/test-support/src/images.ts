import { crc32, deflateSync } from "node:zlib";

/** 8-bit RGBA pixels, row-major (the shape of `@comfy-ts/core/png`'s `RgbaImage`). */
export interface TestImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Deterministic noisy RGBA pixels (a xorshift stream), the hardest case for PNG compression. */
export function noiseImage(width: number, height: number, seed: number, opaque = false): TestImage {
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
): TestImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
  return { width, height, data };
}

/** A copy with `count` pixels (from the top-left, row-major) set to `rgba`. */
export function withChangedPixels(
  image: TestImage,
  count: number,
  rgba: readonly [number, number, number, number] = [255, 0, 255, 255],
): TestImage {
  const data = new Uint8Array(image.data);
  for (let p = 0; p < count; p++) data.set(rgba, p * 4);
  return { width: image.width, height: image.height, data };
}

/** One PNG chunk (length, type, payload, CRC-32), written independently of the code under test. */
export function pngChunkBytes(name: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(name, 4, "latin1");
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/**
 * Writes a PNG from already-packed scanlines (filter byte 0 added here), for forms an encoder under
 * test never produces: palettes, sub-byte depths, Adam7 passes. `rows` are the packed rows of each pass in order.
 */
export function rawPng(opts: {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace?: 0 | 1;
  rows: Uint8Array[];
  plte?: Uint8Array;
  trns?: Uint8Array;
  extraChunks?: [string, Uint8Array][];
}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(opts.width, 0);
  ihdr.writeUInt32BE(opts.height, 4);
  ihdr[8] = opts.bitDepth;
  ihdr[9] = opts.colorType;
  ihdr[12] = opts.interlace ?? 0;
  const raw = Buffer.concat(opts.rows.map((row) => Buffer.concat([Buffer.of(0), row])));
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunkBytes("IHDR", ihdr)];
  for (const [name, data] of opts.extraChunks ?? []) parts.push(pngChunkBytes(name, data));
  if (opts.plte) parts.push(pngChunkBytes("PLTE", opts.plte));
  if (opts.trns) parts.push(pngChunkBytes("tRNS", opts.trns));
  parts.push(pngChunkBytes("IDAT", deflateSync(raw)), pngChunkBytes("IEND", new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** A tEXt chunk `[type, payload]`, like ComfyUI's `prompt` metadata. */
export function textChunk(keyword: string, text: string): [string, Uint8Array] {
  return ["tEXt", Buffer.concat([Buffer.from(keyword, "latin1"), Buffer.of(0), Buffer.from(text, "latin1")])];
}
