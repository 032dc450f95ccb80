import type { DecodedImage, SampleLayout } from "./decoded-image.js";
import { corruptImage, unsupportedImage } from "./image-errors.js";
import { checkCanvas } from "./limits.js";

// An own BMP decoder: sharp's prebuilt libvips has no BMP loader, and the npm BMP decoders widen
// 5/6-bit samples by bit shifting (v << 3) where PIL computes v·255/31 (and v·255/63), ignore the
// alpha PIL ignores in BI_RGB 32-bit files the other way round, and read RLE differently. This one
// follows Pillow 9.4's BmpImagePlugin: the same headers, masks, palettes and RLE decoder.

const RAW = 0;
const RLE8 = 1;
const RLE4 = 2;
const BITFIELDS = 3;

/** Pixel unpacking of PIL's rawmodes for the layouts BmpImagePlugin accepts. */
type RawMode = "P1" | "P4" | "P8" | "BGR;15" | "BGR;16" | "BGR" | "BGRX" | "XBGR" | "ABGR" | "RGBA" | "BGRA";

const MASK_MODES_32: ReadonlyArray<readonly [readonly number[], RawMode]> = [
  [[0xff0000, 0xff00, 0xff, 0x0], "BGRX"],
  [[0xff000000, 0xff0000, 0xff00, 0x0], "XBGR"],
  [[0xff000000, 0xff0000, 0xff00, 0xff], "ABGR"],
  [[0xff, 0xff00, 0xff0000, 0xff000000], "RGBA"],
  [[0xff0000, 0xff00, 0xff, 0xff000000], "BGRA"],
  [[0x0, 0x0, 0x0, 0x0], "BGRA"],
];

const sameMasks = (a: readonly number[], b: readonly number[]) => a.every((v, i) => v === b[i]);

