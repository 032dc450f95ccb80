import { constants as bufferConstants } from "node:buffer";
import { inflateSync } from "node:zlib";
import { type PngHeader, pngChunkCrcMatches, pngChunks, readPngHeader } from "./chunks.js";
import { PngDecodeError } from "./errors.js";
import { hasPngSignature } from "./signature.js";
import { readPngTextChunk } from "./text.js";
import {
  expectedInflatedLength,
  PNG_CHANNELS,
  pngFilterBpp,
  pngPasses,
  pngStride,
  unfilterRow,
} from "./unfilter.js";

/** 8-bit RGBA pixels, row-major: `data.length === width * height * 4`. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * The chunks of a PNG that decide its pixels, plus its `tEXt` metadata and chunk list, read without
 * inflating anything. Metadata chunks never take part in `samePngPixelStream`.
 */
export interface PngStructure {
  readonly header: PngHeader;
  /** The raw IHDR payload (13 bytes). */
  readonly ihdr: Uint8Array;
  readonly plte: Uint8Array | undefined;
  readonly trns: Uint8Array | undefined;
  /** The IDAT payloads in order (views into the input). */
  readonly idat: readonly Uint8Array[];
  readonly idatLength: number;
  /** `tEXt` chunks in file order, as `[keyword, Latin-1 text]` (ComfyUI's `prompt` / `workflow`). */
  readonly text: ReadonlyArray<readonly [string, string]>;
  /** Chunk types in file order. */
  readonly chunkTypes: readonly string[];
}

export interface ReadPngOptions {
  /** The file (or label) named in errors. Default `<buffer>`. */
  readonly source?: string;
  /**
   * `true` (default): every chunk CRC, IEND and IDAT must be present and valid, as a reviewed file
   * must be. `false`: only what PIL's `Image.open` + `load()` needs (no CRC check, reading stops at
   * IEND or at the end of the file) — what ComfyUI's LoadImage accepts.
   */
  readonly strict?: boolean;
}

/** A decoded PNG: its header facts, metadata, native samples and an 8-bit RGBA view. */
export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA. */
  readonly colorType: number;
  /** Samples per pixel of `samples`: 1, 3, 1, 2, 4 by colour type. */
  readonly channels: number;
  readonly interlaced: boolean;
  /**
   * The stored samples, row-major and interleaved, before any conversion: one element per sample,
   * `Uint8Array` for bit depths up to 8 (sub-byte samples unpacked, not scaled; palette images hold
   * indices), `Uint16Array` for 16-bit. Computed on first access.
   */
  readonly samples: Uint8Array | Uint16Array;
  /** PLTE entries as RGB triples (palette images). */
  readonly palette: Uint8Array | undefined;
  /** tRNS: per-index alpha (palette images), or the transparent gray / RGB key as 16-bit values. */
  readonly transparency: Uint8Array | readonly number[] | undefined;
  readonly text: ReadonlyArray<readonly [string, string]>;
  readonly chunkTypes: readonly string[];
  /**
   * The pixels as 8-bit RGBA: palettes and tRNS applied, gray expanded, sub-byte samples scaled to
   * 0–255, 16-bit samples rounded to the nearest 8-bit value (as pngjs; PIL keeps the high byte —
   * read `samples` for what LoadImage sees). Computed once.
   */
  toRgba(): RgbaImage;
}

const VALID_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Deflate cannot compress better than 1032:1: a header claiming more data than that is a lie. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Walks a PNG's chunks without inflating: signature, lengths, (strict) CRCs, IHDR, PLTE/tRNS, IDAT,
 * IEND. Throws `PngDecodeError` naming `options.source`.
 */
