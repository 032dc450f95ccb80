import {
  hasPngSignature,
  type PngHeader,
  pngChunkCrcMatches,
  pngChunks,
  readPngHeader,
} from "@comfy-ts/core/png";
import { PngDecodeError } from "../errors.js";

export { PNG_SIGNATURE, type PngHeader } from "@comfy-ts/core/png";

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

/**
 * Walks the chunk list: checks the signature, every length against the bytes left, every CRC, the
 * IHDR fields and the presence of IDAT and IEND. Throws `PngDecodeError` naming `source`.
 */
export function readPngChunks(bytes: Uint8Array, source: string): PngChunks {
  if (!hasPngSignature(bytes)) {
    const what = bytes.length === 0 ? "the file is empty" : `it does not start with the PNG signature`;
    throw new PngDecodeError(source, `${what} (not a PNG file, ${bytes.length} bytes)`);
  }
  let at = 8;
  let ihdr: Uint8Array | undefined;
  let plte: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatLength = 0;
  let ended = false;
  for (const chunk of pngChunks(bytes)) {
    const { type: name, offset, length, data } = chunk;
    if (offset + 12 > bytes.length) {
      throw new PngDecodeError(source, `truncated: chunk header at byte ${offset} is cut off`);
    }
    if (!chunk.whole) {
      throw new PngDecodeError(
        source,
        `truncated: chunk ${name} at byte ${offset} declares ${length} bytes but only ${Math.max(0, bytes.length - offset - 12)} remain`,
      );
    }
    if (!pngChunkCrcMatches(bytes, chunk)) {
      throw new PngDecodeError(source, `corrupt: CRC mismatch in chunk ${name} at byte ${offset}`);
    }
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
    at = chunk.end;
  }
  // Fewer than 8 bytes after the last chunk: a header the walk could not read.
  if (!ended && at < bytes.length) {
    throw new PngDecodeError(source, `truncated: chunk header at byte ${at} is cut off`);
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
  const { width, height, bitDepth, colorType, interlace } = readPngHeader(ihdr);
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
