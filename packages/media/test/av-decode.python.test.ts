import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithPython, runPython } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { decodeAudio, decodeVideo } from "../src/index.js";

/**
 * Property tests against python-av 10 (FFmpeg 5.1, what the recordings were made with): files of many
 * sizes, pixel formats, codecs and sample formats are written with PyAV, decoded by PyAV as ComfyUI does
 * (`to_ndarray(format="rgb24")`, LoadAudio's `f32_pcm`), and by `@comfy-ts/media`.
 */
const VIDEO_CASES: readonly [width: number, height: number, pixFmt: string, codec: string][] = [
  [64, 48, "yuv420p", "libx264"],
  [66, 50, "yuv420p", "libx264"],
  [2, 2, "yuv420p", "libx264"],
  [98, 2, "yuv420p", "libx264"],
  [37, 30, "yuv420p", "libvpx-vp9"],
  [128, 96, "yuv420p", "libvpx-vp9"],
  [64, 48, "yuvj420p", "libx264"],
  [48, 32, "yuv422p", "libx264"],
  [37, 30, "yuv444p", "libx264"],
  [33, 17, "yuv444p", "libx264"],
  // swscale's general path (4:2:0 with an odd height, more than 8 bits) changed since FFmpeg 5.1: these
  // are decoded and measured, not required to be equal (see the README).
  [38, 29, "yuv420p", "libvpx-vp9"],
  [32, 32, "yuv420p10le", "libx264"],
];

const AUDIO_CASES: readonly [
  name: string,
  format: string,
  codec: string,
  sampleFmt: string,
  layout: string,
  rate: number,
][] = [
  ["s16-mono.wav", "wav", "pcm_s16le", "s16", "mono", 44100],
  ["s16-stereo.wav", "wav", "pcm_s16le", "s16", "stereo", 48000],
  ["s32-stereo.wav", "wav", "pcm_s32le", "s32", "stereo", 22050],
  ["f32-mono.wav", "wav", "pcm_f32le", "flt", "mono", 16000],
  ["s16.flac", "flac", "flac", "s16", "stereo", 44100],
  ["s32.flac", "flac", "flac", "s32", "mono", 48000],
  ["cbr.mp3", "mp3", "libmp3lame", "fltp", "stereo", 44100],
  ["mono.opus", "opus", "libopus", "flt", "mono", 48000],
  ["stereo.m4a", "ipod", "aac", "fltp", "stereo", 44100],
];

const SCRIPT = `
import av, json, sys, hashlib, numpy as np
out = sys.argv[1]
spec = json.loads(sys.stdin.read())
rng = np.random.default_rng(11)
result = {"video": [], "audio": []}
for (w, h, pix, codec) in spec["video"]:
    name = f"{out}/v_{w}x{h}_{pix}_{codec}.mkv"
    c = av.open(name, "w")
    s = c.add_stream(codec, rate=8)
    s.width, s.height, s.pix_fmt = w, h, pix
    for i in range(3):
        img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        img[: h // 2] = (np.linspace(0, 255, w)[None, :, None] * np.array([1, 0.5, 0.2])).astype(np.uint8)
        for p in s.encode(av.VideoFrame.from_ndarray(img, format="rgb24")): c.mux(p)
    for p in s.encode(): c.mux(p)
    c.close()
    frames = [f.to_ndarray(format="rgb24") for f in av.open(name).decode(video=0)]
    np.stack(frames).tofile(name + ".rgb")
    result["video"].append({"file": name, "frames": len(frames)})
for (fname, fmt, codec, sfmt, layout, rate) in spec["audio"]:
    name = f"{out}/{fname}"
    channels = 1 if layout == "mono" else 2
    n = rate // 2 + 123
    t = np.arange(n) / rate
    wave = np.stack([0.6 * np.sin(2 * np.pi * (300 + 200 * c) * t) + 0.05 * rng.standard_normal(n) for c in range(channels)]).astype(np.float32)
    c = av.open(name, "w", format=fmt)
    s = c.add_stream(codec, rate=rate, layout=layout)
    s.format = sfmt
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(wave.T.reshape(1, -1)), format="flt", layout=layout)
    frame.sample_rate = rate
    frame.pts = 0
    for p in s.encode(frame): c.mux(p)
    for p in s.encode(None): c.mux(p)
    c.close()
    # ComfyUI's LoadAudio: first audio stream, frames concatenated, packed split, f32_pcm.
    with av.open(name) as af:
        st = af.streams.audio[0]
        parts = []
        for f in af.decode(streams=st.index):
            buf = f.to_ndarray()
            if buf.shape[0] != st.channels: buf = buf.reshape(-1, st.channels).T
            parts.append(buf)
        wav = np.concatenate(parts, 1)
        native = wav.dtype.name
        if wav.dtype == np.int16: wav = wav.astype(np.float32) / 2 ** 15
        elif wav.dtype == np.int32: wav = wav.astype(np.float32) / 2 ** 31
        np.ascontiguousarray(wav.astype(np.float32)).tofile(name + ".f32")
        result["audio"].append({"file": name, "channels": int(wav.shape[0]), "samples": int(wav.shape[1]), "rate": st.codec_context.sample_rate, "native": native})
print(json.dumps(result))
`;

