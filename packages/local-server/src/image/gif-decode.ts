import { ImageDecodeError } from "./errors.js";

/** One GIF frame placed on the logical screen: palette indices plus the colour table in force. */
export interface GifFrame {
  readonly width: number;
  readonly height: number;
  /** Palette index per pixel of the whole logical screen (frame composited over the previous canvas). */
  readonly indices: Uint8Array;
  /** RGB per pixel of the composited canvas. */
  readonly rgb: Uint8Array;
  /** Alpha per pixel of the composited canvas (0 where the transparent index shows through). */
  readonly alpha: Uint8Array;
  /** The colour table of this frame (local, else global), RGB triples. */
  readonly palette: Uint8Array;
  /** The transparent index of this frame's graphic control extension, if any. */
  readonly transparentIndex?: number;
}

export function isGif(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 6 &&
    Buffer.from(bytes.subarray(0, 6))
      .toString("latin1")
      .match(/^GIF8[79]a$/) !== null
  );
}

/** Decodes every frame of a GIF (LZW, interlacing, disposal 1/2 onto a shared canvas). */
export function decodeGif(bytes: Uint8Array): GifFrame[] {
  if (!isGif(bytes)) throw new ImageDecodeError("not a GIF file");
  const u16 = (at: number) => (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
  const width = u16(6);
  const height = u16(8);
  const flags = bytes[10] as number;
  let pos = 13;
  let globalPalette = new Uint8Array(0);
  if (flags & 0x80) {
    const size = 3 * (1 << ((flags & 7) + 1));
    globalPalette = bytes.slice(pos, pos + size);
    pos += size;
  }
  const frames: GifFrame[] = [];
  const canvasRgb = new Uint8Array(width * height * 3);
  const canvasAlpha = new Uint8Array(width * height);
  const canvasIdx = new Uint8Array(width * height);
  let transparentIndex: number | undefined;
  let disposal = 0;
  while (pos < bytes.length) {
    const block = bytes[pos++];
    if (block === 0x3b) break;
    if (block === 0x21) {
      const label = bytes[pos++];
      if (label === 0xf9) {
        const packed = bytes[pos + 1] as number;
        disposal = (packed >> 2) & 7;
        transparentIndex = packed & 1 ? (bytes[pos + 4] as number) : undefined;
      }
      while (pos < bytes.length && bytes[pos] !== 0) pos += (bytes[pos] as number) + 1;
      pos++;
      continue;
    }
    if (block !== 0x2c) throw new ImageDecodeError(`GIF has an unknown block 0x${(block ?? 0).toString(16)}`);
    const fx = u16(pos);
    const fy = u16(pos + 2);
    const fw = u16(pos + 4);
    const fh = u16(pos + 6);
    const fflags = bytes[pos + 8] as number;
    pos += 9;
    let palette = globalPalette;
    if (fflags & 0x80) {
      const size = 3 * (1 << ((fflags & 7) + 1));
      palette = bytes.slice(pos, pos + size);
      pos += size;
    }
    const minCodeSize = bytes[pos++] as number;
    const data: number[] = [];
    while (pos < bytes.length && bytes[pos] !== 0) {
      const n = bytes[pos] as number;
      for (let i = 1; i <= n; i++) data.push(bytes[pos + i] as number);
      pos += n + 1;
    }
    pos++;
    const pixels = lzwDecode(Uint8Array.from(data), minCodeSize, fw * fh);
    const rows = fflags & 0x40 ? interlacedRows(fh) : Array.from({ length: fh }, (_, i) => i);
    const before = disposal === 3 ? { rgb: canvasRgb.slice(), alpha: canvasAlpha.slice() } : undefined;
    for (let r = 0; r < fh; r++) {
      const y = fy + (rows[r] as number);
      if (y >= height) continue;
      for (let x = 0; x < fw; x++) {
        const cx = fx + x;
        if (cx >= width) continue;
        const index = pixels[r * fw + x] as number;
        if (index === transparentIndex) continue;
        const at = y * width + cx;
        canvasIdx[at] = index;
        canvasRgb[at * 3] = palette[index * 3] ?? 0;
        canvasRgb[at * 3 + 1] = palette[index * 3 + 1] ?? 0;
        canvasRgb[at * 3 + 2] = palette[index * 3 + 2] ?? 0;
        canvasAlpha[at] = 255;
      }
    }
    frames.push({
      width,
      height,
      indices: canvasIdx.slice(),
      rgb: canvasRgb.slice(),
      alpha: canvasAlpha.slice(),
      palette,
      ...(transparentIndex !== undefined ? { transparentIndex } : {}),
    });
    if (disposal === 2) {
      for (let y = fy; y < Math.min(height, fy + fh); y++) {
        for (let x = fx; x < Math.min(width, fx + fw); x++) {
          const at = y * width + x;
          canvasAlpha[at] = 0;
          canvasRgb.fill(0, at * 3, at * 3 + 3);
        }
      }
    } else if (before) {
      canvasRgb.set(before.rgb);
      canvasAlpha.set(before.alpha);
    }
    transparentIndex = undefined;
    disposal = 0;
  }
  if (frames.length === 0) throw new ImageDecodeError("GIF has no image frames");
  return frames;
}

function interlacedRows(h: number): number[] {
  const rows: number[] = [];
  for (const [start, step] of [
    [0, 8],
    [4, 8],
    [2, 4],
    [1, 2],
  ] as const) {
    for (let y = start; y < h; y += step) rows.push(y);
  }
  return rows;
}

function lzwDecode(data: Uint8Array, minCodeSize: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  let codeSize = minCodeSize + 1;
  let dict: number[][] = [];
  const reset = () => {
    dict = [];
    for (let i = 0; i < clear; i++) dict.push([i]);
    dict.push([], []);
    codeSize = minCodeSize + 1;
  };
  reset();
  let bitPos = 0;
  let outPos = 0;
  let prev: number[] | undefined;
  while (outPos < count) {
    let code = 0;
    for (let i = 0; i < codeSize; i++) {
      const byte = data[(bitPos + i) >> 3];
      if (byte === undefined) return out;
      code |= ((byte >> ((bitPos + i) & 7)) & 1) << i;
    }
    bitPos += codeSize;
    if (code === clear) {
      reset();
      prev = undefined;
      continue;
    }
    if (code === end) break;
    let entry: number[];
    if (code < dict.length) entry = dict[code] as number[];
    else if (prev) entry = [...prev, prev[0] as number];
    else throw new ImageDecodeError("GIF image data is corrupt");
    for (const v of entry) if (outPos < count) out[outPos++] = v;
    if (prev && dict.length < 4096) dict.push([...prev, entry[0] as number]);
    if (dict.length === 1 << codeSize && codeSize < 12) codeSize++;
    prev = entry;
  }
  return out;
}
