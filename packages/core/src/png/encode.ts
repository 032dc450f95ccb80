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
   * Scanline filter: `none` (default) or `up` (smaller files for smooth images such as diff pictures).
   * Ignored with `pil`.
   */
  readonly filter?: "none" | "up";
  /** Write the bytes Pillow writes (see `PilPngWriter`). */
  readonly pil?: PilPngWriter;
}

/**
 * What makes the output byte-identical to Pillow's PNG writer: Pillow's per-row filter choice
 * (ZipEncode.c: none, up, sub, paeth — the least sum of |signed byte|), IDAT/fdAT chunks of
 * max(65536, 4·width) bytes, and a deflate that gives zlib 1.2's exact stream with Pillow's settings
 * (strategy Z_FILTERED, memLevel 9, window 15) — Node's bundled zlib is Chromium's fork, whose streams
 * differ, so the caller supplies one (e.g. pako, a port of zlib).
 */
export interface PilPngWriter {
  deflate(scanlines: Uint8Array, level: number): Uint8Array;
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
function filtered(p: Required<PngPixels>, filter: "none" | "up" | "pil"): Uint8Array {
  if (filter === "pil") return pilFiltered(p);
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

/**
 * Pillow's ZipEncode filter choice per row: the filter (tried in the order none, up, sub, paeth; a later
 * one only when strictly better) whose output has the least sum of |byte as signed|. The row above the
 * first is black. Average is only tried by Pillow's `optimize`, which ComfyUI does not use.
 */
function pilFiltered(p: Required<PngPixels>): Uint8Array {
  const stride = p.width * p.channels;
  const bpp = p.channels;
  const out = new Uint8Array((stride + 1) * p.height);
  const { data } = p;
  const zero = new Uint8Array(stride);
  const up = new Uint8Array(stride);
  const sub = new Uint8Array(stride);
  const paeth = new Uint8Array(stride);
  for (let y = 0; y < p.height; y++) {
    const c = y * stride;
    const prev = y === 0 ? zero : data;
    const q = y === 0 ? 0 : c - stride;
    let best = 0;
    let sum = 0;
    for (let i = 0; i < stride; i++) {
      const v = data[c + i]!;
      sum += v < 128 ? v : 256 - v;
    }
    if (sum > 0) {
      let s = 0;
      for (let i = 0; i < stride; i++) {
        const v = (data[c + i]! - prev[q + i]!) & 0xff;
        up[i] = v;
        s += v < 128 ? v : 256 - v;
      }
      if (s < sum) {
        sum = s;
        best = 2;
      }
    }
    if (sum > 0) {
      let s = 0;
      for (let i = 0; i < stride; i++) {
        const v = (i < bpp ? data[c + i]! : data[c + i]! - data[c + i - bpp]!) & 0xff;
        sub[i] = v;
        s += v < 128 ? v : 256 - v;
      }
      if (s < sum) {
        sum = s;
        best = 1;
      }
    }
    if (sum > 0) {
      let s = 0;
      for (let i = 0; i < stride; i++) {
        let predictor: number;
        if (i < bpp) predictor = prev[q + i]!;
        else {
          const a = data[c + i - bpp]!;
          const b = prev[q + i]!;
          const cc = prev[q + i - bpp]!;
          const pa = Math.abs(b - cc);
          const pb = Math.abs(a - cc);
          const pc = Math.abs(a + b - 2 * cc);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : cc;
        }
        const v = (data[c + i]! - predictor) & 0xff;
        paeth[i] = v;
        s += v < 128 ? v : 256 - v;
      }
      if (s < sum) best = 4;
    }
    const row = y * (stride + 1);
    out[row] = best;
    out.set(best === 0 ? data.subarray(c, c + stride) : best === 2 ? up : best === 1 ? sub : paeth, row + 1);
  }
  return out;
}

/** The zlib stream of filtered scanlines, split into chunk payloads as the writer would. */
function imageData(p: Required<PngPixels>, options: EncodePngOptions): Uint8Array[] {
  const level = options.compressLevel ?? 4;
  if (!options.pil) return [deflateSync(filtered(p, options.filter ?? "none"), { level })];
  const stream = options.pil.deflate(filtered(p, "pil"), level);
  const size = Math.max(65536, p.width * 4);
  const parts: Uint8Array[] = [];
  for (let at = 0; at < stream.length; at += size) parts.push(stream.subarray(at, at + size));
  return parts.length > 0 ? parts : [stream];
}

/** Encodes 8-bit pixels as a PNG with ComfyUI's chunk order: IHDR, tEXt…, extra chunks, IDAT, IEND. */
export function encodePng(pixels: PngPixels, options: EncodePngOptions = {}): Uint8Array {
  const p = checked(pixels);
  const chunks: Uint8Array[] = [PNG_SIGNATURE, pngChunk("IHDR", ihdrFor(p))];
  for (const [key, value] of options.text ?? []) chunks.push(pngChunk("tEXt", pngTextPayload(key, value)));
  for (const [type, body] of options.extraChunks ?? []) chunks.push(pngChunk(type, body));
  for (const part of imageData(p, options)) chunks.push(pngChunk("IDAT", part));
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
  /** Write the bytes Pillow writes (see `PilPngWriter`). */
  readonly pil?: PilPngWriter;
}

/**
 * An animated PNG as Pillow writes it with `save_all=True`: acTL (looping forever), then per frame an
 * fcTL (dispose NONE, blend SOURCE) with IDAT for the first frame and fdAT after. As Pillow does, a
 * frame whose RGB equals the previous one's is dropped, and a later frame is cropped to the bounding
 * box of its RGB changes (`ImageChops.subtract_modulo(...).getbbox()`).
 */
export function encodeApng(frames: readonly PngPixels[], options: EncodeApngOptions): Uint8Array {
  const first = frames[0];
  if (!first) throw new PngEncodeError("encodeApng: no frames");
  const whole = frames.map(checked);
  const kept: Array<{ p: Required<PngPixels>; box: readonly [number, number, number, number] }> = [];
  for (const p of whole) {
    const previous = kept.at(-1);
    if (!previous) {
      kept.push({ p, box: [0, 0, p.width, p.height] });
      continue;
    }
    const box = changedBox(previous.p, p);
    if (box) kept.push({ p, box });
  }
  const actl = new Uint8Array(8);
  new DataView(actl.buffer).setUint32(0, kept.length);
  const chunks: Uint8Array[] = [PNG_SIGNATURE, pngChunk("IHDR", ihdrFor(whole[0]!)), pngChunk("acTL", actl)];
  let seq = 0;
  for (const [i, { p, box }] of kept.entries()) {
    const [x0, y0, x1, y1] = box;
    const region = crop(p, box);
    const fctl = new Uint8Array(26);
    const f = new DataView(fctl.buffer);
    f.setUint32(0, seq++);
    f.setUint32(4, x1 - x0);
    f.setUint32(8, y1 - y0);
    f.setUint32(12, x0);
    f.setUint32(16, y0);
    f.setUint16(20, options.delayMs);
    f.setUint16(22, 1000);
    chunks.push(pngChunk("fcTL", fctl));
    for (const part of imageData(region, options)) {
      if (i === 0) chunks.push(pngChunk("IDAT", part));
      else {
        const body = new Uint8Array(4 + part.length);
        new DataView(body.buffer).setUint32(0, seq++);
        body.set(part, 4);
        chunks.push(pngChunk("fdAT", body));
      }
    }
  }
  for (const [type, body] of options.afterData ?? []) chunks.push(pngChunk(type, body));
  chunks.push(pngChunk("IEND", new Uint8Array(0)));
  return Buffer.concat(chunks);
}

/** The bounding box `[x0, y0, x1, y1)` of pixels whose RGB differs, or undefined when none does. */
function changedBox(
  a: Required<PngPixels>,
  b: Required<PngPixels>,
): readonly [number, number, number, number] | undefined {
  const rgb = (p: Required<PngPixels>, at: number, c: number) =>
    p.channels < 3 ? p.data[at * p.channels]! : p.data[at * p.channels + c]!;
  let x0 = b.width;
  let y0 = b.height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      const at = y * b.width + x;
      if (
        rgb(a, at, 0) === rgb(b, at, 0) &&
        rgb(a, at, 1) === rgb(b, at, 1) &&
        rgb(a, at, 2) === rgb(b, at, 2)
      )
        continue;
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x >= x1) x1 = x + 1;
      if (y >= y1) y1 = y + 1;
    }
  }
  return x1 > x0 ? [x0, y0, x1, y1] : undefined;
}

function crop(
  p: Required<PngPixels>,
  [x0, y0, x1, y1]: readonly [number, number, number, number],
): Required<PngPixels> {
  if (x0 === 0 && y0 === 0 && x1 === p.width && y1 === p.height) return p;
  const w = x1 - x0;
  const data = new Uint8Array(w * (y1 - y0) * p.channels);
  for (let y = y0; y < y1; y++) {
    data.set(
      p.data.subarray((y * p.width + x0) * p.channels, (y * p.width + x1) * p.channels),
      (y - y0) * w * p.channels,
    );
  }
  return { width: w, height: y1 - y0, channels: p.channels, data };
}
