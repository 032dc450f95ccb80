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
 * ImageQuantize against ComfyUI's node body on the real PIL 9.4 (median cut, palette mapping,
 * Floyd–Steinberg, ComfyUI's Bayer dithering): random sizes, batches, colour counts and contents —
 * 8-bit noise, few-colour images, gradients (where dithering spreads errors furthest) — from fixed seeds.
 */
const DITHERS = ["none", "floyd-steinberg", "bayer-2", "bayer-4", "bayer-8", "bayer-16"] as const;

function gradient(b: number, h: number, w: number, random: () => number) {
  const t = randomTensor([b, h, w, 3], "float", random);
  const phase = random();
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < 3; k++) {
          const v =
            k === 0
              ? x / Math.max(1, w - 1)
              : k === 1
                ? y / Math.max(1, h - 1)
                : (phase + (x + y) / (w + h)) % 1;
          t.data[((n * h + y) * w + x) * 3 + k] = Math.fround(Math.floor(v * 255) / 255);
        }
  return t;
}

function fewColours(b: number, h: number, w: number, random: () => number) {
  const palette = Array.from({ length: randInt(random, 1, 6) }, () =>
    [0, 1, 2].map(() => Math.floor(random() * 256) / 255),
  );
  const t = randomTensor([b, h, w, 3], "float", random);
  for (let p = 0; p < b * h * w; p++) {
    const c = pick(random, palette);
    for (let k = 0; k < 3; k++) t.data[p * 3 + k] = c[k] as number;
  }
  return t;
}

function cases(): NodeCase[] {
  const r = seeded(21);
  const out: NodeCase[] = [];
  for (let i = 0; i < 90; i++) {
    const b = pick(r, [1, 1, 1, 2]);
    const h = pick(r, [1, randInt(r, 1, 48), randInt(r, 8, 64)]);
    const w = pick(r, [1, randInt(r, 1, 48), randInt(r, 8, 64)]);
    const kind = pick(r, ["gradient", "gradient", "bytes", "float", "few"] as const);
    const image =
      kind === "gradient"
        ? gradient(b, h, w, r)
        : kind === "few"
          ? fewColours(b, h, w, r)
          : randomTensor([b, h, w, 3], kind as Content, r);
    const dither = DITHERS[i % DITHERS.length] as string;
    const colors = pick(r, [1, 2, 3, 4, 5, 8, 12, 16, 32, 64, 200, 256, randInt(r, 1, 256)]);
    out.push({
      node: "ImageQuantize",
      inputs: { image, colors, dither },
      label: `ImageQuantize ${b}×${h}×${w} ${kind} ${colors} colours ${dither}`,
    });
  }
  return out;
}

describeWithPython("ImageQuantize vs PIL 9.4 (exact)", REFERENCE_MODULES, (python) => {
  const all = cases();
  compareFamilies(
    python,
    Object.fromEntries(DITHERS.map((d) => [`dither ${d}`, all.filter((c) => c.inputs.dither === d)])),
  );
});
