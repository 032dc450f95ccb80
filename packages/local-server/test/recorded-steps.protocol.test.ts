import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { postJson } from "./support/http.js";
import { deterministicFields } from "./support/normalize-messages.js";
import type { RecordedFrame } from "./support/reference-cases.js";
import { WsRecorder } from "./support/ws-recorder.js";

/**
 * Replays the caching steps of the 0.3.65 verification run (ws/step3…step4c) with the real nodes:
 * same graphs, same order, and compares every WebSocket message (prompt ids aside) and the files.
 */
describeWithFixture("0.3.65 verification steps 3–4c (cache behaviour)", ["comfyui-0.3.65", "ws"], (dir) => {
  let server: LocalServer;
  let ws: WsRecorder;
  beforeAll(async () => {
    server = await startLocalServer();
    ws = await WsRecorder.connect(server.url, "tsverify-main");
  });
  afterAll(async () => {
    ws.close();
    await server.close();
  });

  const graph = (prefix: string) => ({
    "1": { class_type: "EmptyImage", inputs: { width: 64, height: 64, batch_size: 1, color: 16711680 } },
    "2": { class_type: "ImageInvert", inputs: { image: ["1", 0] } },
    "3": { class_type: "SaveImage", inputs: { images: ["2", 0], filename_prefix: prefix } },
  });
  const steps: [file: string, body: Record<string, unknown>][] = [
    ["step3_first_run.jsonl", { prompt: graph("t") }],
    ["step4_second_run.jsonl", { prompt: graph("t") }],
    ["step4b_prefix_changed.jsonl", { prompt: graph("t_other") }],
    [
      "step3b_custom_prompt_id.jsonl",
      {
        prompt: {
          "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 255 } },
          "2": { class_type: "PreviewImage", inputs: { images: ["1", 0] } },
        },
        prompt_id: "a1b2c3d4-0000-4000-8000-tsclient0001",
        extra_data: { note: "from-ts-client" },
      },
    ],
    ["step4c_rerun_after_other_prompt.jsonl", { prompt: graph("t") }],
  ];

  it("has the recorded steps", () => {
    const files = readdirSync(dir);
    for (const [file] of steps) expect(files).toContain(file);
  });

  it("sends the recorded messages step after step, caching only the previous prompt's results", async () => {
    for (const [file, body] of steps) {
      const recorded = readFileSync(join(dir, file), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
      ws.clear();
      const res = await postJson(`${server.url}/prompt`, { client_id: "tsverify-main", ...body });
      const { prompt_id } = (await res.json()) as { prompt_id: string };
      await ws.waitForDone(prompt_id);
      const recordedId = recorded.find((f) => typeof f.data.prompt_id === "string")?.data.prompt_id;
      const normalize = (frames: RecordedFrame[], id: unknown) =>
        frames.map((f) =>
          JSON.parse(JSON.stringify(deterministicFields(f)).replaceAll(String(id), "<prompt>")),
        );
      const actual = normalize(ws.textFrames(), prompt_id);
      const expected = normalize(recorded, recordedId);
      expect(actual, file).toEqual(expected);
    }
    // step 4 wrote nothing new; 4c wrote the second file.
    expect(readdirSync(server.dirs.output).sort()).toEqual([
      "t_00001_.png",
      "t_00002_.png",
      "t_other_00001_.png",
    ]);
  });
});
