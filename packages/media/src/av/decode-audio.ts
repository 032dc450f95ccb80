import type { AVSampleFormat } from "node-av/constants";
import type { Frame } from "node-av/lib";
import { CorruptMediaError } from "../errors.js";
import { mp3LengthSlack } from "./declared-length.js";
import { decodeStream, pickStream, type StreamChoice } from "./decoder.js";
import { openInput } from "./input.js";
import { loadNodeAv } from "./native.js";
import {
  type AudioStreamInfo,
  audioStreamInfo,
  layoutName,
  type MediaInfo,
  mediaInfo,
} from "./stream-info.js";

export interface DecodeAudioOptions extends StreamChoice {
  /** The file's name, for messages. */
  readonly name?: string;
  /** Keep the decoder's own samples too (default false). */
  readonly native?: boolean;
}

/** A sample format without its planar/packed distinction. */
export type SampleFormat = "u8" | "s16" | "s32" | "s64" | "flt" | "dbl";

export type SampleArray = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/** The decoder's samples, one array per channel, in its own format (`s16` for 16-bit FLAC, `flt` for MP3/Opus/AAC). */
export interface NativeSamples {
  readonly format: SampleFormat;
  readonly channels: readonly SampleArray[];
}

export interface DecodedAudio {
  readonly media: MediaInfo;
  readonly stream: AudioStreamInfo;
  readonly sampleRate: number;
  readonly channels: number;
  /** FFmpeg's layout name of the decoded frames: `mono`, `stereo`, … */
  readonly layout: string;
  /** Samples per channel actually decoded. */
  readonly sampleCount: number;
  /** `sampleCount / sampleRate`. */
  readonly durationS: number;
  /**
   * Planar float32, one array per channel, converted as ComfyUI's LoadAudio does (`f32_pcm`): s16 / 2^15,
   * s32 / 2^31, float as it is (also u8: (x − 128) / 2^7, s64 / 2^63, double rounded to float32).
   */
  readonly samples: readonly Float32Array[];
  readonly native: NativeSamples | undefined;
}

const BYTES: Record<SampleFormat, number> = { u8: 1, s16: 2, s32: 4, s64: 8, flt: 4, dbl: 8 };

/** Codecs whose headers state the exact length (FLAC's STREAMINFO, PCM sizes), so a shorter decode is a cut. */
const EXACT_LENGTH = /^(flac|pcm_|alac|wavpack|tta)/;

/**
 * Decodes every sample of an audio stream (FLAC, WAV, MP3, Opus in Ogg, AAC in MP4, anything FFmpeg
 * reads) with node-av's FFmpeg, the way ComfyUI's LoadAudio does with PyAV: the first audio stream, all
 * frames concatenated, packed formats split into channels.
 */
export async function decodeAudio(
  bytes: Uint8Array,
  options: DecodeAudioOptions = {},
): Promise<DecodedAudio> {
  const av = await loadNodeAv();
  const input = await openInput(av, bytes, options.name);
  try {
    const media = mediaInfo(av, input.fmt);
    const stream = pickStream(av, input, "audio", options, options.name);
    const info = audioStreamInfo(av, stream);
    const chunks: Uint8Array[][] = [];
    let format: SampleFormat | undefined;
    let sampleRate = info.sampleRate;
    let layout = info.layout;
    let sampleCount = 0;
    await decodeStream(av, input, stream, options.name, (frame, index) => {
      const name = av.lib.avGetSampleFmtName(frame.format as AVSampleFormat) ?? "none";
      const base = name.replace(/p$/, "") as SampleFormat;
      if (!(base in BYTES)) {
        throw new CorruptMediaError(`${input.label}: frame ${index} has an unknown sample format ${name}`, {
          file: options.name,
        });
      }
      if (format === undefined) {
        format = base;
        sampleRate = frame.sampleRate;
        layout = layoutName(av, frame.channelLayout);
        for (let c = 0; c < frame.channels; c++) chunks.push([]);
      } else if (base !== format || frame.channels !== chunks.length || frame.sampleRate !== sampleRate) {
        throw new CorruptMediaError(
          `${input.label}: audio frame ${index} changes format to ${name} ${frame.channels} ch ${frame.sampleRate} Hz (was ${format} ${chunks.length} ch ${sampleRate} Hz); ComfyUI cannot concatenate such frames either`,
          { file: options.name },
        );
      }
      splitChannels(frame, name.endsWith("p"), BYTES[base], chunks);
      sampleCount += frame.nbSamples;
    });
    const slack = EXACT_LENGTH.test(info.codec)
      ? 0
      : info.codec === "mp3"
        ? mp3LengthSlack(bytes)
        : undefined;
    if (info.durationS !== undefined && slack !== undefined && info.sampleRate > 0) {
      const declared = Math.round(info.durationS * info.sampleRate);
      if (sampleCount < declared - slack) {
        throw new CorruptMediaError(
          `${input.label}: the header declares ${declared} samples per channel in audio stream #${info.index}, but only ${sampleCount} decode: the file is truncated`,
          { file: options.name },
        );
      }
    }
    const sampleFormat = format ?? (info.sampleFmt.replace(/p$/, "") as SampleFormat);
    const nativeChannels = chunks.map((parts) => typedSamples(sampleFormat, concat(parts)));
    return {
      media,
      stream: info,
      sampleRate,
      channels: chunks.length || info.channels,
      layout,
      sampleCount,
      durationS: sampleRate > 0 ? sampleCount / sampleRate : 0,
      samples: nativeChannels.map((ch) => toFloat32(sampleFormat, ch)),
      native: options.native ? { format: sampleFormat, channels: nativeChannels } : undefined,
    };
  } finally {
    input.close();
  }
}

