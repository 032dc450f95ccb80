// Model-free pipeline with a seed: the same seed gives the same pixels on the local server and on
// ComfyUI (torch's CPU generator), so its golden holds only while the seed is pinned.
import { workflow } from "@comfy-ts/core";
import { EmptyImage, ImageAddNoise, SaveImage } from "../generated/local/nodes.js";

export const grain = workflow(({ seed = 0n, strength = 0.4 }) => ({
  grain: SaveImage({
    images: ImageAddNoise({ image: EmptyImage({ width: 40, height: 40, color: 0x808080 }), seed, strength }),
    filename_prefix: "model-free/grain",
  }),
}));

export default grain;
