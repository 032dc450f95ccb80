import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithPython, differencesOutsideVersions, runPython } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadNodeAv } from "../src/av/native.js";
import { packedBytes, VideoReformatter } from "../src/av/reformatter.js";
import { encodeAudio } from "../src/index.js";

/**
 * Property tests against python-av 10 (FFmpeg 5.1 — the library ComfyUI's recordings were written with):
 * the same float samples go through ComfyUI's `save_audio` code with PyAV and through `encodeAudio`; the
 * same rgb24 frames through PyAV's `reformat(format="yuv420p")` and through the reformatter SaveVideo uses.
 */
const AUDIO_CASES: readonly [
  format: "flac" | "mp3",
  rate: number,
  channels: number,
  samples: number,
  quality: string,
][] = [
  ["flac", 44100, 1, 44100, ""],
  ["flac", 48000, 2, 36001, ""],
  ["flac", 22050, 2, 4608, ""],
  ["flac", 16000, 1, 4609, ""],
  ["flac", 96000, 2, 777, ""],
  ["flac", 8000, 1, 1, ""],
  ["mp3", 44100, 2, 26460, "320k"],
  ["mp3", 48000, 1, 12345, "V0"],
  ["mp3", 32000, 2, 5000, "128k"],
];

const VIDEO_SIZES: readonly [width: number, height: number][] = [
  [64, 48],
  [2, 2],
  [66, 50],
  [38, 30],
  [37, 30],
  [128, 72],
];

const SCRIPT = `
import av, io, json, sys, numpy as np
out = sys.argv[1]
spec = json.loads(sys.stdin.read())
rng = np.random.default_rng(7)
for i, (fmt, rate, channels, n, quality) in enumerate(spec["audio"]):
    t = np.arange(n) / rate
    wave = np.stack([0.9 * np.sin(2 * np.pi * (200 + 150 * c) * t) + 0.2 * rng.standard_normal(n) for c in range(channels)]).astype(np.float32)
    wave[:, ::97] *= 1.7  # some samples beyond ±1: the s16 conversion saturates them
    wave.tofile(f"{out}/a{i}.f32")
    buf = io.BytesIO()
    c = av.open(buf, mode="w", format=fmt)
    c.metadata["prompt"] = json.dumps({"case": i})
    layout = "mono" if channels == 1 else "stereo"
    s = c.add_stream("flac" if fmt == "flac" else "libmp3lame", rate=rate, layout=layout)
    if quality == "V0": s.codec_context.qscale = 1
    elif quality == "128k": s.bit_rate = 128000
    elif quality == "320k": s.bit_rate = 320000
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(wave.T.reshape(1, -1)), format="flt", layout=layout)
    frame.sample_rate = rate
    frame.pts = 0
    c.mux(s.encode(frame))
    c.mux(s.encode(None))
    c.close()
    open(f"{out}/a{i}.{fmt}", "wb").write(buf.getvalue())
for i, (w, h) in enumerate(spec["video"]):
    img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    img[: h // 2, : w // 2] = 255
    img.tofile(f"{out}/v{i}.rgb")
    f = av.VideoFrame.from_ndarray(img, format="rgb24").reformat(format="yuv420p")
    with open(f"{out}/v{i}.yuv", "wb") as o:
        for p in f.planes:
            b = bytes(p)
            for y in range(p.height): o.write(b[y * p.line_size : y * p.line_size + p.width])
print("ok")
`;

describeWithPython("encoding agrees with python-av 10 (FFmpeg 5.1)", ["av", "numpy"], (python) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "comfy-ts-av-enc-"));
    const spec = JSON.stringify({ audio: AUDIO_CASES, video: VIDEO_SIZES });
    runPython(python, `import sys\nsys.argv = ["", ${JSON.stringify(dir)}]\n${SCRIPT}`, spec);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe.each(
    AUDIO_CASES.map((c, i) => ({ i, c, label: `${c[0]} ${c[1]} Hz ${c[2]} ch ${c[3]} samples ${c[4]}` })),
  )("save_audio $label", ({ i, c }) => {
    test("the same file, byte for byte up to the writers' version strings", async () => {
      const [format, rate, channels, n, quality] = c;
      const raw = readFileSync(join(dir, `a${i}.f32`));
      const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
      const planar = Array.from({ length: channels }, (_, ch) => all.slice(ch * n, (ch + 1) * n));
      const bytes = await encodeAudio(
        { sampleRate: rate, channels: planar },
        {
          format,
          metadata: { prompt: JSON.stringify({ case: i }).replace(":", ": ") },
          ...(quality === "V0"
            ? { vbr: true }
            : quality
              ? { bitRate: Number.parseInt(quality, 10) * 1000 }
              : {}),
        },
      );
      const expected = readFileSync(join(dir, `a${i}.${format}`));
      expect(bytes.length).toBe(expected.length);
      expect(differencesOutsideVersions(expected, bytes)).toEqual([]);
    });
  });

  describe.each(VIDEO_SIZES.map(([w, h], i) => ({ i, w, h })))("rgb24 → yuv420p of $w×$h", ({ i, w, h }) => {
    // swscale's general path (odd sizes) changed since FFmpeg 5.1; see the README.
    const even = w % 2 === 0 && h % 2 === 0;
    test(even ? "equals PyAV's reformat" : "converts (swscale's general path, see README)", async () => {
      const av = await loadNodeAv();
      const reformatter = new VideoReformatter(av);
      const rgb = av.lib.Frame.fromVideoBuffer(readFileSync(join(dir, `v${i}.rgb`)), {
        width: w,
        height: h,
        format: av.c.AV_PIX_FMT_RGB24,
      });
      const yuv = reformatter.reformat(rgb, av.c.AV_PIX_FMT_YUV420P);
      const size = av.lib.avImageGetBufferSize(av.c.AV_PIX_FMT_YUV420P, w, h, 1);
      const mine = Buffer.alloc(size);
      av.lib.avImageCopyToBuffer(mine, size, yuv.data, yuv.linesize, av.c.AV_PIX_FMT_YUV420P, w, h, 1);
      yuv.free();
      expect(packedBytes(rgb, w * 3).length).toBe(w * h * 3);
      rgb.free();
      reformatter.free();
      const expected = readFileSync(join(dir, `v${i}.yuv`));
      expect(mine.length).toBe(expected.length);
      if (even) expect(mine.equals(expected)).toBe(true);
    });
  });
});
