import { deflateSync } from "node:zlib";
import { pngChunk } from "./chunks.js";
import { PngEncodeError } from "./errors.js";
import { PNG_SIGNATURE } from "./signature.js";
import { pngTextPayload } from "./text.js";

/** 8-bit pixels to write: 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA, the default) interleaved channels. */
export interface PngPixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  /** Default 4 (RGBA). */
  readonly channels?: 1 | 2 | 3 | 4;
}

export interface EncodePngOptions {
  /** `tEXt` chunks written between IHDR and IDAT, in this order (as PIL's `PngInfo.add_text`). */
  readonly text?: ReadonlyArray<readonly [string, string]>;
  /** zlib level 0–9 (ComfyUI: SaveImage 4, PreviewImage 1). Default 4. It changes bytes, never pixels. */
  readonly compressLevel?: number;
  /** Extra chunks `[type, payload]` written after the text chunks. */
  readonly extraChunks?: ReadonlyArray<readonly [string, Uint8Array]>;
  /**
   * Scanline filter: `none` (default; the bytes the local server's SaveImage writes) or `up` (smaller
   * files for smooth images such as diff pictures).
   */
  readonly filter?: "none" | "up";
}

const COLOR_TYPE = { 1: 0, 2: 4, 3: 2, 4: 6 } as const;

function checked(pixels: PngPixels): Required<PngPixels> {
  const channels = pixels.channels ?? 4;
  const { width, height, data } = pixels;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new PngEncodeError(`encodePng: the size must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new PngEncodeError(
      `encodePng: ${data.length} bytes of pixel data for ${width}×${height} with ${channels} channels (expected ${width * height * channels})`,
    );
  }
  return { width, height, data, channels };
}

/** IHDR payload for 8-bit pixels, not interlaced. */
function ihdrFor(p: Required<PngPixels>): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, p.width);
  v.setUint32(4, p.height);
  ihdr[8] = 8;
  ihdr[9] = COLOR_TYPE[p.channels];
  return ihdr;
}

/** Scanlines each prefixed with their filter byte. */
function filtered(p: Required<PngPixels>, filter: "none" | "up"): Uint8Array {
  const stride = p.width * p.channels;
  const out = new Uint8Array((stride + 1) * p.height);
  const { data } = p;
  for (let y = 0; y < p.height; y++) {
    const row = y * (stride + 1);
    const src = y * stride;
    if (filter === "none" || y === 0) {
      out.set(data.subarray(src, src + stride), row + 1);
      continue;
    }
    out[row] = 2;
    for (let x = 0; x < stride; x++) out[row + 1 + x] = (data[src + x]! - data[src - stride + x]!) & 0xff;
  }
  return out;
}

/** Encodes 8-bit pixels as a PNG with ComfyUI's chunk order: IHDR, tEXt…, extra chunks, IDAT, IEND. */
export function encodePng(pixels: PngPixels, options: EncodePngOptions = {}): Uint8Array {
  const p = checked(pixels);
  const chunks: Uint8Array[] = [PNG_SIGNATURE, pngChunk("IHDR", ihdrFor(p))];
  for (const [key, value] of options.text ?? []) chunks.push(pngChunk("tEXt", pngTextPayload(key, value)));
  for (const [type, body] of options.extraChunks ?? []) chunks.push(pngChunk(type, body));
  const scanlines = filtered(p, options.filter ?? "none");
  chunks.push(pngChunk("IDAT", deflateSync(scanlines, { level: options.compressLevel ?? 4 })));
  chunks.push(pngChunk("IEND", new Uint8Array(0)));
  return Buffer.concat(chunks);
}

export interface EncodeApngOptions {
  /** Frame duration in milliseconds (ComfyUI: `int(1000 / fps)`), written as `[ms, 1000]`. */
  readonly delayMs: number;
  /** zlib level 0–9. Default 4. */
  readonly compressLevel?: number;
  /** Chunks written after the image data, before IEND (ComfyUI's private `comf` metadata). */
  readonly afterData?: ReadonlyArray<readonly [string, Uint8Array]>;
}

/**
 * An animated PNG as Pillow writes it with `save_all=True`: acTL (looping forever), then per frame an
 * fcTL (full-frame region, dispose NONE, blend SOURCE) with IDAT for the first frame and fdAT after.
 * Pillow additionally crops unchanged borders of later frames; frames here are stored whole.
 */
export function encodeApng(frames: readonly PngPixels[], options: EncodeApngOptions): Uint8Array {
  const first = frames[0];
  if (!first) throw new PngEncodeError("encodeApng: no frames");
  const actl = new Uint8Array(8);
  new DataView(actl.buffer).setUint32(0, frames.length);
  const chunks: Uint8Array[] = [
    PNG_SIGNATURE,
    pngChunk("IHDR", ihdrFor(checked(first))),
    pngChunk("acTL", actl),
  ];
  let seq = 0;
  for (const [i, frame] of frames.entries()) {
    const p = checked(frame);
    const fctl = new Uint8Array(26);
    const f = new DataView(fctl.buffer);
    f.setUint32(0, seq++);
    f.setUint32(4, p.width);
    f.setUint32(8, p.height);
    f.setUint16(20, options.delayMs);
    f.setUint16(22, 1000);
    chunks.push(pngChunk("fcTL", fctl));
    const data = deflateSync(filtered(p, "none"), { level: options.compressLevel ?? 4 });
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
