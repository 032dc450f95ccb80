import { compile, stringifyPrompt, workflow } from "@comfy-ts/core";
import { bench, describe } from "vitest";
import { EmptyImage, ImageAddNoise, ImageInvert, SaveImage } from "../test/support/image-nodes.js";

// A 1,000-node graph: 250 chains of EmptyImage → ImageAddNoise → ImageInvert → SaveImage.
const thousandNodes = workflow(() => {
  const outputs = [];
  for (let i = 0; i < 250; i++) {
    const noisy = ImageAddNoise({
      image: EmptyImage({ width: 64, height: 64, color: i }),
      seed: BigInt(i) ** 3n,
      strength: 0.5,
    });
    outputs.push(SaveImage({ images: ImageInvert({ image: noisy }), filename_prefix: `chain/${i}` }));
  }
  return outputs;
});
const graph = thousandNodes();

describe("compile a 1,000-node graph (target ≤ 20 ms)", () => {
  bench("compile (graph already built)", () => {
    compile(graph);
  });
  bench("build + compile", () => {
    compile(thousandNodes);
  });
  bench("build + compile + stringifyPrompt", () => {
    stringifyPrompt(compile(thousandNodes));
  });
});
