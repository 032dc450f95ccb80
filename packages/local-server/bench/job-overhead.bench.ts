import { afterAll, bench, describe } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { testNodes } from "../test/support/test-nodes.js";
import { WsRecorder } from "../test/support/ws-recorder.js";

// The server's own cost per job (HTTP, validation, queue, executor, WS messages, history) with
// trivial nodes, and the same job served from cache.
describe("job overhead", () => {
  let ready: Promise<{ server: LocalServer; ws: WsRecorder }> | undefined;
  const serve = () =>
    (ready ??= (async () => {
      const server = await startLocalServer({ nodes: testNodes() });
      return { server, ws: await WsRecorder.connect(server.url, "bench") };
    })());
  afterAll(async () => {
    const r = await ready;
    r?.ws.close();
    await r?.server.close();
  });
  let n = 0;
  const job = async (value: number) => {
    const { server, ws } = await serve();
    const prompt = {
      "1": { class_type: "TestNumber", inputs: { value } },
      "2": { class_type: "TestAdd", inputs: { a: ["1", 0], b: 1 } },
      "3": { class_type: "TestOutput", inputs: { value: ["2", 0] } },
    };
    const res = await fetch(`${server.url}/prompt`, {
      method: "POST",
      body: JSON.stringify({ prompt, client_id: "bench" }),
    });
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    await ws.waitForDone(prompt_id);
    ws.clear();
  };

  bench("3-node job, POST /prompt → executing{node:null}", () => job(n++), { iterations: 50, time: 0 });
  bench("the same job served from cache", () => job(-1), { iterations: 50, time: 0 });
});
