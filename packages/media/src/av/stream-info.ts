import type { AVPixelFormat, AVSampleFormat } from "node-av/constants";
import type { ChannelLayout, Dictionary, FormatContext, Stream } from "node-av/lib";
import type { NodeAv } from "./native.js";

/** An exact fraction (frame rates, time bases): `{ num: 25, den: 2 }` is 12.5. */
export interface Rational {
  readonly num: number;
  readonly den: number;
}

/** A video stream as the container describes it (headers only; `decodeVideo` counts the real frames). */
export interface VideoStreamInfo {
  readonly kind: "video";
  readonly index: number;
  /** FFmpeg's codec name: `h264`, `hevc`, `vp9`, `av1`, `png`, … */
  readonly codec: string;
  readonly width: number;
  readonly height: number;
  /** FFmpeg's pixel format name: `yuv420p`, `yuv420p10le`, … */
  readonly pixFmt: string;
  /** The average frame rate (PyAV's `average_rate`, what ComfyUI's GetVideoComponents reports), when known. */
  readonly fps: Rational | undefined;
  /** The base frame rate (`r_frame_rate`), when known. */
  readonly baseRate: Rational | undefined;
  readonly timeBase: Rational;
  /** Frames the container declares (MP4 does, WebM does not). */
  readonly frameCount: number | undefined;
  readonly durationS: number | undefined;
  readonly bitRate: number | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

/** An audio stream as the container describes it. */
export interface AudioStreamInfo {
  readonly kind: "audio";
  readonly index: number;
  /** FFmpeg's codec name: `flac`, `mp3`, `opus`, `aac`, `pcm_s16le`, … */
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** FFmpeg's layout name: `mono`, `stereo`, `5.1`, or `N channels`. */
  readonly layout: string;
  /** FFmpeg's sample format name of the decoder output: `s16`, `s32`, `fltp`, … */
  readonly sampleFmt: string;
  readonly timeBase: Rational;
  readonly durationS: number | undefined;
  readonly bitRate: number | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Any other stream (subtitles, data, attachments, cover art is a video stream). */
export interface OtherStreamInfo {
  readonly kind: "subtitle" | "data" | "attachment" | "unknown";
  readonly index: number;
  readonly codec: string;
}

export type StreamInfo = VideoStreamInfo | AudioStreamInfo | OtherStreamInfo;

/** What a media file holds, from its headers. */
export interface MediaInfo {
  /** FFmpeg's demuxer name: `mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, `flac`, `mp3`, `ogg`, `wav`. */
  readonly container: string;
  readonly durationS: number | undefined;
  readonly bitRate: number | undefined;
  /** Container tags (MP4 `use_metadata_tags`, Matroska tags, …): ComfyUI's `prompt`/`workflow` live here. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly streams: readonly StreamInfo[];
  /** The first video stream (ComfyUI decodes `video=0`). */
  readonly video: VideoStreamInfo | undefined;
  /** The first audio stream (ComfyUI's LoadAudio takes `streams.audio[0]`). */
  readonly audio: AudioStreamInfo | undefined;
}

const tags = (dict: Dictionary | null): Record<string, string> => dict?.getAll() ?? {};

const rational = (r: Rational | null | undefined): Rational | undefined =>
  r && r.num > 0 && r.den > 0 ? { num: r.num, den: r.den } : undefined;

const positive = (n: bigint | number): number | undefined => (Number(n) > 0 ? Number(n) : undefined);

function common(av: NodeAv, stream: Stream) {
  const timeBase = { num: stream.timeBase.num, den: stream.timeBase.den };
  const durationS =
    stream.duration !== av.c.AV_NOPTS_VALUE && stream.duration > 0n && timeBase.den > 0
      ? (Number(stream.duration) * timeBase.num) / timeBase.den
      : undefined;
  return {
    index: stream.index,
    codec: av.lib.avGetCodecName(stream.codecpar.codecId) ?? "unknown",
    timeBase,
    durationS,
    bitRate: positive(stream.codecpar.bitRate),
    metadata: tags(stream.metadata),
  };
}

/**
 * FFmpeg's name of a channel layout. A layout without channel positions (a plain WAV) is named as the
 * default layout of its channel count, as PyAV does (2 channels → `stereo`).
 */
export function layoutName(av: NodeAv, layout: ChannelLayout): string {
  const named =
    layout.order === av.c.AV_CHANNEL_ORDER_UNSPEC ? av.lib.avChannelLayoutDefault(layout.nbChannels) : layout;
  return av.lib.avChannelLayoutDescribe(named) ?? `${layout.nbChannels} channels`;
}

/** Describes a video stream of an open input. */
export function videoStreamInfo(av: NodeAv, stream: Stream): VideoStreamInfo {
  const par = stream.codecpar;
  return {
    kind: "video",
    ...common(av, stream),
    width: par.width,
    height: par.height,
    pixFmt: av.lib.avGetPixFmtName(par.format as AVPixelFormat) ?? "none",
    fps: rational(stream.avgFrameRate),
    baseRate: rational(stream.rFrameRate),
    frameCount: positive(stream.nbFrames),
  };
}

/** Describes an audio stream of an open input. */
export function audioStreamInfo(av: NodeAv, stream: Stream): AudioStreamInfo {
  const par = stream.codecpar;
  return {
    kind: "audio",
    ...common(av, stream),
    sampleRate: par.sampleRate,
    channels: par.channels,
    layout: layoutName(av, par.channelLayout),
    sampleFmt: av.lib.avGetSampleFmtName(par.format as AVSampleFormat) ?? "none",
  };
}

/** Describes one stream of an open input. */
export function streamInfo(av: NodeAv, stream: Stream): StreamInfo {
  const { c } = av;
  const type = stream.codecpar.codecType;
  if (type === c.AVMEDIA_TYPE_VIDEO) return videoStreamInfo(av, stream);
  if (type === c.AVMEDIA_TYPE_AUDIO) return audioStreamInfo(av, stream);
  const kind =
    type === c.AVMEDIA_TYPE_SUBTITLE
      ? "subtitle"
      : type === c.AVMEDIA_TYPE_DATA
        ? "data"
        : type === c.AVMEDIA_TYPE_ATTACHMENT
          ? "attachment"
          : "unknown";
  return { kind, index: stream.index, codec: av.lib.avGetCodecName(stream.codecpar.codecId) ?? "unknown" };
}

/** Describes an open input: container, tags and every stream. */
export function mediaInfo(av: NodeAv, fmt: FormatContext): MediaInfo {
  const streams = fmt.streams.map((s) => streamInfo(av, s));
  const duration = fmt.duration;
  return {
    container: fmt.iformat?.name ?? "unknown",
    durationS: duration !== av.c.AV_NOPTS_VALUE && duration > 0n ? Number(duration) / 1_000_000 : undefined,
    bitRate: positive(fmt.bitRate),
    metadata: tags(fmt.metadata),
    streams,
    video: streams.find((s): s is VideoStreamInfo => s.kind === "video"),
    audio: streams.find((s): s is AudioStreamInfo => s.kind === "audio"),
  };
}
