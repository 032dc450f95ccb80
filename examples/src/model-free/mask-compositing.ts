// Model-free pipeline: mask nodes composited onto an image. Runs on the local server and on any ComfyUI.
import { workflow } from "@comfy-ts/core";
import {
  EmptyImage,
  GrowMask,
  ImageCompositeMasked,
  InvertMask,
  JoinImageWithAlpha,
  MaskComposite,
  MaskToImage,
  SaveImage,
  SolidMask,
  ThresholdMask,
} from "../generated/local/nodes.js";

/**
 * A framed window: a small mask grown into a square, combined with a second one by "xor", used to
 * paint a colour onto a background; the mask itself is saved too, and an RGBA cut-out.
 */
export const maskedWindow = workflow(({ size = 64, background = 0x264653, paint = 0xf4a261 }) => {
  const seed = MaskComposite({
    destination: SolidMask({ value: 0, width: size, height: size }),
    source: SolidMask({ value: 1, width: size / 4, height: size / 4 }),
    x: (size * 3) / 8,
    y: (size * 3) / 8,
    operation: "add",
  });
  const grown = GrowMask({ mask: seed, expand: size / 4, tapered_corners: true });
  const ring = MaskComposite({
    destination: grown,
    source: SolidMask({ value: 1, width: size / 2, height: size / 2 }),
    x: size / 4,
    y: size / 4,
    operation: "xor",
  });
  const mask = ThresholdMask({ mask: ring, value: 0.5 });
  const painted = ImageCompositeMasked({
    destination: EmptyImage({ width: size, height: size, color: background }),
    source: EmptyImage({ width: size, height: size, color: paint }),
    x: 0,
    y: 0,
    resize_source: false,
    mask,
  });
  return {
    painted: SaveImage({ images: painted, filename_prefix: "model-free/window" }),
    mask: SaveImage({ images: MaskToImage({ mask }), filename_prefix: "model-free/window-mask" }),
    cutout: SaveImage({
      images: JoinImageWithAlpha({ image: painted, alpha: InvertMask({ mask }) }),
      filename_prefix: "model-free/window-cutout",
    }),
  };
});

export default maskedWindow;
