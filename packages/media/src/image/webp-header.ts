const fourcc = (b: Uint8Array, at: number): string =>
  String.fromCharCode(b[at] ?? 0, b[at + 1] ?? 0, b[at + 2] ?? 0, b[at + 3] ?? 0);
const u32le = (b: Uint8Array, at: number): number =>
  ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;

/**
 * Whether a WebP file has alpha as libwebp's `WebPGetFeatures` says (what PIL uses to pick RGBA
 * over RGB): the VP8X alpha flag; for a still, a lossless bitstream's `alpha_is_used` bit overrides
 * it (it is written, not or-ed) and an `ALPH` chunk adds it.
 */
export function webpHasAlpha(bytes: Uint8Array): boolean {
  if (fourcc(bytes, 0) !== "RIFF" || fourcc(bytes, 8) !== "WEBP") return false;
  let at = 12;
  let alpha = false;
  let alphaChunk = false;
  if (fourcc(bytes, 12) === "VP8X") {
    const flags = bytes[20] ?? 0;
    alpha = (flags & 0x10) !== 0;
    if (flags & 0x02) return alpha;
    at = 20 + u32le(bytes, 16) + (u32le(bytes, 16) & 1);
  }
  while (at + 8 <= bytes.length) {
    const type = fourcc(bytes, at);
    const size = u32le(bytes, at + 4);
    if (type === "ALPH") alphaChunk = true;
    else if (type === "VP8L") return alphaChunk || ((u32le(bytes, at + 9) >>> 28) & 1) === 1;
    else if (type === "VP8 ") return alpha || alphaChunk;
    at += 8 + size + (size & 1);
  }
  return alpha || alphaChunk;
}
