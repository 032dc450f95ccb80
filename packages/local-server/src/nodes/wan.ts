import { narrow } from "../tensor/ops.js";
import { defineNode, INT, out, T } from "./define.js";

// comfy_extras/nodes_wan.py

export const nodes = [
  defineNode(
    {
      name: "TrimVideoLatent",
      category: "latent/video",
      module: "comfy_extras.nodes_wan",
      v3: true,
      required: { samples: T("LATENT", {}), trim_amount: INT({ default: 0, min: 0, max: 99999 }) },
      outputs: [["LATENT"]],
    },
    (inputs) => {
      const s = inputs.samples;
      const t = s.samples;
      const frames = t.shape[2] ?? 0;
      const start = Math.min(inputs.trim_amount, frames);
      return out({ ...s, samples: narrow(t, 2, start, frames - start) });
    },
  ),
];
