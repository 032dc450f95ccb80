import { tensor } from "../tensor/tensor.js";
import { defineNode, FLOAT, INT, out } from "./define.js";

// comfy_extras/nodes_ace.py

export const nodes = [
  defineNode(
    {
      name: "EmptyAceStepLatentAudio",
      category: "latent/audio",
      module: "comfy_extras.nodes_ace",
      v3: true,
      required: {
        seconds: FLOAT({ default: 120.0, min: 1.0, max: 1000.0, step: 0.1 }),
        batch_size: INT({
          tooltip: "The number of latent images in the batch.",
          default: 1,
          min: 1,
          max: 4096,
        }),
      },
      outputs: [["LATENT"]],
    },
    (i) =>
      out({
        samples: tensor([i.batch_size, 8, 16, Math.trunc((i.seconds * 44100) / 512 / 8)]),
        type: "audio",
      }),
  ),
];
