import { narrow } from "../tensor/ops.js";
import { tensor } from "../tensor/tensor.js";
import { defineNode, FLOAT, INT, MAX_RESOLUTION, out, T, U64_MAX } from "./define.js";

const BATCH = INT({ default: 1, min: 1, max: 4096 });
const fl = Math.floor;

function emptyV3(
  name: string,
  module: string,
  category: string,
  required: Record<string, readonly unknown[]>,
  shape: (i: Record<string, number>) => number[],
  extra: Record<string, unknown> = {},
) {
  return defineNode({ name, category, module, v3: true, required, outputs: [["LATENT"]] }, (inputs) => {
    const n = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, Number(v)]));
    return out({ samples: tensor(shape(n)), ...extra });
  });
}

const size = (def: number, min: number, step: number) =>
  INT({ default: def, min, max: MAX_RESOLUTION, step });

export const emptyLatentNodes = [
  emptyV3(
    "EmptySD3LatentImage",
    "comfy_extras.nodes_sd3",
    "latent/sd3",
    { width: size(1024, 16, 16), height: size(1024, 16, 16), batch_size: BATCH },
    (i) => [i.batch_size!, 16, fl(i.height! / 8), fl(i.width! / 8)],
  ),
  emptyV3(
    "EmptyHunyuanLatentVideo",
    "comfy_extras.nodes_hunyuan",
    "latent/video",
    {
      width: size(848, 16, 16),
      height: size(480, 16, 16),
      length: INT({ default: 25, min: 1, max: MAX_RESOLUTION, step: 4 }),
      batch_size: BATCH,
    },
    (i) => [i.batch_size!, 16, fl((i.length! - 1) / 4) + 1, fl(i.height! / 8), fl(i.width! / 8)],
  ),
  emptyV3(
    "EmptyHunyuanImageLatent",
    "comfy_extras.nodes_hunyuan",
    "latent",
    { width: size(2048, 64, 32), height: size(2048, 64, 32), batch_size: BATCH },
    (i) => [i.batch_size!, 64, fl(i.height! / 32), fl(i.width! / 32)],
  ),
  emptyV3(
    "EmptyMochiLatentVideo",
    "comfy_extras.nodes_mochi",
    "latent/video",
    {
      width: size(848, 16, 16),
      height: size(480, 16, 16),
      length: INT({ default: 25, min: 7, max: MAX_RESOLUTION, step: 6 }),
      batch_size: BATCH,
    },
    (i) => [i.batch_size!, 12, fl((i.length! - 1) / 6) + 1, fl(i.height! / 8), fl(i.width! / 8)],
  ),
  emptyV3(
    "EmptyLTXVLatentVideo",
    "comfy_extras.nodes_lt",
    "latent/video/ltxv",
    {
      width: size(768, 64, 32),
      height: size(512, 64, 32),
      length: INT({ default: 97, min: 1, max: MAX_RESOLUTION, step: 8 }),
      batch_size: BATCH,
    },
    (i) => [i.batch_size!, 128, fl((i.length! - 1) / 8) + 1, fl(i.height! / 32), fl(i.width! / 32)],
  ),
  emptyV3(
    "EmptyCosmosLatentVideo",
    "comfy_extras.nodes_cosmos",
    "latent/video",
    {
      width: size(1280, 16, 16),
      height: size(704, 16, 16),
      length: INT({ default: 121, min: 1, max: MAX_RESOLUTION, step: 8 }),
      batch_size: BATCH,
    },
    (i) => [i.batch_size!, 16, fl((i.length! - 1) / 8) + 1, fl(i.height! / 8), fl(i.width! / 8)],
  ),
  emptyV3(
    "EmptyAceStepLatentAudio",
    "comfy_extras.nodes_ace",
    "latent/audio",
    {
      seconds: FLOAT({ default: 120.0, min: 1.0, max: 1000.0, step: 0.1 }),
      batch_size: INT({
        tooltip: "The number of latent images in the batch.",
        default: 1,
        min: 1,
        max: 4096,
      }),
    },
    (i) => [i.batch_size!, 8, 16, Math.trunc((i.seconds! * 44100) / 512 / 8)],
    { type: "audio" },
  ),
  defineNode(
    {
      name: "StableCascade_EmptyLatentImage",
      category: "latent/stable_cascade",
      module: "comfy_extras.nodes_stable_cascade",
      v3: true,
      required: {
        width: size(1024, 256, 8),
        height: size(1024, 256, 8),
        compression: INT({ default: 42, min: 4, max: 128, step: 1 }),
        batch_size: BATCH,
      },
      outputs: [
        ["LATENT", "stage_c"],
        ["LATENT", "stage_b"],
      ],
    },
    ({ width: w, height: h, compression: c, batch_size: b }) => {
      return out(
        { samples: tensor([b, 16, fl(h / c), fl(w / c)]) },
        { samples: tensor([b, 4, fl(h / 4), fl(w / 4)]) },
      );
    },
  ),
  defineNode(
    {
      name: "EmptyLatentHunyuan3Dv2",
      category: "latent/3d",
      module: "comfy_extras.nodes_hunyuan3d",
      required: {
        resolution: INT({ default: 3072, min: 1, max: 8192 }),
        batch_size: INT({
          default: 1,
          min: 1,
          max: 4096,
          tooltip: "The number of latent images in the batch.",
        }),
      },
      outputs: [["LATENT"]],
    },
    (inputs) =>
      out({
        samples: tensor([inputs.batch_size, 64, inputs.resolution]),
        type: "hunyuan3dv2",
      }),
  ),
  defineNode(
    {
      name: "EmptyLatentAudio",
      display: "Empty Latent Audio",
      category: "latent/audio",
      module: "comfy_extras.nodes_audio",
      required: {
        seconds: FLOAT({ default: 47.6, min: 1.0, max: 1000.0, step: 0.1 }),
        batch_size: INT({
          default: 1,
          min: 1,
          max: 4096,
          tooltip: "The number of latent images in the batch.",
        }),
      },
      outputs: [["LATENT"]],
    },
    (inputs) => {
      const x = (inputs.seconds * 44100) / 2048 / 2;
      const r = Math.round(x);
      const length = (Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r) * 2;
      return out({ samples: tensor([inputs.batch_size, 64, length]), type: "audio" });
    },
  ),
  defineNode(
    {
      name: "EmptyAudio",
      display: "Empty Audio",
      category: "audio",
      module: "comfy_extras.nodes_audio",
      required: {
        duration: FLOAT({
          default: 60.0,
          min: 0.0,
          max: U64_MAX,
          step: 0.01,
          tooltip: "Duration of the empty audio clip in seconds",
        }),
        sample_rate: INT({ default: 44100, tooltip: "Sample rate of the empty audio clip." }),
        channels: INT({
          default: 2,
          min: 1,
          max: 2,
          tooltip: "Number of audio channels (1 for mono, 2 for stereo).",
        }),
      },
      outputs: [["AUDIO"]],
    },
    (inputs) => {
      const rate = Number(inputs.sample_rate);
      return out({
        waveform: tensor([1, inputs.channels, Math.trunc(inputs.duration * rate)]),
        sample_rate: rate,
      });
    },
  ),
  defineNode(
    {
      name: "TrimVideoLatent",
      category: "latent/video",
      module: "comfy_extras.nodes_wan",
      v3: true,
      required: { samples: T("LATENT", {}), trim_amount: INT({ default: 0, min: 0, max: 99999 }) },
      outputs: [["LATENT"]],
    },
    (inputs) => {
      const s = inputs.samples;
      const t = s.samples;
      const frames = t.shape[2] ?? 0;
      const start = Math.min(inputs.trim_amount, frames);
      return out({ ...s, samples: narrow(t, 2, start, frames - start) });
    },
  ),
];
