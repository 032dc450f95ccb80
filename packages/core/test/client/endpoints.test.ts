import { afterEach, describe, expect, it } from "vitest";
import { ComfyClient } from "../../src/client/comfy-client.js";
import { JSON_HEADERS, mockClient, ORIGIN } from "./support/mock-agent.js";

type Case = {
  name: string;
  call: (client: ComfyClient) => Promise<unknown>;
  method: "GET" | "POST";
  path: string;
  /** Expected request body (JSON) for POSTs with a JSON body. */
  body?: unknown;
  status?: number;
  reply: unknown;
  want: unknown;
};

const entry = {
  prompt: [3, "p1", { "1": { class_type: "EmptyImage", inputs: {} } }, { client_id: "c" }, ["1"]],
  outputs: { "1": { images: [{ filename: "a.png", subfolder: "", type: "output" }] } },
  status: { status_str: "success", completed: true, messages: [["execution_start", { prompt_id: "p1" }]] },
  meta: {},
};

const JOBS = {
  jobs: [
    {
      id: "j1",
      status: "completed",
      priority: 3,
      create_time: 1,
      outputs_count: 1,
      preview_output: { filename: "a.png", nodeId: "9", mediaType: "images" },
    },
  ],
  pagination: { offset: 0, limit: 2, total: 1, has_more: false },
};

