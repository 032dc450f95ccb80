// Target: ComfyClient.run() round trip on a trivial graph against the local server within 1.2×
// of a minimal raw undici client (POST /prompt + wait for the socket's done signal + GET /view), ≤ 15 ms p50.
// The workspace's one run() bench: the ratio includes the local server's own execution time.
import { randomUUID } from "node:crypto";
import { ComfyClient } from "@comfy-ts/core/client";
import { startLocalServer } from "@comfy-ts/local-server";
import { request, WebSocket } from "undici";
import { afterAll, bench, describe } from "vitest";

const server = await startLocalServer();
const client = new ComfyClient({ baseUrl: server.url });
await client.socket().connect();

const rawId = randomUUID();
const raw = new WebSocket(`${server.url.replace("http", "ws")}/ws?clientId=${rawId}`);
const waiters = new Map<string, (filename: string) => void>();
const files = new Map<string, string>();
raw.addEventListener("message", (event) => {
  if (typeof event.data !== "string") return;
  const msg = JSON.parse(event.data) as {
    type: string;
    data: { prompt_id?: string; node?: string | null; output?: { images?: { filename: string }[] } };
  };
  const id = msg.data.prompt_id;
  if (!id) return;
  if (msg.type === "executed" && msg.data.output?.images?.[0])
    files.set(id, msg.data.output.images[0].filename);
  if (msg.type === "executing" && msg.data.node === null) waiters.get(id)?.(files.get(id) ?? "");
});
await new Promise((resolve) => raw.addEventListener("open", resolve, { once: true }));

// A new color each time, so ComfyUI's cache never answers instead of running.
let color = 0;
const graph = () => ({
  "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: ++color } },
  "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: "bench" } },
});

async function rawRun(): Promise<Uint8Array> {
  const promptId = randomUUID();
  const done = new Promise<string>((resolve) => waiters.set(promptId, resolve));
  const post = await request(`${server.url}/prompt`, {
    method: "POST",
    body: JSON.stringify({ prompt: graph(), client_id: rawId, prompt_id: promptId }),
  });
  const answer = await post.body.text();
  if (post.statusCode !== 200) throw new Error(`raw POST /prompt → ${post.statusCode}: ${answer}`);
  const filename = await done;
  waiters.delete(promptId);
  const view = await request(
    `${server.url}/view?filename=${encodeURIComponent(filename)}&type=output&subfolder=`,
  );
  const bytes = new Uint8Array(await view.body.arrayBuffer());
  // A baseline that fails fast would flatter it: it must fetch the image run() fetches.
  if (view.statusCode !== 200 || !filename)
    throw new Error(`raw GET /view "${filename}" → ${view.statusCode}`);
  return bytes;
}

afterAll(async () => {
  raw.close();
  client.close();
  await server.close();
});

describe("run() round trip on a trivial graph (local server)", () => {
  bench(
    "raw undici: POST + socket wait + GET /view",
    async () => {
      await rawRun();
    },
    { time: 3000 },
  );
  bench(
    "ComfyClient.run()",
    async () => {
      await client.run(graph() as never);
    },
    { time: 3000 },
  );
});
