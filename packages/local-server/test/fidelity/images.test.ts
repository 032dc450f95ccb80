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
 * The image nodes of nodes.py and nodes_images.py that make, cut and pad images, against ComfyUI's
 * bodies on torch 1.13: EmptyImage colours (every channel's byte / 255 in float32), ImageInvert,
 * ImageCrop (offsets past the edge clamp to the last pixel), RepeatImageBatch, ImageFromBatch (indices
 * and lengths past the batch), ImagePadForOutpaint (feathering on and off, on every side, and too wide
 * for the image). Float32-exact.
 */
const CONTENTS: readonly Content[] = ["bytes", "float", "ramp", "flat"];

function cases(): NodeCase[] {
  const r = seeded(81);
  const out: NodeCase[] = [];
  const image = (b = pick(r, [1, 1, 2, 3]), c = pick(r, [3, 3, 4, 1])) => {
    const h = pick(r, [1, randInt(r, 1, 16), randInt(r, 8, 48)]);
    const w = pick(r, [1, randInt(r, 1, 16), randInt(r, 8, 48)]);
    const content = pick(r, CONTENTS);
    return { t: randomTensor([b, h, w, c], content, r), label: `${b}×${h}×${w}×${c} ${content}` };
  };
  for (let i = 0; i < 12; i++) {
    const color = pick(r, [0, 0xffffff, 0x1d3557, 0xe63946, randInt(r, 0, 0xffffff)]);
    const width = randInt(r, 1, 24);
    const height = randInt(r, 1, 24);
    const batch_size = pick(r, [1, 2]);
    out.push({
      node: "EmptyImage",
      inputs: { width, height, batch_size, color },
      label: `EmptyImage ${batch_size}×${height}×${width} #${color.toString(16)}`,
    });
  }
  for (let i = 0; i < 6; i++) {
    const im = image();
    out.push({ node: "ImageInvert", inputs: { image: im.t }, label: `ImageInvert ${im.label}` });
  }
  for (let i = 0; i < 12; i++) {
    const im = image();
    const [, h, w] = im.t.shape as [number, number, number];
    const x = pick(r, [0, randInt(r, 0, w), w + 5]);
    const y = pick(r, [0, randInt(r, 0, h), h + 5]);
    const width = pick(r, [1, randInt(r, 1, w + 4), 512]);
    const height = pick(r, [1, randInt(r, 1, h + 4), 512]);
    out.push({
      node: "ImageCrop",
      inputs: { image: im.t, width, height, x, y },
      label: `ImageCrop ${im.label} at ${x},${y} ${width}×${height}`,
    });
  }
  for (let i = 0; i < 6; i++) {
    const im = image();
    const amount = pick(r, [1, 2, 3]);
    out.push({
      node: "RepeatImageBatch",
      inputs: { image: im.t, amount },
      label: `RepeatImageBatch ${im.label} × ${amount}`,
    });
    const batch_index = pick(r, [0, 1, 2, 5]);
    const length = pick(r, [1, 2, 4]);
    out.push({
      node: "ImageFromBatch",
      inputs: { image: im.t, batch_index, length },
      label: `ImageFromBatch ${im.label} from ${batch_index} × ${length}`,
    });
  }
  for (let i = 0; i < 14; i++) {
    const im = image(pick(r, [1, 2]), pick(r, [3, 4]));
    const side = () => pick(r, [0, 0, randInt(r, 1, 24)]);
    const [left, top, right, bottom] = [side(), side(), side(), side()];
    const feathering = pick(r, [0, 1, 4, randInt(r, 1, 30)]);
    out.push({
      node: "ImagePadForOutpaint",
      inputs: { image: im.t, left, top, right, bottom, feathering },
      label: `ImagePadForOutpaint ${im.label} ${left},${top},${right},${bottom} feather ${feathering}`,
    });
  }
  return out;
}

describeWithPython(
  "image making, cutting and padding vs torch 1.13 (float32-exact)",
  REFERENCE_MODULES,
  (python) => {
    compareFamilies(python, byNode(cases()));
  },
);
