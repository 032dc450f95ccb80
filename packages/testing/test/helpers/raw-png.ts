import { deflateSync } from "node:zlib";
import { pngChunk } from "@comfy-ts/core/png";

function chunk(name: string, data: Uint8Array): Buffer {
  return Buffer.from(pngChunk(name, data));
}

/**
 * Writes a PNG from already-packed scanlines (filter byte 0 added here), for forms our encoder never
 * produces: palettes, sub-byte depths, Adam7 passes. `rows` are the packed rows of each pass in order.
 */
export function rawPng(opts: {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace?: 0 | 1;
  rows: Uint8Array[];
  plte?: Uint8Array;
  trns?: Uint8Array;
  extraChunks?: [string, Uint8Array][];
}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(opts.width, 0);
  ihdr.writeUInt32BE(opts.height, 4);
  ihdr[8] = opts.bitDepth;
  ihdr[9] = opts.colorType;
  ihdr[12] = opts.interlace ?? 0;
  const raw = Buffer.concat(opts.rows.map((row) => Buffer.concat([Buffer.of(0), row])));
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr)];
  for (const [name, data] of opts.extraChunks ?? []) parts.push(chunk(name, data));
  if (opts.plte) parts.push(chunk("PLTE", opts.plte));
  if (opts.trns) parts.push(chunk("tRNS", opts.trns));
  parts.push(chunk("IDAT", deflateSync(raw)), chunk("IEND", new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** A tEXt chunk payload, like ComfyUI's `prompt` metadata. */
export function textChunk(keyword: string, text: string): [string, Uint8Array] {
  return ["tEXt", Buffer.concat([Buffer.from(keyword, "latin1"), Buffer.of(0), Buffer.from(text, "latin1")])];
}
