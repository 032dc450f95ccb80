// The README's first command runs this pipeline end to end on the embedded local server:
//   pnpm demo   (= comfy-ts run examples/src/pipelines/poster.ts --out out/demo)
// Model-free: every node here runs on the local server with ComfyUI's own pixels, and on any real ComfyUI.
import { workflow } from "@comfy-ts/core";
import {
  CropMask,
  EmptyImage,
  FeatherMask,
  ImageAddNoise,
  ImageBlur,
  ImageCompositeMasked,
  ImageScaleBy,
  MaskToImage,
  PreviewImage,
  SaveImage,
  SolidMask,
} from "../generated/local/nodes.js";

/** A two-colour poster: a feathered panel composited onto a background, grain from a fixed seed, then upscaled. */
export const poster = workflow(({ seed = 42n, background = 0x1d3557, panel = 0xe63946, size = 256 }) => {
  const canvas = EmptyImage({ width: size, height: size, color: background });
  const panelImage = EmptyImage({ width: size / 2, height: size / 2, color: panel });

  // A centred square mask with soft edges: a full mask, cropped to the panel, feathered.
  const square = CropMask({
    mask: SolidMask({ value: 1, width: size, height: size }),
    x: 0,
    y: 0,
    width: size / 2,
    height: size / 2,
  });
  const softEdges = FeatherMask({ mask: square, left: 16, top: 16, right: 16, bottom: 16 });

  const composed = ImageCompositeMasked({
    destination: canvas,
    source: panelImage,
    x: size / 4,
    y: size / 4,
    mask: softEdges,
  });
  const grain = ImageAddNoise({ image: composed, seed, strength: 0.15 });
  const soft = ImageBlur({ image: grain, blur_radius: 2, sigma: 1 });

  return {
    poster: SaveImage({
      images: ImageScaleBy({ image: soft, upscale_method: "bilinear", scale_by: 2 }),
      filename_prefix: "poster/poster",
    }),
    // The feathered mask the compositing used, as a preview (written to the server's temp folder).
    mask: PreviewImage({ images: MaskToImage({ mask: softEdges }) }),
  };
});

export default poster;
