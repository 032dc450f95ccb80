import { describeWithPython } from "@comfy-ts/test-support";
import {
  type Content,
  compareFamilies,
  type NodeCase,
  pick,
  REFERENCE_MODULES,
  randInt,
  randomTensor,
  seeded,
} from "./reference.js";

/**
 * ImageAddNoise against ComfyUI's body on torch 1.13: `torch.randn` from `manual_seed(seed)` (the
 * double Box–Muller path under 16 samples, the AVX2 16-wide fill from 16 on, with its redrawn last
 * block), scaled, added and clipped — over sizes below, at and around multiples of 16, batches,
 * channel counts, 64-bit seeds and strengths. Every float32 sample must be identical.
 */
const CONTENTS: readonly Content[] = ["bytes", "float", "ramp", "flat"];

function cases(): NodeCase[] {
  const r = seeded(61);
  const out: NodeCase[] = [];
  for (let i = 0; i < 40; i++) {
    const b = pick(r, [1, 1, 2]);
    const c = pick(r, [3, 3, 4, 1]);
    const h = pick(r, [1, 2, randInt(r, 1, 8), randInt(r, 8, 96)]);
    const w = pick(r, [1, 4, randInt(r, 1, 8), randInt(r, 8, 96)]);
    const content = pick(r, CONTENTS);
    // Seeds past 2^53 travel as bigint, as the server parses them from a prompt's JSON.
    const seed = pick<number | bigint>(r, [
      0,
      42,
      2n ** 64n - 1n,
      2n ** 63n + BigInt(randInt(r, 0, 2 ** 31)),
      randInt(r, 0, 2 ** 31),
    ]);
    const strength = pick(r, [0, 0.15, 0.5, 1, Math.round(r() * 100) / 100]);
    out.push({
      node: "ImageAddNoise",
      inputs: { image: randomTensor([b, h, w, c], content, r), seed, strength },
      label: `ImageAddNoise ${b}×${h}×${w}×${c} ${content} seed ${seed} strength ${strength}`,
    });
  }
  return out;
}

describeWithPython("ImageAddNoise vs torch 1.13 (float32-exact)", REFERENCE_MODULES, (python) => {
  compareFamilies(python, { ImageAddNoise: cases() });
});
