import { FLOAT, INT, unsupportedNode } from "./define.js";

// comfy_extras/nodes_gits.py

export const nodes = [
  unsupportedNode(
    {
      name: "GITSScheduler",
      category: "sampling/custom_sampling/schedulers",
      module: "comfy_extras.nodes_gits",
      v3: true,
      required: {
        coeff: FLOAT({ default: 1.2, min: 0.8, max: 1.5, step: 0.05 }),
        steps: INT({ default: 10, min: 2, max: 1000 }),
        denoise: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
      },
      outputs: [["SIGMAS"]],
    },
    "its noise-level tables are not included",
  ),
];
