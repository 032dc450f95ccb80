import { tensor } from "../tensor/tensor.js";
import { defineNode, INT, MAX_RESOLUTION, out } from "./define.js";

// comfy_extras/nodes_cosmos.py

export const nodes = [
  defineNode(
    {
      name: "EmptyCosmosLatentVideo",
      category: "latent/video",
      module: "comfy_extras.nodes_cosmos",
      v3: true,
      required: {
        width: INT({ default: 1280, min: 16, max: MAX_RESOLUTION, step: 16 }),
        height: INT({ default: 704, min: 16, max: MAX_RESOLUTION, step: 16 }),
        length: INT({ default: 121, min: 1, max: MAX_RESOLUTION, step: 8 }),
        batch_size: INT({ default: 1, min: 1, max: 4096 }),
      },
      outputs: [["LATENT"]],
    },
    (i) =>
      out({
        samples: tensor([
          i.batch_size,
          16,
          Math.floor((i.length - 1) / 8) + 1,
          Math.floor(i.height / 8),
          Math.floor(i.width / 8),
        ]),
      }),
  ),
];
