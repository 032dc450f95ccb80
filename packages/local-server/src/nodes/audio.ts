import { NodeExecutionError } from "../execution/node-impl.js";
import { pyRound } from "../resample/common-upscale.js";
import { cat, dim, f32, narrow } from "../tensor/ops.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { COMBO, defineNode, FLOAT, INT, out, T, U64_MAX } from "./define.js";
import type { Audio } from "./socket-types.js";

// comfy_extras/nodes_audio.py

const MOD = "comfy_extras.nodes_audio";

/** `match_audio_sample_rates`: this server does not resample, so the rates must already agree. */
function sameRate(a: Audio, b: Audio): number {
  if (a.sample_rate !== b.sample_rate) {
    throw new NodeExecutionError(
      "NotImplementedError",
      `audio at ${a.sample_rate} Hz and ${b.sample_rate} Hz would need resampling, which this server does not do`,
    );
  }
  return a.sample_rate;
}

function stereo(w: Tensor): Tensor {
  return dim(w, 1) === 1 ? cat([w, w], 1) : w;
}

const audioNodes = [
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
      const a = i.audio1;
      const b = i.audio2;
      const rate = sameRate(a, b);
      const w1 = stereo(a.waveform);
      const w2 = stereo(b.waveform);
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
      const a = i.audio1;
      const b = i.audio2;
      const rate = sameRate(a, b);
      const w1 = a.waveform;
      let w2 = b.waveform;
      const l1 = dim(w1, -1);
      const l2 = dim(w2, -1);
      if (l2 > l1) w2 = narrow(w2, -1, 0, l1);
      else if (l2 < l1) w2 = cat([w2, tensor([...w2.shape.slice(0, -1), l1 - l2])], -1);
      if (w1.shape.join() !== w2.shape.join()) {
        throw new NodeExecutionError(
          "RuntimeError",
          `The size of tensor a (${dim(w1, 1)}) must match the size of tensor b (${dim(w2, 1)}) at non-singleton dimension 1`,
        );
      }
      const method = i.merge_method;
      const data = new Float32Array(w1.data.length);
      let max = 0;
      for (let k = 0; k < data.length; k++) {
        const x = w1.data[k] as number;
        const y = w2.data[k] as number;
        const v =
          method === "add"
            ? f32(x + y)
            : method === "subtract"
              ? f32(x - y)
              : method === "multiply"
                ? f32(x * y)
                : f32(f32(x + y) / 2);
        data[k] = v;
        max = Math.max(max, Math.abs(v));
      }
      if (max > 1) for (let k = 0; k < data.length; k++) data[k] = f32((data[k] as number) / max);
      return out({ waveform: tensor(w1.shape, data), sample_rate: rate });
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
      const volume = i.volume;
      if (volume === 0) return out(a);
      const gain = f32(10 ** (volume / 20));
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
];

export const nodes = [
  ...audioNodes,
  defineNode(
    {
      name: "EmptyLatentAudio",
      display: "Empty Latent Audio",
      category: "latent/audio",
      module: "comfy_extras.nodes_audio",
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
      const x = (inputs.seconds * 44100) / 2048 / 2;
      const r = Math.round(x);
      const length = (Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r) * 2;
      return out({ samples: tensor([inputs.batch_size, 64, length]), type: "audio" });
    },
  ),
  defineNode(
    {
      name: "EmptyAudio",
      display: "Empty Audio",
      category: "audio",
      module: "comfy_extras.nodes_audio",
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
    (inputs) => {
      const rate = Number(inputs.sample_rate);
      return out({
        waveform: tensor([1, inputs.channels, Math.trunc(inputs.duration * rate)]),
        sample_rate: rate,
      });
    },
  ),
];
