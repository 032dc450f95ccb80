import { describeWithPython, runPython } from "@comfy-ts/test-support";
import { beforeAll, expect, it } from "vitest";
import { conv1dBackend, paddedLength, torchaudioResample } from "../../src/audio/torchaudio-resample.js";
import type { Audio } from "../../src/nodes/socket-types.js";
import { type Tensor, tensor } from "../../src/tensor/tensor.js";
import {
  type CaseOutcome,
  localOutcome,
  mismatch,
  type NodeCase,
  pick,
  randInt,
  referenceRun,
  seeded,
} from "./reference.js";

/**
 * Property tests of torchaudio's resampling (SaveAudioOpus, AudioConcat, AudioMerge) and of the audio
 * nodes against ComfyUI's node bodies on Debian's torch 1.13 / torchaudio 0.13: many rate pairs up and
 * down, lengths on both sides of torch's conv1d backend switch (one row of ≤ 20480 padded samples takes
 * the native path, anything else oneDNN), mono/stereo, batches, contents within and beyond ±1. Every
 * float32 sample must be identical.
 */
const RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 96000] as const;

function randomWave(random: () => number, batch: number, channels: number, length: number, peak = 1): Tensor {
  const data = new Float32Array(batch * channels * length);
  for (let i = 0; i < data.length; i++) data[i] = Math.fround((random() * 2 - 1) * peak);
  return tensor([batch, channels, length], data);
}

const audio = (waveform: Tensor, sampleRate: number): Audio => ({ waveform, sample_rate: sampleRate });

function resampleCases(): NodeCase[] {
  const r = seeded(31);
  const cases: NodeCase[] = [];
  const add = (orig: number, next: number, batch: number, channels: number, length: number) =>
    cases.push({
      node: "torchaudio.resample",
      inputs: { waveform: randomWave(r, batch, channels, length), orig_freq: orig, new_freq: next },
      label: `resample ${batch}×${channels}×${length} ${orig} → ${next} Hz`,
    });
  for (let i = 0; i < 22; i++) {
    const orig = pick(r, RATES);
    let next = pick(r, RATES);
    if (next === orig) next = orig === 48000 ? 44100 : 48000;
    add(orig, next, pick(r, [1, 1, 1, 2]), pick(r, [1, 1, 2]), pick(r, [1, 7, randInt(r, 10, 2500)]));
  }
  // conv1d's backend switch: one row of ≤ 20480 padded samples (length + 2·width + orig) stays native.
  add(44100, 48000, 1, 1, 20319); // 20480 padded: native
  add(44100, 48000, 1, 1, 20320); // 20481: oneDNN
  add(48000, 44100, 1, 1, 20306); // 20480
  add(48000, 44100, 1, 1, 20307); // 20481
  add(22050, 24000, 1, 2, 5000); // two rows: oneDNN at any length
  return cases;
}

function nodeCases(): NodeCase[] {
  const r = seeded(32);
  const cases: NodeCase[] = [];
  const someAudio = (maxLength = 6000) => {
    const rate = pick(r, RATES);
    const channels = pick(r, [1, 2]);
    const length = randInt(r, 1, maxLength);
    return audio(randomWave(r, 1, channels, length, pick(r, [0.5, 1, 1.7])), rate);
  };
  for (let i = 0; i < 14; i++) {
    const a = someAudio();
    const b = pick(r, [someAudio(), audio(randomWave(r, 1, 2, randInt(r, 1, 6000)), a.sample_rate)]);
    const direction = pick(r, ["after", "before"]);
    cases.push({
      node: "AudioConcat",
      inputs: { audio1: a, audio2: b, direction },
      label: `AudioConcat ${a.waveform.shape}@${a.sample_rate} ${direction} ${b.waveform.shape}@${b.sample_rate}`,
    });
  }
  for (let i = 0; i < 16; i++) {
    const a = someAudio();
    const b = pick(r, [someAudio(), audio(randomWave(r, 1, 1, randInt(r, 1, 6000), 1.7), a.sample_rate)]);
    const merge_method = ["add", "mean", "subtract", "multiply"][i % 4] as string;
    cases.push({
      node: "AudioMerge",
      inputs: { audio1: a, audio2: b, merge_method },
      label: `AudioMerge ${merge_method} ${a.waveform.shape}@${a.sample_rate} with ${b.waveform.shape}@${b.sample_rate}`,
    });
  }
  for (const volume of [0, 1, -1, 6, -6, 13, 100, -100, 37]) {
    const a = someAudio(2000);
    cases.push({
      node: "AudioAdjustVolume",
      inputs: { audio: a, volume },
      label: `AudioAdjustVolume ${volume} dB`,
    });
  }
  for (let i = 0; i < 12; i++) {
    const a = someAudio(4000);
    const start_index = pick(r, [0, 0.25, -0.1, 1e9, -1e9, Math.round(r() * 100) / 1000, 0.0125]);
    const duration = pick(r, [0, 0.05, 0.3, 60, Math.round(r() * 100) / 1000]);
    cases.push({
      node: "TrimAudioDuration",
      inputs: { audio: a, start_index, duration },
      label: `TrimAudioDuration ${a.waveform.shape}@${a.sample_rate} from ${start_index} for ${duration}`,
    });
  }
  for (const [duration, sample_rate] of [
    [0.5, 44100],
    [0.3, 16000],
    [1.00005, 10000],
    [0.00015, 10000],
    [0.00025, 10000],
    [2.5, 1],
    [3.5, 1],
  ] as const) {
    cases.push({
      node: "EmptyAudio",
      inputs: { duration, sample_rate, channels: pick(r, [1, 2]) },
      label: `EmptyAudio ${duration} s at ${sample_rate} Hz`,
    });
  }
  return cases;
}

