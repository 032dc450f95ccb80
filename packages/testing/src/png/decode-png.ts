import { inflateSync } from "node:zlib";
import {
  PNG_CHANNELS as CHANNELS,
  expectedInflatedLength,
  pngFilterBpp,
  pngPasses,
  unfilterRow,
} from "@comfy-ts/core/png";
import { PngDecodeError } from "../errors.js";
import { concatIdat, type PngChunks, type PngHeader, readPngChunks } from "./png-chunks.js";

/** Decoded pixels: 8-bit RGBA, row-major, `data.length === width * height * 4`. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * Decodes a PNG to 8-bit RGBA. Every PNG form is accepted (all color types and bit depths, palette
 * with tRNS, Adam7 interlacing); 16-bit samples are rounded to 8 bits like pngjs does. Throws `PngDecodeError` naming
 * `source` for anything that is not a whole, valid PNG.
 */
export function decodePng(bytes: Uint8Array, source = "<buffer>"): RgbaImage {
  return decodePngChunks(readPngChunks(bytes, source), source);
}

/** Decodes chunks already read by `readPngChunks` (so a caller that compared them does not parse twice). */
export function decodePngChunks(chunks: PngChunks, source: string): RgbaImage {
  let raw: Uint8Array;
  try {
    // One output buffer of the final size: no growing and concatenating of 16 KB pieces.
    const inflated = inflateSync(concatIdat(chunks), {
      chunkSize: Math.max(1024, expectedInflatedLength(chunks.header) + 1),
    });
    // A plain Uint8Array view: element access on it stays monomorphic in the hot loops.
    raw = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    throw inflateError(source, error);
  }
  return unfilterToRgba(chunks, raw, source);
}

function inflateError(source: string, error: unknown): PngDecodeError {
  return new PngDecodeError(source, `corrupt image data (${(error as Error).message})`, { cause: error });
}

/** Unfilters inflated scanlines (in place) and converts them to RGBA. */
function unfilterToRgba(chunks: PngChunks, raw: Uint8Array, source: string): RgbaImage {
  const { header } = chunks;
  const { width, height } = header;
  const expected = expectedInflatedLength(header);
  if (raw.length < expected) {
    throw new PngDecodeError(source, `truncated image data: ${raw.length} of ${expected} bytes`);
  }
  const out = new Uint8Array(width * height * 4);
  let offset = 0;
  for (const [x0, y0, dx, dy, w, h] of pngPasses(header)) {
    offset = decodePass(raw, offset, w, h, header, chunks, source, out, x0, y0, dx, dy);
  }
  return { width, height, data: out };
}

/** Unfilters one (sub)image in place and writes its pixels to `out`; returns the offset after it. */
function decodePass(
  raw: Uint8Array,
  start: number,
  w: number,
  h: number,
  header: PngHeader,
  chunks: PngChunks,
  source: string,
  out: Uint8Array,
  x0: number,
  y0: number,
  dx: number,
  dy: number,
): number {
  const channels = CHANNELS[header.colorType]!;
  const bpp = pngFilterBpp(header);
  const stride = Math.ceil((w * channels * header.bitDepth) / 8);
  const fullWidth = header.width;
  let prev = -1;
  let at = start;
  for (let y = 0; y < h; y++) {
    const filter = raw[at]!;
    const row = at + 1;
    if (!unfilterRow(raw, row, prev, stride, bpp, filter)) {
      throw new PngDecodeError(source, `corrupt: unknown filter type ${filter} on row ${y}`);
    }
    // Fast path: the common ComfyUI output forms, not interlaced.
    if (dx === 1 && header.bitDepth === 8 && (header.colorType === 6 || header.colorType === 2)) {
      const o = (y0 + y) * fullWidth * 4;
      if (header.colorType === 6) {
        out.set(raw.subarray(row, row + stride), o);
      } else {
        const transparent = rgbKey(chunks.trns);
        for (let x = 0, i = row, j = o; x < w; x++, i += 3, j += 4) {
          const r = raw[i]!;
          const g = raw[i + 1]!;
          const b = raw[i + 2]!;
          out[j] = r;
          out[j + 1] = g;
          out[j + 2] = b;
          out[j + 3] = transparent >= 0 && ((r << 16) | (g << 8) | b) === transparent ? 0 : 255;
        }
      }
    } else {
      writeRowGeneric(raw, row, w, header, chunks, out, (y0 + y * dy) * fullWidth, x0, dx);
    }
    prev = row;
    at = row + stride;
  }
  return at;
}

