import { upscaleImage } from "../resample/common-upscale.js";
import { dim } from "../tensor/ops.js";
import { defineNode, FLOAT, listedOnly, out, T } from "./define.js";

// comfy_extras/nodes_flux.py

/** Flux Kontext's preferred resolutions (width, height). */
const KONTEXT_RESOLUTIONS: ReadonlyArray<readonly [number, number]> = [
  [672, 1568],
  [688, 1504],
  [720, 1456],
  [752, 1392],
  [800, 1328],
  [832, 1248],
  [880, 1184],
  [944, 1104],
  [1024, 1024],
  [1104, 944],
  [1184, 880],
  [1248, 832],
  [1328, 800],
  [1392, 752],
  [1456, 720],
  [1504, 688],
  [1568, 672],
];

const fluxKontextImageScale = defineNode(
  {
    name: "FluxKontextImageScale",
    category: "advanced/conditioning/flux",
    module: "comfy_extras.nodes_flux",
    description: "This node resizes the image to one that is more optimal for flux kontext.",
    v3: true,
    required: { image: T("IMAGE", {}) },
    outputs: [["IMAGE"]],
  },
  (inputs) => {
    const image = inputs.image;
    const aspect = dim(image, 2) / dim(image, 1);
    // min over (|aspect − w/h|, w, h) tuples, as Python compares them.
    let best = KONTEXT_RESOLUTIONS[0] as readonly [number, number];
    let bestKey = [Number.POSITIVE_INFINITY, 0, 0];
    for (const [w, h] of KONTEXT_RESOLUTIONS) {
      const key = [Math.abs(aspect - w / h), w, h];
      const less =
        key[0]! < bestKey[0]! ||
        (key[0] === bestKey[0] &&
          (key[1]! < bestKey[1]! || (key[1] === bestKey[1] && key[2]! < bestKey[2]!)));
      if (less) {
        best = [w, h];
        bestKey = key;
      }
    }
    return out(upscaleImage(image, best[0], best[1], "lanczos", "center"));
  },
);

export const nodes = [
  fluxKontextImageScale,
  listedOnly({
    name: "FluxGuidance",
    category: "advanced/conditioning/flux",
    module: "comfy_extras.nodes_flux",
    v3: true,
    required: {
      conditioning: T("CONDITIONING", {}),
      guidance: FLOAT({ default: 3.5, min: 0.0, max: 100.0, step: 0.1 }),
    },
    outputs: [["CONDITIONING"]],
  }),
];
