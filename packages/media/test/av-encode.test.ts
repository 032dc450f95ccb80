import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture, differencesOutsideVersions } from "@comfy-ts/test-support";
import { describe, expect, test } from "vitest";
import {
  type AudioSamples,
  decodeAudio,
  decodeVideo,
  type EncodeAudioOptions,
  encodeAudio,
  encodeVideo,
  MediaEncodeError,
  MediaInputError,
  probeMedia,
} from "../src/index.js";

/** SNR of `actual` against `expected` over every channel, in dB. */
function snrDb(expected: readonly Float32Array[], actual: readonly Float32Array[]): number {
  let signal = 0;
  let noise = 0;
  expected.forEach((channel, c) => {
    for (let i = 0; i < channel.length; i++) {
      signal += channel[i]! ** 2;
      noise += (channel[i]! - actual[c]![i]!) ** 2;
    }
  });
  return 10 * Math.log10(signal / noise);
}

const sine = (rate: number, seconds: number, hz: number, amplitude = 0.5): Float32Array =>
  Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
  );

describeWithFixture("audio encodes of the recorded SaveAudio* cases", ["reference-outputs-media"], (root) => {
  // [case, input file, output file, options]: each case is LoadAudio(input) → SaveAudio*(options).
  const cases: [string, string, string, EncodeAudioOptions][] = [
    ["m061_aud_flac_mono44k_wav16", "audio_mono_44k.wav", "2_0.flac", { format: "flac" }],
    ["m062_aud_flac_stereo48k_wav16", "audio_stereo_48k.wav", "2_0.flac", { format: "flac" }],
    ["m064_aud_flac_stereo44k_flac", "audio_stereo_44k.flac", "2_0.flac", { format: "flac" }],
    ["m065_aud_mp3_v0_mono44k", "audio_mono_44k.wav", "2_0.mp3", { format: "mp3", vbr: true }],
    ["m067_aud_mp3_320k_stereo44k", "audio_stereo_44k.flac", "2_0.mp3", { format: "mp3", bitRate: 320000 }],
  ];

  test.each(cases)(
    "%s: the recorded file, byte for byte up to the writers' version strings",
    async (c, input, file, options) => {
      const source = await decodeAudio(readFileSync(join(root, "inputs", input)));
      const recorded = readFileSync(join(root, "cases", c, file));
      const prompt = (await probeMedia(recorded)).metadata.prompt!;
      const bytes = await encodeAudio(
        { sampleRate: source.sampleRate, channels: source.samples },
        { ...options, metadata: { prompt } },
      );
      expect(bytes.length).toBe(recorded.length);
      expect(differencesOutsideVersions(recorded, bytes)).toEqual([]);
    },
  );

  test.each([
    ["m069_aud_opus_64k_stereo48k", 64000, 40],
    ["m073_aud_opus_192k_stereo48k", 192000, 40],
    ["m090_aud_opus_320k_stereo48k", 320000, 45],
  ])(
    "%s: Opus (a newer libopus) decodes to the recorded length within %s dB SNR",
    async (c, bitRate, minDb) => {
      const source = await decodeAudio(readFileSync(join(root, "inputs", "audio_stereo_48k.wav")));
      const bytes = await encodeAudio(
        { sampleRate: source.sampleRate, channels: source.samples },
        { format: "opus", bitRate, metadata: { prompt: "{}" } },
      );
      const recorded = await decodeAudio(readFileSync(join(root, "cases", c, "2_0.opus")));
      const mine = await decodeAudio(bytes);
      expect([mine.sampleRate, mine.channels, mine.sampleCount]).toEqual([48000, 2, recorded.sampleCount]);
      expect(snrDb(recorded.samples, mine.samples)).toBeGreaterThan(minDb);
      // The tags go into OpusTags, which FFmpeg reads back as stream metadata.
      expect(mine.stream.metadata.prompt).toBe("{}");
    },
  );
});

