import type { PngHeader } from "./chunks.js";

/** Samples per pixel by PNG colour type (0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA). */
export const PNG_CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7 passes: [x start, y start, x step, y step]. */
export const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The passes of an image as `[x0, y0, dx, dy, width, height]`, empty passes left out (one pass when not interlaced). */
export function pngPasses(
  header: PngHeader,
): Array<readonly [number, number, number, number, number, number]> {
  const { width, height } = header;
  if (!header.interlace) return [[0, 0, 1, 1, width, height]];
  const passes: Array<readonly [number, number, number, number, number, number]> = [];
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w > 0 && h > 0) passes.push([x0, y0, dx, dy, w, h]);
  }
  return passes;
}

/** Bytes of one scanline (without its filter byte) of a pass `w` pixels wide. */
export function pngStride(header: PngHeader, w: number): number {
  return Math.ceil((w * PNG_CHANNELS[header.colorType]! * header.bitDepth) / 8);
}

/** Bytes per complete pixel for the filters (at least 1). */
export function pngFilterBpp(header: PngHeader): number {
  return Math.max(1, (PNG_CHANNELS[header.colorType]! * header.bitDepth) >> 3);
}

/** Inflated length of the image data: one filter byte plus packed samples per row, per pass. */
export function expectedInflatedLength(header: PngHeader): number {
  let sum = 0;
  for (const [, , , , w, h] of pngPasses(header)) sum += h * (1 + pngStride(header, w));
  return sum;
}

/**
 * Unfilters one scanline in place: `raw[row .. row + stride)` using the previous line at `prev`
 * (-1 for a pass's first line). Returns false for an unknown filter type (the caller reports it).
 */
export function unfilterRow(
  raw: Uint8Array,
  row: number,
  prev: number,
  stride: number,
  bpp: number,
  filter: number,
): boolean {
  const end = row + stride;
  switch (filter) {
    case 0:
      return true;
    case 1:
      for (let i = row + bpp; i < end; i++) raw[i] = (raw[i]! + raw[i - bpp]!) & 0xff;
      return true;
    case 2:
      if (prev < 0) return true;
      for (let i = row, p = prev; i < end; i++, p++) raw[i] = (raw[i]! + raw[p]!) & 0xff;
      return true;
    case 3:
      if (prev < 0) {
        for (let i = row + bpp; i < end; i++) raw[i] = (raw[i]! + (raw[i - bpp]! >> 1)) & 0xff;
        return true;
      }
      for (let i = row, p = prev; i < row + bpp; i++, p++) raw[i] = (raw[i]! + (raw[p]! >> 1)) & 0xff;
      for (let i = row + bpp, p = prev + bpp; i < end; i++, p++) {
        raw[i] = (raw[i]! + ((raw[i - bpp]! + raw[p]!) >> 1)) & 0xff;
      }
      return true;
    case 4:
      if (prev < 0) {
        // Paeth with no previous row is Sub.
        for (let i = row + bpp; i < end; i++) raw[i] = (raw[i]! + raw[i - bpp]!) & 0xff;
        return true;
      }
      for (let i = row, p = prev; i < row + bpp; i++, p++) raw[i] = (raw[i]! + raw[p]!) & 0xff;
      if (bpp === 4) {
        paethRow4(raw, row, prev, end);
        return true;
      }
      if (bpp === 3) {
        paethRow3(raw, row, prev, end);
        return true;
      }
      for (let i = row + bpp, p = prev + bpp; i < end; i++, p++) {
        raw[i] = (raw[i]! + paeth(raw[i - bpp]!, raw[p]!, raw[p - bpp]!)) & 0xff;
      }
      return true;
    default:
      return false;
  }
}

/** The Paeth predictor without branches (noisy rows make branches unpredictable). */
function paeth(a: number, b: number, c: number): number {
  const x = b - c;
  const y = a - c;
  const z = x + y;
  const pa = (x ^ (x >> 31)) - (x >> 31);
  const pb = (y ^ (y >> 31)) - (y >> 31);
  const pc = (z ^ (z >> 31)) - (z >> 31);
  const useA = ~((pb - pa) >> 31) & ~((pc - pa) >> 31);
  const useB = ~useA & ~((pc - pb) >> 31);
  return (a & useA) | (b & useB) | (c & ~(useA | useB));
}

/** Paeth for 4 bytes per pixel (RGBA8, the common golden form): left and upper-left kept in locals. */
function paethRow4(raw: Uint8Array, row: number, prev: number, end: number): void {
  let a0 = raw[row]!;
  let a1 = raw[row + 1]!;
  let a2 = raw[row + 2]!;
  let a3 = raw[row + 3]!;
  let c0 = raw[prev]!;
  let c1 = raw[prev + 1]!;
  let c2 = raw[prev + 2]!;
  let c3 = raw[prev + 3]!;
  for (let i = row + 4, p = prev + 4; i < end; i += 4, p += 4) {
    const b0 = raw[p]!;
    const b1 = raw[p + 1]!;
    const b2 = raw[p + 2]!;
    const b3 = raw[p + 3]!;
    a0 = (raw[i]! + paeth(a0, b0, c0)) & 0xff;
    a1 = (raw[i + 1]! + paeth(a1, b1, c1)) & 0xff;
    a2 = (raw[i + 2]! + paeth(a2, b2, c2)) & 0xff;
    a3 = (raw[i + 3]! + paeth(a3, b3, c3)) & 0xff;
    raw[i] = a0;
    raw[i + 1] = a1;
    raw[i + 2] = a2;
    raw[i + 3] = a3;
    c0 = b0;
    c1 = b1;
    c2 = b2;
    c3 = b3;
  }
}

/** Paeth for 3 bytes per pixel (RGB8, what ComfyUI's SaveImage writes). */
function paethRow3(raw: Uint8Array, row: number, prev: number, end: number): void {
  let a0 = raw[row]!;
  let a1 = raw[row + 1]!;
  let a2 = raw[row + 2]!;
  let c0 = raw[prev]!;
  let c1 = raw[prev + 1]!;
  let c2 = raw[prev + 2]!;
  for (let i = row + 3, p = prev + 3; i < end; i += 3, p += 3) {
    const b0 = raw[p]!;
    const b1 = raw[p + 1]!;
    const b2 = raw[p + 2]!;
    a0 = (raw[i]! + paeth(a0, b0, c0)) & 0xff;
    a1 = (raw[i + 1]! + paeth(a1, b1, c1)) & 0xff;
    a2 = (raw[i + 2]! + paeth(a2, b2, c2)) & 0xff;
    raw[i] = a0;
    raw[i + 1] = a1;
    raw[i + 2] = a2;
    c0 = b0;
    c1 = b1;
    c2 = b2;
  }
}
