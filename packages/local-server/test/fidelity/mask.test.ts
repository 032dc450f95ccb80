import { describeWithPython } from "@comfy-ts/test-support";
import {
  byNode,
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
 * Every node of nodes_mask.py against ComfyUI's bodies on torch 1.13 (GrowMask on scipy's grey
 * morphology): random mask and image sizes, batches that repeat or broadcast, offsets inside and
 * past the edges, every MaskComposite operation, other channel counts for ImageCompositeMasked
 * (node_helpers.image_alpha_fix), with and without masks and source resizing.
 */
const CONTENTS: readonly Content[] = ["bytes", "float", "ramp", "flat"];

function maskCases(): NodeCase[] {
  const r = seeded(51);
  const out: NodeCase[] = [];
  const mask = (b = pick(r, [1, 1, 2, 3])) => {
    const h = pick(r, [1, randInt(r, 1, 24), randInt(r, 2, 40)]);
    const w = pick(r, [1, randInt(r, 1, 24), randInt(r, 2, 40)]);
    const content = pick(r, CONTENTS);
    return { t: randomTensor([b, h, w], content, r), label: `mask ${b}×${h}×${w} ${content}` };
  };
  const image = (b = pick(r, [1, 1, 2]), c = pick(r, [3, 3, 4, 1])) => {
    const h = pick(r, [1, randInt(r, 1, 24), randInt(r, 2, 40)]);
    const w = pick(r, [1, randInt(r, 1, 24), randInt(r, 2, 40)]);
    const content = pick(r, CONTENTS);
    return { t: randomTensor([b, h, w, c], content, r), label: `image ${b}×${h}×${w}×${c} ${content}` };
  };
  const add = (node: string, inputs: Record<string, unknown>, label: string) =>
    out.push({ node, inputs, label: `${node} ${label}` });

  for (let i = 0; i < 8; i++) {
    const m = mask();
    add("MaskToImage", { mask: m.t }, m.label);
    add("InvertMask", { mask: m.t }, m.label);
    const value = pick(r, [0, 0.5, 1, Math.round(r() * 100) / 100]);
    add("ThresholdMask", { mask: m.t, value }, `${m.label} > ${value}`);
  }
  for (let i = 0; i < 8; i++) {
    const im = image(pick(r, [1, 2]), pick(r, [3, 4, 4]));
    const channel = pick(r, ["red", "green", "blue", "alpha"]);
    add("ImageToMask", { image: im.t, channel }, `${im.label} ${channel}`);
    // Colours present in the image, and others.
    const k = randInt(r, 0, im.t.data.length / (im.t.shape[3] as number) - 1) * (im.t.shape[3] as number);
    const byte = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);
    const present =
      (byte(im.t.data[k] as number) << 16) +
      (byte(im.t.data[k + 1] as number) << 8) +
      byte(im.t.data[k + 2] as number);
    const color = pick(r, [present, present, 0, 0xffffff, randInt(r, 0, 0xffffff)]);
    add("ImageColorToMask", { image: im.t, color }, `${im.label} #${color.toString(16)}`);
  }
  for (let i = 0; i < 4; i++) {
    const value = pick(r, [0, 1, 0.5, Math.round(r() * 100) / 100]);
    const width = randInt(r, 1, 40);
    const height = randInt(r, 1, 40);
    add("SolidMask", { value, width, height }, `${value} ${width}×${height}`);
  }
  for (let i = 0; i < 10; i++) {
    const m = mask();
    const [, h, w] = m.t.shape as [number, number, number];
    const x = pick(r, [0, randInt(r, 0, w), randInt(r, 0, w + 10)]);
    const y = pick(r, [0, randInt(r, 0, h), randInt(r, 0, h + 10)]);
    const width = pick(r, [1, randInt(r, 1, w + 5), 512]);
    const height = pick(r, [1, randInt(r, 1, h + 5), 512]);
    add("CropMask", { mask: m.t, x, y, width, height }, `${m.label} at ${x},${y} ${width}×${height}`);
  }
  for (let i = 0; i < 24; i++) {
    const d = mask();
    const s = mask(pick(r, [1, d.t.shape[0] as number, 2]));
    const [, h, w] = d.t.shape as [number, number, number];
    const operation = ["multiply", "add", "subtract", "and", "or", "xor"][i % 6] as string;
    const x = pick(r, [0, randInt(r, 0, w), randInt(r, 0, w + 8)]);
    const y = pick(r, [0, randInt(r, 0, h), randInt(r, 0, h + 8)]);
    add(
      "MaskComposite",
      { destination: d.t, source: s.t, x, y, operation },
      `${d.label} ← ${s.label} at ${x},${y} ${operation}`,
    );
  }
  for (let i = 0; i < 12; i++) {
    const m = mask();
    const edge = () => pick(r, [0, 0, 1, randInt(r, 1, 12), randInt(r, 1, 50)]);
    const [left, top, right, bottom] = [edge(), edge(), edge(), edge()];
    add(
      "FeatherMask",
      { mask: m.t, left, top, right, bottom },
      `${m.label} ${left},${top},${right},${bottom}`,
    );
  }
  for (let i = 0; i < 24; i++) {
    const d = image();
    const s = image(pick(r, [1, d.t.shape[0] as number, 2]), pick(r, [d.t.shape[3] as number, 3, 4, 1]));
    const [, h, w] = d.t.shape as [number, number, number, number];
    const x = pick(r, [0, randInt(r, 0, w), randInt(r, 0, w + 8)]);
    const y = pick(r, [0, randInt(r, 0, h), randInt(r, 0, h + 8)]);
    const resize_source = r() < 0.3;
    const m = r() < 0.5 ? mask(pick(r, [1, 2, 3])) : undefined;
    add(
      "ImageCompositeMasked",
      { destination: d.t, source: s.t, x, y, resize_source, ...(m ? { mask: m.t } : {}) },
      `${d.label} ← ${s.label} at ${x},${y}${resize_source ? " resized" : ""}${m ? ` with ${m.label}` : ""}`,
    );
  }
  for (let i = 0; i < 16; i++) {
    const latent = (b: number) => {
      const c = pick(r, [4, 4, 16, 1]);
      const h = randInt(r, 1, 16);
      const w = randInt(r, 1, 16);
      return { t: randomTensor([b, c, h, w], "float", r), label: `latent ${b}×${c}×${h}×${w}` };
    };
    const d = latent(pick(r, [1, 2]));
    const s = r() < 0.7 ? latent(pick(r, [1, 2, 3])) : { ...d, label: "same" };
    const [, , h, w] = d.t.shape as [number, number, number, number];
    const x = 8 * pick(r, [0, randInt(r, 0, w), randInt(r, 0, w + 4)]);
    const y = 8 * pick(r, [0, randInt(r, 0, h), randInt(r, 0, h + 4)]);
    const resize_source = r() < 0.3;
    const m = r() < 0.5 ? mask(pick(r, [1, 2])) : undefined;
    add(
      "LatentCompositeMasked",
      {
        destination: { samples: d.t },
        source: { samples: s.t },
        x,
        y,
        resize_source,
        ...(m ? { mask: m.t } : {}),
      },
      `${d.label} ← ${s.label} at ${x},${y}${resize_source ? " resized" : ""}${m ? ` with ${m.label}` : ""}`,
    );
  }
  return out;
}

