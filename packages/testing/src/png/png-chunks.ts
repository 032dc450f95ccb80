import { crc32 } from "node:zlib";
import { PngDecodeError } from "../errors.js";

/** The 8 bytes every PNG starts with. */
export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** The IHDR fields. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA. */
  readonly colorType: number;
  readonly interlace: number;
}

/**
 * A PNG split into the chunks that decide its pixels. Text chunks (ComfyUI's `prompt` / `workflow`)
 * are skipped, so two files with the same pixels and different metadata compare equal here.
 */
export interface PngChunks {
  readonly header: PngHeader;
  /** Raw IHDR payload (13 bytes). */
  readonly ihdr: Uint8Array;
  readonly plte: Uint8Array | undefined;
  readonly trns: Uint8Array | undefined;
  /** The IDAT payloads in order (views into the input). */
  readonly idat: readonly Uint8Array[];
  readonly idatLength: number;
}

const VALID_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

function hasSignature(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== PNG_SIGNATURE[i]) return false;
  return true;
}

function chunkName(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/**
 * Walks the chunk list: checks the signature, every length against the bytes left, every CRC, the
 * IHDR fields and the presence of IDAT and IEND. Throws `PngDecodeError` naming `source`.
 */
export function readPngChunks(bytes: Uint8Array, source: string): PngChunks {
  if (!hasSignature(bytes)) {
    const what = bytes.length === 0 ? "the file is empty" : `it does not start with the PNG signature`;
    throw new PngDecodeError(source, `${what} (not a PNG file, ${bytes.length} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let ihdr: Uint8Array | undefined;
  let plte: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatLength = 0;
  let ended = false;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) {
      throw new PngDecodeError(source, `truncated: chunk header at byte ${at} is cut off`);
    }
    const length = view.getUint32(at);
    const name = chunkName(bytes, at + 4);
    const dataStart = at + 8;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > bytes.length) {
      throw new PngDecodeError(
        source,
        `truncated: chunk ${name} at byte ${at} declares ${length} bytes but only ${Math.max(0, bytes.length - dataStart - 4)} remain`,
      );
    }
    const expectedCrc = view.getUint32(dataEnd);
    if (crc32(bytes.subarray(at + 4, dataEnd)) !== expectedCrc) {
      throw new PngDecodeError(source, `corrupt: CRC mismatch in chunk ${name} at byte ${at}`);
    }
    const data = bytes.subarray(dataStart, dataEnd);
    if (name === "IHDR") ihdr = data;
    else if (name === "PLTE") plte = data;
    else if (name === "tRNS") trns = data;
    else if (name === "IDAT") {
      idat.push(data);
      idatLength += length;
    } else if (name === "IEND") {
      ended = true;
      break;
    }
    at = dataEnd + 4;
  }
  if (ihdr?.length !== 13 || !ihdr)
    throw new PngDecodeError(source, "corrupt: missing or malformed IHDR chunk");
  if (!ended) throw new PngDecodeError(source, "truncated: no IEND chunk");
  if (idat.length === 0) throw new PngDecodeError(source, "corrupt: no IDAT chunk");
  const header = parseHeader(ihdr, source);
  if (header.colorType === 3 && !plte)
    throw new PngDecodeError(source, "corrupt: palette image without PLTE");
  return { header, ihdr, plte, trns, idat, idatLength };
}

function parseHeader(ihdr: Uint8Array, source: string): PngHeader {
  const view = new DataView(ihdr.buffer, ihdr.byteOffset, 13);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const bitDepth = ihdr[8]!;
  const colorType = ihdr[9]!;
  const interlace = ihdr[12]!;
  if (width === 0 || height === 0) throw new PngDecodeError(source, `corrupt: image size ${width}×${height}`);
  if (!VALID_DEPTHS[colorType]?.includes(bitDepth)) {
    throw new PngDecodeError(source, `corrupt: bit depth ${bitDepth} with color type ${colorType}`);
  }
  if (ihdr[10] !== 0 || ihdr[11] !== 0 || interlace > 1) {
    throw new PngDecodeError(source, "corrupt: unknown compression, filter or interlace method");
  }
  return { width, height, bitDepth, colorType, interlace };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/**
 * True when both files hold the same header, palette and compressed pixel stream, hence the same
 * pixels, whatever their metadata chunks say. Cheap: no inflate. False says nothing.
 */
export function samePixelStream(a: PngChunks, b: PngChunks): boolean {
  if (a.idatLength !== b.idatLength || !sameBytes(a.ihdr, b.ihdr)) return false;
  if (!sameBytes(a.plte, b.plte) || !sameBytes(a.trns, b.trns)) return false;
  return sameBytes(concatIdat(a), concatIdat(b));
}

/** The compressed image stream as one buffer (a view when there is a single IDAT). */
export function concatIdat(chunks: PngChunks): Uint8Array {
  if (chunks.idat.length === 1) return chunks.idat[0]!;
  return Buffer.concat(chunks.idat as Uint8Array[], chunks.idatLength);
}
