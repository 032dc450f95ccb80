import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { getJson, postJson } from "./support/http.js";
import { testNodes } from "./support/test-nodes.js";
import { WsRecorder } from "./support/ws-recorder.js";

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ nodes: testNodes() });
});
afterAll(() => server.close());

const previewGraph = (value: number) => ({
  "1": { class_type: "TestNumber", inputs: { value } },
  "2": { class_type: "TestSlow", inputs: { value: ["1", 0], steps: 1 } },
  "3": { class_type: "TestPreview", inputs: { value: ["2", 0] } },
});

async function submit(body: Record<string, unknown>): Promise<string> {
  const res = await postJson(`${server.url}/prompt`, body);
  expect(res.status).toBe(200);
  return ((await res.json()) as { prompt_id: string }).prompt_id;
}

describe("/ws", () => {
  it("greets with status and the client's sid, on /ws and /api/ws", async () => {
    for (const path of ["/ws", "/api/ws"]) {
      const ws = await WsRecorder.connect(server.url, "hello", path);
      expect(ws.frames[0]).toEqual({
        kind: "text",
        type: "status",
        data: { status: { exec_info: { queue_remaining: 0 } }, sid: "hello" },
      });
      ws.close();
    }
  });

  it("generates a 32-hex sid when the client sends none", async () => {
    const ws = await WsRecorder.connect(server.url);
    const first = ws.frames[0];
    expect(first?.kind === "text" && first.data.sid).toMatch(/^[0-9a-f]{32}$/);
    ws.close();
  });

  it("routes a job's messages to its client only; others see status broadcasts and type-3 text", async () => {
    const a = await WsRecorder.connect(server.url, "route-a");
    const b = await WsRecorder.connect(server.url, "route-b");
    a.clear();
    b.clear();
    const id = await submit({ prompt: previewGraph(1), client_id: "route-a" });
    await a.waitForDone(id);
    await new Promise((r) => setTimeout(r, 50));
    expect(a.types()).toContain("execution_start");
    expect(a.types()).toContain("progress");
    const bTypes = b.types();
    expect(new Set(bTypes)).toEqual(new Set(["status", "binary"]));
    const bBinary = b.frames.filter((f) => f.kind === "binary");
    expect(bBinary).toHaveLength(1);
    expect(bBinary[0]?.kind === "binary" && bBinary[0].bytes.readUInt32BE(0)).toBe(3);
    a.close();
    b.close();
  });

  it("without client_id: no execution_*/executing/executed, but progress, progress_state and previews are broadcast", async () => {
    const watcher = await WsRecorder.connect(server.url, "watcher");
    watcher.clear();
    const id = await submit({ prompt: previewGraph(2) });
    await watcher.waitFor(
      (f) =>
        f.kind === "text" && f.type === "status" && (f.data.status as any).exec_info.queue_remaining === 0,
    );
    await new Promise((r) => setTimeout(r, 50));
    const types = new Set(watcher.types());
    expect(types).toEqual(new Set(["status", "progress_state", "progress", "binary"]));
    const history = await getJson<Record<string, { status: { status_str: string } }>>(
      `${server.url}/history/${id}`,
    );
    expect(history[id]?.status.status_str).toBe("success");
    watcher.close();
  });

  it("negotiates feature flags on the first message and then sends type-4 previews", async () => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/ws?clientId=flags`);
    const frames: (string | Buffer)[] = [];
    socket.on("message", (data, isBinary) =>
      frames.push(isBinary ? Buffer.from(data as Buffer) : String(data)),
    );
    await new Promise((r) => socket.once("open", r));
    socket.send(JSON.stringify({ type: "feature_flags", data: { supports_preview_metadata: true } }));
    for (let i = 0; i < 100 && frames.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(JSON.parse(String(frames[1]))).toEqual({
      type: "feature_flags",
      data: { supports_preview_metadata: true, max_upload_size: 104857600 },
    });
    const id = await submit({ prompt: previewGraph(3), client_id: "flags" });
    for (let i = 0; i < 200; i++) {
      if (frames.some((f) => typeof f === "string" && f.includes('"node":null'))) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const previews = frames.filter((f): f is Buffer => Buffer.isBuffer(f) && f.readUInt32BE(0) === 4);
    expect(previews).toHaveLength(1);
    const frame = previews[0] as Buffer;
    const length = frame.readUInt32BE(4);
    const metadata = JSON.parse(frame.subarray(8, 8 + length).toString());
    expect(metadata).toEqual({
      node_id: "3",
      prompt_id: id,
      display_node_id: "3",
      parent_node_id: null,
      real_node_id: "3",
      image_type: "image/png",
    });
    expect([...frame.subarray(8 + length)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    // The type-4 frame comes before the progress message it belongs to.
    const i4 = frames.indexOf(frame);
    expect(JSON.parse(String(frames[i4 + 1])).type).toBe("progress");
    expect(frames.some((f) => Buffer.isBuffer(f) && f.readUInt32BE(0) === 1)).toBe(false);
    socket.close();
  });

  it("ignores feature flags that are not the first message", async () => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/ws?clientId=late`);
    const frames: string[] = [];
    socket.on("message", (data) => frames.push(String(data)));
    await new Promise((r) => socket.once("open", r));
    socket.send(JSON.stringify({ type: "hello" }));
    socket.send(JSON.stringify({ type: "feature_flags", data: {} }));
    await new Promise((r) => setTimeout(r, 50));
    expect(frames.map((f) => JSON.parse(f).type)).toEqual(["status"]);
    socket.close();
  });

  it("still negotiates after a first message that is not JSON (ComfyUI only counts parsed messages)", async () => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/ws?clientId=garbled`);
    const frames: string[] = [];
    socket.on("message", (data) => frames.push(String(data)));
    await new Promise((r) => socket.once("open", r));
    socket.send("not json");
    socket.send(JSON.stringify({ type: "feature_flags", data: {} }));
    await new Promise((r) => setTimeout(r, 50));
    expect(frames.map((f) => JSON.parse(f).type)).toEqual(["status", "feature_flags"]);
    socket.close();
  });
});
