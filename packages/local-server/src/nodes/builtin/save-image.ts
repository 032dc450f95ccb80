import { saveImages, tempSuffix } from "../../files/save-images.js";
import { defineNode, STRING, T } from "../define.js";

// nodes.py

const HIDDEN = { prompt: "PROMPT", extra_pnginfo: "EXTRA_PNGINFO" };

const saveImage = defineNode(
  {
    name: "SaveImage",
    display: "Save Image",
    category: "image",
    module: "nodes",
    description: "Saves the input images to your ComfyUI output directory.",
    outputNode: true,
    required: {
      images: T("IMAGE", { tooltip: "The images to save." }),
      filename_prefix: STRING({
        default: "ComfyUI",
        tooltip:
          "The prefix for the file to save. This may include formatting information such as %date:yyyy-MM-dd% or %Empty Latent Image.width% to include values from nodes.",
      }),
    },
    hidden: HIDDEN,
  },
  (inputs, ctx) =>
    saveImages(inputs.images, inputs.filename_prefix, ctx, {
      type: "output",
      compressLevel: 4,
    }),
);

const previewImage = defineNode(
  {
    name: "PreviewImage",
    display: "Preview Image",
    category: "image",
    module: "nodes",
    description: "Saves the input images to your ComfyUI output directory.",
    outputNode: true,
    required: { images: T("IMAGE") },
    hidden: HIDDEN,
  },
  (inputs, ctx) =>
    saveImages(inputs.images, "ComfyUI", ctx, {
      type: "temp",
      compressLevel: 1,
      prefixAppend: tempSuffix(),
    }),
);

export const nodes = [saveImage, previewImage];
