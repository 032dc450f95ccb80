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
 * Property tests of every resampling node against ComfyUI's node bodies on the real torch 1.13 / PIL 9.4:
 * random sizes (1-pixel, odd, up and down, aspect changes), channel and batch counts, contents (8-bit
 * values as loaded images have, arbitrary floats, ramps) and parameters, from fixed seeds. Every float32
 * output sample must be identical.
 */
const IMAGE_METHODS = ["nearest-exact", "bilinear", "area", "bicubic", "lanczos"] as const;
const LATENT_METHODS = ["nearest-exact", "bilinear", "area", "bicubic"] as const;
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

/**
 * bislerp over every layout torch gives its slerp (batch 1 is a transposed view with its own sum
 * orders), channel counts around the 8-lane vectors, and the special angles: zero vectors, parallel
 * and opposite neighbours.
 */
function bislerpCases(): NodeCase[] {
  const r = seeded(14);
  const cases: NodeCase[] = [];
  for (let i = 0; i < 60; i++) {
    const b = pick(r, [1, 1, 2]);
    const c = pick(r, [4, 4, 16, 3, 1, 2, 5, 8, 9, 17]);
    const h = pick(r, [1, randInt(r, 1, 20), randInt(r, 2, 20)]);
    const w = pick(r, [1, randInt(r, 1, 20), randInt(r, 2, 20)]);
    const t = randomTensor([b, c, h, w], "float", r);
    const special = pick(r, ["none", "none", "zeros", "parallel", "opposite"]);
    for (let k = 0; k < t.data.length; k++) {
      const v = Math.fround(4 * (t.data[k] as number) - 2);
      const x = k % w;
      // Every other column is zero, a multiple or the negation of its left neighbour.
      const left = x > 0 && x % 2 === 1 ? (t.data[k - 1] as number) : undefined;
      t.data[k] =
        left === undefined || special === "none"
          ? v
          : special === "zeros"
            ? 0
            : special === "parallel"
              ? Math.fround(2 * left)
              : -left;
    }
    const label = `${b}×${c}×${h}×${w} ${special}`;
    if (r() < 0.5) {
      const scale_by = pick(r, [1.5, 0.5, 2, 0.75, 1.37, Math.round(r() * 300) / 100 + 0.01]);
      cases.push({
        node: "LatentUpscaleBy",
        inputs: { samples: { samples: t }, upscale_method: "bislerp", scale_by },
        label: `LatentUpscaleBy ${label} × ${scale_by} bislerp`,
      });
    } else {
      const width = pick(r, [0, 8 * randInt(r, 8, 32)]);
      const height = pick(r, [0, 8 * randInt(r, 8, 32)]);
      const crop = pick(r, ["disabled", "center"]);
      cases.push({
        node: "LatentUpscale",
        inputs: { samples: { samples: t }, upscale_method: "bislerp", width, height, crop },
        label: `LatentUpscale ${label} → ${width}×${height} bislerp ${crop}`,
      });
    }
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
      "LatentUpscale, LatentUpscaleBy": latentCases(),
      "LatentUpscale, LatentUpscaleBy with bislerp": bislerpCases(),
      JoinImageWithAlpha: joinCases(),
    };
    compareFamilies(python, families);
  },
);
