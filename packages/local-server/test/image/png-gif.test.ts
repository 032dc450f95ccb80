import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodePng, encodePng } from "@comfy-ts/core/png";
import { describeWithFixture } from "@comfy-ts/test-support";
import { describe, expect, it } from "vitest";
import { openImage } from "../../src/image/pil-image.js";

describe("PNG encode/decode", () => {
  it.each([1, 2, 3, 4] as const)("round-trips %s channel(s)", (channels) => {
    const data = Uint8Array.from({ length: 5 * 3 * channels }, (_, i) => (i * 37) % 256);
    const png = decodePng(encodePng({ width: 5, height: 3, channels, data }, { text: [["k", "v"]] }));
    expect([png.width, png.height, png.channels, png.bitDepth]).toEqual([5, 3, channels, 8]);
    expect(Array.from(png.samples)).toEqual(Array.from(data));
    expect(png.text).toEqual([["k", "v"]]);
  });

  it("rejects a file that is not a PNG", () => {
    expect(() => decodePng(Uint8Array.of(1, 2, 3))).toThrow(/not a PNG/);
  });
});

describeWithFixture("decoders over the reference inputs", ["reference-outputs", "inputs"], (dir) => {
  it.each([
    ["gradient.png", "RGB", 64, 48],
    ["mask_circle.png", "L", 64, 64],
    ["palette.png", "P", 32, 24],
    ["png16.png", "I", 40, 24],
    ["png16_rgb.png", "RGB", 24, 16],
    ["rgba_odd.png", "RGBA", 37, 29],
    ["pixel1.png", "RGB", 1, 1],
  ])("%s opens as PIL mode %s", async (file, mode, w, h) => {
    const { frames } = await openImage(readFileSync(join(dir, file)));
    expect([frames[0]?.mode, frames[0]?.width, frames[0]?.height]).toEqual([mode, w, h]);
  });

  it("palette.png keeps its tRNS (index 1 → alpha 128)", async () => {
    const frame = (await openImage(readFileSync(join(dir, "palette.png")))).frames[0];
    expect(frame?.transparency?.[0]).toBe(0);
    expect(frame?.transparency?.[1]).toBe(128);
  });

  it("a corrupt PNG is reported, not crashed on", async () => {
    await expect(openImage(readFileSync(join(dir, "ref_corrupt.png")))).rejects.toThrow();
  });
});
