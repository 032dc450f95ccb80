import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { describeWithFixture } from "@comfy-ts/test-support";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { ComfyTestingError, decodePng, encodePng, PngDecodeError } from "../../src/index.js";
import { noiseImage } from "../helpers/images.js";
import { rawPng } from "../helpers/raw-png.js";

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
    expect(Buffer.from(decoded.data).equals(Buffer.from(pngjsDecode(bytes)))).toBe(true);
  });

  it("round-trips its own encoder exactly", () => {
    const decoded = decodePng(encodePng(image));
    expect(Buffer.from(decoded.data).equals(Buffer.from(image.data))).toBe(true);
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
      decodePng(bytes, "goldens/broken.png");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PngDecodeError);
    expect(ComfyTestingError.is(error)).toBe(true);
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
        expect(() => decodePng(bytes, file)).toThrow(PngDecodeError);
        rejected.push(file);
        continue;
      }
      const ours = decodePng(bytes, file);
      expect(Buffer.from(ours.data).equals(Buffer.from(reference)), file).toBe(true);
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
    expect([...decodePng(bytes).data]).toEqual([255, 0, 0, 255, 0, 255, 0, 128, 9, 9, 9, 255]);
  });

  it("decodes 1-bit gray scaled to 0/255", () => {
    const bytes = rawPng({
      width: 4,
      height: 1,
      bitDepth: 1,
      colorType: 0,
      rows: [Uint8Array.of(0b10100000)],
    });
    expect([...decodePng(bytes).data]).toEqual([
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
    expect([...interlaced.data]).toEqual([...plain.data]);
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
    expect(() => decodePng(bad, "x.png")).toThrow(/cannot decode PNG x\.png: corrupt image data/);
  });
});
