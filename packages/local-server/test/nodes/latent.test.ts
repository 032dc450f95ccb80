import { describe, expect, it } from "vitest";
import type { Latent } from "../../src/nodes/socket-types.js";
import { type Tensor, tensor } from "../../src/tensor/tensor.js";
import { first, img, run } from "./run-node.js";

const latent = (shape: number[]) => ({
  samples: tensor(
    shape,
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i),
  ),
});

describe("latent nodes", () => {
  it.each([
    ["EmptyLatentImage", { width: 512, height: 256, batch_size: 2 }, [2, 4, 32, 64]],
    ["EmptySD3LatentImage", { width: 1024, height: 512, batch_size: 1 }, [1, 16, 64, 128]],
    ["EmptyHunyuanLatentVideo", { width: 848, height: 480, length: 25, batch_size: 1 }, [1, 16, 7, 60, 106]],
    ["EmptyMochiLatentVideo", { width: 848, height: 480, length: 25, batch_size: 1 }, [1, 12, 5, 60, 106]],
    ["EmptyLTXVLatentVideo", { width: 768, height: 512, length: 97, batch_size: 1 }, [1, 128, 13, 16, 24]],
    [
      "EmptyCosmosLatentVideo",
      { width: 1280, height: 704, length: 121, batch_size: 1 },
      [1, 16, 16, 88, 160],
    ],
    ["EmptyHunyuanImageLatent", { width: 2048, height: 1024, batch_size: 1 }, [1, 64, 32, 64]],
    ["EmptyChromaRadianceLatentImage", { width: 48, height: 32, batch_size: 2 }, [2, 3, 32, 48]],
    ["EmptyLatentAudio", { seconds: 47.6, batch_size: 1 }, [1, 64, 1024]],
    ["EmptyAceStepLatentAudio", { seconds: 120, batch_size: 1 }, [1, 8, 16, 1291]],
    ["EmptyLatentHunyuan3Dv2", { resolution: 3072, batch_size: 1 }, [1, 64, 3072]],
  ])("%s shape", async (node, inputs, shape) => {
    expect((await first<Latent>(node, inputs)).samples.shape).toEqual(shape);
  });

  it("StableCascade_EmptyLatentImage gives stage C and stage B", async () => {
    const { outputs } = await run("StableCascade_EmptyLatentImage", {
      width: 1024,
      height: 1024,
      compression: 42,
      batch_size: 1,
    });
    expect((outputs as Latent[]).map((l) => l.samples.shape)).toEqual([
      [1, 16, 24, 24],
      [1, 4, 256, 256],
    ]);
  });

  it("LatentUpscale clamps to 64 px and divides by 8", async () => {
    const out = await first<Latent>("LatentUpscale", {
      samples: latent([1, 4, 8, 8]),
      upscale_method: "nearest-exact",
      width: 8,
      height: 8,
      crop: "disabled",
    });
    expect(out.samples.shape).toEqual([1, 4, 8, 8]);
  });

  it("LatentFromBatch records batch_index", async () => {
    const out = await first<Latent>("LatentFromBatch", {
      samples: latent([3, 1, 1, 1]),
      batch_index: 1,
      length: 5,
    });
    expect(out.samples.shape).toEqual([2, 1, 1, 1]);
    expect(out.batch_index).toEqual([1, 2]);
  });

  it("RepeatLatentBatch offsets batch_index per repeat", async () => {
    const from = await first<Latent>("LatentFromBatch", {
      samples: latent([3, 1, 1, 1]),
      batch_index: 1,
      length: 2,
    });
    const out = await first<Latent>("RepeatLatentBatch", { samples: from, amount: 2 });
    expect(out.batch_index).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ["x", [1, 1, 2, 4]],
    ["-y", [1, 1, 4, 2]],
    ["t", [1, 2, 2, 2]],
  ])("LatentConcat %s", async (dim, shape) => {
    const a = latent([1, 1, 2, 2]);
    expect((await first<Latent>("LatentConcat", { samples1: a, samples2: a, dim })).samples.shape).toEqual(
      shape,
    );
  });

  it.each([
    ["x", 1, 5, [1, 1, 2, 1], [1, 3]],
    ["y", -1, 1, [1, 1, 1, 2], [2, 3]],
  ])("LatentCut %s index %s", async (dim, index, amount, shape, values) => {
    const out = await first<Latent>("LatentCut", { samples: latent([1, 1, 2, 2]), dim, index, amount });
    expect(out.samples.shape).toEqual(shape);
    expect(Array.from(out.samples.data)).toEqual(values);
  });

  it("VAEEncode / VAEDecode with pixel_space round-trip (x*2-1, then (x+1)/2)", async () => {
    const vae = await first("VAELoader", { vae_name: "pixel_space" });
    const enc = await first<Latent>("VAEEncode", { pixels: img([[[0, 0.5, 1]]]), vae });
    expect(enc.samples.shape).toEqual([1, 3, 1, 1]);
    expect(Array.from(enc.samples.data)).toEqual([-1, 0, 1]);
    const dec = await first<Tensor>("VAEDecode", { samples: enc, vae });
    expect(Array.from(dec.data)).toEqual([0, 0.5, 1]);
  });

  it("a zero latent decodes to 0.5, saved as 127", async () => {
    const vae = await first("VAELoader", { vae_name: "pixel_space" });
    const dec = await first<Tensor>("VAEDecode", {
      samples: latent([1, 4, 1, 1]) && { samples: tensor([1, 4, 1, 1]) },
      vae,
    });
    expect(dec.shape).toEqual([1, 1, 1, 4]);
    expect(Math.trunc(Math.fround(255 * (dec.data[0] as number)))).toBe(127);
  });

  it("RebatchImages regroups a list of batches", async () => {
    const one = img([[[0, 0, 0]]]);
    const { outputs } = await run("RebatchImages", { images: [one, one, one], batch_size: [2] });
    expect(((outputs ?? [])[0] as Tensor[]).map((t) => t.shape[0])).toEqual([2, 1]);
  });
});
