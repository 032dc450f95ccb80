import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodePng, PNG_SIGNATURE } from "@comfy-ts/core/png";
import { decodeSafetensors } from "@comfy-ts/media";
import { describe, expect, it } from "vitest";
import { mapToPalette, mapToPaletteFloydSteinberg, medianCutPalette } from "../../src/image/median-cut.js";
import type { Latent } from "../../src/nodes/socket-types.js";
import { type Tensor, tensor } from "../../src/tensor/tensor.js";
import { first, img, run, testContext } from "./run-node.js";

describe("median cut (Pillow's quantize)", () => {
  it("splits the most populous box at the weighted median of its widest weighted axis", () => {
    // 3 reds, 1 dark red, 2 blues: red range × 77 beats blue range × 29; the median (by count, from the
    // high end) falls after the dark red, so the reds average to 175.
    const rgb = Uint8Array.from([200, 0, 0, 200, 0, 0, 200, 0, 0, 100, 0, 0, 0, 0, 255, 0, 0, 255]);
    expect(medianCutPalette(rgb, 2).slice(0, 2)).toEqual([
      [175, 0, 0],
      [0, 0, 255],
    ]);
  });
  it("stops when every box holds one colour; black fills the palette up to 256 entries", () => {
    const palette = medianCutPalette(Uint8Array.from([1, 2, 3, 1, 2, 3]), 8);
    expect(palette).toHaveLength(256);
    expect(palette.slice(0, 2)).toEqual([
      [1, 2, 3],
      [0, 0, 0],
    ]);
  });
  it("maps through the 4×4×4 cell corner, lowest index on ties", () => {
    const palette: Array<[number, number, number]> = [
      [0, 0, 0],
      [8, 0, 0],
    ];
    // 7 → cell corner 4: equidistant from 0 and 8 → index 0; 8 → 8.
    expect(Array.from(mapToPalette(Uint8Array.from([7, 0, 0, 8, 0, 0]), palette))).toEqual([
      0, 0, 0, 8, 0, 0,
    ]);
  });
  it("Floyd–Steinberg carries 7/16 of the error to the right", () => {
    const palette: Array<[number, number, number]> = [
      [0, 0, 0],
      [255, 255, 255],
    ];
    const grey = Uint8Array.from({ length: 4 * 3 }, () => 128);
    const out = mapToPaletteFloydSteinberg(grey, 4, 1, palette);
    expect(Array.from(out.filter((_, i) => i % 3 === 0))).toEqual([255, 0, 255, 0]);
  });
  it("ImageQuantize keeps the image size and uses at most `colors` colours", async () => {
    const image = img([
      [
        [0, 0, 0],
        [0.5, 0.5, 0.5],
        [1, 1, 1],
      ],
    ]);
    const out = await first<Tensor>("ImageQuantize", { image, colors: 2, dither: "none" });
    expect(out.shape).toEqual([1, 1, 3, 3]);
    expect(new Set(Array.from(out.data)).size).toBeLessThanOrEqual(2 * 3);
  });
});

describe("latent files and tiled VAE", () => {
  it("SaveLatent writes a safetensors .latent that LoadLatent reads back", async () => {
    const ctx = testContext();
    const samples = tensor(
      [1, 4, 2, 2],
      Float32Array.from({ length: 16 }, (_, i) => i / 4),
    );
    const res = await run("SaveLatent", { samples: { samples }, filename_prefix: "latents/x" }, ctx);
    expect(res.ui).toEqual({
      latents: [{ filename: "x_00001_.latent", subfolder: "latents", type: "output" }],
    });
    const bytes = readFileSync(join(ctx.dirs.output, "latents", "x_00001_.latent"));
    expect(Array.from(decodeSafetensors(bytes).tensors.get("latent_tensor")?.values() ?? [])).toEqual(
      Array.from(samples.data),
    );
    mkdirSync(ctx.dirs.input, { recursive: true });
    writeFileSync(join(ctx.dirs.input, "x.latent"), bytes);
    const loaded = (await run("LoadLatent", { latent: "x.latent" }, ctx)).outputs?.[0] as Latent;
    expect(Array.from(loaded.samples.data)).toEqual(Array.from(samples.data));
  });

  it("VAEEncodeTiled with a tile half no larger than the overlap fails like ComfyUI (ZeroDivisionError)", async () => {
    const vae = await first("VAELoader", { vae_name: "pixel_space" });
    const pixels = tensor([1, 40, 40, 3], new Float32Array(40 * 40 * 3).fill(0.5));
    await expect(
      first("VAEEncodeTiled", {
        pixels,
        vae,
        tile_size: 64,
        overlap: 32,
        temporal_size: 64,
        temporal_overlap: 8,
      }),
    ).rejects.toMatchObject({ exceptionType: "ZeroDivisionError", message: "division by zero" });
  });

  it("VAEDecodeTiled reports one progress step per tile and decodes like VAEDecode", async () => {
    const vae = await first("VAELoader", { vae_name: "pixel_space" });
    const samples = { samples: tensor([1, 3, 150, 200], new Float32Array(3 * 150 * 200).fill(0.2)) };
    const ctx = testContext();
    const res = await run(
      "VAEDecodeTiled",
      { samples, vae, tile_size: 96, overlap: 32, temporal_size: 64, temporal_overlap: 8 },
      ctx,
    );
    expect(ctx.progressCalls.at(-1)).toEqual([26, 26]);
    expect(((res.outputs ?? [])[0] as Tensor).data[0]).toBeCloseTo(0.6, 6);
  });
});

describe("LoadImage failures as PIL reports them", () => {
  it.each([
    [
      "PNG signature and garbage",
      Buffer.concat([PNG_SIGNATURE, Buffer.from("this is not a png body")]),
      "OSError",
      "Truncated File Read",
    ],
    ["not an image", Buffer.from("hello"), "PIL.UnidentifiedImageError", "cannot identify image file"],
  ])("%s", async (_n, bytes, exceptionType, message) => {
    const ctx = testContext();
    mkdirSync(ctx.dirs.input, { recursive: true });
    writeFileSync(join(ctx.dirs.input, "bad.png"), bytes);
    const error = await Promise.resolve(run("LoadImage", { image: "bad.png" }, ctx)).catch((e: unknown) => e);
    expect(error).toMatchObject({ exceptionType });
    expect((error as Error).message).toContain(message);
  });
});

describe("SaveAnimatedPNG", () => {
  it("writes one APNG with acTL, per-frame fcTL, fdAT and a comf chunk after the data", async () => {
    const ctx = testContext();
    const frames = tensor([2, 1, 1, 3], Float32Array.from([1, 0, 0, 0, 1, 0]));
    const res = await run(
      "SaveAnimatedPNG",
      { images: frames, filename_prefix: "anim", fps: 5, compress_level: 4 },
      ctx,
    );
    expect(res.ui).toEqual({
      images: [{ filename: "anim_00001_.png", subfolder: "", type: "output" }],
      animated: [true],
    });
    const png = decodePng(readFileSync(join(ctx.dirs.output, "anim_00001_.png")));
    expect(png.chunkTypes).toEqual(["IHDR", "acTL", "fcTL", "IDAT", "fcTL", "fdAT", "comf", "IEND"]);
    expect(Array.from(png.samples)).toEqual([255, 0, 0]);
  });
});
