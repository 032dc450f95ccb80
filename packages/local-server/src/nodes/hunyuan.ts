import { tensor } from "../tensor/tensor.js";
import { defineNode, INT, MAX_RESOLUTION, out } from "./define.js";

// comfy_extras/nodes_hunyuan.py

export const nodes = [
  defineNode(
    {
      name: "EmptyHunyuanLatentVideo",
      category: "latent/video",
      module: "comfy_extras.nodes_hunyuan",
      v3: true,
      required: {
        width: INT({ default: 848, min: 16, max: MAX_RESOLUTION, step: 16 }),
        height: INT({ default: 480, min: 16, max: MAX_RESOLUTION, step: 16 }),
        length: INT({ default: 25, min: 1, max: MAX_RESOLUTION, step: 4 }),
        batch_size: INT({ default: 1, min: 1, max: 4096 }),
      },
      outputs: [["LATENT"]],
    },
    (i) =>
      out({
        samples: tensor([
          i.batch_size,
          16,
          Math.floor((i.length - 1) / 4) + 1,
          Math.floor(i.height / 8),
          Math.floor(i.width / 8),
        ]),
      }),
  ),
  defineNode(
    {
      name: "EmptyHunyuanImageLatent",
      category: "latent",
      module: "comfy_extras.nodes_hunyuan",
      v3: true,
      required: {
        width: INT({ default: 2048, min: 64, max: MAX_RESOLUTION, step: 32 }),
        height: INT({ default: 2048, min: 64, max: MAX_RESOLUTION, step: 32 }),
        batch_size: INT({ default: 1, min: 1, max: 4096 }),
      },
      outputs: [["LATENT"]],
    },
    (i) => out({ samples: tensor([i.batch_size, 64, Math.floor(i.height / 32), Math.floor(i.width / 32)]) }),
  ),
];
