import type { AVPixelFormat } from "node-av/constants";
import { MediaInputError } from "../errors.js";
import { type AudioSamples, encodeSamples, setAudioDefaults } from "./encode-audio.js";
import { addStream, findEncoder, type StreamEncoder } from "./encoder.js";
import { loadNodeAv } from "./native.js";
import { openMemoryOutput } from "./output.js";
import { VideoReformatter } from "./reformatter.js";
import type { Rational } from "./stream-info.js";

/** Frames as ComfyUI's savers build them: rgb24 bytes (`clamp(x·255).byte()`), `height × width × 3` each. */
export interface VideoFrames {
  readonly width: number;
  readonly height: number;
  /** Exact frame rate; ComfyUI uses `Fraction(round(fps * 1000), 1000)`. */
  readonly fps: Rational;
  readonly frames: readonly Uint8Array[];
}

export type VideoContainerFormat = "mp4" | "webm" | "matroska";
export type VideoEncoderName = "libx264" | "libvpx-vp9" | "libsvtav1";

export interface EncodeVideoOptions {
  readonly container: VideoContainerFormat;
  readonly encoder: VideoEncoderName;
  /** The encoder's pixel format (default `yuv420p`; SaveWEBM's AV1 uses `yuv420p10le`). */
  readonly pixFmt?: "yuv420p" | "yuv420p10le";
  /** Target bit rate in bit/s: PyAV's default 1024000 (libx264 then runs in ABR mode); 0 for constant quality. */
  readonly bitRate?: number;
  /** Encoder options, as PyAV's `stream.options` (e.g. `{ crf: "32.0", preset: "6" }`). */
  readonly codecOptions?: Readonly<Record<string, string>>;
  /** Muxer options (e.g. `{ movflags: "use_metadata_tags" }` for ComfyUI's MP4 tags). */
  readonly muxerOptions?: Readonly<Record<string, string>>;
  /** Container tags (ComfyUI: `prompt`, and the extra_pnginfo keys, as JSON). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** An AAC track, encoded after the video as ComfyUI does (FFmpeg's default stereo layout, 128 kb/s). */
  readonly audio?: AudioSamples;
  /** The output's name, for messages. */
  readonly name?: string;
}

/**
 * Encodes rgb24 frames the way ComfyUI 0.3.65 does with PyAV 10 (`VideoFromComponents.save_to`, SaveWEBM):
 * a stream with PyAV's `add_stream` defaults (1024 kb/s, tolerance 128 kb/s, time base 1/fps), each frame
 * converted by swscale (`SWS_BILINEAR`) and stamped pts 0, 1, 2…, the encoder flushed, then the audio.
 * Encoder refusals (libx264's "width not divisible by 2") are a `MediaEncodeError` with the encoder's words.
 */
export async function encodeVideo(video: VideoFrames, options: EncodeVideoOptions): Promise<Uint8Array> {
  const label = options.name ?? `${options.container} video`;
  checkFrames(video, label);
  const av = await loadNodeAv();
  const codec = findEncoder(av, options.encoder, label);
  const aac = options.audio ? findEncoder(av, "aac", label) : undefined;
  const output = openMemoryOutput(av, options.container, label);
  const pixFmt = av.lib.avGetPixFmtFromName(options.pixFmt ?? "yuv420p") as AVPixelFormat;
  const reformatter = new VideoReformatter(av);
  const encoders: StreamEncoder[] = [];
  try {
    const videoEncoder = addStream(av, output, codec, label, (ctx) => {
      ctx.pixelFormat = pixFmt;
      ctx.width = video.width;
      ctx.height = video.height;
      ctx.bitRate = BigInt(options.bitRate ?? 1024000);
      ctx.setOption("bt", 128000);
      ctx.framerate = new av.lib.Rational(video.fps.num, video.fps.den);
      ctx.timeBase = new av.lib.Rational(video.fps.den, video.fps.num);
    });
    encoders.push(videoEncoder);
    let audioEncoder: StreamEncoder | undefined;
    if (options.audio && aac) {
      const rate = options.audio.sampleRate;
      audioEncoder = addStream(av, output, aac, label, (ctx) =>
        setAudioDefaults(av, ctx, aac.sampleFormats?.[0], rate, "stereo"),
      );
      encoders.push(audioEncoder);
    }
    videoEncoder.open(options.codecOptions ?? {});
    videoEncoder.stream.avgFrameRate = videoEncoder.ctx.framerate;
    if (audioEncoder) audioEncoder.open({});
    output.writeHeader(options.muxerOptions ?? {}, options.metadata ?? {});
    for (let i = 0; i < video.frames.length; i++) {
      const rgb = av.lib.Frame.fromVideoBuffer(Buffer.from(video.frames[i]!), {
        width: video.width,
        height: video.height,
        format: av.c.AV_PIX_FMT_RGB24,
      });
      const frame = reformatter.reformat(rgb, pixFmt);
      frame.pts = BigInt(i);
      try {
        videoEncoder.mux(output, videoEncoder.encode(frame));
      } finally {
        if (frame !== rgb) frame.free();
        rgb.free();
      }
    }
    videoEncoder.mux(output, videoEncoder.encode(null));
    if (audioEncoder && options.audio) encodeSamples(av, audioEncoder, output, options.audio, label);
    return output.finish();
  } finally {
    reformatter.free();
    for (const e of encoders) e.free();
    output.close();
  }
}

function checkFrames(video: VideoFrames, label: string): void {
  const { width, height, fps, frames } = video;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new MediaInputError(`${label}: frame size must be positive integers, got ${width}×${height}`);
  }
  if (!(fps.num > 0 && fps.den > 0))
    throw new MediaInputError(`${label}: fps must be positive, got ${fps.num}/${fps.den}`);
  if (frames.length === 0) throw new MediaInputError(`${label}: there are no frames to encode`);
  const size = width * height * 3;
  const bad = frames.findIndex((f) => f.length !== size);
  if (bad >= 0) {
    throw new MediaInputError(
      `${label}: frame ${bad} has ${frames[bad]!.length} bytes; a ${width}×${height} rgb24 frame has ${size}`,
    );
  }
}
