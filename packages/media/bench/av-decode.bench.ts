import { bench, describe } from "vitest";
import { decodeAudio, decodeVideo, encodeAudio, encodeVideo, probeMedia } from "../src/index.js";

// Decoding what a golden test of video or audio decodes before it compares: a 16-frame 128×128 video
// (H.264 MP4 and VP9 WebM) and 2 s of stereo audio (FLAC and Opus), made here by the same encoders
// ComfyUI's savers use. Anchors in the same run: reading only the headers (probeMedia) and decoding
// to the native planes without the rgb24 conversion. The goldens' in-process compare of these after
// decoding has targets of ≤ 50 ms (video) and ≤ 10 ms (audio).
const SIZE = 128;
const frames = Array.from({ length: 16 }, (_, k) => {
  const f = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < f.length; i++) f[i] = (i * 7 + k * 31 + ((i * 2654435761) >>> 26)) & 255;
  return f;
});
const video = { width: SIZE, height: SIZE, fps: { num: 8, den: 1 }, frames };
const audio = {
  sampleRate: 44100,
  channels: [0, 1].map((c) =>
    Float32Array.from(
      { length: 88200 },
      (_, i) => 0.5 * Math.sin((2 * Math.PI * (440 + 220 * c) * i) / 44100),
    ),
  ),
};

const files = (async () => ({
  mp4: await encodeVideo(video, { container: "mp4", encoder: "libx264" }),
  webm: await encodeVideo(video, {
    container: "webm",
    encoder: "libvpx-vp9",
    bitRate: 0,
    codecOptions: { crf: "32.0" },
  }),
  flac: await encodeAudio(audio, { format: "flac" }),
  opus: await encodeAudio(
    { sampleRate: 48000, channels: audio.channels },
    { format: "opus", bitRate: 128000 },
  ),
}))();

describe("decode a 16-frame 128² video", () => {
  bench("H.264 MP4 → rgb24 frames", async () => {
    await decodeVideo((await files).mp4);
  });
  bench("H.264 MP4 → native planes (anchor: no rgb24 conversion)", async () => {
    await decodeVideo((await files).mp4, { rgb: false, native: true });
  });
  bench("VP9 WebM → rgb24 frames", async () => {
    await decodeVideo((await files).webm);
  });
  bench("H.264 MP4 headers only (anchor: probeMedia)", async () => {
    await probeMedia((await files).mp4);
  });
});

describe("decode 2 s of stereo audio", () => {
  bench("FLAC → float32 samples", async () => {
    await decodeAudio((await files).flac);
  });
  bench("Opus → float32 samples", async () => {
    await decodeAudio((await files).opus);
  });
  bench("FLAC headers only (anchor: probeMedia)", async () => {
    await probeMedia((await files).flac);
  });
});
