import { tensor } from "../tensor/tensor.js";
import { defineNode, INT, MAX_RESOLUTION, out } from "./define.js";

// comfy_extras/nodes_sd3.py

export const nodes = [
  defineNode(
    {
      name: "EmptySD3LatentImage",
      category: "latent/sd3",
      module: "comfy_extras.nodes_sd3",
      v3: true,
      required: {
        width: INT({ default: 1024, min: 16, max: MAX_RESOLUTION, step: 16 }),
        height: INT({ default: 1024, min: 16, max: MAX_RESOLUTION, step: 16 }),
        batch_size: INT({ default: 1, min: 1, max: 4096 }),
      },
      outputs: [["LATENT"]],
    },
    (i) => out({ samples: tensor([i.batch_size, 16, Math.floor(i.height / 8), Math.floor(i.width / 8)]) }),
  ),
];
