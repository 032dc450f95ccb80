import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { describeWithFixture, noiseImage, rawPng } from "@comfy-ts/test-support";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { ComfyError } from "../../src/errors.js";
import { decodePng, encodePng, PngDecodeError, readPngStructure } from "../../src/png/index.js";

type PngjsColorType = 0 | 2 | 4 | 6;

/** Encodes with pngjs in a given form, the independent reference for the decoder. */
function pngjsEncode(
  width: number,
  height: number,
  rgba: Uint8Array,
  colorType: PngjsColorType,
  bitDepth: 8 | 16,
): Buffer {
  const png = new PNG({ width, height, colorType, bitDepth, inputHasAlpha: true });
  if (bitDepth === 16) {
    // pngjs takes 16-bit input as a Uint16Array of RGBA.
    const wide = new Uint16Array(rgba.length);
    for (let i = 0; i < rgba.length; i++) wide[i] = rgba[i]! * 257;
    (png as unknown as { data: Uint16Array }).data = wide;
  } else {
    png.data = Buffer.from(rgba);
  }
  return PNG.sync.write(png, { colorType, bitDepth, inputHasAlpha: true, inputColorType: 6 });
}

function pngjsDecode(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(PNG.sync.read(Buffer.from(bytes)).data);
}

describe("decodePng", () => {
  const image = noiseImage(37, 23, 7);

  it.each([
    ["RGBA 8-bit", 6, 8],
    ["RGB 8-bit", 2, 8],
    ["gray 8-bit", 0, 8],
    ["gray+alpha 8-bit", 4, 8],
    ["RGBA 16-bit", 6, 16],
    ["RGB 16-bit", 2, 16],
  ] as const)("decodes %s like pngjs", (_label, colorType, bitDepth) => {
    const bytes = pngjsEncode(image.width, image.height, image.data, colorType, bitDepth);
    const decoded = decodePng(bytes);
    expect(decoded.width).toBe(37);
    expect(decoded.height).toBe(23);
    expect(Buffer.from(decoded.toRgba().data).equals(Buffer.from(pngjsDecode(bytes)))).toBe(true);
  });

  it("round-trips its own encoder exactly", () => {
    const decoded = decodePng(encodePng(image));
    expect(Buffer.from(decoded.toRgba().data).equals(Buffer.from(image.data))).toBe(true);
  });

  const base = encodePng(image);
  const corruptCases: [string, Uint8Array, RegExp][] = [
    ["an empty file", new Uint8Array(0), /the file is empty/],
    ["a JPEG", Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46), /PNG signature/],
    ["text", Buffer.from("not a png at all"), /PNG signature/],
    ["a file cut inside IDAT", base.subarray(0, Math.floor(base.length / 2)), /truncated: chunk IDAT/],
    ["a file without IEND", base.subarray(0, base.length - 12), /no IEND/],
    ["a flipped byte in IDAT", flipByte(base, 50), /CRC mismatch in chunk IDAT/],
    ["a flipped byte in IHDR", flipByte(base, 17), /CRC mismatch in chunk IHDR/],
  ];
  it.each(corruptCases)("rejects %s with PngDecodeError naming the file", (_label, bytes, reason) => {
    let error: unknown;
    try {
      decodePng(bytes, { source: "goldens/broken.png" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PngDecodeError);
    expect(error).toBeInstanceOf(ComfyError);
    expect((error as PngDecodeError).code).toBe("ERR_PNG_DECODE");
    expect((error as Error).message).toMatch(/^cannot decode PNG goldens\/broken\.png: /);
    expect((error as Error).message).toMatch(reason);
  });
});

function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

function pngFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".png"))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

describeWithFixture("decodePng on every PNG a real ComfyUI wrote", [], (root) => {
  it("decodes them all to the same pixels as pngjs (or rejects exactly the corrupt ones)", () => {
    const files = [...pngFiles(join(root, "comfyui-0.3.65")), ...pngFiles(join(root, "reference-outputs"))];
    expect(files.length).toBeGreaterThan(100);
    let decoded = 0;
    const rejected: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      let reference: Uint8Array | undefined;
      try {
        reference = pngjsDecode(bytes);
      } catch {
        reference = undefined;
      }
      if (reference === undefined) {
        expect(() => decodePng(bytes, { source: file })).toThrow(PngDecodeError);
        rejected.push(file);
        continue;
      }
      const ours = decodePng(bytes, { source: file });
      expect(Buffer.from(ours.toRgba().data).equals(Buffer.from(reference)), file).toBe(true);
      decoded += 1;
    }
    expect(decoded).toBeGreaterThan(100);
    // The recordings include one deliberately corrupt input (LoadImage's error case).
    expect(rejected.every((file) => file.includes("corrupt"))).toBe(true);
  });
});

