import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { getJson, postJson } from "./support/http.js";
import { testListedOnlyNodes, testNodes } from "./support/test-nodes.js";
import { WsRecorder } from "./support/ws-recorder.js";

let server: LocalServer;
let ws: WsRecorder;

beforeAll(async () => {
  server = await startLocalServer({ nodes: testNodes(), listedOnlyNodes: testListedOnlyNodes });
  ws = await WsRecorder.connect(server.url, "q-client");
});
afterAll(async () => {
  ws.close();
  await server.close();
});

const slow = (value: number, steps = 40) => ({
  "1": { class_type: "TestNumber", inputs: { value } },
  "2": { class_type: "TestSlow", inputs: { value: ["1", 0], steps } },
  "3": { class_type: "TestOutput", inputs: { value: ["2", 0] } },
});

async function post(body: Record<string, unknown>) {
  const res = await postJson(`${server.url}/prompt`, { client_id: "q-client", ...body });
  expect(res.status).toBe(200);
  return (await res.json()) as { prompt_id: string; number: number };
}

type QueueBody = { queue_running: unknown[][]; queue_pending: unknown[][] };

describe("queue, priorities and interrupt", () => {
  it("orders pending jobs by number with front, deletes and clears pending only, and interrupts by prompt_id", async () => {
    await postJson(`${server.url}/free`, { free_memory: true });
    const a = await post({ prompt: slow(1) });
    await ws.waitFor((f) => f.kind === "text" && f.type === "executing" && f.data.prompt_id === a.prompt_id);
    const b = await post({ prompt: slow(2) });
    const c = await post({ prompt: slow(3) });
    const front = await post({ prompt: slow(4), front: true });
    const explicit = await post({ prompt: slow(5), number: 0.5 });
    expect(front.number).toBe(-(c.number + 1));
    expect(explicit.number).toBe(0.5);
    expect(b.number).toBe(a.number + 1);

    const queue = await getJson<QueueBody>(`${server.url}/queue`);
    expect(queue.queue_running.map((t) => t[1])).toEqual([a.prompt_id]);
    expect(queue.queue_running[0]).toHaveLength(5);
    expect(queue.queue_running[0]?.[3]).toEqual({ client_id: "q-client" });
    expect(queue.queue_running[0]?.[4]).toEqual(["3"]);
    // heapq array order: the front job first, then the heap's layout.
    expect(queue.queue_pending[0]?.[1]).toBe(front.prompt_id);
    expect(new Set(queue.queue_pending.map((t) => t[1]))).toEqual(
      new Set([b.prompt_id, c.prompt_id, front.prompt_id, explicit.prompt_id]),
    );
    expect(await getJson(`${server.url}/prompt`)).toEqual({ exec_info: { queue_remaining: 5 } });

    // Deleting the running job does nothing; deleting a pending one removes it.
    let res = await postJson(`${server.url}/queue`, { delete: [a.prompt_id, b.prompt_id] });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    let after = await getJson<QueueBody>(`${server.url}/queue`);
    expect(after.queue_running.map((t) => t[1])).toEqual([a.prompt_id]);
    expect(after.queue_pending.map((t) => t[1])).not.toContain(b.prompt_id);

    res = await postJson(`${server.url}/queue`, { clear: true });
    expect(res.status).toBe(200);
    after = await getJson<QueueBody>(`${server.url}/queue`);
    expect(after.queue_pending).toEqual([]);

    // A targeted interrupt for a job that is not running is a no-op.
    res = await postJson(`${server.url}/interrupt`, { prompt_id: b.prompt_id });
    expect(res.status).toBe(200);
    expect((await getJson<QueueBody>(`${server.url}/queue`)).queue_running).toHaveLength(1);

    res = await postJson(`${server.url}/interrupt`, { prompt_id: a.prompt_id });
    expect(res.status).toBe(200);
    await ws.waitForDone(a.prompt_id);
    const interrupted = ws.frames.find(
      (f) => f.kind === "text" && f.type === "execution_interrupted" && f.data.prompt_id === a.prompt_id,
    );
    expect(interrupted?.kind === "text" && interrupted.data).toMatchObject({
      prompt_id: a.prompt_id,
      node_id: "2",
      node_type: "TestSlow",
      executed: ["1"],
      timestamp: expect.any(Number),
    });
    const history = await getJson<Record<string, { status: { status_str: string; messages: [string][] } }>>(
      `${server.url}/history/${a.prompt_id}`,
    );
    expect(history[a.prompt_id]?.status.status_str).toBe("error");
    expect(history[a.prompt_id]?.status.messages.map((m) => m[0])).toEqual([
      "execution_start",
      "execution_cached",
      "execution_interrupted",
    ]);
    expect(await getJson(`${server.url}/prompt`)).toEqual({ exec_info: { queue_remaining: 0 } });
  });

  it("interrupts globally with an empty body, and an idle interrupt does not leak into the next job", async () => {
    await postJson(`${server.url}/interrupt`, "");
    const job = await post({ prompt: slow(7, 2) });
    await ws.waitForDone(job.prompt_id);
    const history = await getJson<Record<string, { status: { status_str: string } }>>(
      `${server.url}/history/${job.prompt_id}`,
    );
    expect(history[job.prompt_id]?.status.status_str).toBe("success");

    const long = await post({ prompt: slow(8) });
    await ws.waitFor(
      (f) => f.kind === "text" && f.type === "progress" && f.data.prompt_id === long.prompt_id,
    );
    const res = await fetch(`${server.url}/api/interrupt`, { method: "POST" });
    expect(res.status).toBe(200);
    await ws.waitForDone(long.prompt_id);
    expect(
      ws.frames.some(
        (f) => f.kind === "text" && f.type === "execution_interrupted" && f.data.prompt_id === long.prompt_id,
      ),
    ).toBe(true);
  });

  it("accepts a client-chosen prompt_id and echoes extra_data in history", async () => {
    const id = "a1b2c3d4-0000-4000-8000-000000000001";
    const job = await post({
      prompt: slow(9, 1),
      prompt_id: id,
      extra_data: { extra_pnginfo: { workflow: { id: "w" } } },
    });
    expect(job.prompt_id).toBe(id);
    await ws.waitForDone(id);
    const history = await getJson<Record<string, { prompt: unknown[] }>>(`${server.url}/history/${id}`);
    expect(history[id]?.prompt[3]).toEqual({
      extra_pnginfo: { workflow: { id: "w" } },
      client_id: "q-client",
    });
  });

  it("counts every POST without number, even rejected ones (ComfyUI's self.number)", async () => {
    const first = await post({ prompt: slow(10, 1) });
    await postJson(`${server.url}/prompt`, { prompt: {} });
    const second = await post({ prompt: slow(11, 1) });
    expect(second.number).toBe(first.number + 2);
    await ws.waitForDone(second.prompt_id);
  });
});

