import { describeWithPython } from "@comfy-ts/test-support";
import {
  byNode,
  compareFamilies,
  type NodeCase,
  pick,
  REFERENCE_MODULES,
  randInt,
  randomTensor,
  seeded,
} from "./reference.js";

/**
 * The latent arithmetic of nodes_latent.py against ComfyUI's bodies on torch 1.13: LatentAdd,
 * LatentSubtract, LatentInterpolate and LatentBatch fit the second latent to the first (bilinear with a
 * center crop, then the batch repeated or cut), LatentInterpolate's norms broadcast by trailing axes
 * (ComfyUI 0.3.65 does not keep the reduced axis, so batches and channels must agree or broadcast);
 * channel counts, batches, sizes, ratios and multipliers drawn from fixed seeds; LatentRotate, LatentFlip
 * and LatentComposite (offsets past the edges, feathering, batches that broadcast or fail). Float32-exact.
 */
function cases(): NodeCase[] {
  const r = seeded(71);
  const out: NodeCase[] = [];
  const latent = (b = pick(r, [1, 1, 2, 3]), c = pick(r, [4, 4, 16, 1, 3])) => {
    const h = pick(r, [1, randInt(r, 1, 12), randInt(r, 8, 40)]);
    const w = pick(r, [1, randInt(r, 1, 12), randInt(r, 8, 40)]);
    const t = randomTensor([b, c, h, w], "float", r);
    for (let i = 0; i < t.data.length; i++) t.data[i] = Math.fround(4 * (t.data[i] as number) - 2);
    return { value: { samples: t }, label: `${b}×${c}×${h}×${w}` };
  };
  const second = (first: ReturnType<typeof latent>) => {
    const [b, c] = first.value.samples.shape as [number, number];
    return pick(r, [
      { value: { samples: randomTensor(first.value.samples.shape, "float", r) }, label: "same shape" },
      latent(pick(r, [b, 1, 2]), c),
      latent(pick(r, [b, 1, 3]), pick(r, [c, c, 4])),
    ]);
  };
  for (const node of ["LatentAdd", "LatentSubtract", "LatentBatch"]) {
    for (let i = 0; i < 10; i++) {
      const a = latent();
      const b = second(a);
      out.push({
        node,
        inputs: { samples1: a.value, samples2: b.value },
        label: `${node} ${a.label} with ${b.label}`,
      });
    }
  }
  for (let i = 0; i < 12; i++) {
    const a = latent();
    const b = second(a);
    const ratio = pick(r, [0, 1, 0.5, Math.round(r() * 100) / 100]);
    out.push({
      node: "LatentInterpolate",
      inputs: { samples1: a.value, samples2: b.value, ratio },
      label: `LatentInterpolate ${a.label} with ${b.label} at ${ratio}`,
    });
  }
  for (let i = 0; i < 6; i++) {
    const a = latent();
    const multiplier = pick(r, [0, 1, -1, 0.18215, Math.round(r() * 2000) / 100 - 10]);
    out.push({
      node: "LatentMultiply",
      inputs: { samples: a.value, multiplier },
      label: `LatentMultiply ${a.label} × ${multiplier}`,
    });
  }
  for (let i = 0; i < 8; i++) {
    const a = latent();
    const rotation = ["none", "90 degrees", "180 degrees", "270 degrees"][i % 4] as string;
    out.push({
      node: "LatentRotate",
      inputs: { samples: a.value, rotation },
      label: `LatentRotate ${a.label} ${rotation}`,
    });
    const flip_method = i % 2 === 0 ? "x-axis: vertically" : "y-axis: horizontally";
    out.push({
      node: "LatentFlip",
      inputs: { samples: a.value, flip_method },
      label: `LatentFlip ${a.label} ${flip_method}`,
    });
  }
  for (let i = 0; i < 24; i++) {
    const to = latent(pick(r, [1, 2]), 4);
    const from = pick(r, [latent(pick(r, [1, 2]), 4), latent(to.value.samples.shape[0], 4)]);
    const [, , h, w] = to.value.samples.shape as [number, number, number, number];
    const x = 8 * pick(r, [0, randInt(r, 0, w), randInt(r, 0, w - 1), w + 2]) + pick(r, [0, 0, 5]);
    const y = 8 * pick(r, [0, randInt(r, 0, h), randInt(r, 0, h - 1), h + 2]) + pick(r, [0, 0, 3]);
    const feather = pick(r, [0, 0, 8, 16, randInt(r, 0, 40)]);
    out.push({
      node: "LatentComposite",
      inputs: { samples_to: to.value, samples_from: from.value, x, y, feather },
      label: `LatentComposite ${to.label} ← ${from.label} at ${x},${y} feather ${feather}`,
    });
  }
  return out;
}

describeWithPython(
  "latent arithmetic and layout vs torch 1.13 (float32-exact)",
  REFERENCE_MODULES,
  (python) => {
    compareFamilies(python, byNode(cases()));
  },
);
