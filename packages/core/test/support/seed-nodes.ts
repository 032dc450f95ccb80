// Hand-written factories (no codegen) for the node classes of the seed document's example graph,
// with specs taken from install-2025-568-nodes.json. They prove core is usable on its own.
import {
  type ComboInput,
  defineNode,
  type FileInput,
  type FloatInput,
  type IntInput,
  type Link,
  type StringInput,
} from "@comfy-ts/core";

export const CheckpointLoaderSimple = defineNode<{ ckpt_name: FileInput }>()({
  classType: "CheckpointLoaderSimple",
  outputs: [
    ["MODEL", "MODEL"],
    ["CLIP", "CLIP"],
    ["VAE", "VAE"],
  ],
  inputOrder: ["ckpt_name"],
});

export const CLIPTextEncode = defineNode<{ text: StringInput; clip: Link<"CLIP"> }>()({
  classType: "CLIPTextEncode",
  outputs: [["CONDITIONING", "CONDITIONING"]],
  inputOrder: ["text", "clip"],
});

export const EmptyLatentImage = defineNode<{ width?: IntInput; height?: IntInput; batch_size?: IntInput }>()({
  classType: "EmptyLatentImage",
  outputs: [["LATENT", "LATENT"]],
  inputOrder: ["width", "height", "batch_size"],
  defaults: { width: 512, height: 512, batch_size: 1 },
});

type Sampler = "euler" | "euler_ancestral" | "dpmpp_2m" | "dpmpp_3m_sde_gpu" | "dpmpp_2m_sde_gpu";
type Scheduler = "normal" | "karras" | "exponential" | "simple";

export const KSampler = defineNode<{
  model: Link<"MODEL">;
  seed?: IntInput;
  steps?: IntInput;
  cfg?: FloatInput;
  sampler_name: ComboInput<Sampler>;
  scheduler: ComboInput<Scheduler>;
  positive: Link<"CONDITIONING">;
  negative: Link<"CONDITIONING">;
  latent_image: Link<"LATENT">;
  denoise?: FloatInput;
}>()({
  classType: "KSampler",
  outputs: [["LATENT", "LATENT"]],
  inputOrder: [
    "model",
    "seed",
    "steps",
    "cfg",
    "sampler_name",
    "scheduler",
    "positive",
    "negative",
    "latent_image",
    "denoise",
  ],
  defaults: { seed: 0, steps: 20, cfg: 8, denoise: 1 },
});

export const VAEDecode = defineNode<{ samples: Link<"LATENT">; vae: Link<"VAE"> }>()({
  classType: "VAEDecode",
  outputs: [["IMAGE", "IMAGE"]],
  inputOrder: ["samples", "vae"],
});

export const SaveImage = defineNode<{ images: Link<"IMAGE">; filename_prefix?: StringInput }>()({
  classType: "SaveImage",
  outputs: [],
  outputNode: true,
  inputOrder: ["images", "filename_prefix"],
  defaults: { filename_prefix: "ComfyUI" },
});

export const PreviewImage = defineNode<{ images: Link<"IMAGE"> }>()({
  classType: "PreviewImage",
  outputs: [],
  outputNode: true,
  inputOrder: ["images"],
});

export const LoadImage = defineNode<{ image: FileInput }>()({
  classType: "LoadImage",
  outputs: [
    ["IMAGE", "IMAGE"],
    ["MASK", "MASK"],
  ],
  inputOrder: ["image"],
});

export const CLIPVisionLoader = defineNode<{ clip_name: FileInput }>()({
  classType: "CLIPVisionLoader",
  outputs: [["CLIP_VISION", "CLIP_VISION"]],
  inputOrder: ["clip_name"],
});

export const CLIPVisionEncode = defineNode<{ clip_vision: Link<"CLIP_VISION">; image: Link<"IMAGE"> }>()({
  classType: "CLIPVisionEncode",
  outputs: [["CLIP_VISION_OUTPUT", "CLIP_VISION_OUTPUT"]],
  inputOrder: ["clip_vision", "image"],
});

export const unCLIPConditioning = defineNode<{
  conditioning: Link<"CONDITIONING">;
  clip_vision_output: Link<"CLIP_VISION_OUTPUT">;
  strength?: FloatInput;
  noise_augmentation?: FloatInput;
}>()({
  classType: "unCLIPConditioning",
  outputs: [["CONDITIONING", "CONDITIONING"]],
  inputOrder: ["conditioning", "clip_vision_output", "strength", "noise_augmentation"],
  defaults: { strength: 1, noise_augmentation: 0 },
});

export const ConditioningZeroOut = defineNode<{ conditioning: Link<"CONDITIONING"> }>()({
  classType: "ConditioningZeroOut",
  outputs: [["CONDITIONING", "CONDITIONING"]],
  inputOrder: ["conditioning"],
});

export const HEDPreprocessor = defineNode<{
  image: Link<"IMAGE">;
  safe?: ComboInput<"enable" | "disable">;
  resolution?: IntInput;
}>()({
  classType: "HEDPreprocessor",
  outputs: [["IMAGE", "IMAGE"]],
  inputOrder: ["image", "safe", "resolution"],
});

export const ScribblePreprocessor = defineNode<{ image: Link<"IMAGE">; resolution?: IntInput }>()({
  classType: "ScribblePreprocessor",
  outputs: [["IMAGE", "IMAGE"]],
  inputOrder: ["image", "resolution"],
});

export const ControlNetLoader = defineNode<{ control_net_name: FileInput }>()({
  classType: "ControlNetLoader",
  outputs: [["CONTROL_NET", "CONTROL_NET"]],
  inputOrder: ["control_net_name"],
});

export const ControlNetApply = defineNode<{
  conditioning: Link<"CONDITIONING">;
  control_net: Link<"CONTROL_NET">;
  image: Link<"IMAGE">;
  strength?: FloatInput;
}>()({
  classType: "ControlNetApply",
  outputs: [["CONDITIONING", "CONDITIONING"]],
  inputOrder: ["conditioning", "control_net", "image", "strength"],
  defaults: { strength: 1 },
});