describeWithPython(
  "audio vs torchaudio 0.13 / torch 1.13, float32-exact",
  ["torch", "torchaudio", "numpy", "PIL"],
  (python) => {
    const resamples = resampleCases();
    const nodes = nodeCases();
    let reference: CaseOutcome[];
    beforeAll(() => {
      reference = referenceRun(python, [...resamples, ...nodes]).outcomes;
    }, 300_000);

    // torch's native conv1d path calls the BLAS that libblas.so.3 resolves to. The local server
    // reproduces the reference BLAS's order there, not OpenBLAS's (its kernels sum in other orders; see
    // the README's known differences), so an interpreter that loads another BLAS cannot check that path.
    const blas = runPython(
      python,
      "import torch\nprint(next((l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower()), ''))",
    )
      .toString()
      .trim();
    const referenceBlas = !/openblas|mkl|blis|atlas/i.test(blas);
    const nativePath = (c: NodeCase): boolean => {
      const { waveform, orig_freq, new_freq } = c.inputs as {
        waveform: Tensor;
        orig_freq: number;
        new_freq: number;
      };
      const length = waveform.shape[2] ?? 0;
      const rows = waveform.data.length / Math.max(1, length);
      return conv1dBackend(rows, paddedLength(length, orig_freq, new_freq)) === "native";
    };
    for (const [i, c] of resamples.entries()) {
      if (nativePath(c) && !referenceBlas) {
        it.skip(`${c.label} [skipped: native conv1d path; this Python's torch loads ${blas}, not the reference BLAS]`, () => {});
        continue;
      }
      it(c.label, () => {
        const { waveform, orig_freq, new_freq } = c.inputs as {
          waveform: Tensor;
          orig_freq: number;
          new_freq: number;
        };
        const local: CaseOutcome = { outputs: [torchaudioResample(waveform, orig_freq, new_freq)] };
        expect(mismatch(local, reference[i]!)).toBeUndefined();
      });
    }

    /** Whether a node case resamples a single row short enough for the native conv1d path. */
    const nodeResamplesNatively = (c: NodeCase): boolean => {
      const a = c.inputs.audio1 as Audio | undefined;
      const b = c.inputs.audio2 as Audio | undefined;
      if (!a || !b || a.sample_rate === b.sample_rate) return false;
      const [low, high] = a.sample_rate < b.sample_rate ? [a, b] : [b, a];
      const [batch = 1, channels = 1, length = 0] = low.waveform.shape;
      const rows = batch * (c.node === "AudioConcat" && channels === 1 ? 2 : channels);
      return conv1dBackend(rows, paddedLength(length, low.sample_rate, high.sample_rate)) === "native";
    };
    for (const [i, c] of nodes.entries()) {
      if (nodeResamplesNatively(c) && !referenceBlas) {
        it.skip(`${c.label} [skipped: resamples on the native conv1d path; this Python's torch loads ${blas}]`, () => {});
        continue;
      }
      it(c.label, async () => {
        expect(mismatch(await localOutcome(c), reference[resamples.length + i]!)).toBeUndefined();
      });
    }
  },
);
