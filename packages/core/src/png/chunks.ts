import { crc32 } from "node:zlib";

/** One chunk as found in a file; `data` is a view into the input. */
export interface PngChunk {
  /** Four-letter chunk type, e.g. `IHDR`, `tEXt`. */
  readonly type: string;
  /** Byte offset of the chunk's length field. */
  readonly offset: number;
  /** The length the chunk declares. */
  readonly length: number;
  /** The chunk's payload: shorter than `length` when the file ends inside it. */
  readonly data: Uint8Array;
  /** False when the file ends before the chunk's CRC (payload or CRC cut off). */
  readonly whole: boolean;
  /** Byte offset just after the chunk (after its CRC), where the next chunk starts. */
  readonly end: number;
}

/**
 * Walks the chunks of a PNG from byte 8 (after the signature) while a chunk header (8 bytes) is left.
 * It neither checks the signature nor CRCs nor stops at IEND: callers decide what is an error, with
 * their own messages. A chunk the file ends inside is yielded once, with `whole: false`, and ends the walk.
 */
export function* pngChunks(bytes: Uint8Array, start = 8): Generator<PngChunk> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = start;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    const dataEnd = at + 8 + length;
    const whole = dataEnd + 4 <= bytes.length;
    yield { type, offset: at, length, data: bytes.subarray(at + 8, dataEnd), whole, end: dataEnd + 4 };
    if (!whole) return;
    at = dataEnd + 4;
  }
}

/** True when a whole chunk's stored CRC matches its type and payload. */
export function pngChunkCrcMatches(bytes: Uint8Array, chunk: PngChunk): boolean {
  if (!chunk.whole) return false;
  const crcAt = chunk.end - 4;
  const stored =
    ((bytes[crcAt]! << 24) | (bytes[crcAt + 1]! << 16) | (bytes[crcAt + 2]! << 8) | bytes[crcAt + 3]!) >>> 0;
  return crc32(bytes.subarray(chunk.offset + 4, crcAt)) === stored;
}

/** Builds one chunk: length, type, payload, CRC-32 of type and payload. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i) & 0xff;
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The fields of an IHDR payload (13 bytes), unchecked. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA. */
  readonly colorType: number;
  readonly interlace: number;
}

/** Reads IHDR fields; the caller checks the payload is 13 bytes and the values are valid. */
export function readPngHeader(ihdr: Uint8Array): PngHeader {
  const view = new DataView(ihdr.buffer, ihdr.byteOffset, ihdr.byteLength);
  return {
    width: view.getUint32(0),
    height: view.getUint32(4),
    bitDepth: ihdr[8]!,
    colorType: ihdr[9]!,
    interlace: ihdr[12]!,
  };
}
