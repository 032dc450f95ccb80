import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, MODEL_FOLDERS, startLocalServer } from "../src/index.js";
import { getJson, postJson } from "./support/http.js";
import { testListedOnlyNodes, testNodes } from "./support/test-nodes.js";

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ nodes: testNodes(), listedOnlyNodes: testListedOnlyNodes });
  await writeFile(join(server.dirs.output, "t_00001_.png"), Buffer.from("png bytes"));
  await mkdir(join(server.dirs.output, "sub"), { recursive: true });
  await writeFile(join(server.dirs.output, "sub", "s.png"), Buffer.from("sub png"));
  await writeFile(join(server.dirs.input, "in.png"), Buffer.from("input png"));
  await writeFile(join(server.dirs.temp, "page.html"), "<b>x</b>");
});
afterAll(() => server.close());

describe("routing", () => {
  it.each([
    "/system_stats",
    "/queue",
    "/prompt",
    "/history",
    "/features",
    "/models",
    "/embeddings",
    "/extensions",
    "/object_info",
  ])("answers %s at the bare path and under /api", async (path) => {
    const bare = await fetch(`${server.url}${path}`);
    const api = await fetch(`${server.url}/api${path}`);
    expect(bare.status).toBe(200);
    expect(api.status).toBe(200);
    expect(bare.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });

  it.each([
    ["GET", "/no/such/route"],
    ["GET", "/interrupt"],
    ["GET", "/api/interrupt"],
    ["GET", "/free"],
  ])("answers %s %s with aiohttp's 404", async (method, path) => {
    const res = await fetch(`${server.url}${path}`, { method });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await res.text()).toBe("404: Not Found");
  });

  // ComfyUI's web root is a static route for every path (GET/HEAD): any other method without a
  // route of its own is aiohttp's 405, with the methods the path has.
  it.each([
    ["POST", "/system_stats", "GET,HEAD"],
    ["POST", "/no/such/route", "GET,HEAD"],
    ["PUT", "/prompt", "GET,HEAD,POST"],
    ["DELETE", "/api/interrupt", "GET,HEAD,POST"],
    ["PATCH", "/history/abc", "GET,HEAD"],
  ])("answers %s %s with aiohttp's 405 (Allow: %s)", async (method, path, allow) => {
    const res = await fetch(`${server.url}${path}`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await res.text()).toBe("405: Method Not Allowed");
  });

  it.each(["/prompt", "/queue", "/history", "/free"])(
    "answers malformed JSON on POST %s with 500 text/plain",
    async (path) => {
      for (const body of ['{"client_id": "x", "prompt": {', ""]) {
        const res = await fetch(`${server.url}${path}`, { method: "POST", body });
        expect(res.status).toBe(500);
        expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
        expect(await res.text()).toBe("500 Internal Server Error\n\nServer got itself in trouble");
      }
    },
  );

  it.each([
    ["/queue", { clear: true }],
    ["/history", { clear: true }],
    ["/free", { unload_models: true, free_memory: true }],
    ["/interrupt", {}],
  ])("answers the command route %s with an empty 200", async (path, body) => {
    const res = await postJson(`${server.url}${path}`, body);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe("0");
    expect(await res.text()).toBe("");
  });
});

