import { describe, expect, it } from "vitest";
import { z } from "zod";
import { stringifyJsonLossless } from "../../src/catalog/index.js";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import {
  apiToUi,
  escapeDynamicPrompt,
  processDynamicPrompt,
  type UiWorkflowDocument,
  UnknownNodeTypeError,
  uiToApi,
} from "../../src/workflow/index.js";
import { miniCatalog } from "./support/mini-catalog.js";

const prompt: ApiPrompt = {
  "4": {
    class_type: "CheckpointLoaderSimple",
    inputs: { ckpt_name: "a.safetensors" },
    _meta: { title: "Load Checkpoint" },
  },
  "6": {
    class_type: "CLIPTextEncode",
    inputs: { text: "a {red|blue} cat", clip: ["4", 1] },
    _meta: { title: "Positive" },
  },
  "7": { class_type: "CLIPTextEncode", inputs: { text: "blurry", clip: ["4", 1] } },
  "5": { class_type: "EmptyLatentImage", inputs: { width: ["20", 0], height: 768, batch_size: 1 } },
  "20": { class_type: "LegacySampler", inputs: { seed: 3, mode: "other", strength: 0.5 } },
  "3": {
    class_type: "KSampler",
    inputs: {
      seed: 18446744073709551615n,
      steps: 20,
      cfg: 8,
      sampler_name: "euler",
      scheduler: "normal",
      denoise: 1,
      model: ["4", 0],
      positive: ["6", 0],
      negative: ["7", 0],
      latent_image: ["5", 0],
    },
  },
  "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] } },
  "10": { class_type: "LoadImage", inputs: { image: "cat.png", upload: "image" } },
  "9": { class_type: "SaveImage", inputs: { filename_prefix: "ComfyUI", images: ["8", 0] } },
};

const nodeOf = (doc: UiWorkflowDocument, id: number) => doc.nodes.find((n) => n.id === id)!;
const withoutMeta = (p: ApiPrompt) =>
  Object.fromEntries(
    Object.entries(p).map(([id, n]) => [id, { class_type: n.class_type, inputs: n.inputs }]),
  );

