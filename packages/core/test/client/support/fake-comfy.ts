// A small scriptable ComfyUI for the client's run and fault tests: the real HTTP + WebSocket protocol
// (node:http + ws), a queue, history, the classic one-prompt cache, and hooks to inject faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

type Prompt = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
interface Job {
  number: number;
  promptId: string;
  prompt: Prompt;
  extra: Record<string, unknown>;
  outputs: string[];
}

/** Node classes the fake understands. Anything else runs as a no-op middle node. */
const OUTPUT_CLASSES = new Set(["SaveImage", "PreviewImage", "PreviewAny"]);
export const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de", "hex");

/** A three-node job the fake runs: an image, a "Sampler" that reports progress, a SaveImage. */
export const SAMPLER_GRAPH = {
  "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8 } },
  "2": { class_type: "Sampler", inputs: { image: ["1", 0] } },
  "3": { class_type: "SaveImage", inputs: { images: ["2", 0], filename_prefix: "f" } },
};

export interface FakeHooks {
  /** Runs before routing; return true when it answered the request itself. */
  route?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean | Promise<boolean>;
  /** Called at points of a job; use it to drop sockets, stop the server, … */
  at?: (
    point: "queued" | "start" | "node" | "success" | "history" | "done",
    job: Job,
  ) => void | Promise<void>;
}

export class FakeComfy {
  readonly server: Server;
  readonly wss = new WebSocketServer({ noServer: true });
  url = "";
  hooks: FakeHooks = {};
  /** Per-node execution time in ms. */
  nodeDelayMs = 5;
  /** Steps reported with `progress` by nodes of class "Sampler". */
  steps = 3;
  /** Refuse WebSocket upgrades (a proxy without WS support, or a server that stopped accepting). */
  refuseWebSocket = false;
  /** Accept the TCP connection of an upgrade but never answer it. */
  hangWebSocket = false;
  /** Text frames sent to every new socket right after the greeting (to test bad frames). */
  greetingExtra: (string | Buffer)[] = [];
  /** Behave like servers before 2025-07: ignore the client's prompt_id and make one up. */
  ignoreClientPromptId = false;
  /** Do not start jobs (they stay pending). */
  paused = false;
  /** The network holds each `POST /prompt` this long before the server gets it (whatever the client does meanwhile). */
  holdPromptMs = 0;
  /** Every connection is refused until this time (ms since epoch): see `cutFor`. */
  #cutUntil = 0;
  readonly requests: string[] = [];
  /** Headers of every request and WebSocket upgrade, in order. */
  readonly headers: Record<string, string | string[] | undefined>[] = [];
  readonly submissions = new Map<string, number>();
  readonly pending: Job[] = [];
  running: Job | undefined;
  readonly history = new Map<string, Record<string, unknown>>();
  readonly files = new Map<string, Buffer>();
  readonly sockets = new Map<string, WebSocket>();
  #connections = new Set<Socket>();
  #counter = 0;
  #fileCounter = 0;
  #cache = new Map<string, Record<string, unknown> | null>();
  #interrupt = false;
  #flagClients = new Set<string>();

