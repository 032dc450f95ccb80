import { encodePng } from "@comfy-ts/core/png";
import { bench, describe } from "vitest";
import type { NodeContext } from "../src/execution/node-impl.js";
import { imageToPixels } from "../src/image/tensor-image.js";
import { nodeImpls } from "../src/nodes/index.js";
import { randn, TorchGenerator } from "../src/random/torch-generator.js";
import { type Tensor, tensor } from "../src/tensor/tensor.js";

// Node execution alone (no HTTP, queue or files), on the sizes of the larger reference graphs, so the
// cost of a node can be told apart from the server's overhead in reference-graphs.bench.ts.
const gradient = (h: number, w: number): Tensor =>
  tensor(
    [1, h, w, 3],
    Float32Array.from({ length: h * w * 3 }, (_, i) => (i % 256) / 255),
  );
const image = gradient(48, 64);
const big = gradient(880, 1184);
const ctx = { progress: () => {}, progressText: () => {} } as unknown as NodeContext;
const run = (classType: string, inputs: Record<string, unknown>) => {
  const impl = nodeImpls.find((n) => n.classType === classType);
  if (!impl) throw new Error(`no node ${classType}`);
  return impl.execute(inputs, ctx);
};

describe("nodes (64×48 input unless stated)", () => {
  bench("ImageBlur radius 5 (g042: ComfyUI 17 ms end to end)", () => {
    run("ImageBlur", { image, blur_radius: 5, sigma: 2 });
  });
  bench("ImageSharpen radius 4", () => {
    run("ImageSharpen", { image, sharpen_radius: 4, sigma: 0.7, alpha: 3 });
  });
  bench("ImageScale lanczos to 1184×880 (g148: ComfyUI 132 ms end to end)", () => {
    run("ImageScale", { image, upscale_method: "lanczos", width: 1184, height: 880, crop: "center" });
  });
  bench("ImageScale bicubic to 200×150", () => {
    run("ImageScale", { image, upscale_method: "bicubic", width: 200, height: 150, crop: "disabled" });
  });
  bench("ImageQuantize 16 colours, Floyd–Steinberg", () => {
    run("ImageQuantize", { image, colors: 16, dither: "floyd-steinberg" });
  });
  bench("ImageAddNoise on 1184×880 (3.1 M torch.randn samples)", () => {
    run("ImageAddNoise", { image: big, seed: 42n, strength: 0.5 });
  });
  bench("torch.randn 1 M float32 (AVX2 fill)", () => {
    randn(new TorchGenerator(0), 1_000_000);
  });
  bench("PNG encode 1184×880 RGB, level 4 (SaveImage)", () => {
    encodePng(imageToPixels(big, 0), { compressLevel: 4 });
  });
});
