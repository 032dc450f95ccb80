import { tensor } from "../tensor/tensor.js";
import { emptyVideoLatent } from "../tensor/video-latent.js";
import { BATCH_SIZE, defineNode, out, RESOLUTION } from "./define.js";

// comfy_extras/nodes_hunyuan.py

export const nodes = [
  defineNode(
    {
      name: "EmptyHunyuanLatentVideo",
      category: "latent/video",
      module: "comfy_extras.nodes_hunyuan",
      v3: true,
      required: {
        width: RESOLUTION(848, 16, 16),
        height: RESOLUTION(480, 16, 16),
        length: RESOLUTION(25, 1, 4),
        batch_size: BATCH_SIZE,
      },
      outputs: [["LATENT"]],
    },
    (i) => out({ samples: emptyVideoLatent({ channels: 16, framesPerLatent: 4, pixelsPerLatent: 8 }, i) }),
  ),
  defineNode(
    {
      name: "EmptyHunyuanImageLatent",
      category: "latent",
      module: "comfy_extras.nodes_hunyuan",
      v3: true,
      required: {
        width: RESOLUTION(2048, 64, 32),
        height: RESOLUTION(2048, 64, 32),
        batch_size: BATCH_SIZE,
      },
      outputs: [["LATENT"]],
    },
    (i) => out({ samples: tensor([i.batch_size, 64, Math.floor(i.height / 32), Math.floor(i.width / 32)]) }),
  ),
];
