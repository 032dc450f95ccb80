import { FLOAT, INT, listedOnly, MAX_RESOLUTION, STRING, T } from "./define.js";

// comfy_extras/nodes_clip_sdxl.py

export const nodes = [
  listedOnly({
    name: "CLIPTextEncodeSDXL",
    category: "advanced/conditioning",
    module: "comfy_extras.nodes_clip_sdxl",
    v3: true,
    required: {
      clip: T("CLIP", {}),
      width: INT({ default: 1024, min: 0, max: MAX_RESOLUTION }),
      height: INT({ default: 1024, min: 0, max: MAX_RESOLUTION }),
      crop_w: INT({ default: 0, min: 0, max: MAX_RESOLUTION }),
      crop_h: INT({ default: 0, min: 0, max: MAX_RESOLUTION }),
      target_width: INT({ default: 1024, min: 0, max: MAX_RESOLUTION }),
      target_height: INT({ default: 1024, min: 0, max: MAX_RESOLUTION }),
      text_g: STRING({ multiline: true, dynamicPrompts: true }),
      text_l: STRING({ multiline: true, dynamicPrompts: true }),
    },
    outputs: [["CONDITIONING"]],
  }),
  listedOnly({
    name: "CLIPTextEncodeSDXLRefiner",
    category: "advanced/conditioning",
    module: "comfy_extras.nodes_clip_sdxl",
    v3: true,
    required: {
      ascore: FLOAT({ default: 6.0, min: 0.0, max: 1000.0, step: 0.01 }),
      width: INT({ default: 1024, min: 0, max: MAX_RESOLUTION }),
      height: INT({ default: 1024, min: 0, max: MAX_RESOLUTION }),
      text: STRING({ multiline: true, dynamicPrompts: true }),
      clip: T("CLIP", {}),
    },
    outputs: [["CONDITIONING"]],
  }),
];
