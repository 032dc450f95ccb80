import { dim } from "../tensor/ops.js";
import { upscaleImage } from "./builtin/image.js";
import { defineNode, out, T } from "./define.js";

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

export const fluxKontextImageScale = defineNode(
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
