import { tensor } from "../tensor/tensor.js";
import { BATCH_SIZE, defineNode, out, RESOLUTION } from "./define.js";

// comfy_extras/nodes_mochi.py

export const nodes = [
  defineNode(
    {
      name: "EmptyMochiLatentVideo",
      category: "latent/video",
      module: "comfy_extras.nodes_mochi",
      v3: true,
      required: {
        width: RESOLUTION(848, 16, 16),
        height: RESOLUTION(480, 16, 16),
        length: RESOLUTION(25, 7, 6),
        batch_size: BATCH_SIZE,
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
