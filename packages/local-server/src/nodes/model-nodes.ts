import type { ListedOnlyNode } from "../execution/node-impl.js";
import { COMBO, FLOAT, INT, listedOnly, STRING, T, U64_MAX } from "./define.js";

/** Model nodes as ComfyUI 0.3.65 defines them; their file combos are empty on a server without models. */
export const modelNodes: readonly ListedOnlyNode[] = [
  listedOnly({
    name: "CheckpointLoaderSimple",
    display: "Load Checkpoint",
    category: "loaders",
    module: "nodes",
    description: "Loads a diffusion model checkpoint, diffusion models are used to denoise latents.",
    required: { ckpt_name: COMBO([], { tooltip: "The name of the checkpoint (model) to load." }) },
    outputs: [
      ["MODEL", "MODEL", false, "The model used for denoising latents."],
      ["CLIP", "CLIP", false, "The CLIP model used for encoding text prompts."],
      ["VAE", "VAE", false, "The VAE model used for encoding and decoding images to and from latent space."],
    ],
    outputTooltips: true,
  }),
  listedOnly({
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
];

void FLOAT;
void INT;
void U64_MAX;
