import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture, requireSharedFixture } from "@comfy-ts/test-support";
import { describe, expect, test } from "vitest";
import { loadNodeAv } from "../src/av/native.js";
import {
  CorruptMediaError,
  decodeAudio,
  decodeVideo,
  MediaLibraryMissingError,
  MissingStreamError,
  probeMedia,
} from "../src/index.js";

/** One video/audio output the media corpus recorded, with the facts python-av read from it. */
interface RecordedOutput {
  readonly caseName: string;
  readonly file: string;
  readonly meta: {
    readonly local_file: string;
    readonly container: string;
    readonly container_duration_s: number;
    readonly container_metadata: Record<string, string>;
    readonly metadata_prompt_sha256?: string;
    readonly decoded_sha256: string;
    readonly sha256_all_frames?: string;
    readonly video?: {
      codec: string;
      width: number;
      height: number;
      pix_fmt: string;
      frames: number;
      average_rate: string;
    };
    readonly audio?: {
      codec: string;
      sample_rate: number;
      channels: number;
      layout: string;
      samples: number;
    };
    readonly streams: readonly { type: string; codec: string; sample_fmt?: string }[];
  };
}

function recordedOutputs(root: string): RecordedOutput[] {
  const found: RecordedOutput[] = [];
  for (const group of ["cases", "errors"]) {
    for (const caseName of readdirSync(join(root, group)).sort()) {
      const meta = JSON.parse(readFileSync(join(root, group, caseName, "meta.json"), "utf8"));
      for (const output of meta.outputs ?? []) {
        if (!output.video && !output.audio) continue;
        found.push({ caseName, file: join(root, group, caseName, output.local_file), meta: output });
      }
    }
  }
  return found;
}

const sha256 = (...parts: Uint8Array[]): string => {
  const hash = createHash("sha256");
  for (const p of parts) hash.update(p);
  return hash.digest("hex");
};
const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const rate = (r: { num: number; den: number } | undefined): string | undefined =>
  r === undefined ? undefined : r.den === 1 ? String(r.num) : `${r.num}/${r.den}`;

describeWithFixture("decode of every recorded video/audio output", ["reference-outputs-media"], (root) => {
  const outputs = recordedOutputs(root);

  test("the corpus has the outputs this suite is about", () => {
    expect(outputs.filter((o) => o.meta.video).length).toBe(8);
    expect(outputs.filter((o) => o.meta.audio).length).toBe(22);
  });

  describe.each(outputs.filter((o) => o.meta.video))("$caseName $meta.local_file", (o) => {
    const video = o.meta.video!;
    test("container facts, decoded native planes and rgb24 frames", async () => {
      const bytes = readFileSync(o.file);
      const probe = await probeMedia(bytes, { name: o.meta.local_file });
      expect(probe.container).toBe(o.meta.container);
      // meta.json rounds durations to 3 decimals.
      expect(Math.abs(probe.durationS! - o.meta.container_duration_s)).toBeLessThanOrEqual(0.001);
      if (o.meta.metadata_prompt_sha256) {
        const prompt = probe.metadata.prompt ?? probe.metadata.PROMPT;
        expect(sha256(Buffer.from(prompt!, "utf8"))).toBe(o.meta.metadata_prompt_sha256);
      }
      const decoded = await decodeVideo(bytes, { name: o.meta.local_file, native: true });
      expect(decoded.stream).toMatchObject({ codec: video.codec, pixFmt: video.pix_fmt });
      expect([decoded.width, decoded.height, decoded.frameCount]).toEqual([
        video.width,
        video.height,
        video.frames,
      ]);
      expect(rate(decoded.fps)).toBe(video.average_rate);
      // Decoders are bit-exact by their specifications: the planes equal python-av's on FFmpeg 5.1.
      expect(sha256(...decoded.frames.map((f) => f.native!.data))).toBe(o.meta.decoded_sha256);
      const rgb = sha256(...decoded.frames.map((f) => f.rgb!));
      // swscale's direct yuv→rgb path (8-bit 4:2:0, even sizes) is unchanged since FFmpeg 5.1; its general
      // path (odd sizes, 10-bit) sites chroma differently now, see the README.
      const directPath = video.pix_fmt === "yuv420p" && video.width % 2 === 0 && video.height % 2 === 0;
      if (directPath) expect(rgb).toBe(o.meta.sha256_all_frames);
      else expect(decoded.frames.every((f) => f.rgb!.length === video.width * video.height * 3)).toBe(true);
    });
  });

  describe.each(outputs.filter((o) => o.meta.audio))("$caseName $meta.local_file", (o) => {
    const audio = o.meta.audio!;
    test("stream facts and decoded samples", async () => {
      const decoded = await decodeAudio(readFileSync(o.file), { name: o.meta.local_file, native: true });
      expect(decoded).toMatchObject({
        sampleRate: audio.sample_rate,
        channels: audio.channels,
        layout: audio.layout,
      });
      expect(decoded.stream.codec).toBe(audio.codec);
      const native = decoded.native!;
      const hash = sha256(...native.channels.map(bytesOf));
      if (audio.codec === "aac") {
        // FFmpeg 5.1 kept the padding of AAC's last frame (45056 decoded); FFmpeg ≥ 6 trims it as the
        // MP4 edit list says: exactly the container's 1.0 s.
        expect(decoded.sampleCount).toBe(Math.round(o.meta.container_duration_s * audio.sample_rate));
      } else {
        expect(decoded.sampleCount).toBe(audio.samples);
      }
      if (audio.codec === "flac" || audio.codec === "mp3") expect(hash).toBe(o.meta.decoded_sha256);
      // Opus and AAC: FFmpeg's float decoders changed since 5.1 by a few float32 ulps (the Python
      // property test measures it); the samples are checked there against python-av.
      expect(native.format).toBe(audio.codec === "flac" ? "s16" : "flt");
      const scale = native.format === "s16" ? 32768 : 1;
      const first = native.channels[0]!;
      for (const i of [0, 1, Math.floor(first.length / 2), first.length - 1]) {
        expect(decoded.samples[0]![i]).toBe(Math.fround(Number(first[i]) / scale));
      }
    });
  });
});