export function readPngStructure(bytes: Uint8Array, options: ReadPngOptions = {}): PngStructure {
  const source = options.source ?? "<buffer>";
  const strict = options.strict ?? true;
  const fail = (problem: ConstructorParameters<typeof PngDecodeError>[1], reason: string): never => {
    throw new PngDecodeError(source, problem, reason);
  };
  if (!hasPngSignature(bytes)) {
    const what = bytes.length === 0 ? "the file is empty" : "it does not start with the PNG signature";
    fail("signature", `${what} (not a PNG file, ${bytes.length} bytes)`);
  }
  let ihdr: Uint8Array | undefined;
  let plte: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatLength = 0;
  const text: Array<readonly [string, string]> = [];
  const chunkTypes: string[] = [];
  let ended = false;
  let at = 8;
  for (const chunk of pngChunks(bytes)) {
    const { type, offset, length, data } = chunk;
    if (data.length !== length) {
      fail(
        "truncated",
        `truncated: chunk ${type} at byte ${offset} declares ${length} bytes but only ${data.length} remain`,
      );
    }
    if (strict && !chunk.whole)
      fail("truncated", `truncated: the CRC of chunk ${type} at byte ${offset} is cut off`);
    if (strict && !pngChunkCrcMatches(bytes, chunk)) {
      fail("checksum", `corrupt: CRC mismatch in chunk ${type} at byte ${offset}`);
    }
    chunkTypes.push(type);
    if (type === "IHDR") ihdr = data;
    else if (type === "PLTE") plte = data;
    else if (type === "tRNS") trns = data;
    else if (type === "IDAT") {
      idat.push(data);
      idatLength += length;
    } else if (type === "tEXt") {
      const entry = readPngTextChunk(type, data);
      if (entry) text.push([entry.keyword, latin1(entry.text)]);
    } else if (type === "IEND") {
      ended = true;
      break;
    }
    at = chunk.end;
  }
  if (strict && !ended) {
    // Fewer than 8 bytes after the last chunk: a chunk header the walk could not read.
    fail(
      "truncated",
      at < bytes.length ? `truncated: chunk header at byte ${at} is cut off` : "truncated: no IEND chunk",
    );
  }
  if (ihdr?.length !== 13 || !ihdr) return fail("header", "corrupt: missing or malformed IHDR chunk");
  const header = readPngHeader(ihdr);
  const { width, height, bitDepth, colorType, interlace } = header;
  if (width === 0 || height === 0) fail("header", `corrupt: image size ${width}×${height}`);
  if (!VALID_DEPTHS[colorType]?.includes(bitDepth)) {
    fail("header", `corrupt: bit depth ${bitDepth} with color type ${colorType}`);
  }
  if (ihdr[10] !== 0 || ihdr[11] !== 0 || interlace > 1) {
    fail("header", "corrupt: unknown compression, filter or interlace method");
  }
  if (strict && idat.length === 0) fail("structure", "corrupt: no IDAT chunk");
  if (strict && colorType === 3 && !plte) fail("header", "corrupt: palette image without PLTE");
  return { header, ihdr, plte, trns, idat, idatLength, text, chunkTypes };
}

/**
 * True when both files hold the same header, palette, transparency and compressed pixel stream — hence
 * the same pixels, whatever their metadata chunks say. No inflate. False says nothing.
 */
export function samePngPixelStream(a: PngStructure, b: PngStructure): boolean {
  if (a.idatLength !== b.idatLength || !sameBytes(a.ihdr, b.ihdr)) return false;
  if (!sameBytes(a.plte, b.plte) || !sameBytes(a.trns, b.trns)) return false;
  return sameBytes(concatIdat(a), concatIdat(b));
}

/**
 * Decodes a PNG (every colour type and bit depth, palettes, tRNS, Adam7 interlacing) — from bytes, or
 * from a structure `readPngStructure` already read. Inflates and unfilters eagerly (so a corrupt file
 * throws here); samples and the RGBA view are computed on first use. Throws `PngDecodeError`.
 */
