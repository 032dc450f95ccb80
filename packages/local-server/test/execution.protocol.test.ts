import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { getJson, postJson } from "./support/http.js";
import { type RunCounter, testListedOnlyNodes, testNodes } from "./support/test-nodes.js";
import { WsRecorder } from "./support/ws-recorder.js";

let server: LocalServer;
let ws: WsRecorder;
const counter: RunCounter = { counts: new Map() };

beforeAll(async () => {
  server = await startLocalServer({ nodes: testNodes(counter), listedOnlyNodes: testListedOnlyNodes });
  ws = await WsRecorder.connect(server.url, "client-a");
});
afterAll(async () => {
  ws.close();
  await server.close();
});
beforeEach(async () => {
  await postJson(`${server.url}/free`, { free_memory: true });
  counter.counts.clear();
});

const simple = (value: number) => ({
  "1": { class_type: "TestNumber", inputs: { value } },
  "2": { class_type: "TestAdd", inputs: { a: ["1", 0], b: 2 } },
  "3": { class_type: "TestOutput", inputs: { value: ["2", 0] } },
});

async function run(prompt: unknown, extra: Record<string, unknown> = {}) {
  ws.clear();
  const res = await postJson(`${server.url}/prompt`, { prompt, client_id: "client-a", ...extra });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { prompt_id: string; number: number; node_errors: unknown };
  await ws.waitForDone(body.prompt_id);
  return body;
}

function summary(frames = ws.textFrames()) {
  return frames.map((f) => {
    if (f.type === "executing" || f.type === "executed") return `${f.type}:${String(f.data.node)}`;
    if (f.type === "execution_cached") return `cached:${(f.data.nodes as string[]).join(",")}`;
    if (f.type === "progress_state") {
      const nodes = f.data.nodes as Record<string, { state: string }>;
      return `ps:${Object.entries(nodes)
        .map(([k, v]) => `${k}=${v.state}`)
        .join(",")}`;
    }
    if (f.type === "status")
      return `status:${(f.data.status as { exec_info: { queue_remaining: number } }).exec_info.queue_remaining}`;
    return f.type;
  });
}

