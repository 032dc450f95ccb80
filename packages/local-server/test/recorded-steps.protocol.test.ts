import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
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

  const readRecording = (file: string) =>
    readFileSync(join(dir, file), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map(
        (l) =>
          JSON.parse(l) as {
            frame: string;
            type?: string;
            data?: Record<string, unknown>;
            event_type?: number;
          },
      );
  /** A recorded or live frame as `type` (text) or `binary:<event type>`, with the deterministic fields of text frames. */
  const shape = (
    f: { frame: string; type?: string; data?: Record<string, unknown>; event_type?: number },
    id: unknown,
  ) =>
    f.frame === "binary"
      ? `binary:${f.event_type}`
      : JSON.stringify(
          deterministicFields({ type: f.type as string, data: f.data as Record<string, unknown> }),
        ).replaceAll(String(id), "<prompt>");

  it("step 9b: a client that negotiated preview metadata gets the type-4 frame before its progress message", async () => {
    const recorded = readRecording("ws_feature_flags_client.jsonl").filter(
      (f) => f.frame === "text" || f.frame === "binary",
    );
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/ws?clientId=tsverify-flags`);
    const frames: { frame: string; type?: string; data?: Record<string, unknown>; event_type?: number }[] =
      [];
    let done: (() => void) | undefined;
    const finished = new Promise<void>((r) => {
      done = r;
    });
    socket.on("message", (data, isBinary) => {
      if (isBinary) {
        frames.push({ frame: "binary", event_type: Buffer.from(data as Buffer).readUInt32BE(0) });
        return;
      }
      const msg = JSON.parse(String(data)) as { type: string; data: Record<string, unknown> };
      frames.push({ frame: "text", type: msg.type, data: msg.data });
      if (msg.type === "executing" && msg.data.node === null) done?.();
    });
    await new Promise((r) => socket.once("open", r));
    socket.send(JSON.stringify({ type: "feature_flags", data: { supports_preview_metadata: true } }));
    const res = await postJson(`${server.url}/prompt`, {
      client_id: "tsverify-flags",
      prompt: {
        "1": { class_type: "EmptyImage", inputs: { width: 16, height: 16, batch_size: 1, color: 255 } },
        "4": { class_type: "SaveImageWebsocket", inputs: { images: ["1", 0] } },
      },
    });
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    await finished;
    socket.close();
    const recordedId = recorded.find((f) => typeof f.data?.prompt_id === "string")?.data?.prompt_id;
    expect(frames.map((f) => shape(f, prompt_id))).toEqual(recorded.map((f) => shape(f, recordedId)));
  });

  it("step 9: type-1 previews, the type-3 text frame and PreviewAny text, in the recorded multiset", async () => {
    const recorded = readRecording("step9_binary_frames.jsonl");
    ws.clear();
    const res = await postJson(`${server.url}/prompt`, {
      client_id: "tsverify-main",
      prompt: {
        "1": { class_type: "EmptyImage", inputs: { width: 48, height: 40, batch_size: 2, color: 65280 } },
        "2": { class_type: "GetImageSize", inputs: { image: ["1", 0] } },
        "3": { class_type: "PreviewAny", inputs: { source: ["2", 0] } },
        "4": { class_type: "SaveImageWebsocket", inputs: { images: ["1", 0] } },
        "5": { class_type: "PreviewImage", inputs: { images: ["1", 0] } },
      },
    });
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    await ws.waitForDone(prompt_id);
    const recordedId = recorded.find((f) => typeof f.data?.prompt_id === "string")?.data?.prompt_id;
    // A status broadcast of the previous job may arrive after the clear: start at this job's enqueue.
    const first = ws.frames.findIndex(
      (f) =>
        f.kind === "text" && f.type === "status" && JSON.stringify(f.data).includes('"queue_remaining":1'),
    );
    const live = ws.frames
      .slice(first)
      .map((f) =>
        f.kind === "binary"
          ? { frame: "binary", event_type: f.bytes.readUInt32BE(0) }
          : { frame: "text", type: f.type, data: f.data },
      );
    // Python ran the three outputs in its set order: compare without progress_state snapshots, as a multiset.
    const key = (f: { frame: string; type?: string }) => f.type !== "progress_state";
    expect(
      live
        .filter(key)
        .map((f) => shape(f, prompt_id))
        .sort(),
    ).toEqual(
      recorded
        .filter(key)
        .map((f) => shape(f, recordedId))
        .sort(),
    );
    // Each type-1 frame follows its progress message.
    const types = live.map((f) => (f.frame === "binary" ? `binary:${f.event_type}` : f.type));
    types.forEach((t, i) => {
      if (t === "binary:1") expect(types[i - 1]).toBe("progress");
    });
  });
});
