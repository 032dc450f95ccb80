import { afterEach, describe, expect, it } from "vitest";
import { type LocalServer, type NodeImpl, startLocalServer } from "../src/index.js";
import { nodeImpls } from "../src/nodes/index.js";
import { INTERRUPT_GRACE_MS } from "../src/server/thread-runner.js";
import { getJson, postJson } from "./support/http.js";
import { testNodes } from "./support/test-nodes.js";
import { type Frame, WsRecorder } from "./support/ws-recorder.js";

// Jobs run on an execution thread: the server answers while a node computes, interrupts end a
// job within a second, a job past the memory limit fails on its node, and huge graphs stream.

const open: { server: LocalServer; ws: WsRecorder }[] = [];
afterEach(async () => {
  for (const { server, ws } of open.splice(0)) {
    ws.close();
    await server.close();
  }
});

async function serve(options: Parameters<typeof startLocalServer>[0] = {}) {
  const server = await startLocalServer(options);
  const ws = await WsRecorder.connect(server.url, "thread-test");
  open.push({ server, ws });
  return { server, ws };
}

async function queue(server: LocalServer, prompt: Record<string, unknown>): Promise<string> {
  const res = await postJson(`${server.url}/prompt`, { prompt, client_id: "thread-test" });
  const body = (await res.json()) as { prompt_id?: string };
  if (res.status !== 200 || !body.prompt_id)
    throw new Error(`POST /prompt answered ${res.status}: ${JSON.stringify(body)}`);
  return body.prompt_id;
}

const text = (type: string, promptId: string) => (f: Frame) =>
  f.kind === "text" && f.type === type && f.data.prompt_id === promptId;
const executing = (node: string, promptId: string) => (f: Frame) =>
  text("executing", promptId)(f) && f.kind === "text" && f.data.node === node;

/** A blur with a 63×63 kernel over 512×512 pixels: about half a minute, unless interrupted. */
const longBlur = {
  "1": { class_type: "EmptyImage", inputs: { width: 512, height: 512, batch_size: 1, color: 0x808080 } },
  "2": { class_type: "ImageBlur", inputs: { image: ["1", 0], blur_radius: 31, sigma: 10 } },
  "3": { class_type: "PreviewImage", inputs: { images: ["2", 0] } },
};

