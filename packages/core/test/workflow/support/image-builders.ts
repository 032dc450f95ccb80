import { deflateSync } from "node:zlib";
import { pngChunk } from "../../../src/png/index.js";

/** Minimal PNG and WebP files with text metadata, written the way ComfyUI (PIL) writes them. */

function chunk(type: string, data: Uint8Array): Buffer {
  return Buffer.from(pngChunk(type, data));
}

export type PngText =
  | { kind: "tEXt"; key: string; text: string }
  | { kind: "zTXt"; key: string; text: string }
  | { kind: "iTXt"; key: string; text: string; compressed?: boolean };

export function png(texts: PngText[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const chunks = texts.map((t) => {
    const key = Buffer.from(`${t.key}\0`, "latin1");
    if (t.kind === "tEXt") return chunk("tEXt", Buffer.concat([key, Buffer.from(t.text, "latin1")]));
    if (t.kind === "zTXt")
      return chunk(
        "zTXt",
        Buffer.concat([key, Buffer.from([0]), deflateSync(Buffer.from(t.text, "latin1"))]),
      );
    const body = Buffer.from(t.text, "utf8");
    return chunk(
      "iTXt",
      Buffer.concat([
        key,
        Buffer.from([t.compressed ? 1 : 0, 0]),
        Buffer.from("\0\0"),
        t.compressed ? deflateSync(body) : body,
      ]),
    );
  });
  const idat = chunk("IDAT", deflateSync(Buffer.from([0, 0, 0, 0, 0])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    ...chunks,
    idat,
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A WebP whose EXIF IFD0 holds ComfyUI's `"<key>:<json>"` strings (0x0110 prompt, then 0x010F, 0x010E, …). */
export function webp(entries: [key: string, text: string][], options: { exifPrefix?: boolean } = {}): Buffer {
  const strings = entries.map(([k, v]) => Buffer.from(`${k}:${v}\0`, "utf8"));
  const ifdSize = 2 + strings.length * 12 + 4;
  const tiff = Buffer.alloc(8 + ifdSize + strings.reduce((n, s) => n + s.length, 0));
  tiff.write("II", 0, "latin1");
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(strings.length, 8);
  let data = 8 + ifdSize;
  strings.forEach((s, i) => {
    const entry = 10 + i * 12;
    tiff.writeUInt16LE(0x0110 - i, entry);
    tiff.writeUInt16LE(2, entry + 2);
    tiff.writeUInt32LE(s.length, entry + 4);
    tiff.writeUInt32LE(data, entry + 8);
    s.copy(tiff, data);
    data += s.length;
  });
  const exif = options.exifPrefix ? Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]) : tiff;
  const riffChunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, "latin1");
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const body = Buffer.concat([
    Buffer.from("WEBP", "latin1"),
    riffChunk("VP8L", Buffer.alloc(5)),
    riffChunk("EXIF", exif),
  ]);
  const head = Buffer.alloc(8);
  head.write("RIFF", 0, "latin1");
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}