describe("origin guard", () => {
  it("refuses a cross-site browser request to the loopback server with 403, on HTTP and /ws", async () => {
    const { request } = await import("node:http");
    const status = (path: string, origin: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}${path}`, { headers: { origin, ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
    expect(await status("/system_stats", "https://evil.example")).toBe(403);
    expect(await status("/system_stats", server.url)).toBe(200);
    expect(
      await status("/ws", "https://evil.example", {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      }),
    ).toBe(403);
  });
});

describe("POST /prompt errors", () => {
  const cases: [string, unknown, number, string][] = [
    ["no prompt key", { client_id: "x" }, 400, "no_prompt"],
    ["empty prompt", { prompt: {} }, 400, "prompt_no_outputs"],
    ["prompt is an array", { prompt: [] }, 400, "prompt_no_outputs"],
    [
      "no output node",
      { prompt: { "1": { class_type: "TestNumber", inputs: { value: 1 } } } },
      400,
      "prompt_no_outputs",
    ],
    [
      "unknown class",
      { prompt: { "1": { class_type: "NoSuchNodeXYZ", inputs: {} } } },
      400,
      "invalid_prompt",
    ],
    ["missing class_type", { prompt: { "1": { inputs: {} } } }, 400, "invalid_prompt"],
    [
      "partial target that is not an output",
      {
        prompt: {
          "1": { class_type: "TestNumber", inputs: { value: 1 } },
          "2": { class_type: "TestOutput", inputs: { value: ["1", 0] } },
        },
        partial_execution_targets: ["1"],
      },
      400,
      "prompt_no_outputs",
    ],
  ];
  it.each(cases)("%s → %s %s", async (_name, body, status, type) => {
    const res = await postJson(`${server.url}/prompt`, body);
    expect(res.status).toBe(status);
    const json = (await res.json()) as {
      error: { type: string; message: string; details: string; extra_info: object };
    };
    expect(json.error.type).toBe(type);
    expect(Object.keys(json.error)).toEqual(["type", "message", "details", "extra_info"]);
    expect(json).toHaveProperty("node_errors");
  });

  it("words unknown-class errors like 0.3.65", async () => {
    const res = await postJson(`${server.url}/prompt`, {
      prompt: { "1": { class_type: "NoSuchNodeXYZ", inputs: {} } },
    });
    expect(await res.json()).toEqual({
      error: {
        type: "invalid_prompt",
        message: "Cannot execute because node NoSuchNodeXYZ does not exist.",
        details: "Node ID '#1'",
        extra_info: {},
      },
      node_errors: {},
    });
  });
});

describe("small routes", () => {
  it("serves /object_info from the node registry, listing model nodes too", async () => {
    const info = await getJson<Record<string, { output_node: boolean }>>(`${server.url}/object_info`);
    expect(Object.keys(info)).toContain("TestNumber");
    expect(Object.keys(info)).toContain("CheckpointLoaderSimple");
    expect(await getJson(`${server.url}/object_info/TestNumber`)).toEqual({ TestNumber: info.TestNumber });
    expect(await getJson(`${server.url}/object_info/NoSuchNode`)).toEqual({});
  });

  it("says in /system_stats that it is the comfy-ts local server on a CPU", async () => {
    const stats = await getJson<{ system: Record<string, unknown>; devices: Record<string, unknown>[] }>(
      `${server.url}/system_stats`,
    );
    expect(stats.system.comfyui_version).toBe("0.3.65");
    expect(String(stats.system.python_version)).toMatch(/comfy-ts local server/);
    expect(stats.devices).toEqual([
      expect.objectContaining({ name: "cpu", type: "cpu", index: null, vram_total: expect.any(Number) }),
    ]);
  });

  it("lists model folders and answers 404 for an unknown one", async () => {
    expect(await getJson(`${server.url}/models`)).toEqual([...MODEL_FOLDERS]);
    expect(await getJson(`${server.url}/models/checkpoints`)).toEqual([]);
    const res = await fetch(`${server.url}/models/no_such_folder`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("");
  });

  it("serves /features, /embeddings, /extensions", async () => {
    expect(await getJson(`${server.url}/features`)).toEqual({
      supports_preview_metadata: true,
      max_upload_size: 104857600,
    });
    expect(await getJson(`${server.url}/embeddings`)).toEqual([]);
    expect(await getJson(`${server.url}/extensions`)).toEqual([]);
  });
});

describe("frontend start-up routes", () => {
  it("answers them as a server without frontend and models", async () => {
    const root = await fetch(`${server.url}/`);
    expect(root.headers.get("content-type")).toBe("text/html");
    expect(await root.text()).toMatch(/comfy-ts local server/);
    expect(await getJson(`${server.url}/i18n`)).toEqual({});
    expect(await getJson(`${server.url}/workflow_templates`)).toEqual({});
    expect(await getJson(`${server.url}/users`)).toEqual({ storage: "server", migrated: true });
    expect((await fetch(`${server.url}/view_metadata/checkpoints?filename=x.safetensors`)).status).toBe(404);
    const folders = await getJson<{ name: string; folders: string[] }[]>(`${server.url}/experiment/models`);
    expect(folders.map((f) => f.name)).toContain("checkpoints");
    expect(await getJson(`${server.url}/experiment/models/loras`)).toEqual([]);
    expect((await fetch(`${server.url}/experiment/models/nope`)).status).toBe(404);
  });

  it("keeps settings in memory like the recorded exchange", async () => {
    expect(await getJson(`${server.url}/settings`)).toEqual({});
    const res = await postJson(`${server.url}/settings/TsClient.Test`, JSON.stringify("hello"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(await getJson(`${server.url}/settings/TsClient.Test`)).toBe("hello");
    expect(await getJson(`${server.url}/api/settings`)).toEqual({ "TsClient.Test": "hello" });
  });
});

describe("GET /view", () => {
  it.each([
    ["filename=t_00001_.png&type=output", 200, "png bytes"],
    ["filename=t_00001_.png", 200, "png bytes"],
    ["filename=s.png&subfolder=sub", 200, "sub png"],
    ["filename=in.png&type=input", 200, "input png"],
    ["filename=in.png [input]&type=output", 200, "input png"],
    ["filename=sub/t_00001_.png", 200, "png bytes"],
    ["filename=no_such_file.png&type=output", 404, ""],
    ["", 404, ""],
    ["filename=", 400, ""],
    ["filename=/etc/passwd&type=output", 400, ""],
    ["filename=../../etc/passwd&type=output", 400, ""],
    ["filename=..%2F..%2Fetc%2Fpasswd&type=output", 400, ""],
    ["filename=t_00001_.png&type=bogus", 400, ""],
    ["filename=passwd&type=output&subfolder=../../../../etc", 403, ""],
    ["filename=passwd&type=output&subfolder=/etc", 403, ""],
    ["filename=passwd&type=output&subfolder=sub/../..", 403, ""],
  ])("?%s → %s", async (query, status, body) => {
    const res = await fetch(`${server.url}/view${query ? `?${query}` : ""}`);
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(body);
  });

  it.each([
    ["bytes=0-2", 206, "png", "bytes 0-2/9"],
    ["bytes=4-", 206, "bytes", "bytes 4-8/9"],
    ["bytes=-5", 206, "bytes", "bytes 4-8/9"],
    ["bytes=20-30", 416, "", "bytes */9"],
  ])("serves Range %s", async (range, status, body, contentRange) => {
    const res = await fetch(`${server.url}/view?filename=t_00001_.png`, { headers: { range } });
    expect(res.status).toBe(status);
    expect(res.headers.get("content-range")).toBe(contentRange);
    expect(await res.text()).toBe(body);
  });

  it("sends the type by extension and forces HTML to download", async () => {
    const png = await fetch(`${server.url}/view?filename=t_00001_.png`);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("content-disposition")).toBe('filename="t_00001_.png"');
    const html = await fetch(`${server.url}/view?filename=page.html&type=temp`);
    expect(html.headers.get("content-type")).toBe("application/octet-stream");
  });
});

describeWithFixture(
  "GET /view error statuses match the 0.3.65 recordings",
  ["comfyui-0.3.65", "errors"],
  (dir) => {
    const cases = readdirSync(dir)
      .filter((f) => f.startsWith("view_"))
      .map((f) => {
        const rec = JSON.parse(readFileSync(join(dir, f), "utf8")) as {
          request: { path: string };
          status: number;
        };
        return [f, rec.request.path, rec.status] as const;
      });
    it("has the recorded cases", () => expect(cases.length).toBeGreaterThanOrEqual(7));
    it.each(cases)("%s: %s → %s", async (_f, path, status) => {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(status);
    });
  },
);

describe("POST /upload/image", () => {
  const upload = async (
    fields: Record<string, string>,
    file?: { name: string; bytes: Uint8Array },
    path = "/upload/image",
  ) => {
    const form = new FormData();
    if (file) form.set("image", new Blob([file.bytes]), file.name);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return fetch(`${server.url}${path}`, { method: "POST", body: form });
  };

  it("writes, detects duplicates by content, renames, overwrites and uses subfolders", async () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([4, 5, 6]);
    let res = await upload({}, { name: "up.png", bytes: a });
    expect(await res.json()).toEqual({ name: "up.png", subfolder: "", type: "input" });
    res = await upload({}, { name: "up.png", bytes: a });
    expect(await res.json()).toEqual({ name: "up.png", subfolder: "", type: "input" });
    res = await upload({}, { name: "up.png", bytes: b });
    expect(await res.json()).toEqual({ name: "up (1).png", subfolder: "", type: "input" });
    res = await upload({}, { name: "up.png", bytes: new Uint8Array([7]) });
    expect(await res.json()).toEqual({ name: "up (2).png", subfolder: "", type: "input" });
    res = await upload({ overwrite: "true" }, { name: "up.png", bytes: b });
    expect(await res.json()).toEqual({ name: "up.png", subfolder: "", type: "input" });
    expect([...(await readFile(join(server.dirs.input, "up.png")))]).toEqual([4, 5, 6]);
    res = await upload({ subfolder: "client/x", type: "temp" }, { name: "s.png", bytes: a });
    expect(await res.json()).toEqual({ name: "s.png", subfolder: "client/x", type: "temp" });
    expect([...(await readFile(join(server.dirs.temp, "client", "x", "s.png")))]).toEqual([1, 2, 3]);
  });

  it.each([
    ["no file", {}, undefined, 400],
    [
      "a subfolder escaping the folder",
      { subfolder: "../../tmp" },
      { name: "x.png", bytes: new Uint8Array([1]) },
      400,
    ],
    ["an absolute subfolder", { subfolder: "/tmp" }, { name: "x.png", bytes: new Uint8Array([1]) }, 400],
    ["an unknown type", { type: "bogus" }, { name: "x.png", bytes: new Uint8Array([1]) }, 500],
  ] as const)("answers %s with %s", async (_name, fields, file, status) => {
    const res = await upload({ ...fields }, file);
    expect(res.status).toBe(status);
  });
});
