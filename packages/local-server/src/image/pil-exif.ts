/**
 * PIL's `Image.Exif.tobytes()` for a fresh image's Exif holding ASCII tags (what ComfyUI writes
 * into WebP files): `Exif\0\0`, a big-endian TIFF header, one IFD with the tags in ascending order
 * (values longer than 4 bytes after the IFD, each padded to an even length), as
 * `TiffImagePlugin.ImageFileDirectory_v2.tobytes(8)` lays it out. Strings are encoded as PIL does
 * (`encode("ascii", "replace")` + NUL).
 */
export function pilExifBytes(tags: ReadonlyMap<number, string>): Uint8Array {
  const entries = [...tags.entries()].sort(([a], [b]) => a - b);
  const ascii = (text: string) =>
    Uint8Array.from([...[...text].map((ch) => (ch.codePointAt(0)! < 128 ? ch.codePointAt(0)! : 0x3f)), 0]);
  const head = Uint8Array.of(0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08);
  let offset = 8 + 2 + entries.length * 12 + 4;
  const ifd: number[] = [entries.length >> 8, entries.length & 255];
  const aux: Uint8Array[] = [];
  const u32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  for (const [tag, value] of entries) {
    const data = ascii(value);
    ifd.push(tag >> 8, tag & 255, 0, 2, ...u32(data.length));
    if (data.length <= 4) {
      ifd.push(...data, ...new Array(4 - data.length).fill(0));
    } else {
      ifd.push(...u32(offset));
      const padded = new Uint8Array(data.length + (data.length & 1));
      padded.set(data);
      aux.push(padded);
      offset += padded.length;
    }
  }
  ifd.push(0, 0, 0, 0);
  return Buffer.concat([Buffer.from("Exif\0\0", "latin1"), head, Uint8Array.from(ifd), ...aux]);
}
