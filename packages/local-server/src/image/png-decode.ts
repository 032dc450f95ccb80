import { inflateSync } from "node:zlib";
import {
  hasPngSignature,
  PNG_CHANNELS,
  pngChunks,
  pngFilterBpp,
  pngPasses,
  pngStride,
  readPngHeader,
  readPngTextChunk,
  unfilterRow,
} from "@comfy-ts/core/png";
import { ImageDecodeError } from "./errors.js";

/** A PNG as PIL opens it: the raw samples of its own colour type, before any conversion. */
export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  /** PNG colour type: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA. */
  readonly colorType: number;
  /** Samples per pixel of the raw data (1, 3, 1, 2, 4). */
  readonly channels: number;
  /** Row-major interleaved samples; 16-bit PNGs keep their full values. */
  readonly samples: Uint16Array;
  /** PLTE entries as RGB triples (colour type 3). */
  readonly palette?: Uint8Array;
  /** tRNS: per-index alpha for palettes, or the transparent gray/RGB key. */
  readonly transparency?: Uint8Array | readonly number[];
  /** tEXt chunks in file order. */
  readonly text: ReadonlyArray<readonly [string, string]>;
  /** Chunk types in file order. */
  readonly chunks: readonly string[];
}

/** Decodes a PNG into its raw samples (all bit depths, palettes, tRNS, Adam7 interlacing). */
export function decodePng(bytes: Uint8Array): DecodedPng {
  if (!hasPngSignature(bytes)) throw new ImageDecodeError("not a PNG file (bad signature)");
  let header = { width: 0, height: 0, bitDepth: 0, colorType: 0, interlace: 0 };
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | number[] | undefined;
  const idat: Uint8Array[] = [];
  const text: Array<[string, string]> = [];
  const chunks: string[] = [];
  for (const { type, length, data: body } of pngChunks(bytes)) {
    // PIL (retried by ComfyUI with LOAD_TRUNCATED_IMAGES) reads past the end and says so.
    if (body.length !== length) throw new ImageDecodeError("Truncated File Read", { pythonType: "OSError" });
    chunks.push(type);
    if (type === "IHDR") {
      header = readPngHeader(body);
    } else if (type === "PLTE") {
      palette = body.slice();
    } else if (type === "tRNS") {
      if (header.colorType === 3) transparency = body.slice();
      else {
        const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
        transparency = [];
        for (let i = 0; i + 1 < body.length; i += 2) transparency.push(v.getUint16(i));
      }
    } else if (type === "IDAT") {
      idat.push(body);
    } else if (type === "tEXt") {
      const entry = readPngTextChunk(type, body);
      if (entry) text.push([entry.keyword, latin1(entry.text)]);
    } else if (type === "IEND") {
      break;
    }
  }
  const { width, height, bitDepth, colorType } = header;
  const channels = PNG_CHANNELS[colorType];
  if (!width || !height || channels === undefined) {
    throw new ImageDecodeError("Truncated File Read", { pythonType: "OSError" });
  }
  let raw: Uint8Array;
  try {
    const inflated = inflateSync(Buffer.concat(idat));
    raw = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (cause) {
    throw new ImageDecodeError("broken data stream when reading image file", {
      cause,
      pythonType: "OSError",
    });
  }
  const samples = new Uint16Array(width * height * channels);
  const bpp = pngFilterBpp(header);
  let offset = 0;
  for (const [x0, y0, dx, dy, pw, ph] of pngPasses(header)) {
    const rowBytes = pngStride(header, pw);
    let prev = -1;
    for (let y = 0; y < ph; y++) {
      const filter = raw[offset];
      const start = offset + 1;
      if (filter === undefined || start + rowBytes > raw.length)
        throw new ImageDecodeError("PNG image data is truncated");
      if (!unfilterRow(raw, start, prev, rowBytes, bpp, filter))
        throw new ImageDecodeError("broken data stream when reading image file", { pythonType: "OSError" });
      readRow(raw.subarray(start, start + rowBytes), bitDepth, pw * channels, (i, value) => {
        const px = Math.floor(i / channels);
        const c = i % channels;
        samples[((y0 + y * dy) * width + x0 + px * dx) * channels + c] = value;
      });
      prev = start;
      offset = start + rowBytes;
    }
  }
  return {
    width,
    height,
    bitDepth,
    colorType,
    channels,
    samples,
    ...(palette ? { palette } : {}),
    ...(transparency ? { transparency } : {}),
    text,
    chunks,
  };
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
}

function readRow(
  row: Uint8Array,
  bitDepth: number,
  count: number,
  put: (i: number, v: number) => void,
): void {
  if (bitDepth === 8) {
    for (let i = 0; i < count; i++) put(i, row[i] as number);
  } else if (bitDepth === 16) {
    for (let i = 0; i < count; i++) put(i, ((row[2 * i] as number) << 8) | (row[2 * i + 1] as number));
  } else {
    const perByte = 8 / bitDepth;
    const mask = (1 << bitDepth) - 1;
    for (let i = 0; i < count; i++) {
      const byte = row[Math.floor(i / perByte)] as number;
      const shift = 8 - bitDepth * ((i % perByte) + 1);
      put(i, (byte >> shift) & mask);
    }
  }
}
