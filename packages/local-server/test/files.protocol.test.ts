import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { decodePng, encodePng } from "@comfy-ts/core/png";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openImage } from "../src/image/pil-image.js";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { testNodes } from "./support/test-nodes.js";

let server: LocalServer;
// 2×1 RGBA: a red pixel with alpha 10, a green one with alpha 200.
const rgba = Buffer.from(
  encodePng(
    { width: 2, height: 1, channels: 4, data: Uint8Array.of(255, 0, 0, 10, 0, 255, 0, 200) },
    { text: [["prompt", "{}"]] },
  ),
);
const rgb = encodePng({ width: 2, height: 1, channels: 3, data: Uint8Array.of(1, 2, 3, 4, 5, 6) });

beforeAll(async () => {
  server = await startLocalServer({ nodes: testNodes() });
  await writeFile(join(server.dirs.output, "rgba.png"), rgba);
  await writeFile(join(server.dirs.output, "rgb.png"), rgb);
});
afterAll(() => server.close());

async function view(query: string) {
  const res = await fetch(`${server.url}/view?${query}`);
  expect(res.status).toBe(200);
  return { type: res.headers.get("content-type"), bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function pixels(bytes: Uint8Array) {
  const frame = (await openImage(bytes)).frames[0];
  return { mode: frame?.mode, data: [...(frame?.data ?? [])] };
}

describe("/view channel and preview", () => {
  it("channel=rgb drops alpha", async () => {
    const out = await view("filename=rgba.png&channel=rgb");
    expect(out.type).toBe("image/png");
    expect(await pixels(out.bytes)).toEqual({ mode: "RGB", data: [255, 0, 0, 0, 255, 0] });
  });

  it("channel=a gives black with the original alpha, or opaque without one", async () => {
    expect(await pixels((await view("filename=rgba.png&channel=a")).bytes)).toEqual({
      mode: "RGBA",
      data: [0, 0, 0, 10, 0, 0, 0, 200],
    });
    expect(await pixels((await view("filename=rgb.png&channel=a")).bytes)).toEqual({
      mode: "RGBA",
      data: [0, 0, 0, 255, 0, 0, 0, 255],
    });
  });

  it("channel=rgba (the default) sends the file as stored", async () => {
    expect(Buffer.from((await view("filename=rgba.png&channel=rgba")).bytes).equals(rgba)).toBe(true);
    expect(Buffer.from((await view("filename=rgba.png")).bytes).equals(rgba)).toBe(true);
  });

  it("preview=jpeg answers an RGB JPEG, preview=webp keeps alpha (pixels vs PIL: view-preview.pil.test.ts)", async () => {
    const out = await view("filename=rgba.png&preview=jpeg;80");
    expect(out.type).toBe("image/jpeg");
    expect((await pixels(out.bytes)).mode).toBe("RGB");
    const webp = await view("filename=rgba.png&preview=webp;50");
    expect(webp.type).toBe("image/webp");
    expect((await pixels(webp.bytes)).mode).toBe("RGBA");
  });
});

describe("POST /upload/mask", () => {
  const uploadMask = async (mask: Uint8Array, originalRef: unknown, extra: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("image", new Blob([mask]), "mask.png");
    form.set("original_ref", JSON.stringify(originalRef));
    form.set("type", "input");
    form.set("subfolder", "clipspace");
    for (const [k, v] of Object.entries(extra)) form.set(k, v);
    return fetch(`${server.url}/upload/mask`, { method: "POST", body: form });
  };
  const mask = encodePng({ width: 2, height: 1, channels: 4, data: Uint8Array.of(0, 0, 0, 77, 0, 0, 0, 0) });

  it("writes the original with the mask's alpha and keeps its text chunks", async () => {
    const res = await uploadMask(mask, { filename: "rgba.png", subfolder: "", type: "output" });
    expect(await res.json()).toEqual({ name: "mask.png", subfolder: "clipspace", type: "input" });
    const written = await readFile(join(server.dirs.input, "clipspace", "mask.png"));
    expect(await pixels(written)).toEqual({ mode: "RGBA", data: [255, 0, 0, 77, 0, 255, 0, 0] });
    expect(decodePng(written).text).toEqual([["prompt", "{}"]]);
  });

  it("answers 200 and writes nothing when the original is missing (as ComfyUI does)", async () => {
    const res = await uploadMask(mask, { filename: "missing.png", type: "output" }, { overwrite: "true" });
    expect(res.status).toBe(200);
    const res2 = await uploadMask(mask, { filename: "../x.png", type: "output" }, { subfolder: "other" });
    expect(res2.status).toBe(200);
    await expect(readFile(join(server.dirs.input, "other", "mask.png"))).rejects.toThrow();
  });

  it.each([
    ["not JSON", "{filename"],
    ["JSON but not an object", "5"],
    ["absent", undefined],
  ])(
    "answers 500 and writes nothing when original_ref is %s (ComfyUI's json.loads raises)",
    async (_what, ref) => {
      const form = new FormData();
      form.set("image", new Blob([mask]), "bad-ref.png");
      if (ref !== undefined) form.set("original_ref", ref);
      form.set("type", "input");
      const res = await fetch(`${server.url}/upload/mask`, { method: "POST", body: form });
      expect(res.status).toBe(500);
      await expect(readFile(join(server.dirs.input, "bad-ref.png"))).rejects.toThrow();
    },
  );
});
