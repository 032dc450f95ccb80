import type { ComboInputDef } from "@comfy-ts/core/catalog";
import type { ResolvedOptions } from "./options.js";

/** Input names of ComfyUI's model folders and upload widgets: their combos list files. */
export const FILE_INPUT_NAMES: ReadonlySet<string> = new Set([
  "ckpt_name",
  "config_name",
  "lora_name",
  "vae_name",
  "clip_name",
  "clip_name1",
  "clip_name2",
  "clip_name3",
  "clip_name4",
  "unet_name",
  "control_net_name",
  "style_model_name",
  "gligen_name",
  "hypernetwork_name",
  "upscale_model_name",
  "photomaker_model_name",
  "ipadapter_file",
  "image",
  "video",
  "audio",
  "mesh",
  "file",
  "model_file",
  "audio_file",
  "video_file",
  "image_file",
]);

const FILE_EXTENSION =
  /\.(?:safetensors|sft|ckpt|pt|pth|pt2|bin|gguf|onnx|engine|pkl|pickle|npz|npy|yaml|yml|json|txt|csv|png|jpe?g|webp|gif|bmp|tiff?|exr|mp4|webm|mov|mkv|avi|wav|mp3|flac|ogg|m4a|opus|glb|gltf|obj|fbx|ply|stl|svg|ttf|otf|zip)(?:\s\[(?:input|output|temp)\])?$/i;

/**
 * Whether a combo lists files of one machine (so any string is accepted) rather than fixed choices.
 * In order: the configured lists, upload flags and remote options, known model-folder input names,
 * then values that look like file names. An empty list is a folder with no files in it.
 */
export function isFileCombo(classType: string, input: ComboInputDef, options: ResolvedOptions): boolean {
  const qualified = `${classType}.${input.name}`;
  if (options.fixedInputs.has(qualified) || options.fixedInputs.has(input.name)) return false;
  if (options.fileInputs.has(qualified) || options.fileInputs.has(input.name)) return true;
  if (input.upload !== undefined || input.remote) return true;
  if (input.values.length === 0) return true;
  if (FILE_INPUT_NAMES.has(input.name)) return true;
  return input.values.some((v) => typeof v === "string" && FILE_EXTENSION.test(v));
}
