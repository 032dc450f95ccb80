import { FLOAT, INT, unsupportedNode, V3COMBO } from "./define.js";

// comfy_extras/nodes_align_your_steps.py

export const nodes = [
  unsupportedNode(
    {
      name: "AlignYourStepsScheduler",
      category: "sampling/custom_sampling/schedulers",
      module: "comfy_extras.nodes_align_your_steps",
      v3: true,
      required: {
        model_type: V3COMBO(["SD1", "SDXL", "SVD"]),
        steps: INT({ default: 10, min: 1, max: 10000 }),
        denoise: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
      },
      outputs: [["SIGMAS"]],
    },
    "its noise-level tables are not included",
  ),
];
