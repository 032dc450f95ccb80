import { tensor } from "../tensor/tensor.js";
import { defineNode, INT, MAX_RESOLUTION, out } from "./define.js";

// comfy_extras/nodes_chroma_radiance.py

const emptyChromaRadianceLatentImage = defineNode(
  {
    name: "EmptyChromaRadianceLatentImage",
    category: "latent/chroma_radiance",
    module: "comfy_extras.nodes_chroma_radiance",
    v3: true,
    required: {
      width: INT({ default: 1024, min: 16, max: MAX_RESOLUTION, step: 16 }),
      height: INT({ default: 1024, min: 16, max: MAX_RESOLUTION, step: 16 }),
      batch_size: INT({ default: 1, min: 1, max: 4096 }),
    },
    outputs: [["LATENT"]],
  },
  (inputs) => out({ samples: tensor([inputs.batch_size, 3, inputs.height, inputs.width]) }),
);

export const nodes = [emptyChromaRadianceLatentImage];
