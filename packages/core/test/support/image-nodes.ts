// Small hand-written factories for model-free nodes, shared by the core tests.
import { defineNode, type FloatInput, type IntInput, type Link, type StringInput } from "@comfy-ts/core";

export const EmptyImage = defineNode<{
  width?: IntInput;
  height?: IntInput;
  batch_size?: IntInput;
  color?: IntInput;
}>()({
  classType: "EmptyImage",
  outputs: [["IMAGE", "IMAGE"]],
  inputOrder: ["width", "height", "batch_size", "color"],
  defaults: { width: 512, height: 512, batch_size: 1, color: 0 },
  displayName: "EmptyImage",
});

export const ImageInvert = defineNode<{ image: Link<"IMAGE"> }>()({
  classType: "ImageInvert",
  outputs: [["IMAGE", "IMAGE"]],
  inputOrder: ["image"],
  displayName: "Invert Image",
});

export const ImageAddNoise = defineNode<{ image: Link<"IMAGE">; seed?: IntInput; strength?: FloatInput }>()({
  classType: "ImageAddNoise",
  outputs: [["IMAGE", "IMAGE"]],
  inputOrder: ["image", "seed", "strength"],
  defaults: { seed: 0, strength: 0.5 },
});

export const SplitImageWithAlpha = defineNode<{ image: Link<"IMAGE"> }>()({
  classType: "SplitImageWithAlpha",
  outputs: [
    ["IMAGE", "IMAGE"],
    ["MASK", "MASK"],
  ],
  inputOrder: ["image"],
});

export const EmptyLatentImage = defineNode<{ width?: IntInput; height?: IntInput; batch_size?: IntInput }>()({
  classType: "EmptyLatentImage",
  outputs: [["LATENT", "LATENT"]],
  defaults: { width: 512, height: 512, batch_size: 1 },
});

export const ImageToMask = defineNode<{
  image: Link<"IMAGE">;
  channel: "red" | "green" | "blue" | "alpha";
}>()({
  classType: "ImageToMask",
  outputs: [["MASK", "MASK"]],
  inputOrder: ["image", "channel"],
});

export const SaveImage = defineNode<{ images: Link<"IMAGE">; filename_prefix?: StringInput }>()({
  classType: "SaveImage",
  outputs: [],
  outputNode: true,
  inputOrder: ["images", "filename_prefix"],
  defaults: { filename_prefix: "ComfyUI" },
  displayName: "Save Image",
});

/** A custom node with repeated and blank output names. */
export const OddOutputs = defineNode<{ value?: IntInput }>()({
  classType: "OddOutputs",
  outputs: [
    ["INT", "value"],
    ["FLOAT", "value"],
    ["STRING", ""],
    ["INT", "0"],
  ],
});

/** A node taking a list literal. */
export const TakesList = defineNode<{ items: readonly unknown[] | Link<"LIST">; image: Link<"IMAGE"> }>()({
  classType: "TakesList",
  outputs: [],
  outputNode: true,
});
