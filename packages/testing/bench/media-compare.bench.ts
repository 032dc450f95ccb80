// In-process comparison of decoded video and audio (what a golden test does once both sides are decoded;
// a golden is decoded once per worker). Targets: a 16-frame 128² video ≤ 50 ms, 2 s of stereo audio
// ≤ 10 ms. Decoding the same files is measured in the same run as the anchor. CPU medians with their
// spread are printed at the end and appended to packages/testing/.comfy-ts/bench-report.txt.
import { join } from "node:path";
import { encodeAudio, encodeVideo } from "@comfy-ts/media";
import { repoRoot } from "@comfy-ts/test-support";
import { bench, describe } from "vitest";
import { classifyOutput, compareOutputs, decodeOutput, resolveTolerance } from "../src/node.js";
import { CpuLog, publish } from "./support/cpu-log.js";

const reportFile = join(repoRoot, "packages/testing/.comfy-ts/bench-report.txt");

/** 16 frames of 128×128 rgb24: a gradient, a disc moving across, fine noise (what codecs find hard). */
function frames(count: number, size: number, seed: number): Uint8Array[] {
  let state = seed;
  const noise = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 24) % 16;
  };
  return Array.from({ length: count }, (_, f) => {
    const data = new Uint8Array(size * size * 3);
    const cx = 16 + f * 6;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inDisc = (x - cx) ** 2 + (y - 64) ** 2 < 400;
        const i = (y * size + x) * 3;
        data[i] = inDisc ? 240 : x * 2;
        data[i + 1] = inDisc ? 240 : y * 2;
        data[i + 2] = 128 + noise();
      }
    }
    return data;
  });
}

/** Stereo sines with a little noise at 44.1 kHz (the second channel a fifth above). */
function stereo(seconds: number, gain: number): { sampleRate: number; channels: Float32Array[] } {
  const sampleRate = 44100;
  const n = seconds * sampleRate;
  const channels = [440, 660].map((hz) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = gain * 0.5 * Math.sin((2 * Math.PI * hz * i) / sampleRate);
    return out;
  });
  return { sampleRate, channels };
}

const fps = { num: 8, den: 1 };
// ComfyUI's SaveVideo settings (libx264, PyAV's 1024 kb/s ABR); the "actual" is the same frames at
// 900 kb/s, so every frame differs a little, as another encoder build's output would.
const video = { width: 128, height: 128, fps, frames: frames(16, 128, 7) };
const goldenMp4 = await encodeVideo(video, { container: "mp4", encoder: "libx264" });
const actualMp4 = await encodeVideo(video, { container: "mp4", encoder: "libx264", bitRate: 900_000 });
// 2 s of stereo audio: FLAC with one sample changed near the end (exact scans everything), MP3 at two rates.
const audio = stereo(2, 1);
const changedAudio = stereo(2, 1);
changedAudio.channels[1]![changedAudio.channels[1]!.length - 10]! += 0.01;
const goldenFlac = await encodeAudio(audio, { format: "flac" });
const actualFlac = await encodeAudio(changedAudio, { format: "flac" });
const goldenMp3 = await encodeAudio(audio, { format: "mp3", bitRate: 320_000 });
const actualMp3 = await encodeAudio(audio, { format: "mp3", bitRate: 256_000 });

async function decodedSide(bytes: Uint8Array, source: string) {
  const classified = classifyOutput({ bytes }, source);
  return { bytes, source, classified, decoded: await decodeOutput(bytes, classified, source) };
}
const sides = {
  video: [await decodedSide(goldenMp4, "golden.mp4"), await decodedSide(actualMp4, "actual.mp4")],
  flac: [await decodedSide(goldenFlac, "golden.flac"), await decodedSide(actualFlac, "actual.flac")],
  mp3: [await decodedSide(goldenMp3, "golden.mp3"), await decodedSide(actualMp3, "actual.mp3")],
} as const;
const choice = (kind: "video" | "audio", format: "mp4" | "flac" | "mp3", test?: object) =>
  resolveTolerance({
    kind,
    format,
    project: undefined,
    environment: undefined,
    environmentKey: undefined,
    test: test as never,
  });
const choices = {
  psnr: choice("video", "mp4"),
  videoDelta: choice("video", "mp4", { comparator: "channel-delta", maxDelta: 8 }),
  flacExact: choice("audio", "flac"),
  mp3Snr: choice("audio", "mp3"),
};
// The comparisons must do the whole work (no identical shortcut) and decide as intended.
{
  const check = async (label: string, run: ReturnType<typeof compareOutputs>) => {
    const result = await run;
    if (result.kind !== "compared")
      throw new Error(`${label}: expected a full comparison, got ${result.kind}`);
  };
  await check("video", compareOutputs(sides.video[0], sides.video[1], choices.psnr));
  await check("flac", compareOutputs(sides.flac[0], sides.flac[1], choices.flacExact));
  await check("mp3", compareOutputs(sides.mp3[0], sides.mp3[1], choices.mp3Snr));
}

const log = new CpuLog();
const options = (last = false) => ({
  time: 2000,
  warmupIterations: 5,
  setup: (_task: unknown, mode: string) => {
    log.recording = mode === "run";
  },
  teardown: (_task: unknown, mode: string) => {
    if (last && mode === "run") publish(log.report("decoded video/audio compare"), reportFile);
  },
});

describe("compare decoded video: 16 frames of 128×128 H.264 (target ≤ 50 ms)", () => {
  bench(
    "comfy-ts: compareOutputs, psnr per frame (the video default)",
    () => log.time("video psnr", () => compareOutputs(sides.video[0], sides.video[1], choices.psnr)),
    options(),
  );
  bench(
    "comfy-ts: compareOutputs, channel-delta (every sample scanned)",
    () =>
      log.time("video channel-delta", () =>
        compareOutputs(sides.video[0], sides.video[1], choices.videoDelta),
      ),
    options(),
  );
  bench(
    "anchor: decode one of the files (decodeOutput, rgb24 as PyAV)",
    () => log.time("video decode", () => decodeOutput(goldenMp4, sides.video[0].classified, "golden.mp4")),
    options(),
  );
});

describe("compare decoded audio: 2 s of 44.1 kHz stereo (target ≤ 10 ms)", () => {
  bench(
    "comfy-ts: compareOutputs FLAC, exact (the default; 1 sample differs)",
    () => log.time("audio exact", () => compareOutputs(sides.flac[0], sides.flac[1], choices.flacExact)),
    options(),
  );
  bench(
    "comfy-ts: compareOutputs MP3, snr (the lossy default)",
    () => log.time("audio snr", () => compareOutputs(sides.mp3[0], sides.mp3[1], choices.mp3Snr)),
    options(),
  );
  bench(
    "anchor: decode one of the files (decodeOutput FLAC)",
    () => log.time("audio decode", () => decodeOutput(goldenFlac, sides.flac[0].classified, "golden.flac")),
    options(true),
  );
});
