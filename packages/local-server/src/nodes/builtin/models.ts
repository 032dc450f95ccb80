import type { ListedOnlyNode } from "../../execution/node-impl.js";
import { SAMPLER_NAMES, SCHEDULER_NAMES } from "../../sampling/names.js";
import {
  BOOLEAN,
  COMBO,
  FILES,
  type FileLister,
  FLOAT,
  INT,
  listedOnly,
  RESOLUTION,
  STRING,
  T,
  U64_MAX,
} from "../define.js";

// nodes.py

/** A model node: listed in `/object_info` so graphs validate, never executed here. */
const model = listedOnly;

/** The files of a model folder (`env.modelFiles(folder)`, none without model folders). */
const modelFiles =
  (folder: string): FileLister =>
  (env) =>
    env.modelFiles?.(folder) ?? [];

const COND = T("CONDITIONING");
const CFG = FLOAT({ default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01 });

const modelNodes: readonly ListedOnlyNode[] = [
  model({
    name: "KSampler",
    category: "sampling",
    module: "nodes",
    description: "Uses the provided model, positive and negative conditioning to denoise the latent image.",
    required: {
      model: T("MODEL", { tooltip: "The model used for denoising the input latent." }),
      seed: INT({
        default: 0,
        min: 0,
        max: U64_MAX,
        control_after_generate: true,
        tooltip: "The random seed used for creating the noise.",
      }),
      steps: INT({
        default: 20,
        min: 1,
        max: 10000,
        tooltip: "The number of steps used in the denoising process.",
      }),
      cfg: FLOAT({
        default: 8.0,
        min: 0.0,
        max: 100.0,
        step: 0.1,
        round: 0.01,
        tooltip:
          "The Classifier-Free Guidance scale balances creativity and adherence to the prompt. Higher values result in images more closely matching the prompt however too high values will negatively impact quality.",
      }),
      sampler_name: COMBO(SAMPLER_NAMES, {
        tooltip:
          "The algorithm used when sampling, this can affect the quality, speed, and style of the generated output.",
      }),
      scheduler: COMBO(SCHEDULER_NAMES, {
        tooltip: "The scheduler controls how noise is gradually removed to form the image.",
      }),
      positive: T("CONDITIONING", {
        tooltip: "The conditioning describing the attributes you want to include in the image.",
      }),
      negative: T("CONDITIONING", {
        tooltip: "The conditioning describing the attributes you want to exclude from the image.",
      }),
      latent_image: T("LATENT", { tooltip: "The latent image to denoise." }),
      denoise: FLOAT({
        default: 1.0,
        min: 0.0,
        max: 1.0,
        step: 0.01,
        tooltip:
          "The amount of denoising applied, lower values will maintain the structure of the initial image allowing for image to image sampling.",
      }),
    },
    outputs: [["LATENT", "LATENT", false, "The denoised latent."]],
    outputTooltips: true,
  }),
  model({
    name: "KSamplerAdvanced",
    display: "KSampler (Advanced)",
    category: "sampling",
    module: "nodes",
    required: {
      model: T("MODEL"),
      add_noise: COMBO(["enable", "disable"]),
      noise_seed: INT({ default: 0, min: 0, max: U64_MAX, control_after_generate: true }),
      steps: INT({ default: 20, min: 1, max: 10000 }),
      cfg: CFG,
      sampler_name: COMBO(SAMPLER_NAMES),
      scheduler: COMBO(SCHEDULER_NAMES),
      positive: COND,
      negative: COND,
      latent_image: T("LATENT"),
      start_at_step: INT({ default: 0, min: 0, max: 10000 }),
      end_at_step: INT({ default: 10000, min: 0, max: 10000 }),
      return_with_leftover_noise: COMBO(["disable", "enable"]),
    },
    outputs: [["LATENT"]],
  }),
  model({
    name: "CheckpointLoaderSimple",
    display: "Load Checkpoint",
    category: "loaders",
    module: "nodes",
    description: "Loads a diffusion model checkpoint, diffusion models are used to denoise latents.",
    required: {
      ckpt_name: FILES(modelFiles("checkpoints"), { tooltip: "The name of the checkpoint (model) to load." }),
    },
    outputs: [
      ["MODEL", "MODEL", false, "The model used for denoising latents."],
      ["CLIP", "CLIP", false, "The CLIP model used for encoding text prompts."],
      ["VAE", "VAE", false, "The VAE model used for encoding and decoding images to and from latent space."],
    ],
    outputTooltips: true,
  }),
  model({
    name: "CLIPTextEncode",
    display: "CLIP Text Encode (Prompt)",
    category: "conditioning",
    module: "nodes",
    description:
      "Encodes a text prompt using a CLIP model into an embedding that can be used to guide the diffusion model towards generating specific images.",
    required: {
      text: STRING({ multiline: true, dynamicPrompts: true, tooltip: "The text to be encoded." }),
      clip: T("CLIP", { tooltip: "The CLIP model used for encoding the text." }),
    },
    outputs: [
      [
        "CONDITIONING",
        "CONDITIONING",
        false,
        "A conditioning containing the embedded text used to guide the diffusion model.",
      ],
    ],
    outputTooltips: true,
  }),
  model({
    name: "LoraLoader",
    display: "Load LoRA",
    category: "loaders",
    module: "nodes",
    description:
      "LoRAs are used to modify diffusion and CLIP models, altering the way in which latents are denoised such as applying styles. Multiple LoRA nodes can be linked together.",
    required: {
      model: T("MODEL", { tooltip: "The diffusion model the LoRA will be applied to." }),
      clip: T("CLIP", { tooltip: "The CLIP model the LoRA will be applied to." }),
      lora_name: FILES(modelFiles("loras"), { tooltip: "The name of the LoRA." }),
      strength_model: FLOAT({
        default: 1.0,
        min: -100.0,
        max: 100.0,
        step: 0.01,
        tooltip: "How strongly to modify the diffusion model. This value can be negative.",
      }),
      strength_clip: FLOAT({
        default: 1.0,
        min: -100.0,
        max: 100.0,
        step: 0.01,
        tooltip: "How strongly to modify the CLIP model. This value can be negative.",
      }),
    },
    outputs: [
      ["MODEL", "MODEL", false, "The modified diffusion model."],
      ["CLIP", "CLIP", false, "The modified CLIP model."],
    ],
    outputTooltips: true,
  }),
  model({
    name: "LoraLoaderModelOnly",
    category: "loaders",
    module: "nodes",
    description:
      "LoRAs are used to modify diffusion and CLIP models, altering the way in which latents are denoised such as applying styles. Multiple LoRA nodes can be linked together.",
    required: {
      model: T("MODEL"),
      lora_name: FILES(modelFiles("loras")),
      strength_model: FLOAT({ default: 1.0, min: -100.0, max: 100.0, step: 0.01 }),
    },
    outputs: [["MODEL", "MODEL", false, "The modified diffusion model."]],
    outputTooltips: ["The modified diffusion model.", "The modified CLIP model."],
  }),
  model({
    name: "ControlNetLoader",
    display: "Load ControlNet Model",
    category: "loaders",
    module: "nodes",
    required: { control_net_name: FILES(modelFiles("controlnet")) },
    outputs: [["CONTROL_NET"]],
  }),
  model({
    name: "ControlNetApply",
    display: "Apply ControlNet (OLD)",
    category: "conditioning/controlnet",
    module: "nodes",
    deprecated: true,
    required: {
      conditioning: COND,
      control_net: T("CONTROL_NET"),
      image: T("IMAGE"),
      strength: FLOAT({ default: 1.0, min: 0.0, max: 10.0, step: 0.01 }),
    },
    outputs: [["CONDITIONING"]],
  }),
  model({
    name: "ControlNetApplyAdvanced",
    display: "Apply ControlNet",
    category: "conditioning/controlnet",
    module: "nodes",
    required: {
      positive: COND,
      negative: COND,
      control_net: T("CONTROL_NET"),
      image: T("IMAGE"),
      strength: FLOAT({ default: 1.0, min: 0.0, max: 10.0, step: 0.01 }),
      start_percent: FLOAT({ default: 0.0, min: 0.0, max: 1.0, step: 0.001 }),
      end_percent: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.001 }),
    },
    optional: { vae: T("VAE") },
    outputs: [
      ["CONDITIONING", "positive"],
      ["CONDITIONING", "negative"],
    ],
  }),
  model({
    name: "CLIPVisionLoader",
    display: "Load CLIP Vision",
    category: "loaders",
    module: "nodes",
    required: { clip_name: FILES(modelFiles("clip_vision")) },
    outputs: [["CLIP_VISION"]],
  }),
  model({
    name: "CLIPVisionEncode",
    display: "CLIP Vision Encode",
    category: "conditioning",
    module: "nodes",
    required: { clip_vision: T("CLIP_VISION"), image: T("IMAGE"), crop: COMBO(["center", "none"]) },
    outputs: [["CLIP_VISION_OUTPUT"]],
  }),
  model({
    name: "unCLIPConditioning",
    category: "conditioning",
    module: "nodes",
    required: {
      conditioning: COND,
      clip_vision_output: T("CLIP_VISION_OUTPUT"),
      strength: FLOAT({ default: 1.0, min: -10.0, max: 10.0, step: 0.01 }),
      noise_augmentation: FLOAT({ default: 0.0, min: 0.0, max: 1.0, step: 0.01 }),
    },
    outputs: [["CONDITIONING"]],
  }),
  model({
    name: "ConditioningZeroOut",
    category: "advanced/conditioning",
    module: "nodes",
    required: { conditioning: COND },
    outputs: [["CONDITIONING"]],
  }),
  model({
    name: "InpaintModelConditioning",
    category: "conditioning/inpaint",
    module: "nodes",
    required: {
      positive: COND,
      negative: COND,
      vae: T("VAE"),
      pixels: T("IMAGE"),
      mask: T("MASK"),
      noise_mask: BOOLEAN({
        default: true,
        tooltip:
          "Add a noise mask to the latent so sampling will only happen within the mask. Might improve results or completely break things depending on the model.",
      }),
    },
    outputs: [
      ["CONDITIONING", "positive"],
      ["CONDITIONING", "negative"],
      ["LATENT", "latent"],
    ],
  }),
  model({
    name: "UNETLoader",
    display: "Load Diffusion Model",
    category: "advanced/loaders",
    module: "nodes",
    required: {
      unet_name: FILES(modelFiles("diffusion_models")),
      weight_dtype: COMBO(["default", "fp8_e4m3fn", "fp8_e4m3fn_fast", "fp8_e5m2"]),
    },
    outputs: [["MODEL"]],
  }),
  model({
    name: "unCLIPCheckpointLoader",
    category: "loaders",
    module: "nodes",
    required: { ckpt_name: FILES(modelFiles("checkpoints")) },
    outputs: [["MODEL"], ["CLIP"], ["VAE"], ["CLIP_VISION"]],
  }),
  model({
    name: "CLIPSetLastLayer",
    display: "CLIP Set Last Layer",
    category: "conditioning",
    module: "nodes",
    required: { clip: T("CLIP"), stop_at_clip_layer: INT({ default: -1, min: -24, max: -1, step: 1 }) },
    outputs: [["CLIP"]],
  }),
  model({
    name: "ConditioningCombine",
    display: "Conditioning (Combine)",
    category: "conditioning",
    module: "nodes",
    required: { conditioning_1: COND, conditioning_2: COND },
    outputs: [["CONDITIONING"]],
  }),
  model({
    name: "ConditioningSetArea",
    display: "Conditioning (Set Area)",
    category: "conditioning",
    module: "nodes",
    required: {
      conditioning: COND,
      width: RESOLUTION(64, 64, 8),
      height: RESOLUTION(64, 64, 8),
      x: RESOLUTION(0, 0, 8),
      y: RESOLUTION(0, 0, 8),
      strength: FLOAT({ default: 1.0, min: 0.0, max: 10.0, step: 0.01 }),
    },
    outputs: [["CONDITIONING"]],
  }),
  model({
    name: "StyleModelLoader",
    display: "Load Style Model",
    category: "loaders",
    module: "nodes",
    required: { style_model_name: FILES(modelFiles("style_models")) },
    outputs: [["STYLE_MODEL"]],
  }),
  model({
    name: "StyleModelApply",
    display: "Apply Style Model",
    category: "conditioning/style_model",
    module: "nodes",
    required: {
      conditioning: COND,
      style_model: T("STYLE_MODEL"),
      clip_vision_output: T("CLIP_VISION_OUTPUT"),
      strength: FLOAT({ default: 1.0, min: 0.0, max: 10.0, step: 0.001 }),
      strength_type: COMBO(["multiply", "attn_bias"]),
    },
    outputs: [["CONDITIONING"]],
  }),
];

export const nodes = [...modelNodes];
