import { tensor } from "../tensor/tensor.js";
import { BATCH_SIZE, defineNode, out, RESOLUTION } from "./define.js";

// comfy_extras/nodes_sd3.py

export const nodes = [
  defineNode(
    {
      name: "EmptySD3LatentImage",
      category: "latent/sd3",
      module: "comfy_extras.nodes_sd3",
      v3: true,
      required: {
        width: RESOLUTION(1024, 16, 16),
        height: RESOLUTION(1024, 16, 16),
        batch_size: BATCH_SIZE,
      },
      outputs: [["LATENT"]],
    },
    (i) => out({ samples: tensor([i.batch_size, 16, Math.floor(i.height / 8), Math.floor(i.width / 8)]) }),
  ),
];
