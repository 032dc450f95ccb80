import { listedOnly, modelFolder, T, V3FILES } from "./define.js";

// comfy_extras/nodes_upscale_model.py

export const nodes = [
  listedOnly({
    name: "UpscaleModelLoader",
    display: "Load Upscale Model",
    category: "loaders",
    module: "comfy_extras.nodes_upscale_model",
    v3: true,
    required: { model_name: V3FILES(modelFolder("upscale_models"), {}) },
    outputs: [["UPSCALE_MODEL"]],
  }),
  listedOnly({
    name: "ImageUpscaleWithModel",
    display: "Upscale Image (using Model)",
    category: "image/upscaling",
    module: "comfy_extras.nodes_upscale_model",
    v3: true,
    required: { upscale_model: T("UPSCALE_MODEL", {}), image: T("IMAGE", {}) },
    outputs: [["IMAGE"]],
  }),
];
