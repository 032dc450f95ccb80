import { bench, describe } from "vitest";
import { followedServer } from "./support/followed-server.js";

// While a 16384×16384 EmptyImage → PreviewImage job runs (3 GiB of pixels; 22 s of blocked HTTP
// when jobs ran on the server's thread), the server still answers: `GET /system_stats` latency,
// p99 target ≤ 50 ms, against the same request on the idle server. Then `POST /interrupt` →
// `execution_interrupted` of that job (target ≤ 1 s).
const huge = (color: number) => ({
  "1": { class_type: "EmptyImage", inputs: { width: 16384, height: 16384, batch_size: 1, color } },
  "2": { class_type: "PreviewImage", inputs: { images: ["1", 0] } },
});

const serve = followedServer();

let color = 0;
/** Queues the huge job and resolves once its EmptyImage runs. */
async function startHugeJob(): Promise<string> {
  const { server, ws } = await serve();
  ws.clear();
  const res = await fetch(`${server.url}/prompt`, {
    method: "POST",
    body: JSON.stringify({ prompt: huge(++color), client_id: "bench" }),
  });
  const { prompt_id } = (await res.json()) as { prompt_id: string };
  await ws.waitFor(
    (f) =>
      f.kind === "text" && f.type === "executing" && f.data.node === "1" && f.data.prompt_id === prompt_id,
    60_000,
  );
  return prompt_id;
}

async function interrupt(promptId: string): Promise<void> {
  const { server, ws } = await serve();
  await fetch(`${server.url}/interrupt`, { method: "POST", body: "{}" });
  await ws.waitForDone(promptId, 60_000);
}

async function systemStats(): Promise<void> {
  const { server } = await serve();
  const res = await fetch(`${server.url}/system_stats`);
  await res.arrayBuffer();
}

describe("GET /system_stats", () => {
  bench("idle server (anchor)", systemStats, { iterations: 200, time: 0 });

  let running: string | undefined;
  bench("while a 16384² EmptyImage job runs", systemStats, {
    iterations: 200,
    time: 0,
    setup: async () => {
      running = await startHugeJob();
    },
    teardown: async () => {
      if (running) await interrupt(running);
      running = undefined;
    },
  });
});

// The clock of the interrupt bench stands still while a job is started and while its end is
// awaited, so that only POST /interrupt → execution_interrupted is timed.
let pausedFor = 0;
let pausedAt: number | undefined;
const clock = () => (pausedAt ?? performance.now()) - pausedFor;
async function untimed<T>(work: () => Promise<T>): Promise<T> {
  pausedAt = performance.now();
  try {
    return await work();
  } finally {
    pausedFor += performance.now() - pausedAt;
    pausedAt = undefined;
  }
}

describe("POST /interrupt of a running 16384² EmptyImage job", () => {
  bench(
    "→ execution_interrupted",
    async () => {
      const promptId = await untimed(async () => {
        const id = await startHugeJob();
        // Well inside the node: EmptyImage fills 805 M floats.
        await new Promise((r) => setTimeout(r, 300));
        return id;
      });
      const { server, ws } = await serve();
      await fetch(`${server.url}/interrupt`, { method: "POST", body: "{}" });
      await ws.waitFor(
        (f) => f.kind === "text" && f.type === "execution_interrupted" && f.data.prompt_id === promptId,
        60_000,
      );
      await untimed(() => ws.waitForDone(promptId, 60_000));
    },
    { iterations: 5, warmupIterations: 0, time: 0, now: clock },
  );
});
