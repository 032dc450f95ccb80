// The seed document's example graph: SDXL with two unCLIP image prompts and a scribble ControlNet, written on
// factories generated from a real install (examples/src/generated/install-2025). Needs a GPU server with the
// models; its prompt JSON is snapshot-tested in CI.
import { workflow } from "@comfy-ts/core";
import {
  CheckpointLoaderSimple,
  CLIPTextEncode,
  CLIPVisionEncode,
  CLIPVisionLoader,
  ConditioningZeroOut,
  ControlNetApply,
  ControlNetLoader,
  EmptyLatentImage,
  HEDPreprocessor,
  KSampler,
  LoadImage,
  PreviewImage,
  SaveImage,
  ScribblePreprocessor,
  unCLIPConditioning,
  VAEDecode,
} from "../../generated/install-2025/nodes.js";

export const sdxlUnclipControlnet = workflow(
  ({
    seed = 764714814161513n,
    sketch = "example.png",
    reference = "example.png",
    checkpoint = "sd_xl_base_1.0.safetensors",
  }) => {
    const ckpt = CheckpointLoaderSimple({ ckpt_name: checkpoint });
    const clipVision = CLIPVisionLoader({ clip_name: "clip_vision_g.safetensors" });
    const sketchImage = LoadImage({ image: sketch }, { title: "Sketch" });
    const referenceImage = LoadImage({ image: reference }, { title: "Reference" });

    const negative = CLIPTextEncode({ text: "", clip: ckpt.CLIP });
    // unCLIP: condition on what the two images look like, starting from zeroed text conditioning.
    const fromSketch = unCLIPConditioning({
      conditioning: ConditioningZeroOut({ conditioning: negative }),
      clip_vision_output: CLIPVisionEncode({
        clip_vision: clipVision,
        image: sketchImage.IMAGE,
        crop: "center",
      }),
      strength: 1,
      noise_augmentation: 0,
    });
    const fromBoth = unCLIPConditioning({
      conditioning: fromSketch,
      clip_vision_output: CLIPVisionEncode({
        clip_vision: clipVision,
        image: referenceImage.IMAGE,
        crop: "center",
      }),
      strength: 0.75,
      noise_augmentation: 0,
    });
    const scribble = ScribblePreprocessor({ image: sketchImage.IMAGE });
    const positive = ControlNetApply({
      conditioning: fromBoth,
      control_net: ControlNetLoader({ control_net_name: "control-lora-depth-rank256.safetensors" }),
      image: scribble,
      strength: 0.5,
    });

    const latent = KSampler({
      model: ckpt.MODEL,
      seed,
      steps: 26,
      cfg: 5,
      // The CPU-seeded Brownian tree of dpmpp_3m_sde is portable across devices; its _gpu variant is not.
      sampler_name: "dpmpp_3m_sde",
      scheduler: "karras",
      positive,
      negative,
      latent_image: EmptyLatentImage({ width: 1024, height: 768 }),
    });
    return {
      image: SaveImage({ images: VAEDecode({ samples: latent, vae: ckpt.VAE }), filename_prefix: "unclip" }),
      hed: PreviewImage({ images: HEDPreprocessor({ image: sketchImage.IMAGE, safe: "enable" }) }),
      scribble: PreviewImage({ images: scribble }),
    };
  },
);
