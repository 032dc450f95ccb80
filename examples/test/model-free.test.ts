// The model-free example pipelines, run end to end (on the embedded local server, or on the servers in
// COMFYUI_URL) and compared with the committed goldens in __goldens__/model-free.test.ts/.
import { comfyTest as test } from "@comfy-ts/testing";
import { decodePng, encodePng } from "@comfy-ts/testing/node";
import { describe } from "vitest";
import { tile } from "../src/model-free/image-ops.js";
import { maskedWindow } from "../src/model-free/mask-compositing.js";
import { grain } from "../src/model-free/seeded-noise.js";
import { caption } from "../src/model-free/strings.js";
import { invertOnBackground } from "../src/model-free/uploaded-image.js";

/** A 64×64 RGBA input: a colour gradient whose alpha fades from left to right. */
function gradientPng(): Uint8Array {
  const size = 64;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) data.set([x * 4, y * 4, 128, 255 - x * 4], (y * size + x) * 4);
  }
  return encodePng({ width: size, height: size, data });
}

describe("model-free pipelines match their goldens", () => {
  test("image nodes: blend, crop, invert, pad, flip, rotate, scale", async ({ comfy, expect }) => {
    const result = await comfy.run(tile);
    expect(result.executedNodes.length).toBe(Object.keys(result.prompt).length);
    await expect(result.image("tile")).toMatchGolden("tile");
  });

  test("mask nodes: composite, grow, threshold, join alpha", async ({ comfy, expect }) => {
    const result = await comfy.run(maskedWindow);
    await expect(result.image("painted")).toMatchGolden("window-painted");
    await expect(result.image("mask")).toMatchGolden("window-mask");
    await expect(result.image("cutout")).toMatchGolden("window-cutout");
  });

  test("an uploaded input image, loaded with its alpha as mask", async ({ comfy, expect }) => {
    const result = await comfy.run(invertOnBackground, { inputs: { "comfy-ts-example.png": gradientPng() } });
    await expect(result.image("result")).toMatchGolden("uploaded-inverted");
  });

  test("seeded noise is reproducible with the seed pinned, and changes with it", async ({
    comfy,
    expect,
  }) => {
    const first = await comfy.run(grain, { seeds: 42n });
    expect(first.seeds).toEqual({ "2.seed": "42" });
    await expect(first.image("grain")).toMatchGolden("grain-seed-42");
    const again = await comfy.run(grain({ seed: 7n }), { seeds: 42n });
    await expect(again.image("grain")).toMatchGolden("grain-seed-42");
    const other = await comfy.run(grain, { seeds: 43n });
    const a = decodePng(first.image("grain").bytes).toRgba().data;
    const b = decodePng(other.image("grain").bytes).toRgba().data;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  test("string nodes produce the expected caption text", async ({ comfy, expect }) => {
    const result = await comfy.run(caption);
    expect(result.text("caption")).toBe("A Red Bottle, Studio Lighting");
  });
});