describe("encodeAudio", () => {
  const stereo: AudioSamples = {
    sampleRate: 44100,
    channels: [sine(44100, 0.3, 440), sine(44100, 0.3, 660)],
  };

  test("FLAC is 16-bit: float → s16 as swresample rounds and clips (lrint, saturate)", async () => {
    const values = [
      0,
      0.5,
      -0.5,
      1,
      -1,
      1.5,
      -1.5,
      0.25 / 32768,
      0.5 / 32768,
      1.5 / 32768,
      2.5 / 32768,
      -2.5 / 32768,
    ];
    const channel = Float32Array.from(values);
    const decoded = await decodeAudio(
      await encodeAudio({ sampleRate: 8000, channels: [channel] }, { format: "flac" }),
      {
        native: true,
      },
    );
    expect(decoded.native!.format).toBe("s16");
    expect([...decoded.native!.channels[0]!]).toEqual([
      0, 16384, -16384, 32767, -32768, 32767, -32768, 0, 0, 2, 2, -2,
    ]);
  });

  test.each([
    ["flac", {}, 44100, "s16"],
    ["mp3", { vbr: true }, 44100, "flt"],
    ["mp3", { bitRate: 128000 }, 44100, "flt"],
    ["opus", { bitRate: 96000 }, 48000, "flt"],
  ] as const)(
    "%s %o: container, rate, channels, length, tags",
    async (format, extra, rate, decodedFormat) => {
      const source: AudioSamples = {
        sampleRate: rate,
        channels: [sine(rate, 0.3, 440), sine(rate, 0.3, 660)],
      };
      const bytes = await encodeAudio(source, {
        format,
        ...extra,
        metadata: { prompt: '{"1": {}}', workflow: "{}" },
      });
      const decoded = await decodeAudio(bytes, { native: true });
      expect([decoded.sampleRate, decoded.channels, decoded.layout, decoded.sampleCount]).toEqual([
        rate,
        2,
        "stereo",
        source.channels[0]!.length,
      ]);
      expect(decoded.native!.format).toBe(decodedFormat);
      const tags = { ...decoded.media.metadata, ...decoded.stream.metadata };
      expect(tags).toMatchObject({ prompt: '{"1": {}}', workflow: "{}" });
      expect(snrDb(source.channels, decoded.samples)).toBeGreaterThan(format === "flac" ? 80 : 20);
    },
  );

  test("bad input: no samples (FFmpeg's EINVAL), more than two channels, unequal channels, a bad rate", async () => {
    const empty = await encodeAudio(
      { sampleRate: 44100, channels: [new Float32Array(0)] },
      { format: "flac" },
    ).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(MediaEncodeError);
    expect(empty).toMatchObject({ code: "media_encode_failed", errno: -22 });
    await expect(
      encodeAudio(
        { sampleRate: 44100, channels: [...stereo.channels, stereo.channels[0]!] },
        { format: "flac", name: "a.flac" },
      ),
    ).rejects.toThrow(
      new MediaInputError(
        "a.flac: ComfyUI writes mono or stereo audio; got 3 channels (mix or split them first)",
      ),
    );
    await expect(
      encodeAudio(
        { sampleRate: 44100, channels: [stereo.channels[0]!, new Float32Array(5)] },
        { format: "mp3" },
      ),
    ).rejects.toThrow(
      "mp3 audio: channel 1 has 5 samples, channel 0 has 13230; channels must be equally long",
    );
    await expect(
      encodeAudio({ sampleRate: 0, channels: [new Float32Array(5)] }, { format: "opus" }),
    ).rejects.toThrow("opus audio: sample rate must be a positive integer, got 0");
  });

  test("an Opus rate libopus does not take is its refusal, typed", async () => {
    const error = await encodeAudio(
      { sampleRate: 44100, channels: [sine(44100, 0.1, 440)] },
      { format: "opus" },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaEncodeError);
    expect((error as Error).message).toMatch(/^opus audio: libopus refused its parameters: /);
  });
});