describe("apiToUi", () => {
  const doc = apiToUi(prompt, miniCatalog);

  it("writes widgets_values in editor order: control mode after seeds, upload button value", () => {
    expect(nodeOf(doc, 3).widgets_values).toEqual([
      18446744073709551615n,
      "fixed",
      20,
      8,
      "euler",
      "normal",
      1,
    ]);
    expect(nodeOf(doc, 10).widgets_values).toEqual(["cat.png", "image"]);
    // A linked widget keeps a value (the default) and gets a socket with `widget`.
    expect(nodeOf(doc, 5).widgets_values).toEqual([512, 768, 1]);
    expect(nodeOf(doc, 5).inputs).toEqual([
      { name: "width", type: "INT", widget: { name: "width" }, link: expect.any(Number) },
    ]);
  });

  it("escapes dynamic-prompt syntax so the editor queues the same text", () => {
    expect(nodeOf(doc, 6).widgets_values).toEqual(["a \\{red\\|blue\\} cat"]);
    expect(processDynamicPrompt(escapeDynamicPrompt("a {red|blue} cat"), Math.random)).toBe(
      "a {red|blue} cat",
    );
  });

  it("keeps titles that differ from the display name, and sockets and links as the editor has them", () => {
    expect(nodeOf(doc, 6).title).toBe("Positive");
    expect(nodeOf(doc, 4).title).toBeUndefined();
    const vaeLink = doc.links.find(([, origin, slot, target]) => origin === 4 && slot === 2 && target === 8)!;
    expect(vaeLink[5]).toBe("VAE");
    expect(nodeOf(doc, 8).inputs[vaeLink[4]]).toEqual({ name: "vae", type: "VAE", link: vaeLink[0] });
    expect(nodeOf(doc, 4).outputs[2]!.links).toContain(vaeLink[0]);
    expect(doc.last_link_id).toBe(doc.links.length);
    expect(doc.last_node_id).toBe(20);
  });

  it("lays nodes out left to right by dependency, without overlaps", () => {
    for (const [, origin, , target] of doc.links) {
      expect(nodeOf(doc, origin).pos[0] + nodeOf(doc, origin).size[0]).toBeLessThan(
        nodeOf(doc, target).pos[0],
      );
    }
    const TITLE = 30;
    const boxes = doc.nodes.map((n) => ({
      id: n.id,
      x0: n.pos[0],
      x1: n.pos[0] + n.size[0],
      y0: n.pos[1] - TITLE,
      y1: n.pos[1] + n.size[1],
    }));
    for (const a of boxes) {
      for (const b of boxes) {
        if (a.id >= b.id) continue;
        const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
        expect(overlap, `nodes ${a.id} and ${b.id} overlap`).toBe(false);
      }
    }
  });

  it("converts back to the same prompt (inputs, class types, ids)", () => {
    // Through a file: big seeds keep their digits.
    expect(withoutMeta(uiToApi(stringifyJsonLossless(doc), miniCatalog))).toEqual(withoutMeta(prompt));
    expect(withoutMeta(uiToApi(doc, miniCatalog))).toEqual(withoutMeta(prompt));
  });

  it("V3 dynamic combo children and FLOAT controls round-trip", () => {
    const p: ApiPrompt = {
      "1": { class_type: "SaveAudio", inputs: { format: "mp3", "format.quality": "320k", prefix: "song" } },
      "2": { class_type: "FloatSeed", inputs: { amount: 0.75, steps: 2 } },
    };
    const ui = apiToUi(p, miniCatalog);
    expect(nodeOf(ui, 1).widgets_values).toEqual(["mp3", "320k", "song"]);
    expect(nodeOf(ui, 2).widgets_values).toEqual([0.75, "fixed", 2]);
    expect(withoutMeta(uiToApi(ui, miniCatalog))).toEqual(withoutMeta(p));
  });

  it("an omitted widget input comes back with the catalog default, as the editor would send it", () => {
    const sparse: ApiPrompt = { "1": { class_type: "EmptyLatentImage", inputs: { width: 640 } } };
    expect(uiToApi(apiToUi(sparse, miniCatalog), miniCatalog)["1"]?.inputs).toEqual({
      width: 640,
      height: 512,
      batch_size: 1,
    });
  });

  it("keeps non-numeric ids and undeclared inputs in properties for the way back", () => {
    const named: ApiPrompt = {
      "57:12": { class_type: "LoadImage", inputs: { image: "cat.png", "choose file to upload": "image" } },
      save: { class_type: "SaveImage", inputs: { filename_prefix: "x", images: ["57:12", 0] } },
    };
    const ui = apiToUi(named, miniCatalog);
    expect(ui.nodes.map((n) => n.id).sort()).toEqual([1, 2]);
    expect(ui.nodes[0]!.properties["comfy-ts"]).toEqual({
      id: "57:12",
      inputs: { "choose file to upload": "image" },
    });
    expect(withoutMeta(uiToApi(ui, miniCatalog))).toEqual(withoutMeta(named));
  });

  it("a class missing from the catalog: an error, or an untyped node with `unknownNodes: keep`", () => {
    const custom: ApiPrompt = {
      "1": { class_type: "LoadImage", inputs: { image: "cat.png" } },
      "2": { class_type: "Fancy", inputs: { strength: 2, image: ["1", 0] }, _meta: { title: "Fancy" } },
    };
    expect(() => apiToUi(custom, miniCatalog)).toThrow(UnknownNodeTypeError);
    const ui = apiToUi(custom, miniCatalog, { unknownNodes: "keep" });
    expect(nodeOf(ui, 2).widgets_values).toEqual({ strength: 2 });
    expect(withoutMeta(uiToApi(ui, miniCatalog, { unknownNodes: "keep" }))).toEqual(withoutMeta(custom));
  });

  it("has every field the editor's loader requires (node id/type/pos/size/flags/order/mode/properties, 6-tuple links)", () => {
    const slot = z.object({ name: z.string(), type: z.string() });
    const editorNode = z.object({
      id: z.number(),
      type: z.string(),
      pos: z.tuple([z.number(), z.number()]),
      size: z.tuple([z.number(), z.number()]),
      flags: z.record(z.string(), z.unknown()),
      order: z.number(),
      mode: z.number(),
      inputs: z.array(slot.extend({ link: z.number().nullable() })),
      outputs: z.array(slot.extend({ links: z.array(z.number()) })),
      properties: z.looseObject({ "Node name for S&R": z.string() }),
      widgets_values: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]),
    });
    const editorWorkflow = z.object({
      id: z.uuid(),
      last_node_id: z.number(),
      last_link_id: z.number(),
      nodes: z.array(editorNode),
      links: z.array(z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.string()])),
      groups: z.array(z.unknown()),
      config: z.record(z.string(), z.unknown()),
      extra: z.looseObject({
        ds: z.object({ scale: z.number(), offset: z.tuple([z.number(), z.number()]) }),
      }),
      version: z.literal(0.4),
    });
    expect(editorWorkflow.safeParse(doc).error).toBeUndefined();
  });

  it("is deterministic and readable (file snapshot)", async () => {
    const again = apiToUi(prompt, miniCatalog);
    expect(JSON.stringify(again, bigintReplacer)).toBe(JSON.stringify(doc, bigintReplacer));
    await expect(JSON.stringify(doc, bigintReplacer, 2)).toMatchFileSnapshot(
      "__snapshots__/api-to-ui.default.json",
    );
  });
});

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? Number(value) : value;
}