/** Decodes a Windows/OS2 bitmap as Pillow 9.4 opens it (one frame). */
export function decodeBmpImage(bytes: Uint8Array, source: string, maxPixels: number): DecodedImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number, what: string) => {
    if (end > bytes.length) throw corruptImage(source, `truncated inside the ${what}`);
  };
  need(18, "file header");
  if (bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw corruptImage(source, "not a BMP file (no BM signature)");
  let offset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  need(14 + headerSize, "bitmap header");
  const h = 18; // header data after its size field
  let width: number;
  let height: number;
  let bits: number;
  let compression: number;
  let colors = 0;
  let paletteStride = 4;
  let topDown = false;
  let masks: number[] | undefined;
  if (headerSize === 12) {
    width = view.getUint16(h, true);
    height = view.getUint16(h + 2, true);
    bits = view.getUint16(h + 6, true);
    compression = RAW;
    paletteStride = 3;
  } else if (headerSize === 40 || headerSize === 64 || headerSize === 108 || headerSize === 124) {
    topDown = bytes[h + 7] === 0xff;
    width = view.getUint32(h, true);
    height = topDown ? 2 ** 32 - view.getUint32(h + 4, true) : view.getUint32(h + 4, true);
    bits = view.getUint16(h + 10, true);
    compression = view.getUint32(h + 12, true);
    colors = view.getUint32(h + 28, true);
    if (compression === BITFIELDS) {
      if (headerSize - 4 >= 52) {
        masks = [0, 1, 2, 3].map((i) => view.getUint32(h + 36 + i * 4, true));
      } else {
        // A 40-byte header has only three masks, after it; the fourth RGBQUAD byte is reserved, not alpha.
        need(14 + headerSize + 12, "bit field masks");
        masks = [0, 1, 2].map((i) => view.getUint32(14 + headerSize + i * 4, true));
        masks.push(0);
      }
    }
  } else {
    throw unsupportedImage(
      source,
      "bmp",
      `a BMP header of ${headerSize} bytes (PIL reads 12, 40, 64, 108 and 124)`,
    );
  }
  checkCanvas(source, width, height, maxPixels);
  if (!colors) colors = 2 ** bits;
  if (offset === 14 + headerSize && bits <= 8) offset += 4 * colors;

  let raw: RawMode;
  let layout: SampleLayout;
  if (bits === 1 || bits === 4 || bits === 8) {
    raw = bits === 1 ? "P1" : bits === 4 ? "P4" : "P8";
    layout = "rgb";
  } else if (bits === 16) {
    raw = "BGR;15";
    layout = "rgb";
  } else if (bits === 24) {
    raw = "BGR";
    layout = "rgb";
  } else if (bits === 32) {
    raw = "BGRX";
    layout = "rgb";
  } else {
    throw unsupportedImage(source, "bmp", `a BMP pixel depth of ${bits} bits`);
  }
  if (compression === BITFIELDS) {
    const m = masks ?? [];
    const found =
      bits === 32
        ? MASK_MODES_32.find(([known]) => sameMasks(known, m))?.[1]
        : bits === 24 && sameMasks([0xff0000, 0xff00, 0xff], m)
          ? "BGR"
          : bits === 16 && sameMasks([0xf800, 0x7e0, 0x1f], m)
            ? "BGR;16"
            : bits === 16 && sameMasks([0x7c00, 0x3e0, 0x1f], m)
              ? "BGR;15"
              : undefined;
    if (!found) {
      throw unsupportedImage(
        source,
        "bmp",
        `BMP bit fields ${m.map((v) => `0x${v.toString(16)}`).join("/")} at ${bits} bits (PIL reads only the common layouts)`,
      );
    }
    raw = found;
    if (found.includes("A")) layout = "rgba";
  } else if (compression !== RAW && compression !== RLE8 && compression !== RLE4) {
    throw unsupportedImage(source, "bmp", `BMP compression ${compression} (JPEG/PNG inside BMP is not read)`);
  }

  let lut: Uint8Array | undefined; // index → RGB, for palette images
  if (bits <= 8) {
    if (!(colors > 0 && colors <= 65536)) throw corruptImage(source, `a palette of ${colors} colours`);
    const start = 14 + headerSize + (masks && headerSize === 40 ? 12 : 0);
    need(start + paletteStride * colors, "palette");
    const greys = colors === 2 ? [0, 255] : Array.from({ length: colors }, (_, i) => i);
    let grey = true;
    for (const [i, v] of greys.entries()) {
      const at = start + i * paletteStride;
      if (bytes[at] !== v || bytes[at + 1] !== v || bytes[at + 2] !== v) grey = false;
    }
    if (grey) layout = "gray";
    // PIL's palette starts as the grey ramp; the file's colours replace its first entries.
    lut = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) lut.fill(i, i * 3, i * 3 + 3);
    for (let i = 0; i < Math.min(colors, 256); i++) {
      const at = start + i * paletteStride;
      lut[i * 3] = bytes[at + 2]!;
      lut[i * 3 + 1] = bytes[at + 1]!;
      lut[i * 3 + 2] = bytes[at]!;
    }
  }

  const channels = layout === "gray" ? 1 : layout === "rgba" ? 4 : 3;
  const out = new Uint8Array(width * height * channels);
  const put = (pixel: number, index: number) => {
    const at = pixel * channels;
    if (channels === 1) out[at] = lut![index * 3]!;
    else {
      out[at] = lut![index * 3]!;
      out[at + 1] = lut![index * 3 + 1]!;
      out[at + 2] = lut![index * 3 + 2]!;
    }
  };
  const rowOf = (line: number) => (topDown ? line : height - 1 - line);

  if (compression === RLE8 || compression === RLE4) {
    const indices = decodeRle(bytes, offset, width, height, compression === RLE4, source);
    for (let line = 0; line < height; line++) {
      const y = rowOf(line);
      for (let x = 0; x < width; x++) put(y * width + x, indices[line * width + x]!);
    }
  } else {
    const stride = ((width * bits + 31) >> 3) & ~3;
    need(offset + stride * (height - 1) + Math.ceil((width * bits) / 8), "pixel data");
    for (let line = 0; line < height; line++) {
      const y = rowOf(line);
      const row = offset + line * stride;
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        const at = p * channels;
        switch (raw) {
          case "P1":
            put(p, (bytes[row + (x >> 3)]! >> (7 - (x & 7))) & 1);
            break;
          case "P4":
            put(p, (bytes[row + (x >> 1)]! >> (x & 1 ? 0 : 4)) & 15);
            break;
          case "P8":
            put(p, bytes[row + x]!);
            break;
          case "BGR;15": {
            const v = view.getUint16(row + 2 * x, true);
            out[at] = Math.floor((((v >> 10) & 31) * 255) / 31);
            out[at + 1] = Math.floor((((v >> 5) & 31) * 255) / 31);
            out[at + 2] = Math.floor(((v & 31) * 255) / 31);
            break;
          }
          case "BGR;16": {
            const v = view.getUint16(row + 2 * x, true);
            out[at] = Math.floor((((v >> 11) & 31) * 255) / 31);
            out[at + 1] = Math.floor((((v >> 5) & 63) * 255) / 63);
            out[at + 2] = Math.floor(((v & 31) * 255) / 31);
            break;
          }
          default:
            unpackBytes(raw, bytes, bits === 24 ? row + 3 * x : row + 4 * x, out, at);
        }
      }
    }
  }
  return { format: "bmp", width, height, layout, channels, bitDepth: 8, frames: [{ data: out }] };
}