const cases: Case[] = [
  {
    name: "object_info",
    call: (c) => c.objectInfo(),
    method: "GET",
    path: "/object_info",
    reply: { A: { input: {}, output: [] } },
    want: { A: { input: {}, output: [] } },
  },
  {
    name: "object_info/{class}",
    call: (c) => c.objectInfoFor("Save Image+"),
    method: "GET",
    path: "/object_info/Save%20Image%2B",
    reply: { "Save Image+": { input: {}, output: [] } },
    want: { input: {}, output: [] },
  },
  {
    name: "object_info/{unknown}",
    call: (c) => c.objectInfoFor("Nope"),
    method: "GET",
    path: "/object_info/Nope",
    reply: {},
    want: undefined,
  },
  {
    name: "GET /prompt",
    call: (c) => c.promptQueueInfo(),
    method: "GET",
    path: "/prompt",
    reply: { exec_info: { queue_remaining: 2 } },
    want: { exec_info: { queue_remaining: 2 } },
  },
  {
    name: "GET /queue",
    call: (c) => c.queue(),
    method: "GET",
    path: "/queue",
    reply: { queue_running: [[0, "a", {}, {}, ["9"]]], queue_pending: [] },
    want: { queue_running: [[0, "a", {}, {}, ["9"]]], queue_pending: [] },
  },
  {
    name: "POST /queue delete",
    call: (c) => c.deleteFromQueue(["a", "b"]),
    method: "POST",
    path: "/queue",
    body: { delete: ["a", "b"] },
    reply: "",
    want: undefined,
  },
  {
    name: "POST /queue clear",
    call: (c) => c.clearQueue(),
    method: "POST",
    path: "/queue",
    body: { clear: true },
    reply: "",
    want: undefined,
  },
  {
    name: "POST /interrupt global",
    call: (c) => c.interrupt(),
    method: "POST",
    path: "/interrupt",
    body: {},
    reply: "",
    want: undefined,
  },
  {
    name: "POST /interrupt by id",
    call: (c) => c.interrupt("p1"),
    method: "POST",
    path: "/interrupt",
    body: { prompt_id: "p1" },
    reply: "",
    want: undefined,
  },
  {
    name: "GET /history paged",
    call: (c) => c.history({ maxItems: 2, offset: 1 }),
    method: "GET",
    path: "/history?max_items=2&offset=1",
    reply: { p1: entry },
    want: { p1: entry },
  },
  {
    name: "GET /history/{id}",
    call: (c) => c.historyEntry("p1"),
    method: "GET",
    path: "/history/p1",
    reply: { p1: entry },
    want: entry,
  },
  {
    name: "GET /history/{unknown}",
    call: (c) => c.historyEntry("zz"),
    method: "GET",
    path: "/history/zz",
    reply: {},
    want: undefined,
  },
  {
    name: "POST /history delete",
    call: (c) => c.deleteHistory(["p1"]),
    method: "POST",
    path: "/history",
    body: { delete: ["p1"] },
    reply: "",
    want: undefined,
  },
  {
    name: "POST /history clear",
    call: (c) => c.clearHistory(),
    method: "POST",
    path: "/history",
    body: { clear: true },
    reply: "",
    want: undefined,
  },
  {
    name: "GET /view_metadata",
    call: (c) => c.viewMetadata("loras", "x.safetensors"),
    method: "GET",
    path: "/view_metadata/loras?filename=x.safetensors",
    reply: { ss_network_dim: "16" },
    want: { ss_network_dim: "16" },
  },
  {
    name: "GET /view_metadata 404",
    call: (c) => c.viewMetadata("loras", "none.safetensors"),
    method: "GET",
    path: "/view_metadata/loras?filename=none.safetensors",
    status: 404,
    reply: "",
    want: undefined,
  },
  {
    name: "GET /system_stats",
    call: (c) => c.systemStats().then((s) => s.system.os),
    method: "GET",
    path: "/system_stats",
    reply: {
      system: { os: "linux", comfyui_version: "0.26.0" },
      devices: [{ name: "cuda:0", type: "cuda", index: 0 }],
    },
    want: "linux",
  },
  {
    name: "GET /features",
    call: (c) => c.features(),
    method: "GET",
    path: "/features",
    reply: {
      supports_preview_metadata: true,
      max_upload_size: 104857600.0,
      extension: { manager: { supports_v4: true } },
    },
    want: {
      supports_preview_metadata: true,
      max_upload_size: 104857600,
      extension: { manager: { supports_v4: true } },
    },
  },
  {
    name: "GET /embeddings",
    call: (c) => c.embeddings(),
    method: "GET",
    path: "/embeddings",
    reply: ["easynegative"],
    want: ["easynegative"],
  },
  {
    name: "GET /extensions",
    call: (c) => c.extensions(),
    method: "GET",
    path: "/extensions",
    reply: ["/extensions/pack/a.js"],
    want: ["/extensions/pack/a.js"],
  },
  {
    name: "GET /models",
    call: (c) => c.models(),
    method: "GET",
    path: "/models",
    reply: ["checkpoints", "loras"],
    want: ["checkpoints", "loras"],
  },
  {
    name: "GET /models/{folder}",
    call: (c) => c.modelFiles("checkpoints"),
    method: "GET",
    path: "/models/checkpoints",
    reply: ["sd15.safetensors"],
    want: ["sd15.safetensors"],
  },
  {
    name: "GET /api/jobs (0.26)",
    call: (c) => c.jobs({ status: ["completed", "failed"], sortOrder: "asc", limit: 2 }),
    method: "GET",
    path: "/api/jobs?status=completed%2Cfailed&sort_order=asc&limit=2",
    reply: JOBS,
    want: JOBS,
  },
  {
    name: "GET /api/jobs/{id}",
    call: (c) => c.job("j1").then((j) => j?.status),
    method: "GET",
    path: "/api/jobs/j1",
    reply: { id: "j1", status: "failed", execution_error: { node_id: "3" } },
    want: "failed",
  },
  {
    name: "GET /api/jobs/{unknown} 404",
    call: (c) => c.job("nope"),
    method: "GET",
    path: "/api/jobs/nope",
    status: 404,
    reply: { error: "Job not found" },
    want: undefined,
  },
  {
    name: "POST /api/jobs/{id}/cancel",
    call: (c) => c.cancelJob("j1"),
    method: "POST",
    path: "/api/jobs/j1/cancel",
    body: {},
    reply: { cancelled: true },
    want: true,
  },
  {
    name: "POST /free",
    call: (c) => c.free({ freeMemory: true }),
    method: "POST",
    path: "/free",
    body: { unload_models: false, free_memory: true },
    reply: "",
    want: undefined,
  },
];

