import { afterAll, bench, describe } from "vitest";
import { type LocalServer, type LocalServerOptions, startLocalServer } from "../src/index.js";
import { WsRecorder } from "../test/support/ws-recorder.js";

// The server's own cost per job (HTTP, validation, queue, executor, WS messages, history) on a
// trivial 3-node graph of this package's nodes, and the same job served from cache: on the
// execution thread (the default) and on the server's thread (`execution: "in-process"`, the
// anchor: how every job ran before the execution thread). Target: the thread adds ≤ 2 ms.
const modes: Record<string, LocalServerOptions> = {
  "execution thread": {},
  "in-process (anchor)": { execution: "in-process" },
};

describe("job overhead", () => {
  const ready = new Map<string, Promise<{ server: LocalServer; ws: WsRecorder }>>();
  // Started on first use: bench tasks may run without the suite's hooks having run first.
  const serve = (mode: string) => {
    let r = ready.get(mode);
    if (!r) {
      r = (async () => {
        const server = await startLocalServer(modes[mode]);
        return { server, ws: await WsRecorder.connect(server.url, "bench") };
      })();
      ready.set(mode, r);
    }
    return r;
  };
  afterAll(async () => {
    for (const r of ready.values()) {
      const { server, ws } = await r;
      ws.close();
      await server.close();
    }
  });
  let n = 0;
  const job = async (mode: string, value: string) => {
    const { server, ws } = await serve(mode);
    const prompt = {
      "1": { class_type: "PrimitiveString", inputs: { value } },
      "2": { class_type: "StringConcatenate", inputs: { string_a: ["1", 0], string_b: "!", delimiter: "" } },
      "3": { class_type: "PreviewAny", inputs: { source: ["2", 0] } },
    };
    const res = await fetch(`${server.url}/prompt`, {
      method: "POST",
      body: JSON.stringify({ prompt, client_id: "bench" }),
    });
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    await ws.waitForDone(prompt_id, 30_000);
    ws.clear();
  };
  const options = { iterations: 100, warmupIterations: 10, time: 0 };

  for (const mode of Object.keys(modes)) {
    bench(`${mode}: 3-node job, POST /prompt → executing{node:null}`, () => job(mode, `v${n++}`), options);
  }
  for (const mode of Object.keys(modes)) {
    bench(`${mode}: the same job served from cache`, () => job(mode, "cached"), options);
  }
});
