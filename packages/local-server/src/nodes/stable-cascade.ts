import { tensor } from "../tensor/tensor.js";
import { defineNode, INT, MAX_RESOLUTION, out } from "./define.js";

// comfy_extras/nodes_stable_cascade.py

export const nodes = [
  defineNode(
    {
      name: "StableCascade_EmptyLatentImage",
      category: "latent/stable_cascade",
      module: "comfy_extras.nodes_stable_cascade",
      v3: true,
      required: {
        width: INT({ default: 1024, min: 256, max: MAX_RESOLUTION, step: 8 }),
        height: INT({ default: 1024, min: 256, max: MAX_RESOLUTION, step: 8 }),
        compression: INT({ default: 42, min: 4, max: 128, step: 1 }),
        batch_size: INT({ default: 1, min: 1, max: 4096 }),
      },
      outputs: [
        ["LATENT", "stage_c"],
        ["LATENT", "stage_b"],
      ],
    },
    ({ width: w, height: h, compression: c, batch_size: b }) => {
      return out(
        { samples: tensor([b, 16, Math.floor(h / c), Math.floor(w / c)]) },
        { samples: tensor([b, 4, Math.floor(h / 4), Math.floor(w / 4)]) },
      );
    },
  ),
];