describeWithFixture("decoding the media corpus inputs", ["reference-outputs-media", "inputs"], (inputs) => {
  test("24-bit WAV decodes as s32 and converts to float32 by / 2^31, as ComfyUI's LoadAudio", async () => {
    const decoded = await decodeAudio(readFileSync(join(inputs, "audio_mono_22k_s24.wav")), { native: true });
    expect(decoded).toMatchObject({ sampleRate: 22050, channels: 1, sampleCount: 11025 });
    expect(decoded.native!.format).toBe("s32");
    const s32 = decoded.native!.channels[0] as Int32Array;
    expect(s32.some((v) => (v & 0xff) !== 0)).toBe(false); // 24-bit samples in the high bytes
    expect(decoded.samples[0]![100]).toBe(Math.fround(s32[100]!) / 2 ** 31);
  });

  test("packed stereo WAV is split into planar channels", async () => {
    const bytes = readFileSync(join(inputs, "audio_stereo_48k.wav"));
    const decoded = await decodeAudio(bytes, { native: true });
    expect(decoded).toMatchObject({ sampleRate: 48000, channels: 2, sampleCount: 36000, layout: "stereo" });
    const [left, right] = decoded.native!.channels as Int16Array[];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const data = bytes.indexOf(Buffer.from("data")) + 8;
    for (const i of [0, 7, 35999]) {
      expect(left![i]).toBe(view.getInt16(data + i * 4, true));
      expect(right![i]).toBe(view.getInt16(data + i * 4 + 2, true));
    }
  });

  test("a video with H.264 and AAC: both streams, the first of each kind decoded", async () => {
    const bytes = readFileSync(join(inputs, "video_h264_aac.mp4"));
    const probe = await probeMedia(bytes);
    expect(probe.streams.map((s) => `${s.kind}:${s.codec}`)).toEqual(["video:h264", "audio:aac"]);
    // A mono sine, written as PyAV's add_stream("aac") writes it: in FFmpeg's default stereo layout.
    expect(probe.audio).toMatchObject({
      sampleRate: 44100,
      channels: 2,
      layout: "stereo",
      sampleFmt: "fltp",
    });
    const video = await decodeVideo(bytes);
    expect([video.frameCount, video.width, video.height, rate(video.fps)]).toEqual([8, 64, 48, "8"]);
    const audio = await decodeAudio(bytes);
    expect([audio.sampleRate, audio.channels, audio.sampleCount]).toEqual([44100, 2, 44100]);
  });
});