describe("every endpoint (MockAgent)", () => {
  let agent: ReturnType<typeof mockClient>["agent"] | undefined;
  afterEach(async () => {
    agent?.assertNoPendingInterceptors();
    await agent?.close();
  });

  it.each(cases)("$name", async ({ call, method, path, body, status, reply, want }) => {
    const mock = mockClient();
    agent = mock.agent;
    let sent: unknown;
    mock.pool
      .intercept({
        path,
        method,
        ...(body !== undefined
          ? {
              body: (b: string) => {
                sent = JSON.parse(b);
                return true;
              },
            }
          : {}),
      })
      .reply(status ?? 200, typeof reply === "string" ? reply : JSON.stringify(reply), JSON_HEADERS);
    await expect(call(mock.client)).resolves.toEqual(want);
    if (body !== undefined) expect(sent).toEqual(body);
  });

  it("GET /view returns the bytes and sends filename, type, subfolder, preview, channel", async () => {
    const mock = mockClient();
    agent = mock.agent;
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    mock.pool
      .intercept({
        path: "/view?filename=a+b.png&type=temp&subfolder=sub%2Fdir&preview=webp%3B50&channel=rgb",
        method: "GET",
      })
      .reply(200, Buffer.from(png), { headers: { "content-type": "image/png" } });
    const bytes = await mock.client.view({
      filename: "a b.png",
      type: "temp",
      subfolder: "sub/dir",
      preview: "webp;50",
      channel: "rgb",
    });
    expect([...bytes]).toEqual([...png]);
  });

  // MockAgent hands the FormData object to the matcher; the multipart encoding itself is covered by
  // the fake-server tests over real HTTP.
  it("POST /upload/image sends image, type, subfolder, overwrite", async () => {
    const mock = mockClient();
    agent = mock.agent;
    let form: FormData | undefined;
    mock.pool
      .intercept({
        path: "/upload/image",
        method: "POST",
        body: (b: unknown) => {
          form = b as FormData;
          return true;
        },
      })
      .reply(
        200,
        JSON.stringify({ name: "ts_upload.png", subfolder: "tsclient", type: "input" }),
        JSON_HEADERS,
      );
    const answer = await mock.client.uploadImage({
      data: new Uint8Array([1, 2, 3]),
      filename: "ts_upload.png",
      subfolder: "tsclient",
      overwrite: true,
    });
    expect(answer).toEqual({ name: "ts_upload.png", subfolder: "tsclient", type: "input" });
    const image = form?.get("image") as File;
    expect(image.name).toBe("ts_upload.png");
    expect([...new Uint8Array(await image.arrayBuffer())]).toEqual([1, 2, 3]);
    expect(form?.get("type")).toBe("input");
    expect(form?.get("subfolder")).toBe("tsclient");
    expect(form?.get("overwrite")).toBe("true");
  });

  it("POST /upload/mask adds original_ref as JSON", async () => {
    const mock = mockClient();
    agent = mock.agent;
    let form: FormData | undefined;
    mock.pool
      .intercept({
        path: "/upload/mask",
        method: "POST",
        body: (b: unknown) => {
          form = b as FormData;
          return true;
        },
      })
      .reply(200, JSON.stringify({ name: "m.png", subfolder: "clipspace", type: "input" }), JSON_HEADERS);
    await mock.client.uploadMask({
      data: new Uint8Array([1]),
      filename: "m.png",
      subfolder: "clipspace",
      originalRef: { filename: "ts_upload.png", type: "input" },
    });
    expect(form?.get("original_ref")).toBe('{"filename":"ts_upload.png","subfolder":"","type":"input"}');
  });
});

