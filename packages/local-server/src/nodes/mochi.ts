import { tensor } from "../tensor/tensor.js";
import { defineNode, INT, MAX_RESOLUTION, out } from "./define.js";

// comfy_extras/nodes_mochi.py

export const nodes = [
  defineNode(
    {
      name: "EmptyMochiLatentVideo",
      category: "latent/video",
      module: "comfy_extras.nodes_mochi",
      v3: true,
      required: {
        width: INT({ default: 848, min: 16, max: MAX_RESOLUTION, step: 16 }),
        height: INT({ default: 480, min: 16, max: MAX_RESOLUTION, step: 16 }),
        length: INT({ default: 25, min: 7, max: MAX_RESOLUTION, step: 6 }),
        batch_size: INT({ default: 1, min: 1, max: 4096 }),
      },
      outputs: [["LATENT"]],
    },
    (i) =>
      out({
        samples: tensor([
          i.batch_size,
          12,
          Math.floor((i.length - 1) / 6) + 1,
          Math.floor(i.height / 8),
          Math.floor(i.width / 8),
        ]),
      }),
  ),
];