/** The tRNS color key of an 8-bit RGB image as 0xRRGGBB, or -1. */
function rgbKey(trns: Uint8Array | undefined): number {
  if (!trns || trns.length < 6) return -1;
  return ((trns[1]! & 0xff) << 16) | ((trns[3]! & 0xff) << 8) | (trns[5]! & 0xff);
}

/** Every other form: sub-byte depths, 16-bit, gray, palette, interlaced passes. */
function writeRowGeneric(
  raw: Uint8Array,
  row: number,
  w: number,
  header: PngHeader,
  chunks: PngChunks,
  out: Uint8Array,
  outRowPixel: number,
  x0: number,
  dx: number,
): void {
  const { bitDepth, colorType } = header;
  const channels = CHANNELS[colorType]!;
  const { plte, trns } = chunks;
  const maxSample = (1 << Math.min(bitDepth, 8)) - 1;
  // A sample as 8 bits: 16-bit samples rounded to the nearest 8-bit value (as pngjs does).
  const sample = (index: number): number => {
    if (bitDepth === 8) return raw[row + index]!;
    if (bitDepth === 16)
      return Math.round((((raw[row + index * 2]! << 8) | raw[row + index * 2 + 1]!) * 255) / 65535);
    const bitPos = index * bitDepth;
    return (raw[row + (bitPos >> 3)]! >> (8 - bitDepth - (bitPos & 7))) & maxSample;
  };
  const rawSample = (index: number): number =>
    bitDepth === 16 ? (raw[row + index * 2]! << 8) | raw[row + index * 2 + 1]! : sample(index);
  const grayKey = trns && trns.length >= 2 ? (trns[0]! << 8) | trns[1]! : -1;
  const rgbKey16 =
    trns && trns.length >= 6
      ? [(trns[0]! << 8) | trns[1]!, (trns[2]! << 8) | trns[3]!, (trns[4]! << 8) | trns[5]!]
      : undefined;
  for (let x = 0; x < w; x++) {
    const j = (outRowPixel + x0 + x * dx) * 4;
    const s = x * channels;
    switch (colorType) {
      case 0: {
        const v = bitDepth < 8 ? Math.round((sample(s) * 255) / maxSample) : sample(s);
        out[j] = out[j + 1] = out[j + 2] = v;
        out[j + 3] = rawSample(s) === grayKey ? 0 : 255;
        break;
      }
      case 2: {
        out[j] = sample(s);
        out[j + 1] = sample(s + 1);
        out[j + 2] = sample(s + 2);
        const keyed =
          rgbKey16 !== undefined &&
          rawSample(s) === rgbKey16[0] &&
          rawSample(s + 1) === rgbKey16[1] &&
          rawSample(s + 2) === rgbKey16[2];
        out[j + 3] = keyed ? 0 : 255;
        break;
      }
      case 3: {
        const index = sample(s);
        out[j] = plte![index * 3] ?? 0;
        out[j + 1] = plte![index * 3 + 1] ?? 0;
        out[j + 2] = plte![index * 3 + 2] ?? 0;
        out[j + 3] = trns?.[index] ?? 255;
        break;
      }
      case 4: {
        out[j] = out[j + 1] = out[j + 2] = sample(s);
        out[j + 3] = sample(s + 1);
        break;
      }
      default: {
        out[j] = sample(s);
        out[j + 1] = sample(s + 1);
        out[j + 2] = sample(s + 2);
        out[j + 3] = sample(s + 3);
      }
    }
  }
}