/**
 * ImageCompositeMasked resizing a source whose torch layout is not dense NHWC — a 4-channel source
 * cut to 3 channels (a view), ImageBlur's output (a view of conv2d's NCHW result) — which decides
 * torch's bilinear kernel.
 */
function resizedSourceCases(): NodeCase[] {
  const r = seeded(53);
  const out: NodeCase[] = [];
  const image = (c: number) => {
    const b = pick(r, [1, 1, 2]);
    const h = randInt(r, 4, 40);
    const w = randInt(r, 4, 40);
    return { t: randomTensor([b, h, w, c], pick(r, CONTENTS), r), label: `image ${b}×${h}×${w}×${c}` };
  };
  for (let i = 0; i < 16; i++) {
    const d = image(3);
    const x = pick(r, [0, randInt(r, 0, 20)]);
    const y = pick(r, [0, randInt(r, 0, 20)]);
    const compositing = { destination: d.t, x, y, resize_source: true };
    if (i % 2 === 0) {
      const s = image(4);
      out.push({
        node: "ImageCompositeMasked",
        inputs: { ...compositing, source: s.t },
        label: `ImageCompositeMasked ${d.label} ← ${s.label} at ${x},${y} resized`,
      });
    } else {
      const s = image(pick(r, [3, 4]));
      const blur_radius = pick(r, [1, 2, 3]);
      out.push({
        node: "ImageBlur",
        inputs: { image: s.t, blur_radius, sigma: 1 },
        followedBy: { node: "ImageCompositeMasked", input: "source", inputs: compositing },
        label: `ImageBlur ${s.label} r${blur_radius}, then ImageCompositeMasked onto ${d.label} at ${x},${y} resized`,
      });
    }
  }
  return out;
}

function growCases(): NodeCase[] {
  const r = seeded(52);
  const out: NodeCase[] = [];
  for (let i = 0; i < 16; i++) {
    const b = pick(r, [1, 2]);
    const h = pick(r, [1, randInt(r, 1, 30)]);
    const w = pick(r, [1, randInt(r, 1, 30)]);
    const content = pick(r, CONTENTS);
    const expand = pick(r, [0, 1, -1, 3, -3, randInt(r, -8, 8)]);
    const tapered_corners = r() < 0.5;
    out.push({
      node: "GrowMask",
      inputs: { mask: randomTensor([b, h, w], content, r), expand, tapered_corners },
      label: `GrowMask ${b}×${h}×${w} ${content} ${expand} ${tapered_corners ? "tapered" : "square"}`,
    });
  }
  return out;
}

describeWithPython("mask nodes vs torch 1.13 (float32-exact)", REFERENCE_MODULES, (python) => {
  const cases = maskCases();
  compareFamilies(python, {
    ...byNode(cases),
    "ImageCompositeMasked with a resized source in another layout": resizedSourceCases(),
  });
});

describeWithPython("GrowMask vs scipy's grey morphology", [...REFERENCE_MODULES, "scipy"], (python) => {
  compareFamilies(python, { GrowMask: growCases() });
});