export function decodePng(input: Uint8Array | PngStructure, options: ReadPngOptions = {}): DecodedPng {
  const structure = input instanceof Uint8Array ? readPngStructure(input, options) : input;
  const source = options.source ?? "<buffer>";
  const { header } = structure;
  if (structure.idatLength === 0) throw new PngDecodeError(source, "data", "corrupt: no image data");
  const expected = expectedInflatedLength(header);
  const possible = structure.idatLength * MAX_DEFLATE_RATIO + 1024;
  if (expected > possible || expected > bufferConstants.MAX_LENGTH) {
    throw new PngDecodeError(
      source,
      "incomplete",
      `truncated image data: the header says ${header.width}×${header.height} (${expected} bytes of scanlines) but ${structure.idatLength} compressed bytes cannot hold that`,
    );
  }
  let raw: Uint8Array;
  try {
    // One output buffer of the final size: no growing and concatenating of 16 KB pieces.
    const inflated = inflateSync(concatIdat(structure), {
      chunkSize: Math.max(1024, expected + 1),
      maxOutputLength: Math.max(expected * 2, expected + 65536),
    });
    // A plain Uint8Array view: element access on it stays monomorphic in the hot loops.
    raw = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    throw new PngDecodeError(source, "data", `corrupt image data (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (raw.length < expected) {
    throw new PngDecodeError(
      source,
      "incomplete",
      `truncated image data: ${raw.length} of ${expected} bytes`,
    );
  }
  const bpp = pngFilterBpp(header);
  let at = 0;
  for (const [, , , , w, h] of pngPasses(header)) {
    const stride = pngStride(header, w);
    let prev = -1;
    for (let y = 0; y < h; y++) {
      const filter = raw[at]!;
      const row = at + 1;
      if (!unfilterRow(raw, row, prev, stride, bpp, filter)) {
        throw new PngDecodeError(source, "data", `corrupt: unknown filter type ${filter} on row ${y}`);
      }
      prev = row;
      at = row + stride;
    }
  }
  return new Decoded(structure, raw);
}

/** The inflated, unfiltered scanlines, converted on demand. */
class Decoded implements DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly channels: number;
  readonly interlaced: boolean;
  readonly palette: Uint8Array | undefined;
  readonly transparency: Uint8Array | readonly number[] | undefined;
  readonly text: ReadonlyArray<readonly [string, string]>;
  readonly chunkTypes: readonly string[];
  readonly #header: PngHeader;
  readonly #raw: Uint8Array;
  readonly #trns: Uint8Array | undefined;
  #samples: Uint8Array | Uint16Array | undefined;
  #rgba: RgbaImage | undefined;

  constructor(structure: PngStructure, raw: Uint8Array) {
    const { header, trns } = structure;
    this.#header = header;
    this.#raw = raw;
    this.#trns = trns;
    this.width = header.width;
    this.height = header.height;
    this.bitDepth = header.bitDepth;
    this.colorType = header.colorType;
    this.channels = PNG_CHANNELS[header.colorType]!;
    this.interlaced = header.interlace === 1;
    this.palette = structure.plte;
    this.transparency = trns === undefined ? undefined : header.colorType === 3 ? trns : keys16(trns);
    this.text = structure.text;
    this.chunkTypes = structure.chunkTypes;
  }

  get samples(): Uint8Array | Uint16Array {
    this.#samples ??= unpackSamples(this.#header, this.#raw);
    return this.#samples;
  }

  toRgba(): RgbaImage {
    this.#rgba ??= {
      width: this.width,
      height: this.height,
      data: scanlinesToRgba(this.#header, this.#raw, this.palette, this.#trns),
    };
    return this.#rgba;
  }
}

function keys16(trns: Uint8Array): number[] {
  const keys: number[] = [];
  for (let i = 0; i + 1 < trns.length; i += 2) keys.push((trns[i]! << 8) | trns[i + 1]!);
  return keys;
}

/** The native samples of every pass, placed at their pixel positions. */
function unpackSamples(header: PngHeader, raw: Uint8Array): Uint8Array | Uint16Array {
  const { width, height, bitDepth } = header;
  const channels = PNG_CHANNELS[header.colorType]!;
  const out =
    bitDepth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  let at = 0;
  for (const [x0, y0, dx, dy, w, h] of pngPasses(header)) {
    const stride = pngStride(header, w);
    const count = w * channels;
    for (let y = 0; y < h; y++) {
      const row = at + 1;
      const base = ((y0 + y * dy) * width + x0) * channels;
      if (bitDepth === 8 && dx === 1) {
        (out as Uint8Array).set(raw.subarray(row, row + count), base);
      } else {
        for (let i = 0; i < count; i++) {
          const c = i % channels;
          const px = (i - c) / channels;
          out[base + px * dx * channels + c] = sampleAt(raw, row, i, bitDepth);
        }
      }
      at = row + stride;
    }
  }
  return out;
}

/** Sample `i` of a scanline starting at `row`, unscaled. */
function sampleAt(raw: Uint8Array, row: number, i: number, bitDepth: number): number {
  if (bitDepth === 8) return raw[row + i]!;
  if (bitDepth === 16) return (raw[row + 2 * i]! << 8) | raw[row + 2 * i + 1]!;
  const bit = i * bitDepth;
  return (raw[row + (bit >> 3)]! >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
}

/** Converts unfiltered scanlines to RGBA; ComfyUI's own forms (8-bit RGB / RGBA) take a fast path. */
function scanlinesToRgba(
  header: PngHeader,
  raw: Uint8Array,
  plte: Uint8Array | undefined,
  trns: Uint8Array | undefined,
): Uint8Array {
  const { width, height, bitDepth, colorType } = header;
  const out = new Uint8Array(width * height * 4);
  const rgbKey =
    colorType === 2 && bitDepth === 8 && trns && trns.length >= 6
      ? (trns[1]! << 16) | (trns[3]! << 8) | trns[5]!
      : -1;
  let at = 0;
  for (const [x0, y0, dx, dy, w, h] of pngPasses(header)) {
    const stride = pngStride(header, w);
    for (let y = 0; y < h; y++) {
      const row = at + 1;
      const o = (y0 + y * dy) * width * 4;
      if (dx === 1 && bitDepth === 8 && colorType === 6) {
        out.set(raw.subarray(row, row + stride), o);
      } else if (dx === 1 && bitDepth === 8 && colorType === 2) {
        for (let x = 0, i = row, j = o; x < w; x++, i += 3, j += 4) {
          const r = raw[i]!;
          const g = raw[i + 1]!;
          const b = raw[i + 2]!;
          out[j] = r;
          out[j + 1] = g;
          out[j + 2] = b;
          out[j + 3] = rgbKey >= 0 && ((r << 16) | (g << 8) | b) === rgbKey ? 0 : 255;
        }
      } else {
        genericRowToRgba(raw, row, w, header, plte, trns, out, o, x0, dx);
      }
      at = row + stride;
    }
  }
  return out;
}

/** Every other form: sub-byte depths, 16-bit, gray, palette, interlaced passes. */
function genericRowToRgba(
  raw: Uint8Array,
  row: number,
  w: number,
  header: PngHeader,
  plte: Uint8Array | undefined,
  trns: Uint8Array | undefined,
  out: Uint8Array,
  rowOffset: number,
  x0: number,
  dx: number,
): void {
  const { bitDepth, colorType } = header;
  const channels = PNG_CHANNELS[colorType]!;
  const maxSample = (1 << Math.min(bitDepth, 8)) - 1;
  // A sample as 8 bits: 16-bit rounded to the nearest 8-bit value, sub-byte gray scaled to 0–255.
  const sample8 = (index: number): number => {
    const v = sampleAt(raw, row, index, bitDepth);
    return bitDepth === 16 ? Math.round((v * 255) / 65535) : v;
  };
  const grayKey = trns && trns.length >= 2 ? (trns[0]! << 8) | trns[1]! : -1;
  const rgbKey = trns && trns.length >= 6 ? keys16(trns) : undefined;
  for (let x = 0; x < w; x++) {
    const j = rowOffset + (x0 + x * dx) * 4;
    const s = x * channels;
    switch (colorType) {
      case 0: {
        const v = bitDepth < 8 ? Math.round((sample8(s) * 255) / maxSample) : sample8(s);
        out[j] = out[j + 1] = out[j + 2] = v;
        out[j + 3] = sampleAt(raw, row, s, bitDepth) === grayKey ? 0 : 255;
        break;
      }
      case 2: {
        out[j] = sample8(s);
        out[j + 1] = sample8(s + 1);
        out[j + 2] = sample8(s + 2);
        const keyed =
          rgbKey !== undefined &&
          sampleAt(raw, row, s, bitDepth) === rgbKey[0] &&
          sampleAt(raw, row, s + 1, bitDepth) === rgbKey[1] &&
          sampleAt(raw, row, s + 2, bitDepth) === rgbKey[2];
        out[j + 3] = keyed ? 0 : 255;
        break;
      }
      case 3: {
        const index = sample8(s);
        out[j] = plte?.[index * 3] ?? 0;
        out[j + 1] = plte?.[index * 3 + 1] ?? 0;
        out[j + 2] = plte?.[index * 3 + 2] ?? 0;
        out[j + 3] = trns?.[index] ?? 255;
        break;
      }
      case 4: {
        out[j] = out[j + 1] = out[j + 2] = sample8(s);
        out[j + 3] = sample8(s + 1);
        break;
      }
      default: {
        out[j] = sample8(s);
        out[j + 1] = sample8(s + 1);
        out[j + 2] = sample8(s + 2);
        out[j + 3] = sample8(s + 3);
      }
    }
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/** The compressed image stream as one buffer (a view when there is a single IDAT). */
function concatIdat(structure: PngStructure): Uint8Array {
  if (structure.idat.length === 1) return structure.idat[0]!;
  return Buffer.concat(structure.idat as Uint8Array[], structure.idatLength);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}