  private constructor() {
    this.server = createServer((req, res) => {
      void this.#handle(req, res).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(error.stack));
      });
    });
    this.server.on("connection", (socket) => {
      if (Date.now() < this.#cutUntil) {
        socket.destroy();
        return;
      }
      this.#connections.add(socket);
      socket.on("close", () => this.#connections.delete(socket));
    });
    this.server.on("upgrade", (req, socket, head) => {
      this.headers.push(req.headers);
      const url = new URL(req.url ?? "/", "http://x");
      const path = url.pathname.replace(/^\/api\//, "/");
      if (this.hangWebSocket) return;
      if (path !== "/ws" || this.refuseWebSocket) {
        socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) =>
        this.#onSocket(ws, url.searchParams.get("clientId") ?? "generated"),
      );
    });
  }

  static async start(): Promise<FakeComfy> {
    const fake = new FakeComfy();
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Closes every WebSocket abruptly (as a dropped network would). */
  dropSockets(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  /** The server process dies: every connection is cut and nothing listens any more. */
  async kill(): Promise<void> {
    this.paused = true;
    this.running = undefined; // the job loop stops at its next check
    this.hooks = {};
    for (const ws of this.wss.clients) ws.terminate();
    for (const socket of this.#connections) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The network fails for `ms`: every connection (HTTP and WebSocket) is cut now and refused until then; the server keeps its state and goes on working. */
  cutFor(ms: number): void {
    this.#cutUntil = Date.now() + ms;
    for (const ws of this.wss.clients) ws.terminate();
    for (const socket of this.#connections) socket.destroy();
  }

  /** A restart: queue, history and cache are gone; sockets are cut. */
  restart(): void {
    this.pending.length = 0;
    this.running = undefined;
    this.history.clear();
    this.#cache.clear();
    this.dropSockets();
  }

  async close(): Promise<void> {
    this.paused = true;
    this.running = undefined;
    this.hooks = {};
    for (const ws of this.wss.clients) ws.terminate();
    for (const socket of this.#connections) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #onSocket(ws: WebSocket, clientId: string) {
    this.sockets.get(clientId)?.close();
    this.sockets.set(clientId, ws);
    let first = true;
    ws.on("message", (data) => {
      if (!first) return;
      first = false;
      const msg = JSON.parse(String(data)) as {
        type?: string;
        data?: { supports_preview_metadata?: boolean };
      };
      if (msg.type === "feature_flags") {
        if (msg.data?.supports_preview_metadata) this.#flagClients.add(clientId);
        ws.send(
          JSON.stringify({
            type: "feature_flags",
            data: { supports_preview_metadata: true, max_upload_size: 104857600 },
          }),
        );
      }
    });
    ws.on("close", () => {
      if (this.sockets.get(clientId) === ws) this.sockets.delete(clientId);
    });
    ws.send(
      JSON.stringify({
        type: "status",
        data: { status: { exec_info: { queue_remaining: this.#remaining() } }, sid: clientId },
      }),
    );
    for (const frame of this.greetingExtra) ws.send(frame);
  }

  #remaining() {
    return this.pending.length + (this.running ? 1 : 0);
  }

  #send(clientId: unknown, type: string, data: unknown) {
    const ws = typeof clientId === "string" ? this.sockets.get(clientId) : undefined;
    if (ws && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type, data }));
  }

  #sendBinary(clientId: unknown, frame: Buffer) {
    const ws = typeof clientId === "string" ? this.sockets.get(clientId) : undefined;
    if (ws && ws.readyState === ws.OPEN) ws.send(frame);
  }

  #broadcastStatus() {
    const data = { status: { exec_info: { queue_remaining: this.#remaining() } } };
    for (const ws of this.wss.clients)
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: "status", data }));
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname.replace(/^\/api\//, "/");
    this.requests.push(`${req.method} ${path}${url.search}`);
    this.headers.push(req.headers);
    if (this.hooks.route && (await this.hooks.route(req, res, path))) return;
    const body = req.method === "POST" ? await readBody(req) : "";
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(value));
    };
    const empty = () => {
      res.writeHead(200);
      res.end();
    };
    if (req.method === "POST" && path === "/prompt") {
      if (this.holdPromptMs > 0) await new Promise((r) => setTimeout(r, this.holdPromptMs));
      return this.#submit(body, json);
    }
    if (req.method === "GET" && path === "/queue") {
      const tuple = (j: Job) => [j.number, j.promptId, j.prompt, j.extra, j.outputs];
      return json(200, {
        queue_running: this.running ? [tuple(this.running)] : [],
        queue_pending: this.pending.map(tuple),
      });
    }
    if (req.method === "GET" && path === "/prompt")
      return json(200, { exec_info: { queue_remaining: this.#remaining() } });
    if (req.method === "GET" && path.startsWith("/history/")) {
      const id = decodeURIComponent(path.slice(9));
      const entry = this.history.get(id);
      return json(200, entry ? { [id]: entry } : {});
    }
    if (req.method === "POST" && path === "/queue") {
      const { delete: ids = [], clear } = JSON.parse(body || "{}") as { delete?: string[]; clear?: boolean };
      const keep = this.pending.filter((j) => !clear && !ids.includes(j.promptId));
      this.pending.splice(0, this.pending.length, ...keep);
      this.#broadcastStatus();
      return empty();
    }
    if (req.method === "POST" && path === "/interrupt") {
      const { prompt_id } = JSON.parse(body || "{}") as { prompt_id?: string };
      if (this.running && (prompt_id === undefined || prompt_id === this.running.promptId))
        this.#interrupt = true;
      return empty();
    }
    if (req.method === "POST" && path === "/free") {
      if ((JSON.parse(body || "{}") as { free_memory?: boolean }).free_memory) this.#cache.clear();
      return empty();
    }
    if (req.method === "GET" && path === "/view") {
      const key = `${url.searchParams.get("type")}/${url.searchParams.get("subfolder") ?? ""}/${url.searchParams.get("filename")}`;
      const file = this.files.get(key);
      if (!file) {
        res.writeHead(404);
        return res.end();
      }
      res.writeHead(200, { "content-type": "image/png" });
      return res.end(file);
    }
    if (req.method === "POST" && path === "/upload/image") {
      const name = /filename="([^"]+)"/.exec(body)?.[1];
      const sub = /name="subfolder"\r\n\r\n([^\r]*)\r\n/.exec(body)?.[1] ?? "";
      if (!name) {
        res.writeHead(400);
        return res.end();
      }
      this.files.set(`input/${sub}/${name}`, Buffer.from(body));
      return json(200, { name, subfolder: sub, type: "input" });
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("404: Not Found");
  }

  #submit(body: string, json: (status: number, value: unknown) => void) {
    const request = JSON.parse(body) as {
      prompt: Prompt;
      client_id?: string;
      prompt_id?: string;
      extra_data?: Record<string, unknown>;
    };
    const promptId = this.ignoreClientPromptId
      ? crypto.randomUUID()
      : (request.prompt_id ?? crypto.randomUUID());
    this.submissions.set(promptId, (this.submissions.get(promptId) ?? 0) + 1);
    const nodeErrors: Record<string, unknown> = {};
    for (const [id, node] of Object.entries(request.prompt)) {
      if (node.class_type === "Invalid") {
        nodeErrors[id] = {
          errors: [
            {
              type: "value_not_in_list",
              message: "Value not in list",
              details: "mode: 'x' not in ['a']",
              extra_info: { input_name: "mode" },
            },
          ],
          dependent_outputs: [],
          class_type: "Invalid",
        };
      }
    }
    if (Object.keys(nodeErrors).length) {
      return json(400, {
        error: {
          type: "prompt_outputs_failed_validation",
          message: "Prompt outputs failed validation",
          details: "",
          extra_info: {},
        },
        node_errors: nodeErrors,
      });
    }
    const outputs = Object.keys(request.prompt).filter((id) =>
      OUTPUT_CLASSES.has(request.prompt[id]!.class_type),
    );
    const job: Job = {
      number: this.#counter++,
      promptId,
      prompt: request.prompt,
      extra: { ...request.extra_data, client_id: request.client_id },
      outputs,
    };
    this.pending.push(job);
    json(200, { prompt_id: promptId, number: job.number, node_errors: {} });
    this.#broadcastStatus();
    void this.hooks.at?.("queued", job);
    setImmediate(() => void this.#work());
  }

  async #work() {
    if (this.running || this.paused) return;
    const job = this.pending.shift();
    if (!job) return;
    this.running = job;
    this.#interrupt = false;
    const client = job.extra["client_id"];
    const messages: [string, Record<string, unknown>][] = [];
    const send = (type: string, data: Record<string, unknown>, record = false) => {
      if (record) messages.push([type, data]);
      this.#send(client, type, data);
    };
    this.#broadcastStatus();
    send("execution_start", { prompt_id: job.promptId, timestamp: Date.now() }, true);
    await this.hooks.at?.("start", job);
    const order = topo(job.prompt, job.outputs);
    const sig = signatures(job.prompt);
    const cached = order.filter((id) => this.#cache.has(sig.get(id)!));
    send("execution_cached", { nodes: cached, prompt_id: job.promptId, timestamp: Date.now() }, true);
    const ui: Record<string, unknown> = {};
    const newCache = new Map<string, Record<string, unknown> | null>();
    let status: "success" | "error" = "success";
    for (const id of order) {
      const node = job.prompt[id]!;
      const key = sig.get(id)!;
      if (this.running !== job) return; // restarted
      if (cached.includes(id)) {
        const out = this.#cache.get(key) ?? null;
        newCache.set(key, out);
        if (OUTPUT_CLASSES.has(node.class_type)) {
          if (out) ui[id] = out;
          send("executed", { node: id, display_node: id, output: out, prompt_id: job.promptId });
        }
        continue;
      }
      if (this.#interrupt) {
        send(
          "execution_interrupted",
          {
            prompt_id: job.promptId,
            node_id: id,
            node_type: node.class_type,
            executed: Object.keys(ui),
            timestamp: Date.now(),
          },
          true,
        );
        status = "error";
        break;
      }
      send("progress_state", {
        prompt_id: job.promptId,
        nodes: {
          [id]: {
            value: 0,
            max: 1,
            state: "running",
            node_id: id,
            prompt_id: job.promptId,
            display_node_id: id,
            parent_node_id: null,
            real_node_id: id,
          },
        },
      });
      send("executing", { node: id, display_node: id, prompt_id: job.promptId });
      await this.hooks.at?.("node", job);
      const delay = node.class_type === "Slow" ? Number(node.inputs["ms"] ?? 1000) : this.nodeDelayMs;
      const until = Date.now() + delay;
      while (Date.now() < until && !this.#interrupt && this.running === job) await sleep(Math.min(10, delay));
      if (this.running !== job) return;
      if (node.class_type === "Sampler") {
        for (let step = 1; step <= this.steps; step++) {
          send("progress", { value: step, max: this.steps, prompt_id: job.promptId, node: id });
          const frame = this.#flagClients.has(String(client))
            ? previewFrame4({
                node_id: id,
                prompt_id: job.promptId,
                display_node_id: id,
                parent_node_id: null,
                real_node_id: id,
                image_type: "image/png",
              })
            : Buffer.concat([u32(1), u32(2), PNG]);
          this.#sendBinary(client, frame);
        }
        const nid = Buffer.from(id);
        this.#sendBinary(client, Buffer.concat([u32(3), u32(nid.length), nid, Buffer.from("sampling done")]));
      }
      if (this.#interrupt) {
        send(
          "execution_interrupted",
          {
            prompt_id: job.promptId,
            node_id: id,
            node_type: node.class_type,
            executed: Object.keys(ui),
            timestamp: Date.now(),
          },
          true,
        );
        status = "error";
        break;
      }
      if (node.class_type === "Fail") {
        send(
          "execution_error",
          {
            prompt_id: job.promptId,
            node_id: id,
            node_type: "Fail",
            executed: [],
            exception_message: "boom\n",
            exception_type: "RuntimeError",
            traceback: ['  File "execution.py", line 1, in execute\n'],
            current_inputs: {},
            current_outputs: [],
            timestamp: Date.now(),
          },
          true,
        );
        status = "error";
        break;
      }
      let out: Record<string, unknown> | null = null;
      if (node.class_type === "SaveImage" || node.class_type === "PreviewImage") {
        const type = node.class_type === "SaveImage" ? "output" : "temp";
        const prefix = String(node.inputs["filename_prefix"] ?? "ComfyUI");
        const filename = `${prefix}_${String(++this.#fileCounter).padStart(5, "0")}_.png`;
        this.files.set(`${type}//${filename}`, PNG);
        out = { images: [{ filename, subfolder: "", type }] };
      } else if (node.class_type === "PreviewAny") {
        out = { text: [String(node.inputs["value"] ?? "")] };
      }
      newCache.set(key, out);
      if (out) {
        ui[id] = out;
        send("executed", { node: id, display_node: id, output: out, prompt_id: job.promptId });
      }
      send("progress_state", {
        prompt_id: job.promptId,
        nodes: {
          [id]: {
            value: 1,
            max: 1,
            state: "finished",
            node_id: id,
            prompt_id: job.promptId,
            display_node_id: id,
            parent_node_id: null,
            real_node_id: id,
          },
        },
      });
    }
    if (status === "success") {
      send("execution_success", { prompt_id: job.promptId, timestamp: Date.now() }, true);
      await this.hooks.at?.("success", job);
      this.#cache = newCache;
    }
    if (this.running !== job) return;
    this.history.set(job.promptId, {
      prompt: [job.number, job.promptId, job.prompt, job.extra, job.outputs],
      outputs: ui,
      status: { status_str: status, completed: status === "success", messages },
      meta: Object.fromEntries(
        Object.keys(ui).map((id) => [
          id,
          { node_id: id, display_node: id, parent_node: null, real_node_id: id },
        ]),
      ),
    });
    await this.hooks.at?.("history", job);
    this.running = undefined;
    this.#broadcastStatus();
    this.#send(client, "executing", { node: null, prompt_id: job.promptId });
    await this.hooks.at?.("done", job);
    setImmediate(() => void this.#work());
  }

  /** Starts pending jobs after `paused` was set back to false. */
  resume(): void {
    this.paused = false;
    void this.#work();
  }
}

function u32(n: number) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function previewFrame4(meta: Record<string, unknown>) {
  const m = Buffer.from(JSON.stringify(meta));
  return Buffer.concat([u32(4), u32(m.length), m, PNG]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    req.on("error", reject);
  });
}

const isLink = (v: unknown): v is [string, number] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === "string";

/** Ancestors of the outputs in dependency order. */
function topo(prompt: Prompt, outputs: string[]): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id) || !prompt[id]) return;
    seen.add(id);
    for (const v of Object.values(prompt[id].inputs)) if (isLink(v)) visit(v[0]);
    order.push(id);
  };
  for (const id of outputs) visit(id);
  return order;
}

/** ComfyUI-like cache keys: class, every input (unknown ones too), ancestors by their keys. */
function signatures(prompt: Prompt): Map<string, string> {
  const memo = new Map<string, string>();
  const sig = (id: string): string => {
    const known = memo.get(id);
    if (known) return known;
    const node = prompt[id]!;
    const inputs = Object.keys(node.inputs)
      .sort()
      .map((k) => {
        const v = node.inputs[k];
        return [k, isLink(v) ? ["link", sig(v[0]), v[1]] : v];
      });
    const s = JSON.stringify([node.class_type, inputs]);
    memo.set(id, s);
    return s;
  };
  for (const id of Object.keys(prompt)) sig(id);
  return memo;
}
