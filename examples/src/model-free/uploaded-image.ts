// Model-free pipeline on an uploaded input image: LoadImage → mask from its alpha → composite.
import { workflow } from "@comfy-ts/core";
import {
  EmptyImage,
  ImageCompositeMasked,
  ImageInvert,
  LoadImage,
  SaveImage,
} from "../generated/local/nodes.js";

/**
 * Loads `image` from the server's input folder (upload it first: `comfy.run(…, { inputs })`),
 * inverts it and composites it onto a background through its own alpha mask.
 */
export const invertOnBackground = workflow(({ image = "comfy-ts-example.png", background = 0x101010 }) => {
  const loaded = LoadImage({ image });
  return {
    result: SaveImage({
      images: ImageCompositeMasked({
        destination: EmptyImage({ width: 64, height: 64, color: background }),
        source: ImageInvert({ image: loaded.IMAGE }),
        x: 0,
        y: 0,
        resize_source: false,
        mask: loaded.MASK,
      }),
      filename_prefix: "model-free/uploaded",
    }),
  };
});

export default invertOnBackground;
