import { tensor } from "../tensor/tensor.js";
import { BATCH_SIZE, defineNode, out, RESOLUTION } from "./define.js";

// comfy_extras/nodes_chroma_radiance.py

const emptyChromaRadianceLatentImage = defineNode(
  {
    name: "EmptyChromaRadianceLatentImage",
    category: "latent/chroma_radiance",
    module: "comfy_extras.nodes_chroma_radiance",
    v3: true,
    required: {
      width: RESOLUTION(1024, 16, 16),
      height: RESOLUTION(1024, 16, 16),
      batch_size: BATCH_SIZE,
    },
    outputs: [["LATENT"]],
  },
  (inputs) => out({ samples: tensor([inputs.batch_size, 3, inputs.height, inputs.width]) }),
);

export const nodes = [emptyChromaRadianceLatentImage];