describe("base URL, /api prefix, auth", () => {
  it.each([
    ["http://comfy.test:8188", false, "/queue"],
    ["http://comfy.test:8188", true, "/api/queue"],
    ["http://comfy.test:8188/comfy", false, "/comfy/queue"],
    ["http://comfy.test:8188/comfy/", true, "/comfy/api/queue"],
  ])("%s (apiPrefix %s) → %s", async (baseUrl, apiPrefix, path) => {
    const { agent, pool, client } = mockClient({ baseUrl, apiPrefix });
    pool
      .intercept({ path, method: "GET" })
      .reply(200, JSON.stringify({ queue_running: [], queue_pending: [] }), JSON_HEADERS);
    await expect(client.queue()).resolves.toEqual({ queue_running: [], queue_pending: [] });
    expect(client.http.url("ws", { clientId: "x" }, "ws").toString()).toBe(
      `ws://comfy.test:8188${path.replace("queue", "ws")}?clientId=x`,
    );
    agent.assertNoPendingInterceptors();
  });

  it.each([
    [{ auth: { type: "bearer", token: "s3cr3t-token" } }, "authorization", "Bearer s3cr3t-token"],
    [
      { auth: { type: "basic", username: "u", password: "s3cr3t-token" } },
      "authorization",
      `Basic ${Buffer.from("u:s3cr3t-token").toString("base64")}`,
    ],
    [
      { baseUrl: "http://u:s3cr3t-token@comfy.test:8188" },
      "authorization",
      `Basic ${Buffer.from("u:s3cr3t-token").toString("base64")}`,
    ],
    [{ auth: { type: "header", name: "X-Api-Key", value: "s3cr3t-token" } }, "x-api-key", "s3cr3t-token"],
  ] as const)("sends %j as %s, never shows it in errors", async (options, header, value) => {
    const { pool, client } = mockClient(options as never);
    let seen: string | undefined;
    pool
      .intercept({
        path: "/models/nope",
        method: "GET",
        headers: (h: Record<string, string>) => {
          seen = h[header];
          return true;
        },
      })
      .reply(404, "");
    const error = await client.modelFiles("nope").catch((e: Error) => e);
    expect(seen).toBe(value);
    expect(String(error)).not.toContain("s3cr3t");
    expect(JSON.stringify(error)).not.toContain("s3cr3t");
    expect(client.http.url("x").toString()).not.toContain("s3cr3t");
  });

  it("jobs routes live under /api whatever the prefix setting", () => {
    for (const apiPrefix of [false, true]) {
      const { client } = mockClient({ baseUrl: "http://comfy.test:8188/comfy/", apiPrefix });
      expect(client.http.url("api/jobs").pathname).toBe("/comfy/api/jobs");
    }
  });

  it("rejects a base URL that is not http(s)", () => {
    expect(() => new ComfyClient({ baseUrl: "ftp://x" })).toThrow(/http: or https:/);
    expect(() => new ComfyClient({ baseUrl: "not a url" })).toThrow(/not a URL/);
    expect(() => new ComfyClient({ baseUrl: ORIGIN, timeouts: { queue: -1 } })).toThrow(
      /timeouts.queue must be a number > 0/,
    );
    expect(() => new ComfyClient({ baseUrl: ORIGIN, timeouts: { execution: 3e9 } })).toThrow(
      /timeouts.execution must be at most 2147483647 ms/,
    );
    // A host:port without a scheme parses as the scheme "localhost:": say what was meant.
    expect(() => new ComfyClient({ baseUrl: "localhost:8188" })).toThrow(
      /got localhost: \(did you mean http:\/\/localhost:8188\?\)/,
    );
    // An undefined bound keeps the default instead of replacing it.
    const client = new ComfyClient({ baseUrl: ORIGIN, timeouts: { queue: undefined, execution: 5 } });
    expect(client.options.timeouts).toMatchObject({ queue: 10 * 60_000, execution: 5 });
  });
});
