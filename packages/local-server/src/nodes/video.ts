import { NodeExecutionError } from "../execution/node-impl.js";
import { defineNode, FLOAT, out, STRING, T, unsupportedNode, V3COMBO } from "./define.js";
import type { VideoObject } from "./socket-types.js";

// comfy_extras/nodes_video.py

export const nodes = [
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
      name: "GetVideoComponents",
      display: "Get Video Components",
      category: "image/video",
      module: "comfy_extras.nodes_video",
      description: "Extracts all components from a video: frames, audio, and framerate.",
      v3: true,
      required: { video: T("VIDEO", { tooltip: "The video to extract components from." }) },
      outputs: [
        ["IMAGE", "images"],
        ["AUDIO", "audio"],
        ["FLOAT", "fps"],
      ],
    },
    (i) => {
      const v = i.video;
      if (v?.kind !== "video")
        throw new NodeExecutionError("AttributeError", "video has no components on this server");
      return out(v.images, v.audio ?? null, v.fps);
    },
  ),
  unsupportedNode(
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
];
