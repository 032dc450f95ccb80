/**
 * Truncations FFmpeg reads past without an error (it decodes what is there and reports the shorter
 * length): the container says in its own header how long it is, and the bytes end before that. These
 * few header fields are read here because FFmpeg does not expose them.
 */

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

/** Why `bytes` end before their container says they do, or undefined. */
export function truncatedContainer(bytes: Uint8Array): string | undefined {
  return truncatedRiff(bytes) ?? truncatedMatroska(bytes);
}

/** WAV: the RIFF chunk size counts every byte after the first 8. */
function truncatedRiff(bytes: Uint8Array): string | undefined {
  if (bytes.length < 12 || !ascii(bytes, 0, "RIFF")) return undefined;
  const declared = ((bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24)) >>> 0) + 8;
  return declared > bytes.length
    ? `the RIFF header declares ${declared} bytes, the file has ${bytes.length}`
    : undefined;
}

/** An EBML variable-length integer at `at`: its value and length, or undefined (value -1: unknown size). */
function vint(
  bytes: Uint8Array,
  at: number,
  keepMarker: boolean,
): { value: number; length: number } | undefined {
  const first = bytes[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[at + i]!;
    if (bytes[at + i] !== 0xff) allOnes = false;
  }
  return { value: !keepMarker && allOnes ? -1 : value, length };
}

/** WebM/Matroska: the EBML header, then the Segment element with its size (unless written as unknown). */
function truncatedMatroska(bytes: Uint8Array): string | undefined {
  const header = vint(bytes, 0, true);
  if (header?.value !== 0x1a45dfa3) return undefined;
  const headerSize = vint(bytes, 4, false);
  if (!headerSize || headerSize.value < 0) return undefined;
  const segmentAt = 4 + headerSize.length + headerSize.value;
  const segment = vint(bytes, segmentAt, true);
  if (segment?.value !== 0x18538067) return undefined;
  const size = vint(bytes, segmentAt + 4, false);
  if (!size || size.value < 0) return undefined;
  const end = segmentAt + 4 + size.length + size.value;
  return end > bytes.length
    ? `the Matroska segment declares ${end} bytes, the file has ${bytes.length}`
    : undefined;
}

/**
 * How exactly an MP3 states its length, in samples of slack: with a Xing/Info header and a LAME tag
 * (encoder delay and padding) FFmpeg's duration is the exact sample count (0); with a Xing/Info/VBRI
 * frame count only, exact to a frame (1152); without either FFmpeg merely estimates it from the bit rate
 * and a cut file cannot be told (undefined).
 */
export function mp3LengthSlack(bytes: Uint8Array): number | undefined {
  let at = 0;
  if (ascii(bytes, 0, "ID3") && bytes.length >= 10) {
    at =
      10 +
      (((bytes[6]! & 0x7f) << 21) |
        ((bytes[7]! & 0x7f) << 14) |
        ((bytes[8]! & 0x7f) << 7) |
        (bytes[9]! & 0x7f));
  }
  while (at + 4 < bytes.length && !(bytes[at] === 0xff && (bytes[at + 1]! & 0xe0) === 0xe0)) at++;
  const frame = bytes.subarray(at, at + 200);
  const has = (tag: string): boolean => {
    for (let i = 4; i + tag.length <= frame.length; i++) if (ascii(frame, i, tag)) return true;
    return false;
  };
  if (!has("Xing") && !has("Info") && !has("VBRI")) return undefined;
  return has("LAME") || has("Lavc") || has("Lavf") ? 0 : 1152;
}
