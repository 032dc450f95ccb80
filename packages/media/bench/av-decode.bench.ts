import { pythonWith, runPython } from "@comfy-ts/test-support";
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

// Medians side by side (30 timed runs after a warm-up each): ours, and PyAV 10 (Debian's python3-av,
// what ComfyUI decodes with) on the same bytes by Python's own timer, so process start-up is not counted.
// PyAV's audio figure is `to_ndarray()` in the stream's own sample format (s16 for this FLAC), ours
// float32 planar.
const PYAV_DECODE = `import av, io, sys, time, statistics
import numpy as np
data = sys.stdin.buffer.read()
def decode():
    with av.open(io.BytesIO(data)) as c:
        if KIND == "video":
            return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
        return np.concatenate([f.to_ndarray() for f in c.decode(audio=0)], axis=1)
decode()
runs = []
for _ in range(30):
    t = time.perf_counter()
    decode()
    runs.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(runs):.2f}")`;

async function median(run: () => Promise<unknown>): Promise<string> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return ((times[14]! + times[15]!) / 2).toFixed(2);
}

{
  const { mp4, webm, flac, opus } = await files;
  const python = pythonWith(["av", "numpy"]);
  const pyav = (bytes: Uint8Array, kind: "video" | "audio"): string =>
    python
      ? `${runPython(python, PYAV_DECODE.replace("KIND", JSON.stringify(kind)), bytes)
          .toString()
          .trim()} ms`
      : "skipped: no python3 with av and numpy (Debian: apt-get install python3-av python3-numpy)";
  for (const [name, bytes, kind, ours] of [
    ["16-frame 128² H.264 MP4 → rgb24", mp4, "video", () => decodeVideo(mp4)],
    ["16-frame 128² VP9 WebM → rgb24", webm, "video", () => decodeVideo(webm)],
    ["2 s stereo FLAC → float32", flac, "audio", () => decodeAudio(flac)],
    ["2 s stereo Opus → float32", opus, "audio", () => decodeAudio(opus)],
  ] as const) {
    process.stdout.write(
      `${name} (median of 30): ours ${await median(ours)} ms; PyAV 10: ${pyav(bytes, kind)}\n`,
    );
  }
}

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
