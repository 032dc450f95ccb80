import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { PNG_SIGNATURE, pngChunk } from "@comfy-ts/core/png";
import { describeWithFixture } from "@comfy-ts/test-support";
import { describe, expect, test } from "vitest";
import {
  CorruptMediaError,
  type DecodedImage,
  decodeImage,
  MissingStreamError,
  orientImage,
} from "../src/index.js";

const sha256 = (data: Uint8Array | Uint16Array) =>
  createHash("sha256")
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest("hex");

const u32 = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const u16 = (v: number) => [v >>> 8, v & 255];

function png(chunks: Uint8Array[]): Uint8Array {
  return Buffer.concat([PNG_SIGNATURE, ...chunks, pngChunk("IEND", new Uint8Array())]);
}
const ihdr = (w: number, h: number, depth: number, colorType: number) =>
  pngChunk("IHDR", Uint8Array.from([...u32(w), ...u32(h), depth, colorType, 0, 0, 0]));
/** Unfiltered scanlines (filter byte 0) of `rows`. */
const idat = (rows: number[][]) => deflateSync(Uint8Array.from(rows.flatMap((r) => [0, ...r])));

describe("decodeImage: PNG and APNG", () => {
  test("keeps 16-bit samples, expands a palette with tRNS, turns a colour key into alpha", async () => {
    const sixteen = await decodeImage(
      png([ihdr(2, 1, 16, 0), pngChunk("IDAT", idat([[0x12, 0x34, 0xff, 0xfe]]))]),
    );
    expect([sixteen.layout, sixteen.bitDepth, [...sixteen.frames[0]!.data]]).toEqual([
      "gray",
      16,
      [0x1234, 0xfffe],
    ]);

    const palette = await decodeImage(
      png([
        ihdr(3, 1, 8, 3),
        pngChunk("PLTE", Uint8Array.of(10, 20, 30, 40, 50, 60)),
        pngChunk("tRNS", Uint8Array.of(128)),
        pngChunk("IDAT", idat([[1, 0, 1]])),
      ]),
    );
    expect([palette.layout, [...palette.frames[0]!.data]]).toEqual([
      "rgba",
      [40, 50, 60, 255, 10, 20, 30, 128, 40, 50, 60, 255],
    ]);

    const keyed = await decodeImage(
      png([
        ihdr(2, 1, 8, 2),
        pngChunk("tRNS", Uint8Array.of(0, 1, 0, 2, 0, 3)),
        pngChunk("IDAT", idat([[1, 2, 3, 1, 2, 4]])),
      ]),
    );
    expect([keyed.layout, [...keyed.frames[0]!.data]]).toEqual(["rgba", [1, 2, 3, 0, 1, 2, 4, 255]]);
  });

  test("composites APNG frames: a sub-rectangle blended over, then disposed to the previous canvas", async () => {
    const fctl = (seq: number, w: number, h: number, x: number, y: number, dispose: number, blend: number) =>
      pngChunk(
        "fcTL",
        Uint8Array.from([
          ...u32(seq),
          ...u32(w),
          ...u32(h),
          ...u32(x),
          ...u32(y),
          ...u16(1),
          ...u16(10),
          dispose,
          blend,
        ]),
      );
    const fdat = (seq: number, rows: number[][]) =>
      pngChunk("fdAT", Uint8Array.from([...u32(seq), ...idat(rows)]));
    const bytes = png([
      ihdr(2, 1, 8, 6),
      pngChunk("acTL", Uint8Array.from([...u32(3), ...u32(5)])),
      fctl(0, 2, 1, 0, 0, 0, 0),
      pngChunk("IDAT", idat([[100, 100, 100, 255, 0, 0, 0, 0]])),
      fctl(1, 1, 1, 1, 0, 2, 1),
      fdat(2, [[200, 0, 0, 128]]),
      fctl(3, 1, 1, 0, 0, 0, 0),
      fdat(4, [[1, 2, 3, 4]]),
    ]);
    const image = await decodeImage(bytes);
    expect([image.format, image.loop, image.frames.map((f) => f.durationMs)]).toEqual([
      "apng",
      5,
      [100, 100, 100],
    ]);
    expect(image.frames.map((f) => [...f.data])).toEqual([
      [100, 100, 100, 255, 0, 0, 0, 0],
      // (0·127 + 200·128)/255 → 100, alpha (0·127 + 128·128)/255 → 64, with PIL's DIV255 rounding.
      [100, 100, 100, 255, 100, 0, 0, 64],
      // Frame 2 disposed to the canvas before it (frame 0's), then writes its own pixel.
      [1, 2, 3, 4, 0, 0, 0, 0],
    ]);
  });
});