describe("one job, as the 0.3.65 recordings show it", () => {
  it("sends the recorded message sequence and writes history before the final executing", async () => {
    const { prompt_id } = await run(simple(5));
    expect(summary()).toEqual([
      "status:1",
      "status:1",
      "execution_start",
      "cached:",
      "ps:1=running",
      "executing:1",
      "ps:1=finished",
      "ps:1=finished,2=running",
      "executing:2",
      "ps:1=finished,2=finished",
      "ps:1=finished,2=finished,3=running",
      "executing:3",
      "executed:3",
      "ps:1=finished,2=finished,3=finished",
      "execution_success",
      "status:0",
      "executing:null",
    ]);
    const executed = ws.textFrames().find((f) => f.type === "executed");
    expect(executed?.data).toEqual({ node: "3", display_node: "3", output: { text: ["7"] }, prompt_id });
    const history = await getJson<Record<string, any>>(`${server.url}/history/${prompt_id}`);
    const entry = history[prompt_id];
    expect(entry.prompt).toEqual([
      expect.any(Number),
      prompt_id,
      simple(5),
      { client_id: "client-a" },
      ["3"],
    ]);
    expect(entry.outputs).toEqual({ "3": { text: ["7"] } });
    expect(entry.meta).toEqual({
      "3": { node_id: "3", display_node: "3", parent_node: null, real_node_id: "3" },
    });
    expect(entry.status.status_str).toBe("success");
    expect(entry.status.completed).toBe(true);
    expect(entry.status.messages.map((m: [string]) => m[0])).toEqual([
      "execution_start",
      "execution_cached",
      "execution_success",
    ]);
  });

  it("serves an identical resubmission from cache and replays executed", async () => {
    await run(simple(5));
    counter.counts.clear();
    const { prompt_id } = await run(simple(5));
    expect(counter.counts.size).toBe(0);
    expect(summary()).toEqual([
      "status:1",
      "status:1",
      "execution_start",
      "cached:1,2,3",
      "executed:3",
      "ps:3=finished",
      "execution_success",
      "status:0",
      "executing:null",
    ]);
    const history = await getJson<Record<string, any>>(`${server.url}/history/${prompt_id}`);
    expect(history[prompt_id].outputs).toEqual({ "3": { text: ["7"] } });
  });

  it("re-runs only what changed, keeps only the previous prompt's results, and /free clears", async () => {
    await run(simple(5));
    await run({ ...simple(5), "2": { class_type: "TestAdd", inputs: { a: ["1", 0], b: 3 } } });
    expect(summary()).toContain("cached:1");
    expect(counter.counts.get("TestNumber") ?? 0).toBe(1);
    // A different prompt ran in between: the first graph's node 2 result was evicted.
    counter.counts.clear();
    await run(simple(5));
    expect(summary()).toContain("cached:1");
    expect(counter.counts.get("TestAdd")).toBe(1);
    await postJson(`${server.url}/free`, { free_memory: true });
    await run(simple(5));
    expect(summary()).toContain("cached:");
    expect(counter.counts.get("TestNumber")).toBe(1);
  });

  it("does not key the cache on node ids (a renumbered prompt hits)", async () => {
    await run(simple(5));
    const renumbered = {
      "10": { class_type: "TestNumber", inputs: { value: 5 } },
      "20": { class_type: "TestAdd", inputs: { a: ["10", 0], b: 2 } },
      "30": { class_type: "TestOutput", inputs: { value: ["20", 0] } },
    };
    counter.counts.clear();
    await run(renumbered);
    expect(counter.counts.size).toBe(0);
    expect(summary()).toContain("cached:10,20,30");
  });

  it("always re-runs a node whose fingerprint is NaN", async () => {
    const prompt = {
      "1": { class_type: "TestVolatile", inputs: { value: 1 } },
      "2": { class_type: "TestOutput", inputs: { value: ["1", 0] } },
    };
    await run(prompt);
    await run(prompt);
    expect(counter.counts.get("TestVolatile")).toBe(2);
  });

  it("maps a node over a list input and concatenates its UI", async () => {
    const { prompt_id } = await run({
      "1": { class_type: "TestList", inputs: { count: 3 } },
      "2": { class_type: "TestAdd", inputs: { a: ["1", 0], b: 10 } },
      "3": { class_type: "TestOutput", inputs: { value: ["2", 0] } },
    });
    expect(counter.counts.get("TestAdd")).toBe(3);
    const history = await getJson<Record<string, any>>(`${server.url}/history/${prompt_id}`);
    expect(history[prompt_id].outputs["3"]).toEqual({ text: ["10", "11", "12"] });
  });

  it("reports a node failure as execution_error with the recorded fields", async () => {
    const { prompt_id } = await run({
      "1": { class_type: "TestNumber", inputs: { value: 4 } },
      "2": { class_type: "TestFail", inputs: { value: ["1", 0] } },
      "3": { class_type: "TestOutput", inputs: { value: ["2", 0] } },
    });
    const error = ws.textFrames().find((f) => f.type === "execution_error");
    expect(error?.data).toMatchObject({
      prompt_id,
      node_id: "2",
      node_type: "TestFail",
      executed: ["1"],
      exception_message: "test failure on purpose\n",
      exception_type: "ValueError",
      current_inputs: { value: [4] },
      current_outputs: ["1", "2", "3"],
    });
    expect(error?.data.traceback).toEqual(expect.any(Array));
    expect(summary().slice(-3)).toEqual(["execution_error", "status:0", "executing:null"]);
    const history = await getJson<Record<string, any>>(`${server.url}/history/${prompt_id}`);
    expect(history[prompt_id].status).toMatchObject({ status_str: "error", completed: false });
  });

  it.each([
    ["-1 (the last output, as Python indexes)", -1, "30"],
    ["-2", -2, "3"],
    ["true (Python's bool is the int 1)", true, "30"],
    ["false", false, "3"],
  ])("reads a link to output %s of a node", async (_name, slot, text) => {
    const { prompt_id } = await run({
      "1": { class_type: "TestPair", inputs: { value: 3 } },
      "2": { class_type: "TestOutput", inputs: { value: ["1", slot] } },
    });
    expect(ws.types()).not.toContain("execution_error");
    const history = await getJson<Record<string, { outputs: unknown }>>(`${server.url}/history/${prompt_id}`);
    expect(history[prompt_id]?.outputs).toEqual({ "2": { text: [text] } });
  });

  it("reports a JavaScript error inside a node as an internal error of this server, not as the node's exception", async () => {
    const { prompt_id } = await run({
      "1": { class_type: "TestNumber", inputs: { value: 4 } },
      "2": { class_type: "TestBug", inputs: { value: ["1", 0] } },
      "3": { class_type: "TestOutput", inputs: { value: ["2", 0] } },
    });
    const error = ws.textFrames().find((f) => f.type === "execution_error");
    expect(error?.data).toMatchObject({
      prompt_id,
      node_id: "2",
      node_type: "TestBug",
      exception_type: "comfy_ts.InternalError",
      current_inputs: { value: [4] },
    });
    const said = JSON.stringify(error?.data);
    expect(said).not.toMatch(/TypeError|Cannot read properties|undefined \(reading/);
    expect(error?.data.exception_message).toMatch(
      /internal error of the comfy-ts local server.*server's log/s,
    );
  });

  it("fails a model node with an execution_error that says this server runs no models", async () => {
    await run({
      "1": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "x.safetensors" } },
      "2": { class_type: "TestOutput", inputs: { value: ["1", 0] } },
    });
    const error = ws.textFrames().find((f) => f.type === "execution_error");
    expect(error?.data.node_type).toBe("CheckpointLoaderSimple");
    expect(error?.data.exception_message).toMatch(/runs no models/);
  });

  it("blames a runtime dependency cycle like ComfyUI (and history still says success)", async () => {
    const { prompt_id } = await run({
      "1": { class_type: "TestNumber", inputs: { value: 1, also_unknown: ["1", 0] } },
      "9": { class_type: "TestOutput", inputs: { value: ["1", 0] } },
    });
    const error = ws.textFrames().find((f) => f.type === "execution_error");
    expect(error?.data).toMatchObject({
      node_id: "9",
      exception_type: "graph.DependencyCycleError",
      exception_message: "Dependency cycle detected",
      traceback: [],
      current_inputs: [],
    });
    const history = await getJson<Record<string, any>>(`${server.url}/history/${prompt_id}`);
    expect(history[prompt_id].status).toMatchObject({ status_str: "success", completed: true });
  });

  it("sends progress, type-1 previews and type-3 text frames", async () => {
    await run({
      "1": { class_type: "TestNumber", inputs: { value: 1 } },
      "2": { class_type: "TestSlow", inputs: { value: ["1", 0], steps: 2 } },
      "3": { class_type: "TestPreview", inputs: { value: ["2", 0] } },
    });
    const types = ws.types();
    expect(types.filter((t) => t === "progress")).toHaveLength(3);
    const binaries = ws.frames.filter((f) => f.kind === "binary").map((f) => (f as { bytes: Buffer }).bytes);
    expect(binaries).toHaveLength(2);
    const text = binaries.find((b) => b.readUInt32BE(0) === 3) as Buffer;
    const idLength = text.readUInt32BE(4);
    expect(text.subarray(8, 8 + idLength).toString()).toBe("3");
    expect(text.subarray(8 + idLength).toString()).toBe("value: 1");
    const preview = binaries.find((b) => b.readUInt32BE(0) === 1) as Buffer;
    expect(preview.readUInt32BE(4)).toBe(2);
    // progress precedes its type-1 preview
    const progressIndex = types.lastIndexOf("progress");
    expect(types[progressIndex + 1]).toBe("binary");
  });

  it("keeps the exact digits of integers beyond 2^53 from the request to history and the node", async () => {
    ws.clear();
    const text = `{"client_id": "client-a", "prompt": {"1": {"class_type": "TestNumber", "inputs": {"value": 18446744073709551615}}, "2": {"class_type": "TestOutput", "inputs": {"value": ["1", 0]}}}}`;
    const res = await fetch(`${server.url}/prompt`, { method: "POST", body: text });
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    await ws.waitForDone(prompt_id);
    const raw = await (await fetch(`${server.url}/history/${prompt_id}`)).text();
    expect(raw).toContain('"value":18446744073709551615');
    expect(raw).toContain('"text":["18446744073709551615"]');
  });

  it("tells a socket that reconnects with the running job's client id which node is executing", async () => {
    ws.clear();
    const res = await postJson(`${server.url}/prompt`, {
      client_id: "client-a",
      prompt: {
        "1": { class_type: "TestNumber", inputs: { value: 99 } },
        "2": { class_type: "TestSlow", inputs: { value: ["1", 0], steps: 20 } },
        "3": { class_type: "TestOutput", inputs: { value: ["2", 0] } },
      },
    });
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    await ws.waitFor((f) => f.kind === "text" && f.type === "progress" && f.data.prompt_id === prompt_id);
    const again = await WsRecorder.connect(server.url, "client-a");
    await again.waitFor((f) => f.kind === "text" && f.type === "executing");
    expect(again.frames.slice(0, 2).map((f) => (f.kind === "text" ? [f.type, f.data] : f))).toEqual([
      ["status", { status: { exec_info: { queue_remaining: 1 } }, sid: "client-a" }],
      ["executing", { node: "2" }],
    ]);
    // The newest socket of a client id receives the job's messages from now on.
    await again.waitForDone(prompt_id);
    again.close();
  });
});
