import { emptyVideoLatent } from "../tensor/video-latent.js";
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
    (i) => out({ samples: emptyVideoLatent({ channels: 16, framesPerLatent: 8, pixelsPerLatent: 8 }, i) }),
  ),
];
