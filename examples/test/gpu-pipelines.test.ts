// The GPU pipelines: their prompt JSON is snapshot-tested everywhere, validated against the real install
// their factories were generated from when ../shared is present, and run against golden images only when
// COMFYUI_URL names a server that has their models.
import { readFileSync } from "node:fs";
import {
  compile,
  type NodeCatalog,
  parseCatalog,
  parseCatalogText,
  stringifyPrompt,
  validate,
} from "@comfy-ts/core";
import { sharedFixture } from "@comfy-ts/test-support";
import { comfyTest } from "@comfy-ts/testing";
import { describe, expect, test } from "vitest";
import { img2img } from "../src/pipelines/gpu/img2img.js";
import { inpaint } from "../src/pipelines/gpu/inpaint.js";
import { sdxlUnclipControlnet } from "../src/pipelines/gpu/sdxl-unclip-controlnet.js";
import { txt2img } from "../src/pipelines/gpu/txt2img.js";
import { upscale } from "../src/pipelines/gpu/upscale.js";
import { checkerboardPng, circleMaskPng } from "./support/input-images.js";

const pipelines = { sdxlUnclipControlnet, txt2img, img2img, inpaint, upscale } as const;

describe("GPU pipelines compile to reviewed prompts", () => {
  test.each(Object.entries(pipelines))("%s", async (name, pipeline) => {
    await expect(`${stringifyPrompt(compile(pipeline), 2)}\n`).toMatchFileSnapshot(
      `__snapshots__/gpu/${name}.prompt.json`,
    );
  });
});

const catalogFile = sharedFixture("object-info", "install-2025-568-nodes.json");

describe.skipIf(!catalogFile)(
  `GPU pipelines validate against the install they were generated from${catalogFile ? "" : " [skipped: ../shared/fixtures not found beside the checkout]"}`,
  () => {
    const catalog = catalogFile ? parseCatalogText(readFileSync(catalogFile, "utf8")) : undefined;
    // That install has no ControlNet or upscale model files and other input images, so only those
    // file-name combos may fail; every link type, required input and range must be right.
    const machineSpecific = new Set(["control_net_name", "model_name", "image"]);

    test.each(Object.entries(pipelines))("%s", (_name, pipeline) => {
      const result = validate(pipeline, catalog!);
      const unexpected = result.issues.filter(
        (issue) => !(issue.type === "value_not_in_list" && machineSpecific.has(issue.input ?? "")),
      );
      expect(unexpected).toEqual([]);
    });
  },
);

const gpuServer = process.env.COMFYUI_URL;

describe.skipIf(!gpuServer)(
  `GPU pipelines on a real server, compared with goldens${gpuServer ? "" : " [skipped: set COMFYUI_URL to a ComfyUI server that has the models]"}`,
  () => {
    comfyTest("txt2img", async ({ comfy, expect, skip }) => {
      skip(
        !hasFile(
          catalogOf(comfy.servers[0]?.objectInfo),
          "CheckpointLoaderSimple",
          "ckpt_name",
          "sd_xl_base_1.0.safetensors",
        ),
        "no sd_xl_base_1.0.safetensors on the server",
      );
      const result = await comfy.run(txt2img);
      await expect(result.image("image")).toMatchGolden("txt2img", { maxDiffPixelRatio: 0.01 });
    });

    comfyTest("img2img on an uploaded image", async ({ comfy, expect, skip }) => {
      skip(
        !hasFile(
          catalogOf(comfy.servers[0]?.objectInfo),
          "CheckpointLoaderSimple",
          "ckpt_name",
          "sd_xl_base_1.0.safetensors",
        ),
        "no sd_xl_base_1.0.safetensors on the server",
      );
      const uploaded = await comfy.client.uploadImage({
        data: checkerboardPng(1024, 1024),
        filename: "comfy-ts-checkerboard.png",
        overwrite: true,
      });
      const result = await comfy.run(img2img({ image: uploaded.name }));
      await expect(result.image("image")).toMatchGolden("img2img", { maxDiffPixelRatio: 0.01 });
    });

    comfyTest("inpainting with an uploaded mask", async ({ comfy, expect, skip }) => {
      skip(
        !hasFile(
          catalogOf(comfy.servers[0]?.objectInfo),
          "CheckpointLoaderSimple",
          "ckpt_name",
          "sd_xl_base_1.0.safetensors",
        ),
        "no sd_xl_base_1.0.safetensors on the server",
      );
      const image = await comfy.client.uploadImage({
        data: checkerboardPng(1024, 1024),
        filename: "comfy-ts-checkerboard.png",
        overwrite: true,
      });
      const mask = await comfy.client.uploadImage({
        data: circleMaskPng(1024, 1024),
        filename: "comfy-ts-circle-mask.png",
        overwrite: true,
      });
      const result = await comfy.run(inpaint({ image: image.name, mask: mask.name }));
      await expect(result.image("image")).toMatchGolden("inpaint", { maxDiffPixelRatio: 0.01 });
    });

    comfyTest("upscaling", async ({ comfy, expect, skip }) => {
      skip(
        !hasFile(
          catalogOf(comfy.servers[0]?.objectInfo),
          "UpscaleModelLoader",
          "model_name",
          "4x-UltraSharp.pth",
        ),
        "no 4x-UltraSharp.pth upscale model on the server",
      );
      const image = await comfy.client.uploadImage({
        data: checkerboardPng(256, 256),
        filename: "comfy-ts-checkerboard-small.png",
        overwrite: true,
      });
      const result = await comfy.run(upscale({ image: image.name, width: 1024, height: 1024 }));
      await expect(result.image("image")).toMatchGolden("upscale", { maxDiffPixelRatio: 0.01 });
    });

    comfyTest("the seed document's SDXL unCLIP + ControlNet graph", async ({ comfy, expect, skip }) => {
      const catalog = catalogOf(comfy.servers[0]?.objectInfo);
      skip(
        !hasFile(catalog, "ControlNetLoader", "control_net_name", "control-lora-depth-rank256.safetensors") ||
          !hasFile(catalog, "CLIPVisionLoader", "clip_name", "clip_vision_g.safetensors"),
        "the server lacks the ControlNet or CLIP vision model of this graph",
      );
      const sketch = await comfy.client.uploadImage({
        data: checkerboardPng(1024, 768),
        filename: "comfy-ts-sketch.png",
        overwrite: true,
      });
      const result = await comfy.run(sdxlUnclipControlnet({ sketch: sketch.name, reference: sketch.name }));
      await expect(result.image("image")).toMatchGolden("sdxl-unclip-controlnet", {
        maxDiffPixelRatio: 0.01,
      });
    });
  },
);

const catalogs = new WeakMap<object, NodeCatalog>();

/** The parsed catalog of a server's `/object_info` (parsed once per server). */
function catalogOf(objectInfo: object | undefined): NodeCatalog | undefined {
  if (!objectInfo) return undefined;
  let catalog = catalogs.get(objectInfo);
  if (!catalog) {
    catalog = parseCatalog(objectInfo);
    catalogs.set(objectInfo, catalog);
  }
  return catalog;
}

/** Whether a server's catalog lists a model file in a loader's combo. */
function hasFile(catalog: NodeCatalog | undefined, classType: string, input: string, file: string): boolean {
  const def = catalog?.nodes.get(classType)?.inputs.find((i) => i.name === input);
  return def?.kind === "combo" && def.values.includes(file);
}
