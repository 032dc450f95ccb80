import { encodePng } from "@comfy-ts/core/png";
import type { NodeContext } from "../execution/node-impl.js";
import { PIL_PNG } from "../image/pil-deflate.js";
import { imageToPixels } from "../image/tensor-image.js";
import { dim } from "../tensor/ops.js";
import { defineNode, T } from "./define.js";

// custom_nodes/websocket_image_save.py (shipped with ComfyUI)

/** SaveImageWebsocket: each image as a PNG preview frame with step progress; no files, no `executed` output. */
const saveImageWebsocket = defineNode(
  {
    name: "SaveImageWebsocket",
    category: "api/image",
    module: "custom_nodes.websocket_image_save",
    outputNode: true,
    required: { images: T("IMAGE") },
  },
  (inputs, ctx: NodeContext) => {
    const images = inputs.images;
    const n = dim(images, 0);
    for (let b = 0; b < n; b++) {
      ctx.progress(b, n, {
        format: "PNG",
        bytes: encodePng(imageToPixels(images, b), { compressLevel: 1, pil: PIL_PNG }),
      });
    }
    return {};
  },
  { fingerprint: () => Number.NaN },
);

export const nodes = [saveImageWebsocket];