describe("encodeVideo", () => {
  const gradient = (width: number, height: number, count: number): Uint8Array[] =>
    Array.from({ length: count }, (_, k) => {
      const frame = new Uint8Array(width * height * 3);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const at = (y * width + x) * 3;
          frame[at] = (x * 255) / (width - 1);
          frame[at + 1] = (y * 255) / (height - 1);
          frame[at + 2] = (k * 40) & 255;
        }
      return frame;
    });

  test.each([
    ["mp4", "libx264", "yuv420p", {}, "h264"],
    ["webm", "libvpx-vp9", "yuv420p", { crf: "32.0" }, "vp9"],
    ["webm", "libsvtav1", "yuv420p10le", { crf: "32.0", preset: "6" }, "av1"],
  ] as const)(
    "%s %s %s: frames, fps, size, pixel format, tags; close to the input",
    async (container, encoder, pixFmt, codecOptions, codec) => {
      const frames = gradient(64, 48, 6);
      const bytes = await encodeVideo(
        { width: 64, height: 48, fps: { num: 25, den: 2 }, frames },
        {
          container,
          encoder,
          pixFmt,
          codecOptions,
          bitRate: container === "mp4" ? undefined : 0,
          muxerOptions: container === "mp4" ? { movflags: "use_metadata_tags" } : {},
          metadata: { prompt: '{"a": 1}' },
        },
      );
      const decoded = await decodeVideo(bytes);
      expect(decoded.stream).toMatchObject({ codec, pixFmt });
      expect([decoded.frameCount, decoded.width, decoded.height, decoded.fps]).toEqual([
        6,
        64,
        48,
        { num: 25, den: 2 },
      ]);
      expect(decoded.media.metadata.prompt ?? decoded.media.metadata.PROMPT).toBe('{"a": 1}');
      decoded.frames.forEach((frame, k) => {
        let worst = 0;
        for (let i = 0; i < frame.rgb!.length; i++)
          worst = Math.max(worst, Math.abs(frame.rgb![i]! - frames[k]![i]!));
        expect(worst, `frame ${k}`).toBeLessThan(40);
      });
    },
  );

  describeWithFixture("PyAV's defaults for libx264", ["reference-outputs-media", "cases"], (cases) => {
    test("the x264 options (its SEI) equal those of ComfyUI's file: ABR at 1024 kb/s, threads=1, keyint_min 8", async () => {
      const options = (bytes: Uint8Array): string => {
        const text = Buffer.from(bytes).toString("latin1");
        const at = text.indexOf(" - options: ");
        return text.slice(at, text.indexOf("\0", at));
      };
      const bytes = await encodeVideo(
        { width: 64, height: 48, fps: { num: 8, den: 1 }, frames: gradient(64, 48, 3) },
        { container: "mp4", encoder: "libx264" },
      );
      const recorded = readFileSync(join(cases, "m045_vid_createvideo_fps8_savevideo_auto_auto", "5_0.mp4"));
      expect(options(bytes)).toMatch(/ rc=abr .* bitrate=1024 /);
      expect(options(bytes)).toBe(options(recorded));
    });
  });

  test("an AAC track in FFmpeg's default stereo layout, after the video", async () => {
    const audio: AudioSamples = { sampleRate: 44100, channels: [sine(44100, 1, 440)] };
    const bytes = await encodeVideo(
      { width: 32, height: 32, fps: { num: 8, den: 1 }, frames: gradient(32, 32, 8) },
      { container: "mp4", encoder: "libx264", audio },
    );
    const info = await probeMedia(bytes);
    expect(info.streams.map((s) => s.kind)).toEqual(["video", "audio"]);
    const decoded = await decodeAudio(bytes);
    expect([decoded.sampleRate, decoded.channels, decoded.layout, decoded.sampleCount]).toEqual([
      44100,
      2,
      "stereo",
      44100,
    ]);
  });

  test("libx264 refuses an odd size: FFmpeg's external-library error, typed", async () => {
    const error = await encodeVideo(
      { width: 37, height: 29, fps: { num: 8, den: 1 }, frames: [new Uint8Array(37 * 29 * 3)] },
      { container: "mp4", encoder: "libx264", name: "odd.mp4" },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaEncodeError);
    expect(error).toMatchObject({ encoder: "libx264", errno: -542398533 });
    expect((error as Error).message).toBe(
      "odd.mp4: libx264 refused its parameters: Generic error in an external library",
    );
  });

  test("bad frames are named before anything is encoded", async () => {
    await expect(
      encodeVideo(
        { width: 4, height: 4, fps: { num: 8, den: 1 }, frames: [new Uint8Array(48), new Uint8Array(47)] },
        {
          container: "mp4",
          encoder: "libx264",
        },
      ),
    ).rejects.toThrow("mp4 video: frame 1 has 47 bytes; a 4×4 rgb24 frame has 48");
    await expect(
      encodeVideo(
        { width: 4, height: 4, fps: { num: 8, den: 1 }, frames: [] },
        { container: "webm", encoder: "libvpx-vp9" },
      ),
    ).rejects.toThrow("webm video: there are no frames to encode");
  });
});
