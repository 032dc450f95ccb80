/**
 * Byte comparison of files written by two builds of the same encoders: the files may differ only where
 * each build writes its own name and version — FFmpeg's "Lavf59.27.100" (FLAC vendor string, ID3 TSSE,
 * MP4/Matroska `encoder` tag), LAME's "LAME3.100" in MP3 frame padding, and the two CRCs at the end of
 * the LAME tag of the MP3 info frame (they cover those strings). Returns the offsets that differ outside
 * those places (empty: the same file up to the writers' names).
 */
export function differencesOutsideVersions(expected: Uint8Array, actual: Uint8Array): number[] {
  const masked = (bytes: Uint8Array): Uint8Array => {
    const text = Buffer.from(bytes).toString("latin1");
    const out = Uint8Array.from(bytes);
    for (const match of text.matchAll(/Lavf\d+\.\d+\.\d+|LAME3\.\d+(?: \(beta \d+\))?(?:\xaa+|U+)?/g)) {
      out.fill(0, match.index, match.index + match[0].length);
    }
    // Xing/Info tag (4) + flags (4) + frames (4) + bytes (4) + TOC (100) + quality (4), then the 36-byte
    // LAME tag whose last 4 bytes are the music and tag CRCs.
    const info = text.search(/Xing|Info/);
    if (info >= 0) out.fill(0, info + 152, info + 156);
    return out;
  };
  const a = masked(expected);
  const b = masked(actual);
  const differ: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) differ.push(i);
  return differ;
}