/** Appends each channel's bytes of `frame` to `chunks[channel]` (de-interleaving packed formats). */
function splitChannels(frame: Frame, planar: boolean, bytesPerSample: number, chunks: Uint8Array[][]): void {
  const data = frame.data ?? [];
  const n = frame.nbSamples;
  const channels = chunks.length;
  if (planar) {
    for (let c = 0; c < channels; c++)
      chunks[c]!.push(new Uint8Array(data[c]!.subarray(0, n * bytesPerSample)));
    return;
  }
  const packed = data[0]!;
  // 16- and 32-bit samples are moved as whole words (bit patterns kept), the rest byte by byte.
  const Words = bytesPerSample === 2 ? Uint16Array : bytesPerSample === 4 ? Uint32Array : undefined;
  if (Words) {
    const aligned = packed.byteOffset % bytesPerSample === 0 ? packed : new Uint8Array(packed);
    const source =
      bytesPerSample === 2
        ? new Uint16Array(aligned.buffer, aligned.byteOffset, n * channels)
        : new Uint32Array(aligned.buffer, aligned.byteOffset, n * channels);
    for (let c = 0; c < channels; c++) {
      const out = new Words(n);
      for (let i = 0, from = c; i < n; i++, from += channels) out[i] = source[from]!;
      chunks[c]!.push(new Uint8Array(out.buffer));
    }
    return;
  }
  for (let c = 0; c < channels; c++) {
    const out = new Uint8Array(n * bytesPerSample);
    for (let i = 0; i < n; i++) {
      const from = (i * channels + c) * bytesPerSample;
      for (let b = 0; b < bytesPerSample; b++) out[i * bytesPerSample + b] = packed[from + b]!;
    }
    chunks[c]!.push(out);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reinterprets little-endian bytes as the typed array of `format` (copies are already aligned). */
function typedSamples(format: SampleFormat, bytes: Uint8Array): SampleArray {
  const { buffer, byteOffset, byteLength } = bytes;
  switch (format) {
    case "u8":
      return bytes;
    case "s16":
      return new Int16Array(buffer, byteOffset, byteLength / 2);
    case "s32":
      return new Int32Array(buffer, byteOffset, byteLength / 4);
    case "s64":
      return new BigInt64Array(buffer, byteOffset, byteLength / 8);
    case "flt":
      return new Float32Array(buffer, byteOffset, byteLength / 4);
    case "dbl":
      return new Float64Array(buffer, byteOffset, byteLength / 8);
  }
}

/** ComfyUI's `f32_pcm` (int16 / 2^15, int32 / 2^31; float32 kept), extended to the other formats. */
function toFloat32(format: SampleFormat, samples: SampleArray): Float32Array {
  if (samples instanceof Float32Array) return samples;
  const out = new Float32Array(samples.length);
  switch (format) {
    case "s16":
      for (let i = 0; i < out.length; i++) out[i] = (samples[i] as number) / 32768;
      break;
    case "s32":
      // torch rounds the int32 to float32 first; the division by 2^31 is exact.
      for (let i = 0; i < out.length; i++) out[i] = Math.fround(samples[i] as number) / 2147483648;
      break;
    case "u8":
      for (let i = 0; i < out.length; i++) out[i] = ((samples[i] as number) - 128) / 128;
      break;
    case "s64":
      for (let i = 0; i < out.length; i++) out[i] = Math.fround(Number(samples[i] as bigint)) / 2 ** 63;
      break;
    default:
      for (let i = 0; i < out.length; i++) out[i] = samples[i] as number;
  }
  return out;
}
