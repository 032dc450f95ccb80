import { tensor } from "../tensor/tensor.js";
import { BATCH_SIZE, defineNode, out, RESOLUTION } from "./define.js";

// comfy_extras/nodes_cosmos.py

export const nodes = [
  defineNode(
    {
      name: "EmptyCosmosLatentVideo",
      category: "latent/video",
      module: "comfy_extras.nodes_cosmos",
      v3: true,
      required: {
        width: RESOLUTION(1280, 16, 16),
        height: RESOLUTION(704, 16, 16),
        length: RESOLUTION(121, 1, 8),
        batch_size: BATCH_SIZE,
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
