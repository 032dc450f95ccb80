import { FLOAT, INT, unsupportedNode, V3COMBO } from "./define.js";

// comfy_extras/nodes_optimalsteps.py

export const nodes = [
  unsupportedNode(
    {
      name: "OptimalStepsScheduler",
      category: "sampling/custom_sampling/schedulers",
      module: "comfy_extras.nodes_optimalsteps",
      v3: true,
      required: {
        model_type: V3COMBO(["FLUX", "Wan", "Chroma"]),
        steps: INT({ default: 20, min: 3, max: 1000 }),
        denoise: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
      },
      outputs: [["SIGMAS"]],
    },
    "its noise-level tables are not included",
  ),
];
