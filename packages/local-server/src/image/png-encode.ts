import { deflateSync } from "node:zlib";
import { PNG_SIGNATURE } from "./png-decode.js";

/** 8-bit pixels to write: 1 (L), 2 (LA), 3 (RGB) or 4 (RGBA) interleaved channels. */
export interface PixelsU8 {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly data: Uint8Array;
}

export interface EncodePngOptions {
  /** tEXt chunks written between IHDR and IDAT, in this order (as PIL's `PngInfo.add_text`). */
  readonly text?: ReadonlyArray<readonly [string, string]>;
  /** zlib level (ComfyUI: SaveImage 4, PreviewImage 1). It changes bytes, never pixels. */
  readonly compressLevel?: number;
  /** Extra chunks `[type, body]` written after the text chunks. */
  readonly extraChunks?: ReadonlyArray<readonly [string, Uint8Array]>;
}

const COLOR_TYPE = { 1: 0, 2: 4, 3: 2, 4: 6 } as const;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(parts: readonly Uint8Array[]): number {
  let c = 0xffffffff;
  for (const p of parts)
    for (let i = 0; i < p.length; i++) c = (CRC_TABLE[(c ^ (p[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Builds one PNG chunk (length, type, body, CRC). */
export function pngChunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  const typeBytes = Buffer.from(type, "latin1");
  out.set(typeBytes, 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32([typeBytes, body]));
  return out;
}

/** Encodes 8-bit pixels as a PNG with ComfyUI's chunk order: IHDR, tEXt…, IDAT, IEND. */
export function encodePng(pixels: PixelsU8, options: EncodePngOptions = {}): Uint8Array {
  const { width, height, channels, data } = pixels;
  if (data.length !== width * height * channels) {
    throw new Error(`encodePng: ${data.length} bytes for ${width}x${height}x${channels}`);
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = COLOR_TYPE[channels];
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const chunks: Uint8Array[] = [PNG_SIGNATURE, pngChunk("IHDR", ihdr)];
  for (const [key, value] of options.text ?? []) {
    chunks.push(pngChunk("tEXt", Buffer.from(`${key}\0${value}`, "latin1")));
  }
  for (const [type, body] of options.extraChunks ?? []) chunks.push(pngChunk(type, body));
  chunks.push(pngChunk("IDAT", deflateSync(raw, { level: options.compressLevel ?? 4 })));
  chunks.push(pngChunk("IEND", new Uint8Array(0)));
  return Buffer.concat(chunks);
}