describe("bad input", () => {
  const inputs = (): string => requireSharedFixture("reference-outputs-media", "inputs");
  const recorded = (caseName: string, file: string): Buffer =>
    readFileSync(join(requireSharedFixture("reference-outputs-media", "cases"), caseName, file));

  test("empty and non-media bytes are corrupt, named", async () => {
    await expect(decodeVideo(new Uint8Array(), { name: "empty.mp4" })).rejects.toThrow(
      "empty.mp4 is empty (0 bytes)",
    );
    const text = Buffer.from("this is text, not a video; ".repeat(20));
    const error = await decodeVideo(text, { name: "notes.mp4" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptMediaError);
    expect(error).toMatchObject({ code: "media_corrupt", file: "notes.mp4" });
    expect((error as Error).message).toMatch(/^cannot open notes\.mp4 as audio\/video: .+ \(FFmpeg\)/);
    await expect(probeMedia(text)).rejects.toThrow(/cannot open <540 bytes> as audio\/video/);
  });

  const truncated = (bytes: Buffer, fraction: number): Buffer =>
    bytes.subarray(0, Math.floor(bytes.length * fraction));

  describeWithFixture("truncated files", ["reference-outputs-media", "cases"], () => {
    test.each([
      [
        "m045_vid_createvideo_fps8_savevideo_auto_auto",
        "5_0.mp4",
        "video",
        /^cannot open 5_0\.mp4 as audio\/video: Invalid data found when processing input \(FFmpeg\)/,
      ],
      [
        "m050_vid_savewebm_vp9_crf32_fps24",
        "4_0.webm",
        "video",
        /^4_0\.webm: the Matroska segment declares 12945 bytes, the file has 7767: the file is truncated$/,
      ],
      [
        "m061_aud_flac_mono44k_wav16",
        "2_0.flac",
        "audio",
        /^2_0\.flac: decoding failed of stream #0 \(flac\) after 5 decoded frame\(s\): Invalid data found/,
      ],
      [
        "m065_aud_mp3_v0_mono44k",
        "2_0.mp3",
        "audio",
        /^2_0\.mp3: the header declares 44100 samples per channel in audio stream #0, but only 25391 decode/,
      ],
      [
        "m067_aud_mp3_320k_stereo44k",
        "2_0.mp3",
        "audio",
        /the header declares 26460 samples per channel in audio stream #0, but only 15023 decode/,
      ],
      [
        "m069_aud_opus_64k_stereo48k",
        "2_0.opus",
        "audio",
        /^cannot open 2_0\.opus as audio\/video: End of file/,
      ],
    ])("%s %s cut to 60%% → CorruptMediaError (%s)", async (caseName, file, kind, reason) => {
      const bytes = truncated(recorded(caseName, file), 0.6);
      const decode = kind === "video" ? decodeVideo : decodeAudio;
      const error = await decode(bytes, { name: file }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptMediaError);
      expect((error as CorruptMediaError).file).toBe(file);
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toMatch(reason);
    });
  });

  describeWithFixture("truncated WAV", ["reference-outputs-media", "inputs"], () => {
    test("a WAV cut on a sample boundary (FFmpeg reads it silently) is truncated by its RIFF size", async () => {
      const bytes = readFileSync(join(inputs(), "audio_mono_44k.wav"));
      const cut = bytes.subarray(0, 44 + 2 * 1000);
      await expect(decodeAudio(cut, { name: "a.wav" })).rejects.toThrow(
        "a.wav: the RIFF header declares 88244 bytes, the file has 2044: the file is truncated",
      );
    });
  });

  describeWithFixture("a file without the stream asked for", ["reference-outputs-media", "inputs"], () => {
    test("an audio decode of a PNG names what the file has", async () => {
      const png = readFileSync(join(inputs(), "media_gradient.png"));
      const error = await decodeAudio(png, { name: "media_gradient.png" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MissingStreamError);
      expect(error).toMatchObject({ code: "media_no_stream", kind: "audio" });
      expect((error as Error).message).toBe("media_gradient.png has no audio stream (it has #0 video png)");
    });

    test("a video decode of a WAV, and a stream index of the wrong kind", async () => {
      const wav = readFileSync(join(inputs(), "audio_mono_44k.wav"));
      await expect(decodeVideo(wav, { name: "a.wav" })).rejects.toThrow(
        "a.wav has no video stream (it has #0 audio pcm_s16le)",
      );
      await expect(decodeAudio(wav, { name: "a.wav", stream: 1 })).rejects.toThrow(
        "a.wav has no audio stream #1",
      );
    });
  });
});

describe("node-av missing", () => {
  test("loading fails with what to install, not a module-resolution crash", async () => {
    const cause = new Error("Cannot find module '@seydx/node-av-linux-x64'\nRequire stack: …");
    const error = await loadNodeAv(() => Promise.reject(cause)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaLibraryMissingError);
    expect(error).toMatchObject({ code: "media_library_missing", library: "node-av", cause });
    expect((error as Error).message).toMatch(
      /^video and audio need node-av \(FFmpeg for Node\.js\), which could not be loaded: Cannot find module '@seydx\/node-av-linux-x64'\. Install it with `npm install node-av`/,
    );
  });
});