/** 24/32-bit rawmodes: which stored byte is R, G, B (and A). */
const BYTE_ORDER: Partial<Record<RawMode, readonly number[]>> = {
  BGR: [2, 1, 0],
  BGRX: [2, 1, 0],
  XBGR: [3, 2, 1],
  ABGR: [3, 2, 1, 0],
  RGBA: [0, 1, 2, 3],
  BGRA: [2, 1, 0, 3],
};

function unpackBytes(raw: RawMode, bytes: Uint8Array, from: number, out: Uint8Array, at: number): void {
  const order = BYTE_ORDER[raw]!;
  for (let c = 0; c < order.length; c++) out[at + c] = bytes[from + order[c]!]!;
}

/**
 * PIL's `BmpRleDecoder`, step for step: palette indices in file row order (bottom-up unless the
 * height was negative). Absolute runs re-align to an even *file* offset; an RLE4 absolute run of
 * odd length drops its last pixel, as PIL does.
 */
function decodeRle(
  bytes: Uint8Array,
  offset: number,
  width: number,
  height: number,
  rle4: boolean,
  source: string,
): Uint8Array {
  const total = width * height;
  const data: number[] = [];
  let pos = offset;
  let x = 0;
  while (data.length < total) {
    if (pos + 2 > bytes.length) break;
    let count = bytes[pos]!;
    const byte = bytes[pos + 1]!;
    pos += 2;
    if (count) {
      if (x + count > width) count = Math.max(0, width - x);
      for (let i = 0; i < count; i++) data.push(rle4 ? (i % 2 === 0 ? byte >> 4 : byte & 15) : byte);
      x += count;
    } else if (byte === 0) {
      while (data.length % width !== 0) data.push(0);
      x = 0;
    } else if (byte === 1) {
      break;
    } else if (byte === 2) {
      if (pos + 2 > bytes.length) break;
      const right = bytes[pos]!;
      const up = bytes[pos + 1]!;
      pos += 2;
      for (let i = 0; i < right + up * width; i++) data.push(0);
      x = data.length % width;
    } else {
      const byteCount = rle4 ? byte >> 1 : byte;
      const read = bytes.subarray(pos, pos + byteCount);
      pos += read.length;
      for (const b of read) {
        if (rle4) data.push(b >> 4, b & 15);
        else data.push(b);
      }
      if (read.length < byteCount) break;
      x += byte;
      if (pos % 2 !== 0) pos++;
    }
  }
  if (data.length < total) {
    throw corruptImage(source, `RLE data ends after ${data.length} of ${total} pixels`);
  }
  return Uint8Array.from(data.slice(0, total));
}
