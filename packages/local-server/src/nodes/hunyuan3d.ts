import { tensor } from "../tensor/tensor.js";
import { defineNode, INT, out } from "./define.js";

// comfy_extras/nodes_hunyuan3d.py

export const nodes = [
  defineNode(
    {
      name: "EmptyLatentHunyuan3Dv2",
      category: "latent/3d",
      module: "comfy_extras.nodes_hunyuan3d",
      required: {
        resolution: INT({ default: 3072, min: 1, max: 8192 }),
        batch_size: INT({
          default: 1,
          min: 1,
          max: 4096,
          tooltip: "The number of latent images in the batch.",
        }),
      },
      outputs: [["LATENT"]],
    },
    (inputs) =>
      out({
        samples: tensor([inputs.batch_size, 64, inputs.resolution]),
        type: "hunyuan3dv2",
      }),
  ),
];
