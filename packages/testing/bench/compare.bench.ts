import { join } from "node:path";
import { crc32 } from "node:zlib";
import { noiseImage, repoRoot, textChunk, withChangedPixels } from "@comfy-ts/test-support";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { bench, describe } from "vitest";
import { classifyOutput, compareOutputs, type RgbaImage, resolveTolerance } from "../src/node.js";
import { CpuLog, publish } from "./support/cpu-log.js";

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

// Target: the PNG fast paths take at most 0.33× the time of pngjs + pixelmatch on the same pair.
const log = new CpuLog();
const reportFile = join(repoRoot, "packages/testing/.comfy-ts/bench-report.txt");
const options = (last = false) => ({
  time: 3000,
  warmupIterations: 3,
  setup: (_task: unknown, mode: string) => {
    log.recording = mode === "run";
  },
  teardown: (_task: unknown, mode: string) => {
    if (!last || mode !== "run") return;
    const ratio = (ours: string, anchor: string) =>
      ((log.median(ours) ?? Number.NaN) / (log.median(anchor) ?? Number.NaN)).toFixed(3);
    publish(
      `${log.report("1024² PNG pair, decode + compare")}  CPU ratio to pngjs + pixelmatch: identical pixels ${ratio("identical", "anchor identical")}, 500 pixels exact ${ratio("500 exact", "anchor 500")}, 500 pixels pixelmatch ${ratio("500 pixelmatch", "anchor 500")}\n`,
      reportFile,
    );
  },
});

describe("decode + compare a 1024×1024 noisy PNG pair (RGB, Paeth, as SaveImage writes)", () => {
  bench(
    "comfy-ts: identical pixels, different metadata",
    () =>
      log.time("identical", () =>
        compareOutputs(side(golden, "golden"), side(sameWithMetadata, "actual"), strict),
      ),
    options(),
  );
  bench(
    "comfy-ts: 500 pixels differ, exact (the default)",
    () =>
      log.time("500 exact", () => compareOutputs(side(golden, "golden"), side(changed, "actual"), strict)),
    options(),
  );
  bench(
    "comfy-ts: 500 pixels differ, pixelmatch comparator",
    () =>
      log.time("500 pixelmatch", () =>
        compareOutputs(side(golden, "golden"), side(changed, "actual"), pixelmatchChoice),
      ),
    options(),
  );
  bench(
    "anchor pngjs + pixelmatch: identical pixels",
    () => log.time("anchor identical", () => pngjsCompare(golden, sameWithMetadata)),
    options(),
  );
  bench(
    "anchor pngjs + pixelmatch: 500 pixels differ",
    () => log.time("anchor 500", () => pngjsCompare(golden, changed)),
    options(true),
  );
});
