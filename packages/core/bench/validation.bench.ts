import { readFileSync } from "node:fs";
import { sharedFixture } from "@comfy-ts/test-support";
import { bench, describe } from "vitest";
import { parseCatalogText, parseJsonLossless } from "../src/catalog/index.js";
import { stringifyJsonLossless } from "../src/catalog/lossless-json.js";
import type { ApiPrompt } from "../src/compile/api-prompt.js";
import { validatePrompt } from "../src/validation/index.js";

// Validate a 1,000-node prompt against the real 0.3.65 catalog: 20 chains of 50 image nodes, each
// ending in a SaveImage, with seeds, combos and float widgets along the way.
const path = sharedFixture("object-info", "comfyui-0.3.65-cpu.json");
const catalog = path ? parseCatalogText(readFileSync(path, "utf8")) : undefined;

function bigPrompt(): ApiPrompt {
  const prompt: ApiPrompt = {};
  let id = 0;
  for (let chain = 0; chain < 20; chain++) {
    let prev = String(++id);
    prompt[prev] = {
      class_type: "EmptyImage",
      inputs: { width: 64, height: 64, batch_size: 1, color: chain },
    };
    for (let i = 0; i < 48; i++) {
      const cur = String(++id);
      const k = i % 4;
      if (k === 0) prompt[cur] = { class_type: "ImageInvert", inputs: { image: [prev, 0] } };
      else if (k === 1)
        prompt[cur] = { class_type: "ImageBlur", inputs: { image: [prev, 0], blur_radius: 3, sigma: 1.5 } };
      else if (k === 2)
        prompt[cur] = {
          class_type: "ImageAddNoise",
          inputs: { image: [prev, 0], seed: 18446744073709551615n, strength: 0.5 },
        };
      else
        prompt[cur] = {
          class_type: "ImageScale",
          inputs: { image: [prev, 0], upscale_method: "bilinear", width: 64, height: 64, crop: "disabled" },
        };
      prev = cur;
    }
    prompt[String(++id)] = {
      class_type: "SaveImage",
      inputs: { images: [prev, 0], filename_prefix: `chain_${chain}` },
    };
  }
  return prompt;
}

const prompt = bigPrompt();
const body = stringifyJsonLossless({ prompt, client_id: "bench" });
// A prompt rejected early (unknown class, no outputs) would time a shortcut, not validation.
if (catalog && !validatePrompt(prompt, catalog).valid) throw new Error("the bench prompt must be valid");

describe.skipIf(!catalog)("validation: 1,000-node prompt, 0.3.65 catalog", () => {
  bench("validatePrompt", () => {
    validatePrompt(prompt, catalog!);
  });
  bench("parse the request body + validatePrompt", () => {
    const parsed = parseJsonLossless(body) as { prompt: typeof prompt };
    validatePrompt(parsed.prompt, catalog!);
  });
});
