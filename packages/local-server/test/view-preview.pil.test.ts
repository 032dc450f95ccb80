import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodePng } from "@comfy-ts/core/png";
import { decodeImage } from "@comfy-ts/media";
import { describeWithPython, runPython } from "@comfy-ts/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";

// ComfyUI's /view preview body on PIL 9.4: open, convert as the route does, save with the quality,
// decode what PIL wrote. The server's answer must decode to the same samples.
const REFERENCE = `
import base64, io, json, sys
import numpy as np
from PIL import Image
for case in json.load(sys.stdin):
    img = Image.open(io.BytesIO(base64.b64decode(case["png"])))
    info = case["preview"].split(";")
    fmt = info[0]
    if fmt not in ["webp", "jpeg"] or "a" in case["channel"]:
        fmt = "webp"
    quality = int(info[-1]) if info[-1].isdigit() else 90
    if fmt == "jpeg" or case["channel"] == "rgb":
        img = img.convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format=fmt, quality=quality)
    out = Image.open(io.BytesIO(buf.getvalue()))
    print(json.dumps({"format": fmt, "mode": out.mode, "data": base64.b64encode(np.array(out).tobytes()).decode()}))
`;

function picture(width: number, height: number, channels: 3 | 4, seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: width * height * channels }, (_, i) => {
    s = (s * 1103515245 + 12345) >>> 0;
    const x = Math.floor(i / channels) % width;
    return channels === 4 && i % 4 === 3 ? (x * 9) % 256 : (x * 7 + (s >>> 27)) & 255;
  });
}

describeWithPython("/view?preview= equals PIL's re-encoding", ["PIL", "numpy"], (python) => {
  let server: LocalServer;
  let base: string;
  const files = [
    { name: "rgb.png", png: encodePng({ width: 37, height: 29, channels: 3, data: picture(37, 29, 3, 1) }) },
    { name: "rgba.png", png: encodePng({ width: 64, height: 48, channels: 4, data: picture(64, 48, 4, 2) }) },
  ];
  const requests = files.flatMap((f) =>
    ["jpeg;80", "jpeg", "webp;50", "webp;90", "png;70"].flatMap((preview) =>
      ["", "rgb", "rgba"].map((channel) => ({ file: f, preview, channel })),
    ),
  );
  let expected: Array<{ format: string; mode: string; data: string }> = [];
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), "comfy-ts-preview-"));
    server = await startLocalServer({
      outputDir: join(base, "output"),
      inputDir: join(base, "input"),
      tempDir: join(base, "temp"),
    });
    for (const f of files) {
      const form = new FormData();
      form.set("image", new Blob([f.png]), f.name);
      form.set("type", "output");
      await fetch(`${server.url}/upload/image`, { method: "POST", body: form });
    }
    const input = requests.map((r) => ({
      png: Buffer.from(r.file.png).toString("base64"),
      preview: r.preview,
      channel: r.channel,
    }));
    expected = runPython(python, REFERENCE, JSON.stringify(input))
      .toString("utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l));
  });
  afterAll(async () => {
    await server?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it.each(requests.map((r, i) => [r.file.name, r.preview, r.channel || "(none)", i] as const))(
    "%s preview=%s channel=%s",
    async (_file, _preview, _channel, i) => {
      const r = requests[i]!;
      const query = new URLSearchParams({ filename: r.file.name, type: "output", preview: r.preview });
      if (r.channel) query.set("channel", r.channel);
      const res = await fetch(`${server.url}/view?${query}`);
      const want = expected[i]!;
      expect(res.headers.get("content-type")).toBe(`image/${want.format}`);
      const image = await decodeImage(new Uint8Array(await res.arrayBuffer()));
      expect(image.layout).toBe(want.mode === "RGBA" ? "rgba" : "rgb");
      const reference = Buffer.from(want.data, "base64");
      expect(Buffer.from(image.frames[0]!.data).equals(reference), "decoded samples equal PIL's").toBe(true);
    },
  );
});
