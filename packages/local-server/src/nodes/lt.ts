import { linspace } from "../tensor/linspace.js";
import { catBatch } from "../tensor/ops.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { emptyVideoLatent } from "../tensor/video-latent.js";
import { compressFrame } from "../video/compress-frame.js";
import { BATCH_SIZE, BOOLEAN, defineNode, FLOAT, INT, out, RESOLUTION, T } from "./define.js";

// comfy_extras/nodes_lt.py

const ltxvScheduler = defineNode(
  {
    name: "LTXVScheduler",
    category: "sampling/custom_sampling/schedulers",
    module: "comfy_extras.nodes_lt",
    v3: true,
    required: {
      steps: INT({ default: 20, min: 1, max: 10000 }),
      max_shift: FLOAT({ default: 2.05, min: 0.0, max: 100.0, step: 0.01 }),
      base_shift: FLOAT({ default: 0.95, min: 0.0, max: 100.0, step: 0.01 }),
      stretch: BOOLEAN({ tooltip: "Stretch the sigmas to be in the range [terminal, 1].", default: true }),
      terminal: FLOAT({
        tooltip: "The terminal value of the sigmas after stretching.",
        default: 0.1,
        min: 0.0,
        max: 0.99,
        step: 0.01,
      }),
    },
    optional: { latent: T("LATENT", {}) },
    outputs: [["SIGMAS"]],
  },
  (inputs) => {
    const { latent } = inputs;
    const tokens = latent ? latent.samples.shape.slice(2).reduce((a, b) => a * b, 1) : 4096;
    const maxShift = inputs.max_shift;
    const baseShift = inputs.base_shift;
    const mm = (maxShift - baseShift) / (4096 - 1024);
    const shift = tokens * mm + (baseShift - mm * 1024);
    const e = Math.exp(shift);
    const s = linspace(1, 0, inputs.steps + 1).data.map((v) =>
      v !== 0 ? Math.fround(e / (e + Math.fround(Math.fround(1 / v) - 1))) : 0,
    );
    if (inputs.stretch) {
      const nonZero = Array.from(s).filter((v) => v !== 0);
      const last = Math.fround(1 - (nonZero.at(-1) ?? 1));
      const scale = Math.fround(last / (1 - inputs.terminal));
      for (let i = 0; i < s.length; i++)
        if (s[i] !== 0) s[i] = Math.fround(1 - Math.fround(Math.fround(1 - (s[i] as number)) / scale));
    }
    return out(tensor([s.length], s));
  },
);

export const nodes = [
  ltxvScheduler,
  defineNode(
    {
      name: "EmptyLTXVLatentVideo",
      category: "latent/video/ltxv",
      module: "comfy_extras.nodes_lt",
      v3: true,
      required: {
        width: RESOLUTION(768, 64, 32),
        height: RESOLUTION(512, 64, 32),
        length: RESOLUTION(97, 1, 8),
        batch_size: BATCH_SIZE,
      },
      outputs: [["LATENT"]],
    },
    (i) => out({ samples: emptyVideoLatent({ channels: 128, framesPerLatent: 8, pixelsPerLatent: 32 }, i) }),
  ),
  defineNode(
    {
      name: "LTXVPreprocess",
      category: "image",
      module: "comfy_extras.nodes_lt",
      v3: true,
      required: {
        image: T("IMAGE", {}),
        img_compression: INT({
          tooltip: "Amount of compression to apply on image.",
          default: 35,
          min: 0,
          max: 100,
        }),
      },
      outputs: [["IMAGE", "output_image"]],
    },
    async (i) => {
      if (i.img_compression === 0) return out(i.image);
      const frames: Tensor[] = [];
      for (let b = 0; b < (i.image.shape[0] ?? 0); b++)
        frames.push(await compressFrame(i.image, b, i.img_compression));
      return out(catBatch(frames));
    },
  ),
];
