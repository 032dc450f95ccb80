import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { pyRound } from "@comfy-ts/core/python";
import { loadAudioFile } from "../audio/load-audio.js";
import { type SaveAudioOptions, saveAudio } from "../audio/save-audio.js";
import { torchaudioResample } from "../audio/torchaudio-resample.js";
import { type NodeContext, NodeExecutionError } from "../execution/node-impl.js";
import { contentTypeOf } from "../files/content-type.js";
import { annotatedInputPath as inputPath } from "../files/safe-path.js";
import { tempSuffix } from "../files/save-images.js";
import { cat, dim, f32, narrow } from "../tensor/ops.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { COMBO, defineNode, FILES, type FileLister, FLOAT, INT, out, STRING, T, U64_MAX } from "./define.js";
import type { Audio } from "./socket-types.js";

export type { Audio } from "./socket-types.js";

// comfy_extras/nodes_audio.py

const MOD = "comfy_extras.nodes_audio";
const HIDDEN = { prompt: "PROMPT", extra_pnginfo: "EXTRA_PNGINFO" } as const;

/** LoadAudio's list: files of the input folder itself whose content type is audio or video. */
const audioFiles: FileLister = (env) =>
  env.inputFiles().filter((f) => !f.includes("/") && /^(audio|video)\//.test(contentTypeOf(f)));

/** LoadAudio's `IS_CHANGED`: the SHA-256 of the file, in hex. */
function audioFingerprint(literals: Record<string, unknown>, ctx: NodeContext): unknown {
  try {
    return createHash("sha256")
      .update(readFileSync(inputPath(String(literals.audio), ctx)))
      .digest("hex");
  } catch {
    return Number.NaN;
  }
}

/**
 * `match_audio_sample_rates`: the waveform at the lower rate is resampled up to the higher one with
 * torchaudio (AudioConcat, AudioMerge).
 */
function matchRates(a: Audio, b: Audio): [Tensor, Tensor, number] {
  if (a.sample_rate === b.sample_rate) return [a.waveform, b.waveform, a.sample_rate];
  if (a.sample_rate > b.sample_rate) {
    return [a.waveform, torchaudioResample(b.waveform, b.sample_rate, a.sample_rate), a.sample_rate];
  }
  return [torchaudioResample(a.waveform, a.sample_rate, b.sample_rate), b.waveform, b.sample_rate];
}

/** `waveform.repeat(1, 2, 1)` of a mono waveform; others unchanged. */
function monoToStereo(w: Tensor): Tensor {
  return dim(w, 1) === 1 ? cat([w, w], 1) : w;
}

/** torch's broadcast of two `[batch, channels, samples]` tensors of equal length, element by element. */
function broadcast(a: Tensor, b: Tensor, op: (x: number, y: number) => number): Tensor {
  const shape = [0, 1, 2].map((axis) => {
    const x = a.shape[axis] ?? 1;
    const y = b.shape[axis] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new NodeExecutionError(
        "RuntimeError",
        `The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${axis}`,
      );
    }
    return Math.max(x, y);
  }) as [number, number, number];
  const [batch, channels, length] = shape;
  const data = new Float32Array(batch * channels * length);
  const at = (t: Tensor, i: number, c: number): number =>
    ((dim(t, 0) === 1 ? 0 : i) * dim(t, 1) + (dim(t, 1) === 1 ? 0 : c)) * length;
  for (let i = 0; i < batch; i++) {
    for (let c = 0; c < channels; c++) {
      const ra = at(a, i, c);
      const rb = at(b, i, c);
      const ro = (i * channels + c) * length;
      for (let k = 0; k < length; k++) data[ro + k] = op(a.data[ra + k] as number, b.data[rb + k] as number);
    }
  }
  return tensor(shape, data);
}

const PREFIX = STRING({ default: "audio/ComfyUI" });

/** SaveAudioMP3 / SaveAudioOpus: a `quality` combo chooses the encoder settings. */
function qualitySaver(
  name: string,
  display: string,
  format: SaveAudioOptions["format"],
  options: readonly string[],
  defaultQuality: string,
) {
  return defineNode(
    {
      name,
      display,
      category: "audio",
      module: MOD,
      outputNode: true,
      required: {
        audio: T("AUDIO"),
        filename_prefix: PREFIX,
        quality: COMBO(options, { default: defaultQuality }),
      },
      hidden: HIDDEN,
    },
    (inputs, ctx) =>
      saveAudio(inputs.audio, inputs.filename_prefix, ctx, {
        format,
        type: "output",
        quality: inputs.quality,
      }),
  );
}

