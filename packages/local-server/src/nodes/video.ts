import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pyFloatRepr, pyJsonDumps } from "@comfy-ts/core/python";
import { encodeVideo, MediaEncodeError } from "@comfy-ts/media";
import { pyavError } from "../audio/pyav-errors.js";
import { type NodeContext, NodeExecutionError } from "../execution/node-impl.js";
import { contentTypeOf } from "../files/content-type.js";
import { annotatedInputPath as inputPath } from "../files/safe-path.js";
import { saveImagePath } from "../files/save-images.js";
import { milliRate, rgbFrames, saveVideo } from "../video/save-video.js";
import { videoComponents, videoDimensions } from "../video/video-components.js";
import { defineNode, type FileLister, FLOAT, out, STRING, T, V3COMBO, V3FILES } from "./define.js";
import type { VideoFromComponents } from "./socket-types.js";

// comfy_extras/nodes_video.py

const MOD = "comfy_extras.nodes_video";
const HIDDEN = { prompt: ["PROMPT"], extra_pnginfo: ["EXTRA_PNGINFO"] } as const;

/** LoadVideo's list: files of the input folder itself whose content type is video. */
const videoFiles: FileLister = (env) =>
  env.inputFiles().filter((f) => !f.includes("/") && contentTypeOf(f).startsWith("video/"));

/** `ui.PreviewVideo([SavedResult(file, subfolder, "output")])`. */
function previewVideo(file: string, subfolder: string) {
  return { ui: { images: [{ filename: file, subfolder, type: "output" }], animated: [true] } };
}

export const createVideo = defineNode(
  {
    name: "CreateVideo",
    display: "Create Video",
    category: "image/video",
    module: MOD,
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
      kind: "components",
      images: i.images,
      fps: i.fps,
      audio: i.audio ?? null,
    } satisfies VideoFromComponents),
);

export const getVideoComponents = defineNode(
  {
    name: "GetVideoComponents",
    display: "Get Video Components",
    category: "image/video",
    module: MOD,
    description: "Extracts all components from a video: frames, audio, and framerate.",
    v3: true,
    required: { video: T("VIDEO", { tooltip: "The video to extract components from." }) },
    outputs: [
      ["IMAGE", "images"],
      ["AUDIO", "audio"],
      ["FLOAT", "fps"],
    ],
  },
  async (i) => {
    const { images, audio, fps } = await videoComponents(i.video);
    return out(images, audio, fps);
  },
);

export const loadVideo = defineNode(
  {
    name: "LoadVideo",
    display: "Load Video",
    category: "image/video",
    module: MOD,
    v3: true,
    required: { file: V3FILES(videoFiles, { video_upload: true }) },
    outputs: [["VIDEO"]],
  },
  (i, ctx) => out({ kind: "file", path: inputPath(String(i.file), ctx) }),
  {
    // `fingerprint_inputs`: the file's modification time, not a hash of its bytes.
    fingerprint: (literals, ctx: NodeContext) => {
      try {
        return statSync(inputPath(String(literals.file), ctx)).mtimeMs / 1000;
      } catch {
        return Number.NaN;
      }
    },
  },
);

export const saveVideoNode = defineNode(
  {
    name: "SaveVideo",
    display: "Save Video",
    category: "image/video",
    module: MOD,
    description: "Saves the input images to your ComfyUI output directory.",
    outputNode: true,
    v3: true,
    required: {
      video: T("VIDEO", { tooltip: "The video to save." }),
      filename_prefix: STRING({
        tooltip:
          "The prefix for the file to save. This may include formatting information such as %date:yyyy-MM-dd% or %Empty Latent Image.width% to include values from nodes.",
        default: "video/ComfyUI",
        multiline: false,
      }),
      format: V3COMBO(["auto", "mp4"], { tooltip: "The format to save the video as.", default: "auto" }),
      codec: V3COMBO(["auto", "h264"], { tooltip: "The codec to use for the video.", default: "auto" }),
    },
    hidden: HIDDEN,
  },
  async (i, ctx) => {
    const { width, height } = await videoDimensions(i.video);
    const path = saveImagePath(i.filename_prefix, ctx.dirs.output, width, height);
    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(ctx.extraPngInfo ?? {})) metadata[key] = pyJsonDumps(value);
    metadata.prompt = pyJsonDumps(ctx.prompt);
    const format = String(i.format);
    const file = `${path.filename}_${String(path.counter).padStart(5, "0")}_.${format === "auto" ? "mp4" : format}`;
    const bytes = await saveVideo(i.video, format, String(i.codec), metadata, file);
    writeFileSync(join(path.folder, file), bytes);
    return previewVideo(file, path.subfolder);
  },
);

export const saveWebm = defineNode(
  {
    name: "SaveWEBM",
    category: "image/video",
    module: MOD,
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
    hidden: HIDDEN,
  },
  async (i, ctx) => {
    const images = i.images;
    const [, height = 0, width = 0] = images.shape;
    const path = saveImagePath(i.filename_prefix, ctx.dirs.output, width, height);
    const file = `${path.filename}_${String(path.counter).padStart(5, "0")}_.webm`;
    const metadata: Record<string, string> = { prompt: pyJsonDumps(ctx.prompt) };
    for (const [key, value] of Object.entries(ctx.extraPngInfo ?? {})) metadata[key] = pyJsonDumps(value);
    if (i.codec !== "vp9" && i.codec !== "av1")
      throw new NodeExecutionError("KeyError", `'${String(i.codec)}'`);
    const av1 = i.codec === "av1";
    // `str(crf)` of the float: "32.0".
    const crf = pyFloatRepr(i.crf);
    let bytes: Uint8Array;
    try {
      bytes = await encodeVideo(
        { width, height, fps: milliRate(i.fps), frames: rgbFrames(images, true) },
        {
          container: "webm",
          encoder: av1 ? "libsvtav1" : "libvpx-vp9",
          pixFmt: av1 ? "yuv420p10le" : "yuv420p",
          bitRate: 0,
          codecOptions: av1 ? { crf, preset: "6" } : { crf },
          metadata,
          name: file,
        },
      );
    } catch (error) {
      if (error instanceof MediaEncodeError) throw pyavError(error);
      throw error;
    }
    writeFileSync(join(path.folder, file), bytes);
    return previewVideo(file, path.subfolder);
  },
);

export const nodes = [saveWebm, saveVideoNode, createVideo, getVideoComponents, loadVideo];
