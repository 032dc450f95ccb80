import type { AVSampleFormat } from "node-av/constants";
import type { CodecContext, Frame } from "node-av/lib";
import { MediaEncodeError, MediaInputError } from "../errors.js";
import { AudioFormatter } from "./audio-formatter.js";
import { addStream, findEncoder, type StreamEncoder } from "./encoder.js";
import { ffmpegError, loadNodeAv, type NodeAv } from "./native.js";
import { type MemoryOutput, openMemoryOutput } from "./output.js";

/** Audio as ComfyUI holds it: planar float32 samples, one array per channel, at `sampleRate`. */
export interface AudioSamples {
  readonly sampleRate: number;
  readonly channels: readonly Float32Array[];
}

export type AudioFileFormat = "flac" | "mp3" | "opus";

export interface EncodeAudioOptions {
  /** FLAC (FFmpeg's encoder, s16), MP3 (LAME, s32p) or Opus in Ogg (libopus, s16), as ComfyUI's SaveAudio* write them. */
  readonly format: AudioFileFormat;
  /** Bit rate in bit/s for MP3 and Opus (default 128000, PyAV's). */
  readonly bitRate?: number;
  /** MP3 only: LAME's VBR at quality 0 (ComfyUI's "V0", PyAV's `qscale` flag) instead of a constant rate. */
  readonly vbr?: boolean;
  /** Container tags (ComfyUI: `prompt` and the extra_pnginfo keys as JSON); Opus keeps them in OpusTags. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** The output's name, for messages. */
  readonly name?: string;
}

const ENCODERS: Record<AudioFileFormat, string> = { flac: "flac", mp3: "libmp3lame", opus: "libopus" };

/** FFmpeg's name of ComfyUI's layouts: SaveAudio writes one channel as mono, anything else as stereo. */
const layoutFor = (channels: number): string => (channels === 1 ? "mono" : "stereo");

/**
 * Encodes planar float samples into a FLAC, MP3 or Ogg Opus file the way ComfyUI's `save_audio` does
 * with PyAV: one packed float frame at pts 0, converted by PyAV's resampler to the encoder's first
 * sample format and cut to its frame size, the encoder flushed, the container closed.
 */
export async function encodeAudio(audio: AudioSamples, options: EncodeAudioOptions): Promise<Uint8Array> {
  const label = options.name ?? `${options.format} audio`;
  checkSamples(audio, label);
  const av = await loadNodeAv();
  const codec = findEncoder(av, ENCODERS[options.format], label);
  const output = openMemoryOutput(av, options.format, label);
  let encoder: StreamEncoder | undefined;
  try {
    const layout = layoutFor(audio.channels.length);
    encoder = addStream(av, output, codec, label, (ctx) => {
      setAudioDefaults(av, ctx, codec.sampleFormats?.[0], audio.sampleRate, layout);
      if (options.bitRate !== undefined) ctx.bitRate = BigInt(options.bitRate);
      if (options.vbr) ctx.setFlags(av.c.AV_CODEC_FLAG_QSCALE);
    });
    encoder.open({});
    output.writeHeader({}, options.metadata ?? {});
    encodeSamples(av, encoder, output, audio, label);
    return output.finish();
  } finally {
    encoder?.free();
    output.close();
  }
}

/**
 * PyAV 10's `add_stream` for audio: the codec's first sample format, 128 kb/s (tolerance 32 kb/s), the
 * given rate, and the layout (set afterwards by ComfyUI); the time base 1/rate is PyAV's default.
 */
export function setAudioDefaults(
  av: NodeAv,
  ctx: CodecContext,
  sampleFormat: AVSampleFormat | undefined,
  rate: number,
  layout: string,
): void {
  if (sampleFormat !== undefined) ctx.sampleFormat = sampleFormat;
  ctx.bitRate = 128000n;
  ctx.setOption("bt", 32000);
  ctx.sampleRate = rate;
  ctx.channelLayout = layout === "mono" ? av.c.AV_CHANNEL_LAYOUT_MONO : av.c.AV_CHANNEL_LAYOUT_STEREO;
  ctx.timeBase = new av.lib.Rational(1, rate);
}

/**
 * ComfyUI's audio frame: `from_ndarray(waveform.movedim(0, 1).reshape(1, -1), format="flt")` — the
 * channels interleaved — at pts 0, then encoded and flushed through PyAV's resampler.
 */
export function encodeSamples(
  av: NodeAv,
  encoder: StreamEncoder,
  output: MemoryOutput,
  audio: AudioSamples,
  label: string,
): void {
  const { ctx } = encoder;
  const channels = audio.channels.length;
  const n = audio.channels[0]?.length ?? 0;
  if (n === 0) {
    // PyAV hands FFmpeg the empty frame and abuffer refuses it; say so the same way.
    throw new MediaEncodeError("abuffer", `${label}: there are no samples to encode: Invalid argument`, {
      errno: av.c.AVERROR_EINVAL,
      reason: ffmpegError(av, av.c.AVERROR_EINVAL),
    });
  }
  const packed = new Float32Array(n * channels);
  for (let c = 0; c < channels; c++) {
    const ch = audio.channels[c]!;
    for (let i = 0; i < n; i++) packed[i * channels + c] = ch[i]!;
  }
  const variable = (encoder.codec.capabilities & av.c.AV_CODEC_CAP_VARIABLE_FRAME_SIZE) !== 0;
  const formatter = new AudioFormatter(
    av,
    {
      format: ctx.sampleFormat,
      layout: av.lib.avChannelLayoutDescribe(ctx.channelLayout) ?? "stereo",
      rate: ctx.sampleRate,
      frameSize: variable ? 0 : ctx.frameSize,
    },
    label,
  );
  const input: Frame = av.lib.Frame.fromAudioBuffer(
    Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength),
    {
      nbSamples: n,
      format: av.c.AV_SAMPLE_FMT_FLT,
      sampleRate: audio.sampleRate,
      channelLayout: channels === 1 ? av.c.AV_CHANNEL_LAYOUT_MONO : av.c.AV_CHANNEL_LAYOUT_STEREO,
      timeBase: { num: 1, den: audio.sampleRate },
      pts: 0n,
    },
  );
  try {
    for (const frame of [...formatter.push(input), ...formatter.push(null), null]) {
      try {
        encoder.mux(output, encoder.encode(frame));
      } finally {
        frame?.free();
      }
    }
  } finally {
    input.free();
    formatter.free();
  }
}

function checkSamples(audio: AudioSamples, label: string): void {
  const { channels, sampleRate } = audio;
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw new MediaInputError(`${label}: sample rate must be a positive integer, got ${sampleRate}`);
  }
  if (channels.length < 1 || channels.length > 2) {
    throw new MediaInputError(
      `${label}: ComfyUI writes mono or stereo audio; got ${channels.length} channels (mix or split them first)`,
    );
  }
  const n = channels[0]!.length;
  const other = channels.findIndex((c) => c.length !== n);
  if (other >= 0) {
    throw new MediaInputError(
      `${label}: channel ${other} has ${channels[other]!.length} samples, channel 0 has ${n}; channels must be equally long`,
    );
  }
}
