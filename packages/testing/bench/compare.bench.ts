import { crc32 } from "node:zlib";
import { noiseImage, textChunk, withChangedPixels } from "@comfy-ts/test-support";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { bench, describe } from "vitest";
import { classifyOutput, compareOutputs, type RgbaImage, resolveTolerance } from "../src/node.js";

// The anchor case of the issue: a noisy 1024² pair. Written as ComfyUI's SaveImage writes (PIL): RGB,
// 8-bit, Paeth rows (the filter PIL picks for most rows of real outputs) — the slowest form to decode.
function comfyLikePng(image: RgbaImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data);
  return PNG.sync.write(png, { colorType: 2, inputHasAlpha: true, filterType: 4 } as never);
}

function withTextChunk(png: Buffer, [name, data]: [string, Uint8Array]): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(name, 4, "latin1");
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

const image = noiseImage(1024, 1024, 42, true);
const golden = comfyLikePng(image);
const changed = comfyLikePng(withChangedPixels(image, 500));
// The same pixels with other metadata, as two ComfyUI runs of one prompt give (the prompt is embedded).
const sameWithMetadata = withTextChunk(golden, textChunk("prompt", '{"1":{"class_type":"EmptyImage"}}'));
const choice = (test?: object) =>
  resolveTolerance({
    kind: "image",
    format: "png",
    project: undefined,
    environment: undefined,
    environmentKey: undefined,
    test: test as never,
  });
const strict = choice();
const pixelmatchChoice = choice({ comparator: "pixelmatch", maxDiffPixels: 1000 });
const side = (bytes: Uint8Array, source: string) => ({
  bytes,
  source,
  classified: classifyOutput({ bytes }, source),
});

function pngjsCompare(a: Buffer, b: Buffer): number {
  const x = PNG.sync.read(a);
  const y = PNG.sync.read(b);
  return pixelmatch(x.data, y.data, new Uint8Array(x.data.length), x.width, x.height, { threshold: 0.1 });
}

describe("decode + compare a 1024×1024 noisy PNG pair (RGB, Paeth, as SaveImage writes)", () => {
  bench("comfy-ts: identical pixels, different metadata", async () => {
    await compareOutputs(side(golden, "golden"), side(sameWithMetadata, "actual"), strict);
  });
  bench("comfy-ts: 500 pixels differ, exact (the default)", async () => {
    await compareOutputs(side(golden, "golden"), side(changed, "actual"), strict);
  });
  bench("comfy-ts: 500 pixels differ, pixelmatch comparator", async () => {
    await compareOutputs(side(golden, "golden"), side(changed, "actual"), pixelmatchChoice);
  });
  bench("anchor pngjs + pixelmatch: identical pixels", () => {
    pngjsCompare(golden, sameWithMetadata);
  });
  bench("anchor pngjs + pixelmatch: 500 pixels differ", () => {
    pngjsCompare(golden, changed);
  });
});