describe("jobs on the execution thread", () => {
  it("answers HTTP while a node computes, and an interrupt ends the job within a second", async () => {
    const { server, ws } = await serve();
    const promptId = await queue(server, longBlur);
    await ws.waitFor(executing("2", promptId), 20_000);

    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const stats = await fetch(`${server.url}/system_stats`);
      expect(stats.status).toBe(200);
      await stats.arrayBuffer();
      latencies.push(performance.now() - started);
    }
    // On the server's own thread, each would wait for the blur to end (half a minute).
    expect(Math.max(...latencies)).toBeLessThan(1000);
    const queueState = await getJson<{ queue_running: unknown[][] }>(`${server.url}/queue`);
    expect(queueState.queue_running[0]?.[1]).toBe(promptId);
    expect(ws.frames.some(text("execution_success", promptId))).toBe(false);

    const interruptedAt = performance.now();
    await postJson(`${server.url}/interrupt`, {});
    const interrupted = await ws.waitFor(text("execution_interrupted", promptId), 5000);
    // The blur never checks the flag: its thread is ended after the grace period.
    expect(performance.now() - interruptedAt).toBeLessThan(1000);
    expect(interrupted.kind === "text" && interrupted.data).toMatchObject({
      prompt_id: promptId,
      node_id: "2",
      node_type: "ImageBlur",
      executed: ["1"],
    });
    await ws.waitForDone(promptId);
    const history = await getJson<Record<string, { status: { status_str: string; messages: [string][] } }>>(
      `${server.url}/history/${promptId}`,
    );
    expect(history[promptId]?.status.status_str).toBe("error");
    expect(history[promptId]?.status.messages.map(([type]) => type)).toEqual([
      "execution_start",
      "execution_cached",
      "execution_interrupted",
    ]);

    // A new thread runs the next job; the ended thread's output cache went with it.
    ws.clear();
    const next = await queue(server, {
      ...longBlur,
      "2": { ...longBlur["2"], inputs: { ...longBlur["2"].inputs, blur_radius: 1 } },
    });
    await ws.waitForDone(next, 20_000);
    expect(ws.frames.find(text("execution_cached", next))).toMatchObject({ data: { nodes: [] } });
    expect(ws.frames.some(text("execution_success", next))).toBe(true);
  });

  it("ends a job interrupted while the execution thread starts, without running it", async () => {
    const { server, ws } = await serve();
    // Right after the start, the thread is still loading its nodes.
    const promptId = await queue(server, longBlur);
    const interruptedAt = performance.now();
    await postJson(`${server.url}/interrupt`, { prompt_id: promptId });
    const interrupted = await ws.waitFor(text("execution_interrupted", promptId), 5000);
    expect(performance.now() - interruptedAt).toBeLessThan(1000);
    expect(interrupted.kind === "text" && interrupted.data).toMatchObject({ node_id: "3", executed: [] });
    await ws.waitForDone(promptId);

    ws.clear();
    const next = await queue(server, {
      "1": longBlur["1"],
      "3": { ...longBlur["3"], inputs: { images: ["1", 0] } },
    });
    await ws.waitForDone(next, 20_000);
    expect(ws.frames.some(text("execution_success", next))).toBe(true);
  });

  it("keeps the output cache when the running node stops at the interrupt check", async () => {
    const { server, ws } = await serve({ nodes: [...nodeImpls, ...testNodes()] });
    const prompt = {
      "1": { class_type: "EmptyImage", inputs: { width: 64, height: 32, batch_size: 1, color: 0 } },
      "2": { class_type: "GetImageSize", inputs: { image: ["1", 0] } },
      "3": { class_type: "TestSlow", inputs: { value: ["2", 0], steps: 500 } },
      "4": { class_type: "TestOutput", inputs: { value: ["3", 0] } },
    };
    const first = await queue(server, prompt);
    await ws.waitFor((f) => f.kind === "text" && f.type === "progress" && f.data.prompt_id === first, 20_000);
    await postJson(`${server.url}/interrupt`, {});
    await ws.waitFor(text("execution_interrupted", first));
    await ws.waitForDone(first);

    ws.clear();
    const second = await queue(server, {
      ...prompt,
      "3": { ...prompt["3"], inputs: { value: ["2", 0], steps: 1 } },
    });
    await ws.waitForDone(second, 20_000);
    expect(ws.frames.find(text("execution_cached", second))).toMatchObject({ data: { nodes: ["1", "2"] } });
    expect(ws.frames.find(text("executed", second))).toMatchObject({ data: { output: { text: ["64"] } } });
    expect(INTERRUPT_GRACE_MS).toBeLessThan(1000);
  });

  it("fails a job that takes the server past its memory limit on the node, and returns the memory", async () => {
    const memoryLimit = process.memoryUsage.rss() + 512 * 1024 * 1024;
    const { server, ws } = await serve({ memoryLimit });
    // 12 MiB repeated 200 times: 2.4 GiB, copied at memory speed.
    const prompt = {
      "1": { class_type: "EmptyImage", inputs: { width: 1024, height: 1024, batch_size: 1, color: 0 } },
      "2": { class_type: "RepeatImageBatch", inputs: { image: ["1", 0], amount: 200 } },
      "3": { class_type: "PreviewImage", inputs: { images: ["2", 0] } },
    };
    const promptId = await queue(server, prompt);
    const error = await ws.waitFor(text("execution_error", promptId), 20_000);
    expect(error.kind === "text" && error.data).toMatchObject({
      prompt_id: promptId,
      node_id: "2",
      node_type: "RepeatImageBatch",
      executed: ["1"],
      exception_type: "torch.OutOfMemoryError",
      current_inputs: {},
      current_outputs: ["1", "2", "3"],
    });
    const data = error.kind === "text" ? error.data : {};
    expect(data.exception_message).toMatch(
      /^Not enough memory: node 2 \(RepeatImageBatch\) took the comfy-ts local server to [\d.]+ [MG]iB, past its memory limit of [\d.]+ [MG]iB\.\n/,
    );
    expect(data.exception_message).toMatch(
      /startLocalServer\(\{ memoryLimit \}\) or comfy-ts serve --memory-limit/,
    );
    expect((data.traceback as string[]).at(-1)).toMatch(
      /^ {2}File "<comfy-ts local server>", line 1, in RepeatImageBatch\n/,
    );
    await ws.waitForDone(promptId);
    // The ended thread's memory goes back as soon as it is torn down.
    await expect
      .poll(() => process.memoryUsage.rss(), { timeout: 5000 })
      .toBeLessThan(memoryLimit - 256 * 1024 ** 2);

    ws.clear();
    const small = await queue(server, {
      ...prompt,
      "2": { ...prompt["2"], inputs: { image: ["1", 0], amount: 2 } },
    });
    await ws.waitForDone(small, 20_000);
    expect(ws.frames.some(text("execution_success", small))).toBe(true);
  });

  it("streams a 5,000-node chain: one executing per node, snapshots within a linear budget", async () => {
    const { server, ws } = await serve();
    const n = 5_000;
    const prompt: Record<string, unknown> = {
      "0": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 0x102030 } },
    };
    for (let i = 1; i < n; i++)
      prompt[String(i)] = { class_type: "ImageInvert", inputs: { image: [String(i - 1), 0] } };
    prompt[String(n)] = { class_type: "PreviewImage", inputs: { images: [String(n - 1), 0] } };
    const promptId = await queue(server, prompt);
    await ws.waitForDone(promptId, 60_000);
    const frames = ws.textFrames().filter((f) => f.data.prompt_id === promptId);
    expect(frames.filter((f) => f.type === "executing" && f.data.node !== null)).toHaveLength(n + 1);
    const snapshots = frames.filter((f) => f.type === "progress_state");
    const entries = snapshots.reduce((sum, f) => sum + Object.keys(f.data.nodes as object).length, 0);
    expect(entries).toBeLessThan(20 * n);
    const last = snapshots.at(-1)?.data.nodes as Record<string, { state: string }>;
    expect(Object.keys(last)).toHaveLength(n + 1);
    expect(Object.values(last).every((p) => p.state === "finished")).toBe(true);
    expect(frames.at(-1)).toMatchObject({ type: "executing", data: { node: null } });
    expect(frames.some((f) => f.type === "execution_success")).toBe(true);
  });

  it("runs nodes given as objects on the server's thread, with values crossing both ways", async () => {
    const invertHere: NodeImpl = {
      classType: "TestInvertOnServer",
      define: () => ({
        input: { required: { image: ["IMAGE", {}] } },
        input_order: { required: ["image"] },
        output: ["IMAGE"],
        output_is_list: [false],
        output_name: ["IMAGE"],
        name: "TestInvertOnServer",
        display_name: "TestInvertOnServer",
        description: "",
        python_module: "tests",
        category: "tests",
        output_node: false,
      }),
      execute: (inputs) => {
        const image = inputs.image as { shape: number[]; data: Float32Array };
        return { outputs: [{ shape: image.shape, data: image.data.map((v) => 1 - v) }] };
      },
    };
    const broken: NodeImpl = {
      ...invertHere,
      classType: "TestBrokenOutput",
      execute: () => ({ outputs: [() => 1] }),
    };
    const { server, ws } = await serve({
      nodes: [
        ...nodeImpls,
        invertHere,
        {
          ...broken,
          define: () => ({ ...invertHere.define({ inputFiles: () => [] }), name: "TestBrokenOutput" }),
        },
      ],
    });
    const promptId = await queue(server, {
      "1": { class_type: "EmptyImage", inputs: { width: 4, height: 2, batch_size: 1, color: 0xff0000 } },
      "2": { class_type: "TestInvertOnServer", inputs: { image: ["1", 0] } },
      "3": { class_type: "PreviewAny", inputs: { source: ["2", 0] } },
    });
    await ws.waitForDone(promptId, 20_000);
    const executed = ws.frames.find(text("executed", promptId));
    // Red inverted on the server's thread: (0, 1, 1) in every pixel.
    expect(executed?.kind === "text" && (executed.data.output as { text: string[] }).text[0]).toMatch(
      /^tensor\(\[0\., 1\., 1\., 0\., 1\., 1\.,/,
    );

    const failing = await queue(server, {
      "1": { class_type: "EmptyImage", inputs: { width: 4, height: 2, batch_size: 1, color: 0 } },
      "2": { class_type: "TestBrokenOutput", inputs: { image: ["1", 0] } },
      "3": { class_type: "PreviewAny", inputs: { source: ["2", 0] } },
    });
    const error = await ws.waitFor(text("execution_error", failing), 20_000);
    expect(error.kind === "text" && error.data).toMatchObject({ node_id: "2", exception_type: "TypeError" });
    expect(error.kind === "text" && error.data.exception_message).toMatch(
      /^the outputs of TestBrokenOutput cannot be passed to the local server's execution thread: /,
    );
  });

  it("runs jobs on the server's thread with execution: in-process, with the same messages", async () => {
    const { server, ws } = await serve({ execution: "in-process" });
    const promptId = await queue(server, {
      "1": { class_type: "PrimitiveString", inputs: { value: "a" } },
      "2": { class_type: "PreviewAny", inputs: { source: ["1", 0] } },
    });
    await ws.waitForDone(promptId);
    expect(ws.textFrames().map((f) => f.type)).toEqual([
      "status",
      "status",
      "status",
      "execution_start",
      "execution_cached",
      "progress_state",
      "executing",
      "progress_state",
      "progress_state",
      "executing",
      "executed",
      "progress_state",
      "execution_success",
      "status",
      "executing",
    ]);
  });

  it.each([
    [{ execution: "in-process" as const, memoryLimit: 1e9 }, /memoryLimit needs execution "thread"/],
    [{ memoryLimit: 0 }, /memoryLimit must be a positive number of bytes, got 0/],
    [{ memoryLimit: Number.NaN }, /memoryLimit must be a positive number of bytes, got NaN/],
    [{ execution: "worker" as never }, /execution must be "thread" or "in-process", got "worker"/],
  ])("rejects invalid options %j", async (options, message) => {
    await expect(startLocalServer(options)).rejects.toMatchObject({
      code: "LOCAL_SERVER_OPTION",
      message: expect.stringMatching(message),
    });
  });
});
