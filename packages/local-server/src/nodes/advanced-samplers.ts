import { defineNode, FLOAT, INT, out, V3COMBO } from "./define.js";
import type { SamplerObject } from "./socket-types.js";

// comfy_extras/nodes_advanced_samplers.py

const NODE = { module: "comfy_extras.nodes_advanced_samplers", v3: true, outputs: [["SAMPLER"]] } as const;

export const nodes = [
  defineNode(
    {
      ...NODE,
      name: "SamplerLCMUpscale",
      category: "sampling/custom_sampling/samplers",
      required: {
        scale_ratio: FLOAT({ default: 1.0, min: 0.1, max: 20.0, step: 0.01 }),
        scale_steps: INT({ default: -1, min: -1, max: 1000, step: 1 }),
        upscale_method: V3COMBO(["bislerp", "nearest-exact", "bilinear", "area", "bicubic"]),
      },
    },
    (inputs) => out({ kind: "sampler", name: "lcm_upscale", options: { ...inputs } } satisfies SamplerObject),
  ),
  defineNode(
    {
      ...NODE,
      name: "SamplerEulerCFGpp",
      display: "SamplerEulerCFG++",
      category: "_for_testing",
      experimental: true,
      required: { version: V3COMBO(["regular", "alternative"]) },
    },
    (inputs) =>
      out({ kind: "sampler", name: "euler_cfg_pp", options: { ...inputs } } satisfies SamplerObject),
  ),
];
