import { emptyVideoLatent } from "../tensor/video-latent.js";
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
    (i) => out({ samples: emptyVideoLatent({ channels: 12, framesPerLatent: 6, pixelsPerLatent: 8 }, i) }),
  ),
];