describe("decodeImage: bad input names the file and what is wrong", () => {
  const gradient = png([
    ihdr(4, 2, 8, 0),
    pngChunk(
      "IDAT",
      idat([
        [0, 1, 2, 3],
        [4, 5, 6, 7],
      ]),
    ),
  ]);

  test.each([
    ["an empty file", new Uint8Array(), CorruptMediaError, /cannot decode x\.png: the file is empty/],
    ["text", new TextEncoder().encode("hello"), CorruptMediaError, /x\.png: no image signature/],
    ["audio", Buffer.from("fLaC\0\0\0\x22"), MissingStreamError, /x\.png is flac \(audio\), not an image/],
    ["a truncated PNG", gradient.subarray(0, gradient.length - 20), CorruptMediaError, /x\.png: truncated/],
    [
      "a PNG with a bad CRC",
      Buffer.concat([gradient.subarray(0, 30), Uint8Array.of(gradient[30]! ^ 1), gradient.subarray(31)]),
      CorruptMediaError,
      /CRC mismatch in chunk IHDR/,
    ],
    [
      "a header claiming 100000×100000 over 4×2 data",
      png([ihdr(100000, 100000, 8, 0), pngChunk("IDAT", idat([[0, 1, 2, 3]]))]),
      CorruptMediaError,
      /100000×100000 = 10000000000 pixels, more than the limit/,
    ],
    [
      "a header claiming 600×400 over 4×2 data",
      png([
        ihdr(600, 400, 8, 0),
        pngChunk(
          "IDAT",
          idat([
            [0, 1, 2, 3],
            [4, 5, 6, 7],
          ]),
        ),
      ]),
      CorruptMediaError,
      /the header says 600×400 .* cannot hold that/,
    ],
    [
      "a GIF without frames",
      Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
      CorruptMediaError,
      /no image frames/,
    ],
    [
      "a BMP cut in its pixels",
      bmp24(3, 2).subarray(0, 60),
      CorruptMediaError,
      /truncated inside the pixel data/,
    ],
  ])("%s", async (_what, bytes, kind, message) => {
    const error = await decodeImage(bytes, { name: "x.png" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(message);
    expect((error as CorruptMediaError).code).toBe(
      kind === CorruptMediaError ? "media_corrupt" : "media_no_stream",
    );
    expect((error as CorruptMediaError).file).toBe("x.png");
  });
});

function bmp24(w: number, h: number): Uint8Array {
  const stride = ((w * 24 + 31) >> 3) & ~3;
  const header = Buffer.alloc(54);
  header.write("BM", 0, "latin1");
  header.writeUInt32LE(54 + stride * h, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(w, 18);
  header.writeInt32LE(h, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  return Buffer.concat([header, Buffer.alloc(stride * h, 7)]);
}

describeWithFixture("decodeImage over the media corpus", ["reference-outputs-media"], (root) => {
  const inputs = join(root, "inputs");
  const read = (file: string) => decodeImage(readFileSync(join(inputs, file)), { name: file });

  test.each([
    ["jpeg_444.jpg", "jpeg", "rgb", 8, 64, 48, 1],
    ["jpeg_gray.jpg", "jpeg", "gray", 8, 40, 30, 1],
    ["jpeg_420_odd.jpg", "jpeg", "rgb", 8, 37, 29, 1],
    ["webp_lossy.webp", "webp", "rgb", 8, 64, 48, 1],
    ["webp_alpha_lossless.webp", "webp", "rgba", 8, 48, 40, 1],
    ["webp_anim3.webp", "webp", "rgba", 8, 24, 20, 3],
    ["gif_anim3_durations.gif", "gif", "rgb", 8, 24, 20, 3],
    ["png16_rgba.png", "png", "rgba", 16, 30, 20, 1],
    ["bmp_rgb24.bmp", "bmp", "rgb", 8, 30, 20, 1],
    ["tiff_rgba.tif", "tiff", "rgba", 8, 30, 20, 1],
  ])("%s: %s %s %i-bit %i×%i, %i frame(s)", async (file, format, layout, bitDepth, width, height, frames) => {
    const image = await read(file);
    expect([
      image.format,
      image.layout,
      image.bitDepth,
      image.width,
      image.height,
      image.frames.length,
    ]).toEqual([format, layout, bitDepth, width, height, frames]);
  });

  test("animation timing: WebP 100/200/300 ms, GIF 50/150/400 ms", async () => {
    expect((await read("webp_anim3.webp")).frames.map((f) => f.durationMs)).toEqual([100, 200, 300]);
    expect((await read("gif_anim3_durations.gif")).frames.map((f) => f.durationMs)).toEqual([50, 150, 400]);
  });

  test("EXIF orientation 6 is reported, and orientImage turns 48×32 into 32×48", async () => {
    const image = await read("jpeg_exif_orient6.jpg");
    expect([image.width, image.height, image.orientation]).toEqual([48, 32, 6]);
    const oriented = orientImage(image);
    expect([oriented.width, oriented.height, oriented.orientation]).toEqual([32, 48, undefined]);
  });

  // Every image output ComfyUI wrote (SaveImage, SaveAnimatedPNG, SaveAnimatedWEBP): the recording's
  // per-frame SHA-256 of PIL's decode (native mode, 8-bit) must be what decodeImage gives.
  const outputs = readdirSync(join(root, "cases"))
    .sort()
    .flatMap((name) => {
      const meta = JSON.parse(readFileSync(join(root, "cases", name, "meta.json"), "utf8"));
      return (meta.outputs as Array<Record<string, unknown>>)
        .filter((o) => typeof o.local_file === "string" && /\.(png|webp)$/.test(o.local_file as string))
        .map((o) => [`${name}/${o.local_file}`, o] as const);
    });
  test.each(outputs)("%s decodes to PIL's frames", async (file, o) => {
    const image: DecodedImage = await decodeImage(readFileSync(join(root, "cases", file)), { name: file });
    const mode = { RGB: "rgb", RGBA: "rgba", L: "gray" }[o.mode as string];
    expect([image.layout, image.width, image.height, image.frames.length]).toEqual([
      mode,
      o.width,
      o.height,
      o.n_frames,
    ]);
    const expected = (o.frame_sha256 as string[] | undefined) ?? [o.sha256 as string];
    expect(image.frames.map((f) => sha256(f.data))).toEqual(expected);
    if (o.n_frames !== 1) expect(image.frames.map((f) => f.durationMs)).toEqual(o.durations_ms_pil);
  });
});
