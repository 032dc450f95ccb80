import { deflateSync, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodePng, encodeApng, encodePng, type PilPngWriter, pngChunks } from "../../src/png/index.js";

const writer: PilPngWriter = { deflate: (data, level) => deflateSync(data, { level }) };

function chunkTypes(png: Uint8Array): string[] {
  return [...pngChunks(png)].map((c) => c.type);
}

/** The filter byte of every row, from the inflated IDAT stream. */
function rowFilters(png: Uint8Array, stride: number): number[] {
  const idat = Buffer.concat([...pngChunks(png)].filter((c) => c.type === "IDAT").map((c) => c.data));
  const raw = inflateSync(idat);
  return Array.from({ length: raw.length / (stride + 1) }, (_, y) => raw[y * (stride + 1)]!);
}

describe("encodePng with Pillow's writer", () => {
  it("picks Pillow's filter per row: as Pillow 9.4 does for these rows (none, sub, up, paeth)", () => {
    const width = 8;
    const rows = [
      new Array(width * 3).fill(0),
      Array.from({ length: width * 3 }, (_, i) => (i * 9) % 256),
      Array.from({ length: width * 3 }, (_, i) => (i * 9) % 256),
      Array.from({ length: width * 3 }, (_, i) => (Math.floor(i / 3) * 20 + 5) % 256),
    ];
    const png = encodePng(
      { width, height: 4, channels: 3, data: Uint8Array.from(rows.flat()) },
      { pil: writer },
    );
    expect(rowFilters(png, width * 3)).toEqual([0, 1, 2, 4]);
    expect(decodePng(png).samples).toEqual(Uint8Array.from(rows.flat()));
  });

  it("splits the image data into IDAT chunks of max(65536, 4·width) bytes", () => {
    const width = 300;
    const height = 240;
    let seed = 7;
    const data = Uint8Array.from({ length: width * height * 3 }, () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    const png = encodePng({ width, height, channels: 3, data }, { pil: writer, compressLevel: 0 });
    const idat = [...pngChunks(png)].filter((c) => c.type === "IDAT").map((c) => c.length);
    expect(idat.length).toBeGreaterThan(1);
    expect(idat.slice(0, -1).every((n) => n === 65536)).toBe(true);
    expect(Buffer.from(decodePng(png).samples).equals(data)).toBe(true);
  });
});

describe("encodeApng", () => {
  const frame = (fill: number, patch?: [number, number]) => {
    const data = new Uint8Array(6 * 4 * 3).fill(fill);
    if (patch) data.fill(200, (patch[1] * 6 + patch[0]) * 3, (patch[1] * 6 + patch[0]) * 3 + 3);
    return { width: 6, height: 4, channels: 3 as const, data };
  };

  it("drops a frame equal to the previous one and crops a later frame to its changed pixels, as Pillow", () => {
    const png = encodeApng([frame(10), frame(10), frame(10, [4, 2])], { delayMs: 100, pil: writer });
    expect(chunkTypes(png)).toEqual(["IHDR", "acTL", "fcTL", "IDAT", "fcTL", "fdAT", "IEND"]);
    const chunks = [...pngChunks(png)];
    const actl = chunks[1]!.data;
    expect(new DataView(actl.buffer, actl.byteOffset).getUint32(0)).toBe(2);
    const fctl = chunks[4]!.data;
    const v = new DataView(fctl.buffer, fctl.byteOffset);
    expect([v.getUint32(4), v.getUint32(8), v.getUint32(12), v.getUint32(16)]).toEqual([1, 1, 4, 2]);
  });
});
