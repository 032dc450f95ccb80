import { tensor } from "../tensor/tensor.js";
import { BATCH_SIZE, defineNode, INT, out, RESOLUTION } from "./define.js";

// comfy_extras/nodes_stable_cascade.py

export const nodes = [
  defineNode(
    {
      name: "StableCascade_EmptyLatentImage",
      category: "latent/stable_cascade",
      module: "comfy_extras.nodes_stable_cascade",
      v3: true,
      required: {
        width: RESOLUTION(1024, 256, 8),
        height: RESOLUTION(1024, 256, 8),
        compression: INT({ default: 42, min: 4, max: 128, step: 1 }),
        batch_size: BATCH_SIZE,
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
