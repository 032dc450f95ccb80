import { compile, node, workflow } from "@comfy-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ComfyClient } from "../../src/client/comfy-client.js";
import { ComfyExecutionError, ComfyInterruptedError, ComfyValidationError } from "../../src/client/errors.js";
import type { RunProgressEvent } from "../../src/client/job-tracker.js";
import type { RunResult } from "../../src/client/run.js";
import { EmptyImage, ImageInvert, SaveImage } from "../support/image-nodes.js";
import { FakeComfy, PNG } from "./support/fake-comfy.js";

const TRIVIAL = {
  "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
  "2": { class_type: "Sampler", inputs: { image: ["1", 0] } },
  "3": { class_type: "SaveImage", inputs: { images: ["2", 0], filename_prefix: "t" } },
  "4": { class_type: "PreviewAny", inputs: { value: "hello" } },
} as const;

/** What must be identical whichever path finished the job. */
export function comparable(r: RunResult) {
  return {
    files: r.files.map(({ nodeId, key, index, subfolder, type, mimeType, bytes }) => ({
      nodeId,
      key,
      index,
      subfolder,
      type,
      mimeType,
      bytes: bytes && Buffer.from(bytes).toString("hex"),
    })),
    texts: r.texts,
    nodes: r.nodes,
    executedNodes: r.executedNodes,
    cachedNodes: r.cachedNodes,
    allCached: r.allCached,
  };
}

let fake: FakeComfy;
let client: ComfyClient;
beforeEach(async () => {
  fake = await FakeComfy.start();
  client = new ComfyClient({
    baseUrl: fake.url,
    pollIntervalMs: 20,
    reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
  });
});
afterEach(async () => {
  client.close();
  await fake.close();
});

