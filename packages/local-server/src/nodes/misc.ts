import type { Tensor } from "../tensor/tensor.js";
import { BOOLEAN, defineNode, FLOAT, INT, out, STRING, T, V3COMBO } from "./define.js";

/** A video assembled from frames (`VideoFromComponents`); this server keeps it as data. */
export interface VideoObject {
  readonly kind: "video";
  readonly images: Tensor;
  readonly fps: number;
  readonly audio: unknown;
}

function preview3d(name: string, display: string) {
  return defineNode(
    {
      name,
      display,
      category: "3d",
      module: "comfy_extras.nodes_load_3d",
      outputNode: true,
      experimental: true,
      required: { model_file: STRING({ default: "", multiline: false }) },
      optional: { camera_info: T("LOAD3D_CAMERA", {}) },
    },
    (i) => ({ ui: { result: [i.model_file, i.camera_info ?? null] } }),
  );
}

export const miscNodes = [
  preview3d("Preview3D", "Preview 3D"),
  preview3d("Preview3DAnimation", "Preview 3D - Animation"),
  defineNode(
    {
      name: "CreateVideo",
      display: "Create Video",
      category: "image/video",
      module: "comfy_extras.nodes_video",
      description: "Create a video from images.",
      v3: true,
      required: {
        images: T("IMAGE", { tooltip: "The images to create a video from." }),
        fps: FLOAT({ default: 30.0, min: 1.0, max: 120.0, step: 1.0 }),
      },
      optional: { audio: T("AUDIO", { tooltip: "The audio to add to the video." }) },
      outputs: [["VIDEO"]],
    },
    (i) =>
      out({
        kind: "video",
        images: i.images,
        fps: i.fps,
        audio: i.audio ?? null,
      } satisfies VideoObject),
  ),
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
