// Feeds the WebSocket transcripts recorded from a real ComfyUI 0.3.65 through the event parser and the
// job tracker, read in place from ../shared/fixtures.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { describe, expect, it } from "vitest";
import { JobTracker, type RunProgressEvent } from "../../src/client/job-tracker.js";
import {
  type ComfyEvent,
  EventParseError,
  parseBinaryFrame,
  parseJsonMessage,
  parseTextFrame,
} from "../../src/client/ws-events.js";

interface TranscriptLine {
  seq: number;
  frame: "text" | "binary" | "close";
  type?: string;
  data?: unknown;
  first_bytes_hex?: string;
  event_type?: number;
  image_bytes?: number;
  size?: number;
  saved_image?: string;
  node_id?: string;
  text?: string;
  metadata?: Record<string, unknown>;
}

const readLines = <T>(file: string): T[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

/** Python's json.dumps separators, as ComfyUI writes type-4 metadata. */
const pyJson = (value: Record<string, unknown>) =>
  `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(", ")}}`;

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** Rebuilds a recorded binary frame byte for byte from what the transcript kept. */
function rebuildFrame(line: TranscriptLine, wsDir: string): Buffer {
  if (line.event_type === 3) {
    const id = Buffer.from(line.node_id!, "utf8");
    return Buffer.concat([u32(3), u32(id.length), id, Buffer.from(line.text!, "utf8")]);
  }
  const image = readFileSync(join(wsDir, basename(line.saved_image!)));
  if (line.event_type === 1)
    return Buffer.concat([Buffer.from(line.first_bytes_hex!.slice(0, 16), "hex"), image]);
  const meta = Buffer.from(pyJson(line.metadata!), "utf8");
  return Buffer.concat([u32(4), u32(meta.length), meta, image]);
}

describeWithFixture("recorded 0.3.65 WebSocket transcripts", ["comfyui-0.3.65"], (dir) => {
  const files = [
    join(dir, "ws_transcript.jsonl"),
    ...readdirSync(join(dir, "ws"))
      .filter((f) => f.endsWith(".jsonl"))
      .map((f) => join(dir, "ws", f)),
  ];

  it.each(files.map((f) => [basename(f), f]))("%s: every frame parses", (_, file) => {
    const lines = readLines<TranscriptLine>(file);
    let text = 0;
    for (const line of lines) {
      if (line.frame === "text") {
        const event = parseJsonMessage({ type: line.type, data: line.data });
        if (line.type !== "unknown")
          expect(event.type === "unknown" ? event.messageType : event.type).toBe(line.type);
        text++;
      } else if (line.frame === "binary") {
        const frame = rebuildFrame(line, join(dir, "ws"));
        expect(frame.length).toBe(line.size);
        expect(frame.subarray(0, line.first_bytes_hex!.length / 2).toString("hex")).toBe(
          line.first_bytes_hex,
        );
        const event = parseBinaryFrame(frame);
        if (line.event_type === 1) {
          expect(event).toMatchObject({ type: "preview_image", frameType: 1, mimeType: "image/png" });
          expect(event.type === "preview_image" && event.image.byteLength).toBe(line.image_bytes);
        } else if (line.event_type === 3) {
          expect(event).toEqual({ type: "progress_text", nodeId: line.node_id, text: line.text });
        } else {
          expect(event).toMatchObject({
            type: "preview_image",
            frameType: 4,
            mimeType: "image/png",
            metadata: line.metadata,
          });
        }
      }
    }
    expect(text).toBeGreaterThan(0);
  });

  it("knows every message type the server sent", () => {
    const types = new Set<string>();
    for (const file of files)
      for (const l of readLines<TranscriptLine>(file)) if (l.frame === "text") types.add(l.type!);
    for (const type of types) expect(parseJsonMessage({ type, data: sample(files, type) }).type).toBe(type);
  });

  it("step 3 (first run): the tracker sees start, every node executed, and the done signal", () => {
    const lines = readLines<TranscriptLine>(join(dir, "ws", "step3_first_run.jsonl"));
    const events = lines
      .filter((l) => l.frame === "text")
      .map((l) => parseJsonMessage({ type: l.type, data: l.data }));
    const promptId = (events.find((e) => e.type === "execution_start")!.data as { prompt_id: string })
      .prompt_id;
    const { tracker, progress } = track(promptId, events, {
      "1": "EmptyImage",
      "2": "ImageInvert",
      "3": "SaveImage",
    });
    expect(tracker.done).toBe(true);
    expect(tracker.executed).toEqual(["1", "2", "3"]);
    expect([...tracker.cached]).toEqual([]);
    expect(progress.map((p) => p.type)).toEqual(["started", "cached", "node", "node", "node", "executed"]);
  });

  it("step 4 (identical rerun): every node cached, executed replayed for the output node, done", () => {
    const lines = readLines<TranscriptLine>(join(dir, "ws", "step4_second_run.jsonl"));
    const events = lines
      .filter((l) => l.frame === "text")
      .map((l) => parseJsonMessage({ type: l.type, data: l.data }));
    const promptId = (events.find((e) => e.type === "execution_start")!.data as { prompt_id: string })
      .prompt_id;
    const { tracker, progress } = track(promptId, events, {
      "1": "EmptyImage",
      "2": "ImageInvert",
      "3": "SaveImage",
    });
    expect(tracker.done).toBe(true);
    expect(tracker.executed).toEqual([]);
    expect([...tracker.cached].sort()).toEqual(["1", "2", "3"]);
    expect(progress.some((p) => p.type === "executed" && p.nodeId === "3")).toBe(true);
  });
});

describeWithFixture(
  "recorded reference-output runs (ws.jsonl of every case)",
  ["reference-outputs", "cases"],
  (dir) => {
    const cases = readdirSync(dir).filter((d) => existsSync(join(dir, d, "ws.jsonl")));

    it.each(cases)("%s", (name) => {
      const meta = JSON.parse(readFileSync(join(dir, name, "meta.json"), "utf8")) as {
        prompt_id: string;
        executed_nodes: string[];
        execution_cached: string[];
        ws_text_types: string[];
      };
      const prompt = (
        JSON.parse(readFileSync(join(dir, name, "prompt.json"), "utf8")) as {
          prompt: Record<string, { class_type: string }>;
        }
      ).prompt;
      const events: ComfyEvent[] = [];
      let binary = 0;
      for (const line of readLines<Record<string, unknown>>(join(dir, name, "ws.jsonl"))) {
        if (line["binary"]) {
          const head = Buffer.from(String(line["head"]), "hex");
          const png = join(dir, name, `ws_binary_${binary}.png`);
          // Only type-1 frames were kept whole (their PNG payload); type-3 frames kept their header only.
          if (head.readUInt32BE(0) === 1 && existsSync(png)) {
            const frame = Buffer.concat([head, readFileSync(png)]);
            expect(frame.length).toBe(line["bytes"]);
            const event = parseBinaryFrame(frame);
            expect(event).toMatchObject({ type: "preview_image", frameType: 1, mimeType: "image/png" });
            events.push(event);
            binary++;
          }
          continue;
        }
        events.push(parseTextFrame(JSON.stringify(line)));
      }
      expect(
        events
          .filter((e) => e.type !== "preview_image")
          .map((e) => (e.type === "unknown" ? e.messageType : e.type)),
      ).toEqual(meta.ws_text_types);
      const classes = Object.fromEntries(Object.entries(prompt).map(([id, n]) => [id, n.class_type]));
      const { tracker } = track(meta.prompt_id, events, classes);
      expect(tracker.done).toBe(true);
      expect([...tracker.cached]).toEqual(meta.execution_cached);
      expect(tracker.executed).toEqual([...new Set(meta.executed_nodes)]);
    });
  },
);

describe("parser on bad input", () => {
  it.each([
    ["not JSON", "{nope", /not JSON/],
    ["no type", '{"data":{}}', /string `type`/],
    [
      "bad shape",
      '{"type":"executing","data":{"prompt_id":5}}',
      /"executing" message has an unexpected shape: node/,
    ],
  ])("%s → EventParseError", (_, text, message) => {
    expect(() => parseTextFrame(text)).toThrow(EventParseError);
    expect(() => parseTextFrame(text)).toThrow(message);
  });

  it("keeps unknown message types", () => {
    expect(parseTextFrame('{"type":"crystools.monitor","data":{"cpu":3}}')).toEqual({
      type: "unknown",
      messageType: "crystools.monitor",
      data: { cpu: 3 },
    });
  });

  it.each([
    ["too short", [0, 0, 1]],
    ["type 3 with a bad length", [0, 0, 0, 3, 0, 0, 0, 9, 65]],
    ["type 4 with a bad length", [0, 0, 0, 4, 0, 0, 1, 0]],
    // JSON that is not an object: reading its image_type was a TypeError thrown out of the socket.
    ["type 4 with null metadata", [0, 0, 0, 4, 0, 0, 0, 4, ...Buffer.from("null")]],
    ["type 4 with array metadata", [0, 0, 0, 4, 0, 0, 0, 2, ...Buffer.from("[]")]],
  ])("binary %s → EventParseError", (_, bytes) => {
    expect(() => parseBinaryFrame(new Uint8Array(bytes))).toThrow(EventParseError);
  });

  it("type 1 JPEG, unknown types", () => {
    expect(parseBinaryFrame(new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 0xff, 0xd8]))).toMatchObject({
      mimeType: "image/jpeg",
      image: new Uint8Array([0xff, 0xd8]),
    });
    expect(parseBinaryFrame(new Uint8Array([0, 0, 0, 9, 7]))).toEqual({
      type: "unknown_binary",
      frameType: 9,
      payload: new Uint8Array([7]),
    });
  });

  it("reads 0.26-era messages: traceback as list, current_outputs as list, progress_state", () => {
    const error = parseJsonMessage({
      type: "execution_error",
      data: {
        prompt_id: "p",
        node_id: "3",
        node_type: "KSampler",
        executed: ["4"],
        exception_message: "x\n",
        exception_type: "torch.OutOfMemoryError",
        traceback: ["a", "b"],
        current_inputs: {},
        current_outputs: ["4"],
        timestamp: 1,
      },
    });
    expect(error).toMatchObject({ type: "execution_error", data: { traceback: ["a", "b"] } });
    const old = parseJsonMessage({
      type: "execution_error",
      data: {
        prompt_id: "p",
        node_id: 3,
        node_type: "K",
        exception_message: "m",
        exception_type: "E",
        traceback: "one string",
      },
    });
    expect(old).toMatchObject({ data: { node_id: "3", traceback: ["one string"], executed: [] } });
  });
});

function track(promptId: string, events: ComfyEvent[], classes: Record<string, string>) {
  const progress: RunProgressEvent[] = [];
  const tracker = new JobTracker(
    promptId,
    (id) => classes[id],
    (e) => progress.push(e),
  );
  tracker.confirm(promptId);
  for (const event of events) tracker.handle(event);
  return { tracker, progress };
}

function sample(files: string[], type: string): unknown {
  for (const file of files)
    for (const l of readLines<TranscriptLine>(file)) if (l.frame === "text" && l.type === type) return l.data;
  return undefined;
}
