import { pyRound } from "@comfy-ts/core/python";
import {
  encodeVideo,
  MediaEncodeError,
  MediaInputError,
  probeMedia,
  type Rational,
  remuxMedia,
} from "@comfy-ts/media";
import { decodeFailure, pyavError } from "../audio/pyav-errors.js";
import { NodeExecutionError } from "../execution/node-impl.js";
import { imageToPixels } from "../image/tensor-image.js";
import type { Audio, VideoObject } from "../nodes/socket-types.js";
import type { Tensor } from "../tensor/tensor.js";
import { videoComponents, videoFileBytes } from "./video-components.js";

/** `Fraction(round(fps * 1000), 1000)` in lowest terms, as ComfyUI's savers write the frame rate. */
export function milliRate(fps: number): Rational {
  const num = pyRound(fps * 1000);
  let a = Math.abs(num);
  let b = 1000;
  while (b) [a, b] = [b, a % b];
  return { num: num / a, den: 1000 / a };
}

/**
 * rgb24 bytes of each frame, `(frame * 255).clamp(0, 255).byte()` (truncation). `dropAlpha`: SaveWEBM
 * takes `frame[..., :3]`; the others hand PyAV all channels, which it refuses unless there are three.
 */
export function rgbFrames(images: Tensor, dropAlpha: boolean): Uint8Array[] {
  const [batch = 0, height = 0, width = 0, channels = 0] = images.shape;
  if (channels !== 3 && !(dropAlpha && channels > 3)) {
    throw new NodeExecutionError(
      "ValueError",
      `Unexpected numpy array shape \`(${height}, ${width}, ${channels})\``,
    );
  }
  return Array.from({ length: batch }, (_, b) => {
    const pixels = imageToPixels(images, b);
    if (channels === 3) return pixels.data;
    const rgb = new Uint8Array(height * width * 3);
    for (let i = 0; i < height * width; i++)
      rgb.set(pixels.data.subarray(i * channels, i * channels + 3), i * 3);
    return rgb;
  });
}

/** The audio ComfyUI muxes with a video: cut to `ceil(sample_rate / frame_rate × frames)`, batches end to end. */
function trackOf(
  audio: Audio,
  rate: Rational,
  frames: number,
): { sampleRate: number; channels: Float32Array[] } {
  const [batch = 0, channels = 0, length = 0] = audio.waveform.shape;
  const keep = Math.min(length, Math.ceil((audio.sample_rate * rate.den * frames) / rate.num));
  return {
    sampleRate: audio.sample_rate,
    channels: Array.from({ length: channels }, (_, c) => {
      const out = new Float32Array(batch * keep);
      for (let b = 0; b < batch; b++) {
        const at = (b * channels + c) * length;
        out.set(audio.waveform.data.subarray(at, at + keep), b * keep);
      }
      return out;
    }),
  };
}

/**
 * `video.save_to(path, format, codec, metadata)` of ComfyUI 0.3.65 with PyAV ≥ 14 (what it requires):
 * frames are encoded as `VideoFromComponents.save_to` does (libx264, PyAV's default 1024 kb/s, yuv420p,
 * `movflags=use_metadata_tags`, an AAC track); a loaded file whose container and codec already fit is
 * copied packet for packet (`add_stream_from_template`), else decoded and encoded the same way.
 * `metadata` values are JSON text already, in ComfyUI's order (extra_pnginfo keys, then `prompt`).
 */
export async function saveVideo(
  video: VideoObject,
  format: string,
  codec: string,
  metadata: Readonly<Record<string, string>>,
  name: string,
): Promise<Uint8Array> {
  if (video.kind === "file") {
    const bytes = videoFileBytes(video);
    let info: Awaited<ReturnType<typeof probeMedia>>;
    try {
      info = await probeMedia(bytes, { name: video.path });
    } catch (error) {
      throw decodeFailure(error, video.path);
    }
    const reuse =
      (format === "auto" || info.container.split(",").includes(format)) &&
      (codec === "auto" || info.video === undefined || codec === info.video.codec);
    if (reuse) {
      try {
        return await remuxMedia(bytes, {
          container: "mp4",
          muxerOptions: { movflags: "use_metadata_tags" },
          metadata,
          name: video.path,
        });
      } catch (error) {
        if (error instanceof MediaEncodeError) throw pyavError(error);
        throw decodeFailure(error, video.path);
      }
    }
  }
  if (format !== "auto" && format !== "mp4")
    throw new NodeExecutionError("ValueError", "Only MP4 format is supported for now");
  if (codec !== "auto" && codec !== "h264")
    throw new NodeExecutionError("ValueError", "Only H264 codec is supported for now");
  const { images, audio, fps } = await videoComponents(video);
  const rate = milliRate(fps);
  const [frames = 0, height = 0, width = 0] = images.shape;
  try {
    return await encodeVideo(
      { width, height, fps: rate, frames: rgbFrames(images, false) },
      {
        container: "mp4",
        encoder: "libx264",
        muxerOptions: { movflags: "use_metadata_tags" },
        metadata,
        ...(audio ? { audio: trackOf(audio, rate, frames) } : {}),
        name,
      },
    );
  } catch (error) {
    if (error instanceof MediaInputError) throw new NodeExecutionError("ValueError", error.message);
    if (!(error instanceof MediaEncodeError)) throw error;
    throw pyavError(error, x264Refusal(width, height));
  }
}

/** libx264's own words for a yuv420p size it refuses (it checks the width first). */
export function x264Refusal(width: number, height: number): { from: string; line: string } | undefined {
  if (width % 2 !== 0) return { from: "libx264", line: `width not divisible by 2 (${width}x${height})` };
  if (height % 2 !== 0) return { from: "libx264", line: `height not divisible by 2 (${width}x${height})` };
  return undefined;
}
