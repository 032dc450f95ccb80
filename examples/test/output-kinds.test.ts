// A golden of each kind the local server writes: an animation (APNG), a latent (safetensors) and a text.
// Video and audio goldens are checked on recorded ComfyUI outputs in packages/testing/test/kinds.
import { workflow } from "@comfy-ts/core";
import { comfyTest as test } from "@comfy-ts/testing";
import {
  EmptyImage,
  EmptyLatentImage,
  ImageAddNoise,
  SaveAnimatedPNG,
  SaveLatent,
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

test("a latent golden: tensor names, dtypes and shapes, then every value", async ({ comfy, expect }) => {
  const result = await comfy.run(emptyLatent);
  await expect(result.output("latent")).toMatchGolden("empty-latent");
});

test("a text golden", async ({ comfy, expect }) => {
  const result = await comfy.run(caption);
  await expect(result.textOutput("caption")).toMatchGolden("caption");
});