interface Reference {
  video: { file: string; frames: number }[];
  audio: { file: string; channels: number; samples: number; rate: number; native: string }[];
}

describeWithPython("decoding agrees with python-av 10 (FFmpeg 5.1)", ["av", "numpy"], (python) => {
  let dir: string;
  let reference: Reference;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "comfy-ts-av-"));
    const spec = JSON.stringify({ video: VIDEO_CASES, audio: AUDIO_CASES });
    reference = JSON.parse(
      runPython(python, `import sys\nsys.argv = ["", ${JSON.stringify(dir)}]\n${SCRIPT}`, spec).toString(),
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe.each(VIDEO_CASES.map((c, i) => ({ i, label: `${c[0]}×${c[1]} ${c[2]} (${c[3]})`, c })))(
    "video $label",
    ({ i, c }) => {
      const [width, height, pixFmt] = c;
      const generalPath = pixFmt === "yuv420p10le" || (pixFmt.includes("420") && height % 2 === 1);
      test(
        generalPath
          ? "decodes every frame (rgb24 measured, see README)"
          : "rgb24 frames equal PyAV's to_ndarray(format='rgb24')",
        async () => {
          const ref = reference.video[i]!;
          const decoded = await decodeVideo(readFileSync(ref.file), { name: ref.file, native: true });
          expect([decoded.width, decoded.height, decoded.frameCount, decoded.stream.pixFmt]).toEqual([
            width,
            height,
            ref.frames,
            pixFmt,
          ]);
          const expected = readFileSync(`${ref.file}.rgb`);
          const actual = Buffer.concat(decoded.frames.map((f) => f.rgb!));
          expect(actual.length).toBe(expected.length);
          if (!generalPath) expect(actual.equals(expected)).toBe(true);
        },
      );
    },
  );

  describe.each(AUDIO_CASES.map((c, i) => ({ i, c })))("audio $c.0 ($c.2 $c.3 $c.4 $c.5 Hz)", ({ i, c }) => {
    const codec = c[2];
    test("float32 samples equal PyAV + ComfyUI's f32_pcm", async () => {
      const ref = reference.audio[i]!;
      const decoded = await decodeAudio(readFileSync(ref.file), { name: ref.file });
      expect([decoded.sampleRate, decoded.channels]).toEqual([ref.rate, ref.channels]);
      const raw = readFileSync(`${ref.file}.f32`);
      const expected = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
      expect(expected.length).toBe(ref.channels * ref.samples);
      // FFmpeg 5.1 kept the padding of AAC's last frame; FFmpeg ≥ 6 trims it as the MP4 edit list says.
      const length = codec === "aac" ? decoded.sampleCount : ref.samples;
      expect(decoded.sampleCount).toBe(codec === "aac" ? c[5] / 2 + 123 : ref.samples);
      let worst = 0;
      for (let ch = 0; ch < ref.channels; ch++) {
        const mine = decoded.samples[ch]!;
        for (let k = 0; k < length; k++) {
          const d = Math.abs(mine[k]! - expected[ch * ref.samples + k]!);
          worst = d > worst || Number.isNaN(d) ? d : worst;
        }
      }
      // PCM, FLAC and MP3 decode bit-exactly; FFmpeg's Opus and AAC float decoders changed by ulps since 5.1.
      expect(worst).toBeLessThanOrEqual(codec === "libopus" || codec === "aac" ? 1e-6 : 0);
    });
  });
});
