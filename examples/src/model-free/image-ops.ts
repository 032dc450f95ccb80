// Model-free pipeline: image nodes only. Runs on the embedded local server and on any ComfyUI.
import { workflow } from "@comfy-ts/core";
import {
  EmptyImage,
  ImageBlend,
  ImageCrop,
  ImageFlip,
  ImageInvert,
  ImagePadForOutpaint,
  ImageRotate,
  ImageScale,
  SaveImage,
} from "../generated/local/nodes.js";

/**
 * A tile: two solid colours blended in "difference" mode, a cropped corner inverted and padded back
 * to size, flipped and rotated, then scaled up with nearest-exact (no resampling arithmetic to drift).
 */
export const tile = workflow(({ size = 48, a = 0x2a9d8f, b = 0xe9c46a }) => {
  const blended = ImageBlend({
    image1: EmptyImage({ width: size, height: size, color: a }),
    image2: EmptyImage({ width: size, height: size, color: b }),
    blend_factor: 0.6,
    blend_mode: "difference",
  });
  const corner = ImageInvert({
    image: ImageCrop({ image: blended, width: size / 2, height: size / 2, x: 0, y: 0 }),
  });
  const padded = ImagePadForOutpaint({
    image: corner,
    left: 0,
    top: 0,
    right: size / 2,
    bottom: size / 2,
    feathering: 0,
  });
  const turned = ImageRotate({
    image: ImageFlip({ image: padded.IMAGE, flip_method: "y-axis: horizontally" }),
    rotation: "90 degrees",
  });
  return {
    tile: SaveImage({
      images: ImageScale({
        image: turned,
        upscale_method: "nearest-exact",
        width: size * 2,
        height: size * 2,
        crop: "disabled",
      }),
      filename_prefix: "model-free/tile",
    }),
  };
});

export default tile;
