import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { bench, describe } from "vitest";
import { compareImages, DEFAULT_COMPARE_OPTIONS, encodePng } from "../src/index.js";
import { noiseImage, withChangedPixels } from "../test/helpers/images.js";
import { textChunk } from "../test/helpers/raw-png.js";

// A noisy 1024² pair, the anchor case of the issue (noise defeats compression: ~4 MB of IDAT).
const image = noiseImage(1024, 1024, 42, true);
const golden = encodePng(image);
const changed = encodePng(withChangedPixels(image, 500));
// The same pixels with different metadata, as two ComfyUI runs of one prompt give.
const sameWithMetadata = withTextChunk(golden, textChunk("prompt", '{"1":{"class_type":"EmptyImage"}}'));

function withTextChunk(png: Buffer, [name, data]: [string, Uint8Array]): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(name, 4, "latin1");
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

import { crc32 as crc } from "node:zlib";

const options = { ...DEFAULT_COMPARE_OPTIONS, maxDiffPixels: 1000 };

function pngjsCompare(a: Buffer, b: Buffer): number {
  const x = PNG.sync.read(a);
  const y = PNG.sync.read(b);
  return pixelmatch(x.data, y.data, new Uint8Array(x.data.length), x.width, x.height, { threshold: 0.1 });
}

describe("decode + compare a 1024×1024 noisy PNG pair", () => {
  bench("comfy-ts: identical pixels, different metadata", () => {
    compareImages(
      { bytes: golden, source: "golden" },
      { bytes: sameWithMetadata, source: "actual" },
      options,
    );
  });
  bench("comfy-ts: 500 pixels differ", () => {
    compareImages({ bytes: golden, source: "golden" }, { bytes: changed, source: "actual" }, options);
  });
  bench("anchor pngjs + pixelmatch: identical pixels", () => {
    pngjsCompare(golden, sameWithMetadata);
  });
  bench("anchor pngjs + pixelmatch: 500 pixels differ", () => {
    pngjsCompare(golden, changed);
  });
});
