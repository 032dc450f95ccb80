// The GPU pipelines: their prompt JSON is snapshot-tested everywhere, validated against the real install
// their factories were generated from when ../shared is present, and run against golden images only when
// COMFYUI_URL names a server that has their models.
import { readFileSync } from "node:fs";
import { compile, parseCatalogText, stringifyPrompt, validate } from "@comfy-ts/core";
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
// GPU results depend on the device, torch and ComfyUI version: each stack keeps its own goldens.
const gpuGolden = { comparator: "pixelmatch", maxDiffPixelRatio: 0.01, keyByEnvironment: true } as const;

describe.skipIf(!gpuServer)(
  `GPU pipelines on a real server, compared with goldens${gpuServer ? "" : " [skipped: set COMFYUI_URL to a ComfyUI server that has the models]"}`,
  () => {
    comfyTest("txt2img", async ({ comfy, expect, skip }) => {
      const check = comfy.canRun(txt2img);
      skip(!check.ok, check.ok ? "" : check.reason);
      const result = await comfy.run(txt2img);
      await expect(result.image("image")).toMatchGolden("txt2img", gpuGolden);
    });

    comfyTest("img2img on an uploaded image", async ({ comfy, expect, skip }) => {
      // `inputs` are uploaded to whichever server of the pool runs the graph.
      const inputs = { "comfy-ts-checkerboard.png": checkerboardPng(1024, 1024) };
      const graph = img2img({ image: "comfy-ts-checkerboard.png" });
      const check = comfy.canRun(graph, { inputs });
      skip(!check.ok, check.ok ? "" : check.reason);
      const result = await comfy.run(graph, { inputs });
      await expect(result.image("image")).toMatchGolden("img2img", gpuGolden);
    });

    comfyTest("inpainting with an uploaded mask", async ({ comfy, expect, skip }) => {
      const inputs = {
        "comfy-ts-checkerboard.png": checkerboardPng(1024, 1024),
        "comfy-ts-circle-mask.png": circleMaskPng(1024, 1024),
      };
      const graph = inpaint({ image: "comfy-ts-checkerboard.png", mask: "comfy-ts-circle-mask.png" });
      const check = comfy.canRun(graph, { inputs });
      skip(!check.ok, check.ok ? "" : check.reason);
      const result = await comfy.run(graph, { inputs });
      await expect(result.image("image")).toMatchGolden("inpaint", gpuGolden);
    });

    comfyTest("upscaling", async ({ comfy, expect, skip }) => {
      const inputs = { "comfy-ts-checkerboard-small.png": checkerboardPng(256, 256) };
      const graph = upscale({ image: "comfy-ts-checkerboard-small.png", width: 1024, height: 1024 });
      const check = comfy.canRun(graph, { inputs });
      skip(!check.ok, check.ok ? "" : check.reason);
      const result = await comfy.run(graph, { inputs });
      await expect(result.image("image")).toMatchGolden("upscale", gpuGolden);
    });

    comfyTest("the seed document's SDXL unCLIP + ControlNet graph", async ({ comfy, expect, skip }) => {
      const inputs = { "comfy-ts-sketch.png": checkerboardPng(1024, 768) };
      const graph = sdxlUnclipControlnet({ sketch: "comfy-ts-sketch.png", reference: "comfy-ts-sketch.png" });
      const check = comfy.canRun(graph, { inputs });
      skip(!check.ok, check.ok ? "" : check.reason);
      const result = await comfy.run(graph, { inputs });
      await expect(result.image("image")).toMatchGolden("sdxl-unclip-controlnet", gpuGolden);
    });
  },
);
