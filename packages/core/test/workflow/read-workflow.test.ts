import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { describe, expect, it } from "vitest";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import {
  ImageFormatError,
  NoWorkflowMetadataError,
  parseApiPrompt,
  parseWorkflowJson,
  readImageMetadata,
  readWorkflow,
  UnknownWorkflowFormatError,
  WorkflowJsonError,
  WorkflowSchemaError,
} from "../../src/workflow/index.js";
import { png, webp } from "./support/image-builders.js";
import { node, workflow } from "./support/ui-builder.js";

const prompt = { "1": { class_type: "LoadImage", inputs: { image: "cat.png" }, is_changed: ["abc"] } };
const ui = workflow([node(1, "LoadImage", { wv: ["cat.png", "image"] })], []);

describe("readWorkflow", () => {
  it("detects an API prompt, strips server-written is_changed", async () => {
    const input = await readWorkflow(JSON.stringify(prompt));
    expect(input).toEqual({
      kind: "api",
      prompt: { "1": { class_type: "LoadImage", inputs: { image: "cat.png" } } },
      from: "json",
    });
  });

  it("detects a UI workflow", async () => {
    const input = await readWorkflow(JSON.stringify(ui));
    expect(input.kind).toBe("ui");
  });

  it("accepts a POST /prompt body (the prompt under `prompt`)", async () => {
    const input = await readWorkflow(JSON.stringify({ client_id: "x", prompt }));
    expect(input.kind).toBe("api");
  });

  it.each([
    [
      "tEXt",
      png([
        { kind: "tEXt", key: "prompt", text: JSON.stringify(prompt) },
        { kind: "tEXt", key: "workflow", text: JSON.stringify(ui) },
      ]),
    ],
    [
      "zTXt",
      png([
        { kind: "zTXt", key: "prompt", text: JSON.stringify(prompt) },
        { kind: "zTXt", key: "workflow", text: JSON.stringify(ui) },
      ]),
    ],
    [
      "iTXt",
      png([
        { kind: "iTXt", key: "prompt", text: JSON.stringify(prompt), compressed: true },
        { kind: "iTXt", key: "workflow", text: JSON.stringify(ui) },
      ]),
    ],
    [
      "WebP EXIF",
      webp([
        ["prompt", JSON.stringify(prompt)],
        ["workflow", JSON.stringify(ui)],
      ]),
    ],
    [
      "WebP EXIF with Exif header",
      webp(
        [
          ["prompt", JSON.stringify(prompt)],
          ["workflow", JSON.stringify(ui)],
        ],
        { exifPrefix: true },
      ),
    ],
  ])("reads prompt and workflow from an image (%s)", async (_name, bytes) => {
    const input = await readWorkflow(bytes);
    expect(input.kind).toBe("api");
    if (input.kind !== "api") return;
    expect(input.prompt).toEqual({ "1": { class_type: "LoadImage", inputs: { image: "cat.png" } } });
    expect(input.workflow?.nodes.map((n) => n.type)).toEqual(["LoadImage"]);
  });

  it("an image with only a workflow gives the UI workflow", async () => {
    const input = await readWorkflow(png([{ kind: "tEXt", key: "workflow", text: JSON.stringify(ui) }]));
    expect(input.kind).toBe("ui");
  });

  it("keeps non-ASCII text of iTXt chunks", async () => {
    const meta = await readImageMetadata(
      png([{ kind: "iTXt", key: "prompt", text: '{"1":{"class_type":"X","inputs":{"t":"猫"}}}' }]),
    );
    expect(meta.entries.get("prompt")).toContain("猫");
  });

  it.each([
    [
      "a PNG without metadata",
      png([]),
      NoWorkflowMetadataError,
      /this PNG has no ComfyUI workflow \(no text metadata at all\)/,
    ],
    [
      "a PNG with other text only",
      png([{ kind: "tEXt", key: "Software", text: "GIMP" }]),
      NoWorkflowMetadataError,
      /only "Software"/,
    ],
    ["a WebP without EXIF", webp([]), NoWorkflowMetadataError, /this WEBP has no ComfyUI workflow/],
    [
      "a truncated PNG",
      png([{ kind: "tEXt", key: "prompt", text: "{}" }]).subarray(0, 40),
      ImageFormatError,
      /runs past the end of the file|before its IEND chunk/,
    ],
    ["a GIF", Buffer.from("GIF89a\0\0\0\0"), WorkflowJsonError, /invalid JSON/],
  ])("%s → a clear error", async (_name, bytes, type, message) => {
    const error = await readWorkflow(bytes, { source: "x.bin" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(/^x\.bin: /);
    expect((error as Error).message).toMatch(message);
  });

  it("broken JSON inside an image names the chunk", async () => {
    const error = await readWorkflow(
      png([{ kind: "tEXt", key: "prompt", text: '{"1": {"class_type": "X", "inp' }]),
      { source: "a.png" },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowJsonError);
    expect((error as Error).message).toMatch(/^a\.png \(prompt metadata\): invalid JSON at line 1/);
  });

  it("JSON that is no workflow → UnknownWorkflowFormatError", async () => {
    await expect(readWorkflow('{"hello": "world"}')).rejects.toThrow(UnknownWorkflowFormatError);
    await expect(readWorkflow("[1, 2]")).rejects.toThrow(/not a ComfyUI workflow/);
  });

  it("readImageMetadata rejects non-images", async () => {
    await expect(readImageMetadata(Buffer.from("hello"))).rejects.toThrow(ImageFormatError);
  });

  it("parseApiPrompt reports the path of a bad node", () => {
    expect(() => parseApiPrompt({ "3": { class_type: "KSampler" } })).toThrow(WorkflowSchemaError);
    expect(() => parseApiPrompt({ "3": { class_type: "KSampler" } })).toThrow(/at 3\.inputs/);
  });
});

describeWithFixture(
  "readWorkflow on images saved by ComfyUI 0.3.65",
  ["reference-outputs", "cases"],
  (dir) => {
    const images = dir
      ? readdirSync(dir).flatMap((c) =>
          readdirSync(join(dir, c))
            .filter((f) => /\.(png|webp)$/.test(f))
            .map((f) => join(c, f)),
        )
      : [];

    // `<node>_<n>.png` were saved by SaveImage/SaveAnimatedWEBP; `ws_binary_*.png` are WebSocket previews.
    const saved = images.filter((f) => !f.includes("ws_binary"));
    const previews = images.filter((f) => f.includes("ws_binary"));

    it("WebSocket preview frames carry no metadata: a clear error", async () => {
      expect(previews.length).toBeGreaterThan(0);
      for (const image of previews) {
        await expect(readWorkflow(readFileSync(join(dir, image)), { source: image })).rejects.toThrow(
          NoWorkflowMetadataError,
        );
      }
    });

    it(`every saved PNG/WebP carries the prompt that made it (${saved.length} images)`, async () => {
      expect(saved.length).toBeGreaterThan(100);
      for (const image of saved) {
        const input = await readWorkflow(readFileSync(join(dir, image)), { source: image });
        const body = parseWorkflowJson(readFileSync(join(dir, image.split("/")[0]!, "prompt.json"), "utf8"));
        const sent = parseApiPrompt((body as { prompt: unknown }).prompt);
        expect(input.kind, image).toBe("api");
        if (input.kind === "api") expect(input.prompt, image).toEqual(asValidated(sent, input.prompt));
      }
    });
  },
);

/**
 * The image holds the prompt as the server validated it: validation unwraps `{"__value__": x}` and
 * coerces literals in place (`"65280"` → 65280 for an INT, protocol §13.11), so those differ from what
 * was sent.
 */
function asValidated(sent: ApiPrompt, stored: ApiPrompt): ApiPrompt {
  const out: ApiPrompt = structuredClone(sent);
  for (const [id, node] of Object.entries(out)) {
    for (const [name, original] of Object.entries(node.inputs)) {
      const kept = stored[id]?.inputs[name];
      let value: unknown = original;
      if (typeof value === "object" && value !== null && "__value__" in value && !Array.isArray(kept))
        value = value.__value__;
      if (
        typeof kept === "number" &&
        typeof value !== "object" &&
        [Number(value), Math.trunc(Number(value))].includes(kept)
      )
        value = kept;
      if (
        typeof kept === "string" &&
        (typeof value === "number" || typeof value === "boolean") &&
        String(value) === kept
      )
        value = kept;
      if (typeof kept === "boolean" && typeof value !== "boolean") value = kept;
      node.inputs[name] = value as ApiPrompt[string]["inputs"][string];
    }
  }
  return out;
}
