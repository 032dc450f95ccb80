import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodePng } from "@comfy-ts/core/png";
import { describe, expect, it } from "vitest";
import { saveImagePath, tempSuffix } from "../../src/files/save-images.js";
import { img, run, testContext } from "./run-node.js";

describe("SaveImage paths (folder_paths.get_save_image_path)", () => {
  it.each([
    ["plain", "ComfyUI", "", "ComfyUI"],
    ["subfolder", "a/b/name", "a/b", "name"],
    ["normalised", "a/./c/../name", "a", "name"],
    ["tokens", "%width%x%height%/img", "640x480", "img"],
  ])("%s: %s", (_n, prefix, subfolder, filename) => {
    const ctx = testContext();
    const p = saveImagePath(prefix, ctx.dirs.output, 640, 480);
    expect([p.subfolder, p.filename, p.counter]).toEqual([subfolder, filename, 1]);
  });

  it.each(["../escape", "/abs/path", "a/../../x"])("refuses %s outside the output folder", (prefix) => {
    const ctx = testContext();
    expect(() => saveImagePath(prefix, ctx.dirs.output, 1, 1)).toThrow(
      /Saving image outside the output folder is not allowed/,
    );
  });

  it("continues the counter after the highest existing file of the prefix", () => {
    const ctx = testContext();
    mkdirSync(ctx.dirs.output, { recursive: true });
    for (const f of ["pic_00001_.png", "pic_00007_.png", "picture_00009_.png", "pic_x.png"])
      writeFileSync(join(ctx.dirs.output, f), "");
    expect(saveImagePath("pic", ctx.dirs.output, 1, 1).counter).toBe(8);
  });

  it("PreviewImage's temp suffix uses ComfyUI's alphabet", () => {
    expect(tempSuffix(() => 0)).toBe("_temp_aaaaa");
    expect(tempSuffix()).toMatch(/^_temp_[a-z]{5}$/);
  });
});

describe("SaveImage / PreviewImage files", () => {
  it("writes <prefix>_00001_.png per batch item with prompt and extra_pnginfo text, truncating to 8 bits", async () => {
    const ctx = testContext({
      prompt: { "1": { inputs: { v: 1.5 }, class_type: "X" } },
      extraPngInfo: { workflow: { é: 1 } },
    });
    const images = img([[[0.5, 1, 0.999]]]);
    const res = await run("SaveImage", { images, filename_prefix: "sub/out" }, ctx);
    expect(res.ui).toEqual({ images: [{ filename: "out_00001_.png", subfolder: "sub", type: "output" }] });
    const png = decodePng(readFileSync(join(ctx.dirs.output, "sub", "out_00001_.png")));
    expect(Array.from(png.samples)).toEqual([127, 255, 254]);
    expect(png.chunkTypes).toEqual(["IHDR", "tEXt", "tEXt", "IDAT", "IEND"]);
    expect(png.text).toEqual([
      ["prompt", '{"1": {"inputs": {"v": 1.5}, "class_type": "X"}}'],
      ["workflow", '{"\\u00e9": 1}'],
    ]);
  });

  it("PreviewImage writes to temp with a _temp_ prefix", async () => {
    const ctx = testContext();
    const res = await run("PreviewImage", { images: img([[[0, 0, 0]]]) }, ctx);
    const entry = (res.ui?.images as Array<{ filename: string; type: string }> | undefined)?.[0];
    expect(entry?.type).toBe("temp");
    expect(entry?.filename).toMatch(/^ComfyUI_temp_[a-z]{5}_00001_\.png$/);
    expect(readdirSync(ctx.dirs.temp)).toEqual([entry?.filename]);
  });

  it("SaveImageWebsocket sends one PNG preview per image with step progress and no files", async () => {
    const ctx = testContext();
    const res = await run("SaveImageWebsocket", { images: img([[[1, 0, 0]]]) }, ctx);
    expect(res).toEqual({});
    expect(ctx.progressCalls).toEqual([[0, 1]]);
    expect(decodePng(ctx.previews[0] as Uint8Array).text).toEqual([]);
  });
});
