import { inflateSync } from "node:zlib";
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

export const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Decodes a PNG into its raw samples (all bit depths, palettes, tRNS, Adam7 interlacing). */
export function decodePng(bytes: Uint8Array): DecodedPng {
  if (!isPng(bytes)) throw new ImageDecodeError("not a PNG file (bad signature)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = 0;
  let interlace = 0;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | number[] | undefined;
  const idat: Uint8Array[] = [];
  const text: Array<[string, string]> = [];
  const chunks: string[] = [];
  while (pos + 8 <= bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const body = bytes.subarray(pos + 8, pos + 8 + length);
    // PIL (retried by ComfyUI with LOAD_TRUNCATED_IMAGES) reads past the end and says so.
    if (body.length !== length) throw new ImageDecodeError("Truncated File Read", { pythonType: "OSError" });
    chunks.push(type);
    pos += 12 + length;
    if (type === "IHDR") {
      const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
      width = v.getUint32(0);
      height = v.getUint32(4);
      bitDepth = body[8] as number;
      colorType = body[9] as number;
      interlace = body[12] as number;
    } else if (type === "PLTE") {
      palette = body.slice();
    } else if (type === "tRNS") {
      if (colorType === 3) transparency = body.slice();
      else {
        const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
        transparency = [];
        for (let i = 0; i + 1 < body.length; i += 2) transparency.push(v.getUint16(i));
      }
    } else if (type === "IDAT") {
      idat.push(body);
    } else if (type === "tEXt") {
      const zero = body.indexOf(0);
      text.push([latin1(body.subarray(0, zero)), latin1(body.subarray(zero + 1))]);
    } else if (type === "IEND") {
      break;
    }
  }
  const channels = CHANNELS[colorType];
  if (!width || !height || channels === undefined) {
    throw new ImageDecodeError("Truncated File Read", { pythonType: "OSError" });
  }
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (cause) {
    throw new ImageDecodeError("broken data stream when reading image file", {
      cause,
      pythonType: "OSError",
    });
  }
  const samples = new Uint16Array(width * height * channels);
  let offset = 0;
  const passes = interlace ? ADAM7 : ([[0, 0, 1, 1]] as const);
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((width - x0) / dx);
    const ph = Math.ceil((height - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const rowBytes = Math.ceil((pw * channels * bitDepth) / 8);
    const bpp = Math.max(1, (channels * bitDepth) >> 3);
    let prev = new Uint8Array(rowBytes);
    for (let y = 0; y < ph; y++) {
      const filter = raw[offset];
      const row = raw.slice(offset + 1, offset + 1 + rowBytes);
      if (filter === undefined || row.length !== rowBytes)
        throw new ImageDecodeError("PNG image data is truncated");
      offset += 1 + rowBytes;
      unfilter(filter, row, prev, bpp);
      readRow(row, bitDepth, pw * channels, (i, value) => {
        const px = Math.floor(i / channels);
        const c = i % channels;
        samples[((y0 + y * dy) * width + x0 + px * dx) * channels + c] = value;
      });
      prev = row;
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
  return Buffer.from(b).toString("latin1");
}

function unfilter(filter: number, row: Uint8Array, prev: Uint8Array, bpp: number): void {
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? (row[i - bpp] as number) : 0;
    const b = prev[i] as number;
    const c = i >= bpp ? (prev[i - bpp] as number) : 0;
    let add: number;
    switch (filter) {
      case 0:
        add = 0;
        break;
      case 1:
        add = a;
        break;
      case 2:
        add = b;
        break;
      case 3:
        add = (a + b) >> 1;
        break;
      case 4: {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        break;
      }
      default:
        throw new ImageDecodeError("broken data stream when reading image file", { pythonType: "OSError" });
    }
    row[i] = ((row[i] as number) + add) & 0xff;
  }
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
