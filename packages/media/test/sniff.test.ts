import { deflateSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { sniffMedia } from "../src/index.js";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

function pngChunk(type: string, data: number[] = []): number[] {
  const len = data.length;
  return [len >>> 24, (len >>> 16) & 255, (len >>> 8) & 255, len & 255, ...bytes(type), ...data, 0, 0, 0, 0];
}
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IHDR = pngChunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);

function gif(images: number): Uint8Array {
  const image = [0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, ...[2, 0x4c, 0x01], 0];
  return bytes(
    "GIF89a",
    [1, 0, 1, 0, 0x80, 0, 0],
    [0, 0, 0, 255, 255, 255],
    ...Array(images).fill(image),
    [0x3b],
  );
}

describe("sniffMedia", () => {
  test.each([
    [
      "png",
      bytes(PNG_SIG, IHDR, pngChunk("IDAT", [...deflateSync(Buffer.from([0, 1, 2, 3]))]), pngChunk("IEND")),
      "png",
      "image",
      false,
    ],
    [
      "apng",
      bytes(PNG_SIG, IHDR, pngChunk("acTL", [0, 0, 0, 1, 0, 0, 0, 0]), pngChunk("IDAT")),
      "apng",
      "image",
      true,
    ],
    ["jpeg", bytes([0xff, 0xd8, 0xff, 0xe0]), "jpeg", "image", false],
    ["gif (one image)", gif(1), "gif", "image", false],
    ["gif (three images)", gif(3), "gif", "image", true],
    ["webp lossy", bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 "), "webp", "image", false],
    [
      "webp animated",
      bytes("RIFF", [0, 0, 0, 0], "WEBPVP8X", [10, 0, 0, 0], [0x12, 0, 0, 0]),
      "webp",
      "image",
      true,
    ],
    ["wav", bytes("RIFF", [0, 0, 0, 0], "WAVEfmt "), "wav", "audio", false],
    ["bmp", bytes("BM", Array(30).fill(0)), "bmp", "image", false],
    ["tiff LE", bytes("II*\0"), "tiff", "image", false],
    ["tiff BE", bytes("MM\0*"), "tiff", "image", false],
    ["mp4", bytes([0, 0, 0, 0x20], "ftypisom"), "mp4", "video", false],
    ["webm", bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], "webm"), "webm", "video", false],
    [
      "matroska",
      bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88], "matroska"),
      "matroska",
      "video",
      false,
    ],
    ["flac", bytes("fLaC"), "flac", "audio", false],
    ["opus", bytes("OggS", Array(24).fill(0), "OpusHead"), "opus", "audio", false],
    ["vorbis", bytes("OggS", Array(24).fill(0), [1], "vorbis"), "vorbis", "audio", false],
    ["mp3 (ID3)", bytes("ID3", [4, 0]), "mp3", "audio", false],
    ["mp3 (frame sync)", bytes([0xff, 0xfb, 0x90, 0x64]), "mp3", "audio", false],
    ["safetensors", bytes([2, 0, 0, 0, 0, 0, 0, 0], "{}"), "safetensors", "latent", false],
  ])("%s", (_name, input, format, family, animated) => {
    expect(sniffMedia(input)).toEqual({ format, family, animated });
  });

  test.each([
    ["empty", bytes()],
    ["text", bytes("hello world")],
    ["json", bytes('{"a": 1}')],
    ["truncated png signature", bytes([0x89, 0x50, 0x4e])],
    ["ogg of unknown codec", bytes("OggS", Array(24).fill(0), "Speex   ")],
    ["safetensors header longer than the file", bytes([200, 0, 0, 0, 0, 0, 0, 0], "{}")],
  ])("%s is not media", (_name, input) => {
    expect(sniffMedia(input)).toBeUndefined();
  });
});