describe("decodePng, forms pngjs cannot write", () => {
  it("decodes a 2-bit palette with tRNS", () => {
    const plte = Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9);
    const trns = Uint8Array.of(255, 128);
    // 3×1 pixels: indices 0, 1, 3 packed MSB first into one byte: 00 01 11 00.
    const bytes = rawPng({
      width: 3,
      height: 1,
      bitDepth: 2,
      colorType: 3,
      rows: [Uint8Array.of(0b00011100)],
      plte,
      trns,
    });
    expect([...decodePng(bytes).toRgba().data]).toEqual([255, 0, 0, 255, 0, 255, 0, 128, 9, 9, 9, 255]);
  });

  it("decodes 1-bit gray scaled to 0/255", () => {
    const bytes = rawPng({
      width: 4,
      height: 1,
      bitDepth: 1,
      colorType: 0,
      rows: [Uint8Array.of(0b10100000)],
    });
    expect([...decodePng(bytes).toRgba().data]).toEqual([
      255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255,
    ]);
  });

  it("decodes Adam7 interlacing to the same pixels as the plain image", () => {
    const width = 5;
    const height = 3;
    const gray = (x: number, y: number) => (x * 40 + y * 7) & 0xff;
    const passes = [
      [0, 0, 8, 8],
      [4, 0, 8, 8],
      [0, 4, 4, 8],
      [2, 0, 4, 4],
      [0, 2, 2, 4],
      [1, 0, 2, 2],
      [0, 1, 1, 2],
    ];
    const rows: Uint8Array[] = [];
    for (const [x0, y0, dx, dy] of passes) {
      for (let y = y0!; y < height; y += dy!) {
        const row: number[] = [];
        for (let x = x0!; x < width; x += dx!) row.push(gray(x, y));
        if (row.length) rows.push(Uint8Array.from(row));
      }
    }
    const plainRows = Array.from({ length: height }, (_, y) =>
      Uint8Array.from({ length: width }, (_, x) => gray(x, y)),
    );
    const interlaced = decodePng(rawPng({ width, height, bitDepth: 8, colorType: 0, interlace: 1, rows }));
    const plain = decodePng(rawPng({ width, height, bitDepth: 8, colorType: 0, rows: plainRows }));
    expect([...interlaced.toRgba().data]).toEqual([...plain.toRgba().data]);
    expect([...interlaced.samples]).toEqual([...plain.samples]);
  });

  it("reports a corrupt zlib stream inside valid chunks", () => {
    const good = rawPng({
      width: 2,
      height: 2,
      bitDepth: 8,
      colorType: 0,
      rows: [Uint8Array.of(1, 2), Uint8Array.of(3, 4)],
    });
    // Rebuild with garbage IDAT but correct CRCs.
    const bad = Buffer.from(good);
    const idatAt = bad.indexOf("IDAT", 0, "latin1");
    const length = bad.readUInt32BE(idatAt - 4);
    bad.fill(0x55, idatAt + 4, idatAt + 4 + length);
    bad.writeUInt32BE(crc32(bad.subarray(idatAt, idatAt + 4 + length)), idatAt + 4 + length);
    expect(() => decodePng(bad, { source: "x.png" })).toThrow(/cannot decode PNG x\.png: corrupt image data/);
  });
});

