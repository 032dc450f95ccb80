import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pngChunks, readPngTextChunk } from "@comfy-ts/core/png";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defineNode,
  FLOAT,
  INT,
  type LocalServer,
  listedOnly,
  NodeDefinitionError,
  out,
  STRING,
  startLocalServer,
  T,
} from "../src/index.js";
import { listedOnlyNodes, nodeImpls } from "../src/nodes/index.js";
import { postJson } from "./support/http.js";
import { WsRecorder } from "./support/ws-recorder.js";

/** A custom node pack given through the server's `nodes` option. */
const scaleBrightness = defineNode(
  {
    name: "ScaleBrightness",
    category: "custom",
    module: "custom_nodes.example",
    required: { image: T("IMAGE"), k: FLOAT({ default: 1, min: 0, max: 4 }), steps: INT({ min: 0, max: 9 }) },
    outputs: [["IMAGE"]],
  },
  ({ image, k }) => out({ shape: image.shape, data: image.data.map((v) => Math.fround(Math.min(1, v * k))) }),
);
const customModel = listedOnly({
  name: "CustomModelLoader",
  category: "custom",
  module: "custom_nodes.example",
  required: { name: STRING({}) },
  outputs: [["MODEL"]],
});

let server: LocalServer;
let ws: WsRecorder;
beforeAll(async () => {
  server = await startLocalServer({
    nodes: [...nodeImpls, scaleBrightness],
    listedOnlyNodes: [...listedOnlyNodes, customModel],
  });
  ws = await WsRecorder.connect(server.url, "custom");
});
afterAll(async () => {
  ws.close();
  await server.close();
});

function pngText(file: string): Record<string, string> {
  const bytes = new Uint8Array(readFileSync(file));
  const texts: Record<string, string> = {};
  for (const chunk of pngChunks(bytes)) {
    const text = readPngTextChunk(chunk.type, chunk.data);
    if (text) texts[text.keyword] = Buffer.from(text.text).toString("latin1");
  }
  return texts;
}

describe("custom nodes of the server's nodes option", () => {
  it("are written into the PNG metadata as Python writes them: a FLOAT input 2 as 2.0", async () => {
    const prompt = {
      "1": { class_type: "EmptyImage", inputs: { width: 4, height: 4, batch_size: 1, color: 0x202020 } },
      "2": { class_type: "ScaleBrightness", inputs: { image: ["1", 0], k: 2, steps: 3 } },
      "3": { class_type: "SaveImage", inputs: { images: ["2", 0], filename_prefix: "custom" } },
    };
    const res = await postJson(`${server.url}/prompt`, { prompt, client_id: "custom" });
    expect(res.status).toBe(200);
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    await ws.waitForDone(prompt_id);
    const texts = pngText(join(server.dirs.output, "custom_00001_.png"));
    expect(texts.prompt).toContain('"inputs": {"image": ["1", 0], "k": 2.0, "steps": 3}');
  });
});

describe("a node whose definition is not an /object_info entry", () => {
  it("stops the server at start with the class and the place", async () => {
    const broken = {
      classType: "Broken",
      define: () => ({ input: { required: { x: 5 } }, output: [] }),
      execute: () => ({}),
    };
    const start = startLocalServer({ nodes: [broken], listedOnlyNodes: [] });
    await expect(start).rejects.toThrow(NodeDefinitionError);
    await expect(startLocalServer({ nodes: [...nodeImpls, broken] })).rejects.toThrow(
      /node class "Broken" .* at input\.required\.x/,
    );
  });
});
