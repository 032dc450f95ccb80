// A golden of each kind the local server writes: an animation (APNG), a video (H.264 MP4), audio (FLAC),
// a latent (safetensors) and a text. Recorded ComfyUI outputs of every kind are checked in
// packages/testing/test/kinds.
import { workflow } from "@comfy-ts/core";
import { comfyTest as test } from "@comfy-ts/testing";
import {
  AudioAdjustVolume,
  CreateVideo,
  EmptyImage,
  EmptyLatentImage,
  ImageAddNoise,
  LoadAudio,
  SaveAnimatedPNG,
  SaveAudio,
  SaveLatent,
  SaveVideo,
} from "../src/generated/local/nodes.js";
import { caption } from "../src/model-free/strings.js";

const grainAnimation = workflow(({ seed = 42n }) => ({
  clip: SaveAnimatedPNG({
    images: ImageAddNoise({
      image: EmptyImage({ width: 48, height: 32, batch_size: 3, color: 0x336699 }),
      seed,
      strength: 0.4,
    }),
    filename_prefix: "grain",
    fps: 6,
  }),
}));

const grainVideo = workflow(({ seed = 42n }) => ({
  video: SaveVideo({
    video: CreateVideo({
      images: ImageAddNoise({
        image: EmptyImage({ width: 64, height: 48, batch_size: 8, color: 0x996633 }),
        seed,
        strength: 0.3,
      }),
      fps: 8,
    }),
    filename_prefix: "video/grain",
    format: "mp4",
    codec: "h264",
  }),
}));

const quieterTone = workflow(({ audio = "comfy-ts-tone.wav" }) => ({
  audio: SaveAudio({
    audio: AudioAdjustVolume({ audio: LoadAudio({ audio }), volume: -6 }),
    filename_prefix: "audio/tone",
  }),
}));

/** 0.25 s of a 440 Hz tone in the left channel and 660 Hz in the right: a 16-bit stereo WAV at 24 kHz. */
function toneWav(): Uint8Array {
  const rate = 24_000;
  const frames = rate / 4;
  const bytes = new Uint8Array(44 + frames * 4);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, bytes.length - 8, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 2, true); // channels
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 4, true); // bytes per second
  view.setUint16(32, 4, true); // bytes per frame
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, frames * 4, true);
  for (let i = 0; i < frames; i++) {
    const t = i / rate;
    view.setInt16(44 + i * 4, Math.round(12_000 * Math.sin(2 * Math.PI * 440 * t)), true);
    view.setInt16(46 + i * 4, Math.round(12_000 * Math.sin(2 * Math.PI * 660 * t)), true);
  }
  return bytes;
}

const emptyLatent = workflow(() => ({
  latent: SaveLatent({
    samples: EmptyLatentImage({ width: 64, height: 48, batch_size: 1 }),
    filename_prefix: "latents/empty",
  }),
}));

test("an animation golden: frames, durations and loop, then every frame's samples", async ({
  comfy,
  expect,
}) => {
  const result = await comfy.run(grainAnimation, { seeds: 42n });
  await expect(result.output("clip")).toMatchGolden("grain-clip");
});

test("a video golden: codec, size, frame count and fps, then every decoded frame", async ({
  comfy,
  expect,
}) => {
  const result = await comfy.run(grainVideo, { seeds: 42n });
  await expect(result.output("video")).toMatchGolden("grain-video");
});

test("an audio golden: codec, sample rate, channels and length, then every sample", async ({
  comfy,
  expect,
}) => {
  const result = await comfy.run(quieterTone, { inputs: { "comfy-ts-tone.wav": toneWav() } });
  await expect(result.output("audio")).toMatchGolden("quieter-tone");
});

test("a latent golden: tensor names, dtypes and shapes, then every value", async ({ comfy, expect }) => {
  const result = await comfy.run(emptyLatent);
  await expect(result.output("latent")).toMatchGolden("empty-latent");
});

test("a text golden", async ({ comfy, expect }) => {
  const result = await comfy.run(caption);
  await expect(result.textOutput("caption")).toMatchGolden("caption");
});