describe("decodePng: native samples", () => {
  it("keeps 16-bit samples whole and sub-byte samples unscaled", () => {
    const wide = rawPng({
      width: 2,
      height: 1,
      bitDepth: 16,
      colorType: 0,
      rows: [Uint8Array.of(0x12, 0x34, 0xff, 0xfe)],
    });
    const png16 = decodePng(wide);
    expect(png16.samples).toBeInstanceOf(Uint16Array);
    expect([...png16.samples]).toEqual([0x1234, 0xfffe]);
    expect([...png16.toRgba().data]).toEqual([18, 18, 18, 255, 255, 255, 255, 255]);
    const packed = rawPng({
      width: 3,
      height: 1,
      bitDepth: 2,
      colorType: 0,
      rows: [Uint8Array.of(0b00011100)],
    });
    const png2 = decodePng(packed);
    expect(png2.samples).toBeInstanceOf(Uint8Array);
    expect([...png2.samples]).toEqual([0, 1, 3]);
    expect([...png2.toRgba().data]).toEqual([0, 0, 0, 255, 85, 85, 85, 255, 255, 255, 255, 255]);
  });

  it("gives palette indices as samples, with the palette and per-index alpha beside them", () => {
    const plte = Uint8Array.of(255, 0, 0, 0, 255, 0);
    const png = decodePng(
      rawPng({
        width: 2,
        height: 1,
        bitDepth: 8,
        colorType: 3,
        rows: [Uint8Array.of(1, 0)],
        plte,
        trns: Uint8Array.of(7),
      }),
    );
    expect([...png.samples]).toEqual([1, 0]);
    expect([...(png.palette ?? [])]).toEqual([...plte]);
    expect([...(png.transparency as Uint8Array)]).toEqual([7]);
    expect([...png.toRgba().data]).toEqual([0, 255, 0, 255, 255, 0, 0, 7]);
  });

  it("round-trips every channel count of the encoder, with its text chunks", () => {
    for (const channels of [1, 2, 3, 4] as const) {
      const data = Uint8Array.from({ length: 7 * 5 * channels }, (_, i) => (i * 37) % 256);
      for (const filter of ["none", "up"] as const) {
        const png = decodePng(
          encodePng({ width: 7, height: 5, channels, data }, { text: [["k", "v"]], filter }),
        );
        expect([png.width, png.height, png.channels, png.bitDepth]).toEqual([7, 5, channels, 8]);
        expect([...png.samples]).toEqual([...data]);
        expect(png.text).toEqual([["k", "v"]]);
      }
    }
  });
});

describe("decodePng: headers that lie", () => {
  it("a header claiming 100000×100000 over 64×48 data is corrupt, said before anything is allocated", () => {
    const small = Buffer.from(encodePng(noiseImage(64, 48, 1)));
    const lying = Buffer.from(small);
    lying.writeUInt32BE(100000, 16);
    lying.writeUInt32BE(100000, 20);
    lying.writeUInt32BE(crc32(lying.subarray(12, 29)), 29);
    expect(readPngStructure(lying).header.width).toBe(100000);
    let error: unknown;
    try {
      decodePng(lying, { source: "goldens/huge.png" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PngDecodeError);
    expect((error as PngDecodeError).problem).toBe("incomplete");
    expect((error as Error).message).toMatch(
      /goldens\/huge\.png: truncated image data: the header says 100000×100000/,
    );
  });

  it("a header one row taller than its data is incomplete", () => {
    const png = Buffer.from(encodePng(noiseImage(16, 8, 2)));
    png.writeUInt32BE(9, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    expect(() => decodePng(png)).toThrow(/truncated image data: 520 of 585 bytes/);
  });
});

describe("decodePng: strict (reviewed files) and lenient (what PIL opens)", () => {
  const base = Buffer.from(encodePng(noiseImage(8, 8, 3)));
  it("lenient mode skips CRCs and a missing IEND, as PIL does", () => {
    const noIend = base.subarray(0, base.length - 12);
    expect(() => decodePng(noIend)).toThrow(/no IEND/);
    expect(decodePng(noIend, { strict: false }).width).toBe(8);
    const crcBroken = Buffer.from(base);
    const crcAt = base.length - 12 - 4;
    crcBroken[crcAt] = (crcBroken[crcAt] ?? 0) ^ 0xff;
    expect(() => decodePng(crcBroken)).toThrow(/CRC mismatch in chunk IDAT/);
    expect([...decodePng(crcBroken, { strict: false }).samples]).toEqual([...decodePng(base).samples]);
  });

  it.each([
    ["a chunk cut off", base.subarray(0, 50), "truncated"],
    ["no signature", Buffer.from("GIF89a"), "signature"],
  ] as const)("both modes reject %s (%s)", (_label, bytes, problem) => {
    for (const strict of [true, false]) {
      expect(() => decodePng(bytes, { strict })).toThrow(expect.objectContaining({ problem }));
    }
  });
});
