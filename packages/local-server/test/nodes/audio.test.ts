import { describe, expect, it } from "vitest";
import type { Audio } from "../../src/nodes/socket-types.js";
import { tensor } from "../../src/tensor/tensor.js";
import { first, run } from "./run-node.js";

const wave = (channels: number, samples: number, fill: number): Audio => ({
  waveform: tensor([1, channels, samples], new Float32Array(channels * samples).fill(fill)),
  sample_rate: 10,
});

describe("audio nodes", () => {
  it("EmptyAudio is silence of duration × rate samples", async () => {
    const a = await first<Audio>("EmptyAudio", { duration: 1.5, sample_rate: 10, channels: 2 });
    expect(a.waveform.shape).toEqual([1, 2, 15]);
  });
  it("SplitAudioChannels needs two channels", async () => {
    const { outputs } = await run("SplitAudioChannels", { audio: wave(2, 4, 0.5) });
    expect((outputs as Audio[]).map((a) => a.waveform.shape)).toEqual([
      [1, 1, 4],
      [1, 1, 4],
    ]);
    await expect(run("SplitAudioChannels", { audio: wave(1, 4, 0.5) })).rejects.toMatchObject({
      exceptionType: "ValueError",
    });
  });
  it("AudioConcat makes mono stereo and appends", async () => {
    const a = await first<Audio>("AudioConcat", {
      audio1: wave(1, 3, 0.1),
      audio2: wave(2, 2, 0.2),
      direction: "before",
    });
    expect(a.waveform.shape).toEqual([1, 2, 5]);
    expect(a.waveform.data[0]).toBeCloseTo(0.2);
  });
  it.each([
    ["add", 0.75],
    ["mean", 0.375],
    ["subtract", 0.25],
    ["multiply", 0.125],
  ])("AudioMerge %s pads the shorter track with silence", async (merge_method, want) => {
    const a = await first<Audio>("AudioMerge", {
      audio1: wave(1, 4, 0.5),
      audio2: wave(1, 2, 0.25),
      merge_method,
    });
    expect(Array.from(a.waveform.data)).toEqual([
      want,
      want,
      merge_method === "multiply" ? 0 : 0.5 / (merge_method === "mean" ? 2 : 1),
      merge_method === "multiply" ? 0 : 0.5 / (merge_method === "mean" ? 2 : 1),
    ]);
  });
  it("AudioMerge normalises when the peak exceeds 1", async () => {
    const a = await first<Audio>("AudioMerge", {
      audio1: wave(1, 1, 0.8),
      audio2: wave(1, 1, 0.8),
      merge_method: "add",
    });
    expect(Array.from(a.waveform.data)).toEqual([1]);
  });
  it("AudioAdjustVolume applies 10^(dB/20)", async () => {
    const a = await first<Audio>("AudioAdjustVolume", { audio: wave(1, 1, 0.5), volume: 20 });
    expect(a.waveform.data[0]).toBeCloseTo(5, 5);
  });
  it.each([
    [0.2, 0.1, [2, 1]],
    [-0.2, 1, [8, 2]],
  ])("TrimAudioDuration start %s for %s s", async (start_index, duration, [first_, len]) => {
    const samples = tensor(
      [1, 1, 10],
      Float32Array.from({ length: 10 }, (_, i) => i),
    );
    const a = await first<Audio>("TrimAudioDuration", {
      audio: { waveform: samples, sample_rate: 10 },
      start_index,
      duration,
    });
    expect(Array.from(a.waveform.data)).toEqual(
      Array.from({ length: len as number }, (_, i) => (first_ as number) + i),
    );
  });
  it("CreateVideo → GetVideoComponents returns frames, audio and fps", async () => {
    const images = tensor([2, 1, 1, 3]);
    const video = await first("CreateVideo", { images, fps: 24 });
    const { outputs } = await run("GetVideoComponents", { video });
    expect(outputs).toEqual([images, null, 24]);
  });
});
