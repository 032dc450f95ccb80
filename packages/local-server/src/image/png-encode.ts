import { deflateSync } from "node:zlib";
import { PNG_SIGNATURE, pngChunk, pngTextPayload } from "@comfy-ts/core/png";

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

/** IHDR payload for 8-bit pixels of `channels` channels, not interlaced. */
function ihdrFor(p: PixelsU8): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, p.width);
  v.setUint32(4, p.height);
  ihdr[8] = 8;
  ihdr[9] = COLOR_TYPE[p.channels];
  return ihdr;
}

/** Scanlines each prefixed with filter byte 0 (None). */
function filtered(p: PixelsU8): Uint8Array {
  const stride = p.width * p.channels;
  const raw = new Uint8Array((stride + 1) * p.height);
  for (let y = 0; y < p.height; y++)
    raw.set(p.data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return raw;
}

/** Encodes 8-bit pixels as a PNG with ComfyUI's chunk order: IHDR, tEXt…, IDAT, IEND. */
export function encodePng(pixels: PixelsU8, options: EncodePngOptions = {}): Uint8Array {
  const { width, height, channels, data } = pixels;
  if (data.length !== width * height * channels) {
    throw new Error(`encodePng: ${data.length} bytes for ${width}x${height}x${channels}`);
  }
  const chunks: Uint8Array[] = [PNG_SIGNATURE, pngChunk("IHDR", ihdrFor(pixels))];
  for (const [key, value] of options.text ?? []) chunks.push(pngChunk("tEXt", pngTextPayload(key, value)));
  for (const [type, body] of options.extraChunks ?? []) chunks.push(pngChunk(type, body));
  chunks.push(pngChunk("IDAT", deflateSync(filtered(pixels), { level: options.compressLevel ?? 4 })));
  chunks.push(pngChunk("IEND", new Uint8Array(0)));
  return Buffer.concat(chunks);
}

export interface EncodeApngOptions {
  /** Frame duration in milliseconds (`duration=int(1000 / fps)`). */
  readonly delayMs: number;
  readonly compressLevel?: number;
  /** Chunks written after the image data, before IEND (ComfyUI's private `comf` metadata). */
  readonly afterData?: ReadonlyArray<readonly [string, Uint8Array]>;
}

/**
 * An animated PNG as Pillow writes it with `save_all=True`: acTL (looping forever), then per frame an
 * fcTL (full-frame region, dispose NONE, blend SOURCE) with IDAT for the first frame and fdAT after.
 * Pillow additionally crops unchanged borders of later frames; frames here are stored whole.
 */
export function encodeApng(frames: readonly PixelsU8[], options: EncodeApngOptions): Uint8Array {
  const first = frames[0];
  if (!first) throw new Error("encodeApng: no frames");
  const actl = new Uint8Array(8);
  new DataView(actl.buffer).setUint32(0, frames.length);
  const chunks: Uint8Array[] = [PNG_SIGNATURE, pngChunk("IHDR", ihdrFor(first)), pngChunk("acTL", actl)];
  let seq = 0;
  for (const [i, frame] of frames.entries()) {
    const fctl = new Uint8Array(26);
    const f = new DataView(fctl.buffer);
    f.setUint32(0, seq++);
    f.setUint32(4, frame.width);
    f.setUint32(8, frame.height);
    f.setUint16(20, options.delayMs);
    f.setUint16(22, 1000);
    chunks.push(pngChunk("fcTL", fctl));
    const data = deflateSync(filtered(frame), { level: options.compressLevel ?? 4 });
    if (i === 0) chunks.push(pngChunk("IDAT", data));
    else {
      const body = new Uint8Array(4 + data.length);
      new DataView(body.buffer).setUint32(0, seq++);
      body.set(data, 4);
      chunks.push(pngChunk("fdAT", body));
    }
  }
  for (const [type, body] of options.afterData ?? []) chunks.push(pngChunk(type, body));
  chunks.push(pngChunk("IEND", new Uint8Array(0)));
  return Buffer.concat(chunks);
}