export const nodes = [
  defineNode(
    {
      name: "EmptyLatentAudio",
      display: "Empty Latent Audio",
      category: "latent/audio",
      module: MOD,
      required: {
        seconds: FLOAT({ default: 47.6, min: 1.0, max: 1000.0, step: 0.1 }),
        batch_size: INT({
          default: 1,
          min: 1,
          max: 4096,
          tooltip: "The number of latent images in the batch.",
        }),
      },
      outputs: [["LATENT"]],
    },
    (inputs) => {
      const length = pyRound((inputs.seconds * 44100) / 2048 / 2) * 2;
      return out({ samples: tensor([inputs.batch_size, 64, length]), type: "audio" });
    },
  ),
  defineNode(
    {
      name: "SaveAudio",
      display: "Save Audio (FLAC)",
      category: "audio",
      module: MOD,
      outputNode: true,
      required: { audio: T("AUDIO"), filename_prefix: PREFIX },
      hidden: HIDDEN,
    },
    (inputs, ctx) => saveAudio(inputs.audio, inputs.filename_prefix, ctx, { format: "flac", type: "output" }),
  ),
  qualitySaver("SaveAudioMP3", "Save Audio (MP3)", "mp3", ["V0", "128k", "320k"], "V0"),
  qualitySaver("SaveAudioOpus", "Save Audio (Opus)", "opus", ["64k", "96k", "128k", "192k", "320k"], "128k"),
  defineNode(
    {
      name: "LoadAudio",
      display: "Load Audio",
      category: "audio",
      module: MOD,
      required: { audio: FILES(audioFiles, { audio_upload: true }) },
      outputs: [["AUDIO"]],
    },
    async (inputs, ctx) => out(await loadAudioFile(inputPath(inputs.audio, ctx))),
    { fingerprint: audioFingerprint },
  ),
  defineNode(
    {
      name: "PreviewAudio",
      display: "Preview Audio",
      category: "audio",
      module: MOD,
      outputNode: true,
      required: { audio: T("AUDIO") },
      hidden: HIDDEN,
    },
    (inputs, ctx) =>
      saveAudio(inputs.audio, "ComfyUI", ctx, { format: "flac", type: "temp", prefixAppend: tempSuffix() }),
  ),
  defineNode(
    {
      name: "RecordAudio",
      display: "Record Audio",
      category: "audio",
      module: MOD,
      required: { audio: T("AUDIO_RECORD", {}) },
      outputs: [["AUDIO"]],
    },
    async (inputs, ctx) => out(await loadAudioFile(inputPath(String(inputs.audio), ctx))),
  ),
  defineNode(
    {
      name: "TrimAudioDuration",
      display: "Trim Audio Duration",
      category: "audio",
      module: MOD,
      description: "Trim audio tensor into chosen time range.",
      required: {
        audio: T("AUDIO"),
        start_index: FLOAT({
          default: 0.0,
          min: -U64_MAX,
          max: U64_MAX,
          step: 0.01,
          tooltip: "Start time in seconds, can be negative to count from the end (supports sub-seconds).",
        }),
        duration: FLOAT({ default: 60.0, min: 0.0, step: 0.01, tooltip: "Duration in seconds" }),
      },
      outputs: [["AUDIO"]],
    },
    (i) => {
      const a = i.audio;
      const length = dim(a.waveform, -1);
      const start = i.start_index;
      let first = start < 0 ? length + pyRound(start * a.sample_rate) : pyRound(start * a.sample_rate);
      first = Math.max(0, Math.min(first, length - 1));
      const end = Math.max(0, Math.min(first + pyRound(i.duration * a.sample_rate), length));
      if (first >= end) {
        throw new NodeExecutionError(
          "ValueError",
          "AudioTrim: Start time must be less than end time and be within the audio length.",
        );
      }
      return out({ waveform: narrow(a.waveform, -1, first, end - first), sample_rate: a.sample_rate });
    },
  ),
  defineNode(
    {
      name: "SplitAudioChannels",
      display: "Split Audio Channels",
      category: "audio",
      module: MOD,
      description: "Separates the audio into left and right channels.",
      required: { audio: T("AUDIO") },
      outputs: [
        ["AUDIO", "left"],
        ["AUDIO", "right"],
      ],
    },
    (i) => {
      const a = i.audio;
      if (dim(a.waveform, 1) !== 2)
        throw new NodeExecutionError("ValueError", "AudioSplit: Input audio has only one channel.");
      return out(
        { waveform: narrow(a.waveform, 1, 0, 1), sample_rate: a.sample_rate },
        { waveform: narrow(a.waveform, 1, 1, 1), sample_rate: a.sample_rate },
      );
    },
  ),
  defineNode(
    {
      name: "AudioConcat",
      display: "Audio Concat",
      category: "audio",
      module: MOD,
      description: "Concatenates the audio1 to audio2 in the specified direction.",
      required: {
        audio1: T("AUDIO"),
        audio2: T("AUDIO"),
        direction: COMBO(["after", "before"], {
          default: "after",
          tooltip: "Whether to append audio2 after or before audio1.",
        }),
      },
      outputs: [["AUDIO"]],
    },
    (i) => {
      const [w1, w2, rate] = matchRates(
        { waveform: monoToStereo(i.audio1.waveform), sample_rate: i.audio1.sample_rate },
        { waveform: monoToStereo(i.audio2.waveform), sample_rate: i.audio2.sample_rate },
      );
      for (const axis of [0, 1]) {
        if (dim(w1, axis) !== dim(w2, axis)) {
          throw new NodeExecutionError(
            "RuntimeError",
            `Sizes of tensors must match except in dimension 2. Expected size ${dim(i.direction === "before" ? w2 : w1, axis)} but got size ${dim(i.direction === "before" ? w1 : w2, axis)} for tensor number 1 in the list.`,
          );
        }
      }
      return out({ waveform: cat(i.direction === "before" ? [w2, w1] : [w1, w2], 2), sample_rate: rate });
    },
  ),
  defineNode(
    {
      name: "AudioMerge",
      display: "Audio Merge",
      category: "audio",
      module: MOD,
      description: "Combine two audio tracks by overlaying their waveforms.",
      required: {
        audio1: T("AUDIO"),
        audio2: T("AUDIO"),
        merge_method: COMBO(["add", "mean", "subtract", "multiply"], {
          tooltip: "The method used to combine the audio waveforms.",
        }),
      },
      outputs: [["AUDIO"]],
    },
    (i) => {
      const [w1, resampled, rate] = matchRates(i.audio1, i.audio2);
      let w2 = resampled;
      const l1 = dim(w1, -1);
      const l2 = dim(w2, -1);
      if (l2 > l1) w2 = narrow(w2, -1, 0, l1);
      else if (l2 < l1) w2 = cat([w2, tensor([...w2.shape.slice(0, -1), l1 - l2])], -1);
      const method = i.merge_method;
      const merged = broadcast(w1, w2, (x, y) =>
        method === "add"
          ? f32(x + y)
          : method === "subtract"
            ? f32(x - y)
            : method === "multiply"
              ? f32(x * y)
              : f32(f32(x + y) / 2),
      );
      let peak = 0;
      for (const v of merged.data) peak = Math.max(peak, Math.abs(v));
      if (peak > 1)
        for (let k = 0; k < merged.data.length; k++) merged.data[k] = f32((merged.data[k] as number) / peak);
      return out({ waveform: merged, sample_rate: rate });
    },
  ),
  defineNode(
    {
      name: "AudioAdjustVolume",
      display: "Audio Adjust Volume",
      category: "audio",
      module: MOD,
      required: {
        audio: T("AUDIO"),
        volume: INT({
          default: 1.0,
          min: -100,
          max: 100,
          tooltip: "Volume adjustment in decibels (dB). 0 = no change, +6 = double, -6 = half, etc",
        }),
      },
      outputs: [["AUDIO"]],
    },
    (i) => {
      const a = i.audio;
      if (i.volume === 0) return out(a);
      const gain = f32(10 ** (i.volume / 20));
      return out({
        waveform: tensor(
          a.waveform.shape,
          a.waveform.data.map((v) => f32(v * gain)),
        ),
        sample_rate: a.sample_rate,
      });
    },
  ),
  defineNode(
    {
      name: "EmptyAudio",
      display: "Empty Audio",
      category: "audio",
      module: MOD,
      required: {
        duration: FLOAT({
          default: 60.0,
          min: 0.0,
          max: U64_MAX,
          step: 0.01,
          tooltip: "Duration of the empty audio clip in seconds",
        }),
        sample_rate: INT({ default: 44100, tooltip: "Sample rate of the empty audio clip." }),
        channels: INT({
          default: 2,
          min: 1,
          max: 2,
          tooltip: "Number of audio channels (1 for mono, 2 for stereo).",
        }),
      },
      outputs: [["AUDIO"]],
    },
    (i) => {
      const rate = Number(i.sample_rate);
      return out({ waveform: tensor([1, i.channels, pyRound(i.duration * rate)]), sample_rate: rate });
    },
  ),
];
