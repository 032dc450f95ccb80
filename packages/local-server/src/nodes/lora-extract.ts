import { BOOLEAN, defineNode, INT, STRING, T, V3COMBO } from "./define.js";

// comfy_extras/nodes_lora_extract.py

export const nodes = [
  defineNode(
    {
      name: "LoraSave",
      display: "Extract and Save Lora",
      category: "_for_testing",
      module: "comfy_extras.nodes_lora_extract",
      outputNode: true,
      v3: true,
      experimental: true,
      required: {
        filename_prefix: STRING({ default: "loras/ComfyUI_extracted_lora", multiline: false }),
        rank: INT({ default: 8, min: 1, max: 4096, step: 1 }),
        lora_type: V3COMBO(["standard", "full_diff"]),
        bias_diff: BOOLEAN({ default: true }),
      },
      optional: {
        model_diff: T("MODEL", { tooltip: "The ModelSubtract output to be converted to a lora." }),
        text_encoder_diff: T("CLIP", { tooltip: "The CLIPSubtract output to be converted to a lora." }),
      },
      hidden: { prompt: ["PROMPT"], extra_pnginfo: ["EXTRA_PNGINFO"] },
    },
    // Without a model or CLIP difference ComfyUI saves nothing; with one it needs the models this server lacks.
    () => ({}),
  ),
];
