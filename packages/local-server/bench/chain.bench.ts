import { bench, describe } from "vitest";
import { followedServer } from "./support/followed-server.js";

// Chains of ImageInvert on an 8×8 image, POST /prompt → executing{node:null} with a client
// following every message. Target: 4,000 nodes ≤ 8× the 500-node time (linear would be 8×; jobs
// on the server's thread took 0.3 / 0.9 / 3.0 / 11.7 s). A 100,000-node chain must complete.
const serve = followedServer();

let color = 0;
async function runChain(n: number): Promise<void> {
  const { server, ws } = await serve();
  // A new colour each run, so that no node is served from cache.
  const prompt: Record<string, unknown> = {
    "0": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: ++color } },
  };
  for (let i = 1; i < n; i++)
    prompt[String(i)] = { class_type: "ImageInvert", inputs: { image: [String(i - 1), 0] } };
  prompt[String(n)] = { class_type: "PreviewImage", inputs: { images: [String(n - 1), 0] } };
  const res = await fetch(`${server.url}/prompt`, {
    method: "POST",
    body: JSON.stringify({ prompt, client_id: "bench" }),
  });
  const body = (await res.json()) as { prompt_id?: string };
  if (!body.prompt_id)
    throw new Error(`a ${n}-node chain was refused: ${JSON.stringify(body).slice(0, 500)}`);
  await ws.waitForDone(body.prompt_id, 600_000);
  const failed = ws.frames.find((f) => f.kind === "text" && f.type === "execution_error");
  ws.clear();
  if (failed) throw new Error(`the ${n}-node chain failed: ${JSON.stringify(failed).slice(0, 500)}`);
}

describe("ImageInvert chains", () => {
  for (const n of [500, 1000, 2000, 4000]) {
    bench(`${n} nodes`, () => runChain(n), { iterations: 10, warmupIterations: 1, time: 0 });
  }
  bench("100,000 nodes", () => runChain(100_000), { iterations: 1, warmupIterations: 0, time: 0 });
});
