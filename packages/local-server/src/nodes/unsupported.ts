import { NodeExecutionError } from "../execution/node-impl.js";
import { BOOLEAN, COMBO, defineNode, FLOAT, INT, type NodeSpec, STRING, T, V3COMBO } from "./define.js";

/**
 * Model-free ComfyUI nodes this server lists (so graphs validate) but cannot run yet, each failing at
 * run time with what it would need.
 */
function unsupported(spec: NodeSpec, reason: string) {
  return defineNode(spec, () => {
    throw new NodeExecutionError(
      "NotImplementedError",
      `${spec.name} is not supported by the comfy-ts local server: ${reason}`,
    );
  });
}

const SCHEDULERS = "sampling/custom_sampling/schedulers";

export const unsupportedNodes = [
  unsupported(
    {
      name: "SaveWEBM",
      category: "image/video",
      module: "comfy_extras.nodes_video",
      outputNode: true,
      v3: true,
      experimental: true,
      required: {
        images: T("IMAGE", {}),
        filename_prefix: STRING({ default: "ComfyUI", multiline: false }),
        codec: V3COMBO(["vp9", "av1"]),
        fps: FLOAT({ default: 24.0, min: 0.01, max: 1000.0, step: 0.01 }),
        crf: FLOAT({
          tooltip:
            "Higher crf means lower quality with a smaller file size, lower crf means higher quality higher filesize.",
          default: 32.0,
          min: 0,
          max: 63.0,
          step: 1,
        }),
      },
      hidden: { prompt: ["PROMPT"], extra_pnginfo: ["EXTRA_PNGINFO"] },
    },
    "it has no VP9/AV1 video encoder",
  ),
  unsupported(
    {
      name: "LTXVPreprocess",
      category: "image",
      module: "comfy_extras.nodes_lt",
      v3: true,
      required: {
        image: T("IMAGE", {}),
        img_compression: INT({
          tooltip: "Amount of compression to apply on image.",
          default: 35,
          min: 0,
          max: 100,
        }),
      },
      outputs: [["IMAGE", "output_image"]],
    },
    "it has no H.264 codec for the compression round trip",
  ),
  unsupported(
    {
      name: "AlignYourStepsScheduler",
      category: SCHEDULERS,
      module: "comfy_extras.nodes_align_your_steps",
      v3: true,
      required: {
        model_type: V3COMBO(["SD1", "SDXL", "SVD"]),
        steps: INT({ default: 10, min: 1, max: 10000 }),
        denoise: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
      },
      outputs: [["SIGMAS"]],
    },
    "its noise-level tables are not included",
  ),
  unsupported(
    {
      name: "GITSScheduler",
      category: SCHEDULERS,
      module: "comfy_extras.nodes_gits",
      v3: true,
      required: {
        coeff: FLOAT({ default: 1.2, min: 0.8, max: 1.5, step: 0.05 }),
        steps: INT({ default: 10, min: 2, max: 1000 }),
        denoise: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
      },
      outputs: [["SIGMAS"]],
    },
    "its noise-level tables are not included",
  ),
  unsupported(
    {
      name: "OptimalStepsScheduler",
      category: SCHEDULERS,
      module: "comfy_extras.nodes_optimalsteps",
      v3: true,
      required: {
        model_type: V3COMBO(["FLUX", "Wan", "Chroma"]),
        steps: INT({ default: 20, min: 3, max: 1000 }),
        denoise: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
      },
      outputs: [["SIGMAS"]],
    },
    "its noise-level tables are not included",
  ),
];