describe("history", () => {
  it("pages with max_items and offset, deletes and clears", async () => {
    await postJson(`${server.url}/history`, { clear: true });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const job = await post({ prompt: slow(100 + i, 1) });
      ids.push(job.prompt_id);
    }
    await ws.waitForDone(ids[3] as string);
    const keys = async (query: string) => Object.keys(await getJson<object>(`${server.url}/history${query}`));
    expect(await keys("")).toEqual(ids);
    expect(await keys("?max_items=2")).toEqual(ids.slice(2));
    expect(await keys("?max_items=1&offset=1")).toEqual([ids[1]]);
    expect(await keys("?offset=3")).toEqual([ids[3]]);
    expect((await fetch(`${server.url}/history?max_items=abc`)).status).toBe(500);

    let res = await postJson(`${server.url}/history`, { delete: [ids[0]] });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(await getJson(`${server.url}/history/${ids[0]}`)).toEqual({});
    res = await postJson(`${server.url}/api/history`, { clear: true });
    expect(await getJson(`${server.url}/history`)).toEqual({});
  });

  it("keeps maxHistory + 1 entries, dropping the oldest (ComfyUI drops only when over the bound)", async () => {
    const small = await startLocalServer({ nodes: testNodes(), maxHistory: 2 });
    const client = await WsRecorder.connect(small.url, "h");
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await postJson(`${small.url}/prompt`, { prompt: slow(200 + i, 1), client_id: "h" });
        ids.push(((await res.json()) as { prompt_id: string }).prompt_id);
      }
      await client.waitForDone(ids[4] as string);
      const keys = Object.keys(await getJson<object>(`${small.url}/history`));
      expect(keys).toEqual(ids.slice(2));
    } finally {
      client.close();
      await small.close();
    }
  });
});
