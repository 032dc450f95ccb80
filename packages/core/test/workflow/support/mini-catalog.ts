import { parseCatalog } from "../../../src/catalog/index.js";
import type { NodeCatalog } from "../../../src/catalog/types.js";

/** A small hand-written `/object_info` with the input kinds the workflow converters care about. */
export const MINI_OBJECT_INFO = {
  CheckpointLoaderSimple: {
    input: { required: { ckpt_name: [["a.safetensors", "b.safetensors"], {}] } },
    output: ["MODEL", "CLIP", "VAE"],
    output_name: ["MODEL", "CLIP", "VAE"],
    name: "CheckpointLoaderSimple",
    display_name: "Load Checkpoint",
    category: "loaders",
    output_node: false,
  },
  CLIPTextEncode: {
    input: { required: { text: ["STRING", { multiline: true, dynamicPrompts: true }], clip: ["CLIP", {}] } },
    output: ["CONDITIONING"],
    output_name: ["CONDITIONING"],
    name: "CLIPTextEncode",
    display_name: "CLIP Text Encode (Prompt)",
    category: "conditioning",
    output_node: false,
  },
  EmptyLatentImage: {
    input: {
      required: {
        width: ["INT", { default: 512, min: 16, max: 16384, step: 8 }],
        height: ["INT", { default: 512, min: 16, max: 16384, step: 8 }],
        batch_size: ["INT", { default: 1, min: 1, max: 4096 }],
      },
    },
    output: ["LATENT"],
    output_name: ["LATENT"],
    name: "EmptyLatentImage",
    display_name: "Empty Latent Image",
    category: "latent",
    output_node: false,
  },
  KSampler: {
    input: {
      required: {
        model: ["MODEL", {}],
        seed: ["INT", { default: 0, min: 0, max: 18446744073709551615n, control_after_generate: true }],
        steps: ["INT", { default: 20, min: 1, max: 10000 }],
        cfg: ["FLOAT", { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01 }],
        sampler_name: [["euler", "euler_ancestral", "dpmpp_2m"], {}],
        scheduler: [["normal", "karras", "simple"], {}],
        positive: ["CONDITIONING", {}],
        negative: ["CONDITIONING", {}],
        latent_image: ["LATENT", {}],
        denoise: ["FLOAT", { default: 1.0, min: 0.0, max: 1.0, step: 0.01 }],
      },
    },
    output: ["LATENT"],
    output_name: ["LATENT"],
    name: "KSampler",
    display_name: "KSampler",
    category: "sampling",
    output_node: false,
  },
  VAEDecode: {
    input: { required: { samples: ["LATENT", {}], vae: ["VAE", {}] } },
    output: ["IMAGE"],
    output_name: ["IMAGE"],
    name: "VAEDecode",
    display_name: "VAE Decode",
    category: "latent",
    output_node: false,
  },
  SaveImage: {
    input: { required: { images: ["IMAGE", {}], filename_prefix: ["STRING", { default: "ComfyUI" }] } },
    output: [],
    output_name: [],
    name: "SaveImage",
    display_name: "Save Image",
    category: "image",
    output_node: true,
  },
  LoadImage: {
    input: { required: { image: [["example.png", "cat.png"], { image_upload: true }] } },
    output: ["IMAGE", "MASK"],
    output_name: ["IMAGE", "MASK"],
    name: "LoadImage",
    display_name: "Load Image",
    category: "image",
    output_node: false,
  },
  ImageInvert: {
    input: { required: { image: ["IMAGE", {}] } },
    output: ["IMAGE"],
    output_name: ["IMAGE"],
    name: "ImageInvert",
    display_name: "Invert Image",
    category: "image",
    output_node: false,
  },
  LegacySampler: {
    // An old catalog: a seed without control_after_generate, and a forceInput primitive.
    input: {
      required: { seed: ["INT", { default: 0, min: 0, max: 100 }], mode: [["fixed", "other"], {}] },
      optional: { caption: ["STRING", { forceInput: true }], strength: ["FLOAT", { default: 0.5 }] },
    },
    output: ["LATENT"],
    output_name: ["LATENT"],
    name: "LegacySampler",
    display_name: "Legacy Sampler",
    category: "test",
    output_node: false,
  },
  ListNode: {
    input: { required: { values: ["STRING", { default: "" }], image: ["IMAGE", {}] } },
    output: ["IMAGE"],
    output_name: ["IMAGE"],
    name: "ListNode",
    display_name: "List Node",
    category: "test",
    output_node: false,
  },
  FloatSeed: {
    // A FLOAT with control_after_generate (the editor adds the control value after it too).
    input: {
      required: {
        amount: ["FLOAT", { default: 0.5, control_after_generate: true }],
        steps: ["INT", { default: 3 }],
      },
    },
    output: ["FLOAT"],
    output_name: ["FLOAT"],
    name: "FloatSeed",
    display_name: "Float Seed",
    category: "test",
    output_node: false,
  },
  SaveAudio: {
    input: {
      required: {
        format: [
          "COMFY_DYNAMICCOMBO_V3",
          {
            options: [
              { key: "flac", inputs: { required: {} } },
              {
                key: "mp3",
                inputs: {
                  required: { quality: ["COMBO", { options: ["V0", "128k", "320k"], default: "V0" }] },
                },
              },
            ],
          },
        ],
        prefix: ["STRING", { default: "audio" }],
      },
    },
    output: [],
    output_name: [],
    name: "SaveAudio",
    display_name: "Save Audio",
    category: "audio",
    output_node: true,
  },
} as const;

export const miniCatalog: NodeCatalog = parseCatalog(MINI_OBJECT_INFO);
