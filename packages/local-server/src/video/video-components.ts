import { readFileSync } from "node:fs";
import { decodeAudio, decodeVideo, MissingStreamError, probeMedia } from "@comfy-ts/media";
import { decodeFailure } from "../audio/pyav-errors.js";
import { NodeExecutionError } from "../execution/node-impl.js";
import type { Audio, VideoFromFile, VideoObject } from "../nodes/socket-types.js";
import { type Tensor, tensor } from "../tensor/tensor.js";

/** What `video.get_components()` gives: frames, audio (or none) and the frame rate. */
export interface VideoComponents {
  readonly images: Tensor;
  readonly audio: Audio | null;
  readonly fps: number;
}

/** The bytes of a file video (the file must still exist, as ComfyUI opens it again each time). */
export function videoFileBytes(video: VideoFromFile): Uint8Array {
  try {
    return readFileSync(video.path);
  } catch {
    throw new NodeExecutionError("FileNotFoundError", `[Errno 2] No such file or directory: '${video.path}'`);
  }
}

/** `get_dimensions()`: the frames' size, or the first video stream's. */
export async function videoDimensions(video: VideoObject): Promise<{ width: number; height: number }> {
  if (video.kind === "components")
    return { width: video.images.shape[2] ?? 0, height: video.images.shape[1] ?? 0 };
  let info: Awaited<ReturnType<typeof probeMedia>>;
  try {
    info = await probeMedia(videoFileBytes(video), { name: video.path });
  } catch (error) {
    throw decodeFailure(error, video.path);
  }
  if (!info.video)
    throw new NodeExecutionError("ValueError", `No video stream found in file '${video.path}'`);
  return { width: info.video.width, height: info.video.height };
}

/**
 * `get_components()`. Frames: ComfyUI's `VideoFromFile` decodes the first video stream with PyAV and
 * `to_ndarray(format="rgb24") / 255`; the frame rate is the stream's average rate (1 when unknown); the
 * audio is the last audio stream's decoded samples, as `to_ndarray` gives them (float formats as they
 * are; integer PCM as its integer values). Components pass through untouched.
 */
export async function videoComponents(video: VideoObject): Promise<VideoComponents> {
  if (video.kind === "components") return { images: video.images, audio: video.audio, fps: video.fps };
  const bytes = videoFileBytes(video);
  let decoded: Awaited<ReturnType<typeof decodeVideo>>;
  try {
    decoded = await decodeVideo(bytes, { name: video.path });
  } catch (error) {
    // PyAV's `container.decode(video=0)` on a file without video indexes an empty tuple.
    if (error instanceof MissingStreamError)
      throw new NodeExecutionError("IndexError", "tuple index out of range");
    throw decodeFailure(error, video.path);
  }
  const { width, height, frames } = decoded;
  const size = height * width * 3;
  const pixels = new Float32Array(frames.length * size);
  frames.forEach((frame, k) => {
    const rgb = frame.rgb!;
    for (let i = 0; i < size; i++) pixels[k * size + i] = (rgb[i] as number) / 255;
  });
  // torch.stack of no frames is replaced by ComfyUI with torch.zeros(0, 3, 0, 0).
  const images =
    frames.length === 0 ? tensor([0, 3, 0, 0]) : tensor([frames.length, height, width, 3], pixels);
  const fps = decoded.fps ? decoded.fps.num / decoded.fps.den : 1;
  const lastAudio = decoded.media.streams.findLast((s) => s.kind === "audio");
  let audio: Audio | null = null;
  if (lastAudio) {
    try {
      const sound = await decodeAudio(bytes, { name: video.path, stream: lastAudio.index, native: true });
      if (sound.sampleCount > 0) {
        const n = sound.sampleCount;
        const data = new Float32Array(sound.channels * n);
        sound.native!.channels.forEach((channel, c) => {
          for (let i = 0; i < n; i++) data[c * n + i] = Number(channel[i]);
        });
        audio = { waveform: tensor([1, sound.channels, n], data), sample_rate: sound.sampleRate };
      }
    } catch (error) {
      throw decodeFailure(error, video.path);
    }
  }
  return { images, audio, fps };
}