describe("run()", () => {
  it("per-run timeouts: an undefined bound keeps the client's, a bound ≤ 0 is refused before submitting", async () => {
    // Merged naively, `execution: undefined` became setTimeout(undefined): an instant timeout.
    const result = await client.run(TRIVIAL as never, {
      timeouts: { execution: undefined, queue: undefined },
    });
    expect(result.images).toHaveLength(1);
    for (const queue of [0, -1, Number.NaN]) {
      await expect(client.run(TRIVIAL as never, { timeouts: { queue } })).rejects.toThrow(
        /run: timeouts\.queue must be a number > 0 \(ms\)/,
      );
    }
  });

  it("submits, follows over the socket, and returns bytes, texts, node status, timing", async () => {
    const progress: RunProgressEvent[] = [];
    const result = await client.run(TRIVIAL as never, { onProgress: (e) => progress.push(e) });
    expect(result.completedVia).toBe("websocket");
    expect(result.promptId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.images).toHaveLength(1);
    expect(result.images[0]).toMatchObject({
      nodeId: "3",
      key: "images",
      index: 0,
      filename: "t_00001_.png",
      subfolder: "",
      type: "output",
      mimeType: "image/png",
    });
    expect(Buffer.from(result.images[0]!.bytes!)).toEqual(PNG);
    expect(result.texts).toEqual([{ nodeId: "4", key: "text", index: 0, text: "hello" }]);
    expect(result.executedNodes).toEqual(["1", "2", "3", "4"]);
    expect(result.cachedNodes).toEqual([]);
    expect(result.allCached).toBe(false);
    expect(result.timing.executionMs).toBeGreaterThanOrEqual(0);
    expect(result.timing.totalMs).toBeGreaterThan(0);
    const types = progress.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(["submitted", "started", "cached"]);
    expect(types).toContain("step");
    expect(types).toContain("preview");
    expect(types).toContain("text");
    expect(types.at(-1)).toBe("done");
    expect(
      progress.filter((e) => e.type === "step").map((e) => e.type === "step" && `${e.value}/${e.max}`),
    ).toEqual(["1/3", "2/3", "3/3"]);
    const preview = progress.find((e) => e.type === "preview");
    expect(preview).toMatchObject({ nodeId: "2", mimeType: "image/png" }); // type-4 frame: metadata negotiated
    expect(fake.submissions.get(result.promptId)).toBe(1);
    // Files seen on the socket are fetched while /history is read, once each.
    expect(fake.requests.filter((r) => r.startsWith("GET /view")).length).toBe(1);
  });

  it("trusts /history over the socket: a file the socket reported but history lacks is not returned", async () => {
    fake.hooks.at = (point, job) => {
      if (point === "history") {
        const entry = fake.history.get(job.promptId) as { outputs: Record<string, unknown> };
        delete entry.outputs["3"];
      }
    };
    const result = await client.run(TRIVIAL as never, { history: "always" });
    expect(result.images).toEqual([]);
    expect(result.texts).toHaveLength(1);
    expect(result.history?.status?.status_str).toBe("success");
  });

  it("an ordinary job seen whole on the socket needs no /history read, and matches it", async () => {
    const fromSocket = await client.run(TRIVIAL as never);
    expect(fake.requests.filter((r) => r.startsWith("GET /history")).length).toBe(0);
    expect(fromSocket.history).toBeUndefined();
    const viaHistory = await client.run(TRIVIAL as never, { forceExecution: "nonce", history: "always" });
    expect(viaHistory.history).toBeDefined();
    expect(comparable(fromSocket)).toEqual(comparable(viaHistory));
    expect(fromSocket.timing.executionMs).toBeGreaterThanOrEqual(0);
    expect(fromSocket.outputs).toEqual((await client.historyEntry(fromSocket.promptId))!.outputs);
  });

  it("sends the auth header on every request and on the WebSocket upgrade", async () => {
    const authed = new ComfyClient({
      baseUrl: fake.url,
      auth: { type: "bearer", token: "tok-123" },
      headers: { "Comfy-User": "ci" },
    });
    await authed.run(TRIVIAL as never);
    authed.close();
    expect(fake.headers.length).toBe(3); // upgrade, POST /prompt, GET /view
    for (const h of fake.headers)
      expect(h).toMatchObject({ authorization: "Bearer tok-123", "comfy-user": "ci" });
    expect(
      fake.headers.some((h) => h["upgrade"] === "websocket" && h["authorization"] === "Bearer tok-123"),
    ).toBe(true);
  });

  it("works with servers that ignore the client's prompt_id (before 2025-07)", async () => {
    fake.ignoreClientPromptId = true;
    const chosen = "11111111-2222-4333-8444-555555555555";
    const result = await client.run(TRIVIAL as never, { promptId: chosen });
    expect(result.promptId).not.toBe(chosen);
    expect(result.completedVia).toBe("websocket");
    expect(result.executedNodes).toEqual(["1", "2", "3", "4"]);
  });

  it("runs several jobs at once on one client, each with its own events and outputs", async () => {
    const graphs = [1, 2, 3].map((color) => ({
      "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color } },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: `c${color}` } },
    }));
    const seen = new Map<number, Set<string>>();
    const results = await Promise.all(
      graphs.map((g, i) =>
        client.run(g as never, {
          onProgress: (e) => {
            const ids = seen.get(i) ?? new Set<string>();
            ids.add(e.promptId);
            seen.set(i, ids);
          },
        }),
      ),
    );
    expect(results.map((r) => r.images[0]!.filename.split("_")[0])).toEqual(["c1", "c2", "c3"]);
    expect(new Set(results.map((r) => r.promptId)).size).toBe(3);
    results.forEach((r, i) => {
      expect([...seen.get(i)!]).toEqual([r.promptId]);
      expect(r.executedNodes).toEqual(["1", "2"]);
    });
  });

  it("returns outputs when everything came from cache, and says so per node", async () => {
    const first = await client.run(TRIVIAL as never);
    const second = await client.run(TRIVIAL as never);
    expect(second.allCached).toBe(true);
    expect(second.cachedNodes).toEqual(["1", "2", "3", "4"]);
    expect(second.executedNodes).toEqual([]);
    expect(second.nodes).toEqual({ "1": "cached", "2": "cached", "3": "cached", "4": "cached" });
    expect(second.images.map((i) => i.filename)).toEqual(first.images.map((i) => i.filename));
    expect(second.images[0]!.bytes).toBeDefined();
  });

  it.each(["free-memory", "nonce", true] as const)("forceExecution %s re-runs every node", async (force) => {
    await client.run(TRIVIAL as never);
    const forced = await client.run(TRIVIAL as never, { forceExecution: force });
    expect(forced.cachedNodes).toEqual([]);
    expect(forced.executedNodes).toEqual(["1", "2", "3", "4"]);
    expect(forced.images[0]!.filename).toBe("t_00002_.png");
    if (force === "nonce") {
      expect(fake.requests).not.toContain("POST /free");
      expect(forced.prompt["1"]!.inputs["comfy_ts_nonce"]).toMatch(/^[0-9a-f-]{36}$/);
    } else expect(fake.requests).toContain("POST /free");
  });

  it("polling only (websocket: false) gives the same result as the socket", async () => {
    const viaSocket = await client.run(TRIVIAL as never, { forceExecution: "nonce" });
    const viaPolling = await client.run(TRIVIAL as never, { forceExecution: "nonce", websocket: false });
    expect(viaPolling.completedVia).toBe("polling");
    expect(comparable(viaPolling)).toEqual(comparable(viaSocket));
  });

  it("compiles a workflow and reports execution errors with the node's file:line", async () => {
    const broken = workflow(() => {
      const image = EmptyImage({ width: 8, height: 8 });
      const failing = node("Fail", { image }); // created here
      return { out: SaveImage({ images: failing[0] as never }) };
    });
    const error = await client.run(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyExecutionError);
    expect(error).toMatchObject({
      nodeType: "Fail",
      exceptionType: "RuntimeError",
      exceptionMessage: "boom\n",
      code: "COMFY_EXECUTION",
    });
    expect((error as ComfyExecutionError).traceback).toEqual(['  File "execution.py", line 1, in execute\n']);
    expect((error as ComfyExecutionError).location?.file).toMatch(/run\.test\.ts$/);
    expect((error as Error).message).toMatch(
      /node \d+ \(Fail\) \(created at .*run\.test\.ts:\d+:\d+\) failed in prompt .*: RuntimeError: boom/,
    );
  });

  it("accepts output nodes directly and maps validation errors", async () => {
    const image = node("Invalid", { mode: "x" });
    const error = await client
      .run(SaveImage({ images: ImageInvert({ image: image[0] as never }) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyValidationError);
    expect((error as ComfyValidationError).issues[0]).toMatchObject({
      classType: "Invalid",
      input: "mode",
    });
    expect((error as ComfyValidationError).issues[0]!.location?.file).toMatch(/run\.test\.ts$/);
  });

  it("an AbortSignal interrupts the job on the server", async () => {
    const controller = new AbortController();
    const slow = {
      "1": { class_type: "Slow", inputs: { ms: 5000 } },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0] } },
    };
    const started = Date.now();
    const run = client.run(slow as never, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === "node") controller.abort(new Error("user pressed ctrl-c"));
      },
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyInterruptedError);
    expect((error as Error).message).toMatch(/interrupted.*aborted by the caller/);
    expect((error as ComfyInterruptedError).byUs).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(fake.requests).toContain("POST /interrupt");
    // The server stopped the job (history says interrupted) and runs the next one.
    await expect(client.run(TRIVIAL as never)).resolves.toMatchObject({ allCached: false });
  });

  it("abort while pending removes the job from the queue", async () => {
    fake.paused = true;
    const controller = new AbortController();
    const run = client.run(TRIVIAL as never, {
      signal: controller.signal,
      onProgress: (e) => e.type === "submitted" && controller.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(ComfyInterruptedError);
    expect(fake.pending).toHaveLength(0);
  });

  it("someone else's interrupt is an interrupted error that is not ours", async () => {
    fake.hooks.at = async (point) => {
      if (point === "node") await client.interrupt();
    };
    const error = await client
      .run({
        "1": { class_type: "Slow", inputs: { ms: 300 } },
        "2": { class_type: "SaveImage", inputs: { images: ["1", 0] } },
      } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyInterruptedError);
    expect((error as Error).message).not.toMatch(/aborted by the caller/);
    expect((error as ComfyInterruptedError).byUs).toBe(false);
  });

  it("a compiled prompt from compile() runs too, and download: false skips bytes", async () => {
    const prompt = compile(SaveImage({ images: EmptyImage({ width: 4, height: 4 }) }));
    const result = await client.run(prompt, { download: false });
    expect(result.images[0]!.bytes).toBeUndefined();
    expect(fake.requests.some((r) => r.startsWith("GET /view"))).toBe(false);
  });
});
