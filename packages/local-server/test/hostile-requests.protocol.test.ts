// Requests a careless or hostile client sends: the server answers each as ComfyUI would, keeps
// running, keeps its history readable, and writes nothing outside its folders.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { getJson, postJson } from "./support/http.js";
import { testNodes } from "./support/test-nodes.js";
import { WsRecorder } from "./support/ws-recorder.js";

let server: LocalServer;
let ws: WsRecorder;
beforeAll(async () => {
  server = await startLocalServer({ nodes: testNodes() });
  ws = await WsRecorder.connect(server.url, "hostile");
});
afterAll(async () => {
  ws.close();
  await server.close();
});

/** Opens a raw TCP connection to the server and sends `text`; resolves with the socket and what it received. */
async function rawRequest(
  text: string,
): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), "127.0.0.1");
  let data = "";
  socket.on("data", (chunk: Buffer) => {
    data += chunk.toString("latin1");
  });
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(text);
  return { socket, received: () => data, closed };
}

function upgradeRequest(path: string, headers: Record<string, string> = {}): string {
  const { host } = new URL(server.url);
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version: 13",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n`;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stillServes(): Promise<void> {
  const stats = await fetch(`${server.url}/system_stats`);
  expect(stats.status).toBe(200);
}

async function runToEnd(body: Record<string, unknown>): Promise<string> {
  const res = await postJson(`${server.url}/prompt`, { client_id: "hostile", ...body });
  expect(res.status).toBe(200);
  const { prompt_id } = (await res.json()) as { prompt_id: string };
  await ws.waitForDone(prompt_id);
  return prompt_id;
}

const tiny = (value: number) => ({
  "1": { class_type: "TestNumber", inputs: { value } },
  "2": { class_type: "TestOutput", inputs: { value: ["1", 0] } },
});

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { deeper: value };
  return value;
}

describe("WebSocket upgrades", () => {
  it("survives a client that resets the connection after a cross-site upgrade was refused (403)", async () => {
    for (let i = 0; i < 4; i++) {
      const { socket, received } = await rawRequest(upgradeRequest("/ws", { Origin: "http://evil.example" }));
      await pause(200);
      expect(received()).toMatch(/^HTTP\/1\.1 403 /);
      socket.resetAndDestroy();
      await pause(50);
    }
    await stillServes();
  });

  it("survives resets at every moment of a refused or accepted upgrade", async () => {
    for (const [path, headers] of [
      ["/ws", { Origin: "http://evil.example" }],
      ["/ws", {}],
      ["/nowhere", {}],
      ["/queue", {}],
    ] as const) {
      for (const wait of [0, 1, 20]) {
        const { socket } = await rawRequest(upgradeRequest(path, headers));
        await pause(wait);
        socket.resetAndDestroy();
      }
    }
    await pause(100);
    await stillServes();
  });

  it("answers an upgrade on a path that is not a WebSocket route as the plain request (404, or the route's answer)", async () => {
    const unknown = await rawRequest(upgradeRequest("/nowhere"));
    await unknown.closed;
    expect(unknown.received()).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[\s\S]*\r\n\r\n404: Not Found$/);
    const queue = await rawRequest(upgradeRequest("/queue"));
    await queue.closed;
    expect(queue.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{"queue_running"/);
  });
});

describe("request targets", () => {
  it.each(["//a:b", "//", "//[::1", "http://x:99999/", "*", "/view?filename=a#b"])(
    "routes %s as a path instead of failing to parse it",
    async (target) => {
      const { host } = new URL(server.url);
      const probe = await rawRequest(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      await probe.closed;
      expect(probe.received()).toMatch(/^HTTP\/1\.1 (200|400|404) /);
      await stillServes();
    },
  );
});

describe("deeply nested bodies", () => {
  it("refuses a body nested deeper than ComfyUI's JSON decoder goes (500, as its RecursionError), and history stays readable", async () => {
    // 5,000 levels: more than JSON.stringify writes, so the text is built by hand.
    const deep = `${"[".repeat(5_000)}1${"]".repeat(5_000)}`;
    for (const extra of [`{"poison": ${deep}}`, `{"extra_pnginfo": {"workflow": ${deep}}}`]) {
      const text = `{"prompt": ${JSON.stringify(tiny(1))}, "extra_data": ${extra}}`;
      const res = await fetch(`${server.url}/prompt`, { method: "POST", body: text });
      expect(res.status).toBe(500);
      expect(await res.text()).toBe("500 Internal Server Error\n\nServer got itself in trouble");
    }
    expect((await fetch(`${server.url}/history`)).status).toBe(200);
  });

  it("stores and serves a body nested as deep as ComfyUI accepts, with an integer beyond 2^53 inside", async () => {
    const deep = nested(900, 18446744073709551615n);
    const text = JSON.stringify({
      prompt: tiny(2),
      client_id: "hostile",
      extra_data: { deep: "MARK" },
    }).replace(
      '"MARK"',
      JSON.stringify(deep, (_k, v) => (typeof v === "bigint" ? "BIG" : v)).replace(
        '"BIG"',
        "18446744073709551615",
      ),
    );
    const res = await fetch(`${server.url}/prompt`, { method: "POST", body: text });
    expect(res.status).toBe(200);
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    await ws.waitForDone(prompt_id);
    for (const url of [
      `${server.url}/history`,
      `${server.url}/history/${prompt_id}`,
      `${server.url}/queue`,
    ]) {
      const answer = await fetch(url);
      expect(answer.status).toBe(200);
      expect(await answer.text()).not.toBe("");
    }
    expect(await (await fetch(`${server.url}/history/${prompt_id}`)).text()).toContain(
      "18446744073709551615",
    );
  });
});

describe("uploads never make folders outside the upload folder", () => {
  async function upload(fields: Record<string, string>, filename: string): Promise<Response> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set("image", new Blob([Uint8Array.of(1, 2, 3)]), filename);
    return fetch(`${server.url}/upload/image`, { method: "POST", body: form });
  }

  it("refuses a subfolder outside the input folder even when the file name leads back inside", async () => {
    const base = dirname(server.dirs.input);
    const before = await readdir(base);
    const res = await upload({ subfolder: "../relprobe_newdir" }, "../input/back_in.png");
    expect(res.status).toBe(400);
    expect(await readdir(base)).toEqual(before);
    expect(existsSync(join(server.dirs.input, "back_in.png"))).toBe(false);
  });

  it("refuses an absolute subfolder with an absolute file name inside the input folder", async () => {
    const outside = await mkdtemp(join(tmpdir(), "comfy-ts-probe-"));
    await rm(outside, { recursive: true });
    const res = await upload({ subfolder: join(outside, "x") }, join(server.dirs.input, "abs.png"));
    expect(res.status).toBe(400);
    expect(existsSync(outside)).toBe(false);
  });

  it("still takes a subfolder inside the input folder", async () => {
    const res = await upload({ subfolder: "nested/deeper" }, "ok.png");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: "ok.png", subfolder: "nested/deeper", type: "input" });
    expect(existsSync(join(server.dirs.input, "nested", "deeper", "ok.png"))).toBe(true);
  });
});

describe("POST /prompt fields as Python reads them", () => {
  it("takes str() of a prompt_id that is not a string", async () => {
    const cases: [unknown, string][] = [
      [{ x: 1 }, "{'x': 1}"],
      [[1, "a"], "[1, 'a']"],
      [true, "True"],
      [12, "12"],
    ];
    for (const [given, expected] of cases) {
      const id = await runToEnd({ prompt: tiny(3), prompt_id: given });
      expect(id).toBe(expected);
      const history = await getJson<Record<string, unknown>>(
        `${server.url}/history/${encodeURIComponent(expected)}`,
      );
      expect(Object.keys(history)).toEqual([expected]);
    }
  });

  it("reads number with Python's float() and writes infinities as Python's json does", async () => {
    const res = await postJson(`${server.url}/prompt`, {
      prompt: tiny(4),
      number: "Infinity",
      client_id: "hostile",
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/"number": ?Infinity/);
    const id = /"prompt_id": ?"([^"]+)"/.exec(text)?.[1] as string;
    await ws.waitForDone(id);
    expect(await (await fetch(`${server.url}/history/${id}`)).text()).toContain("[Infinity,");
    for (const [number, status] of [
      ["1_000", 200],
      [" -2.5 ", 200],
      ["nan", 200],
      ["0x10", 500],
      ["", 500],
      [null, 500],
      [[], 500],
    ] as const) {
      const answer = await postJson(`${server.url}/prompt`, { prompt: tiny(5), number });
      expect([number, answer.status]).toEqual([number, status]);
      await answer.text();
    }
    await postJson(`${server.url}/queue`, { clear: true });
  });
});

describe("filename_prefix", () => {
  it("takes a prefix that starts with two dots but resolves inside the output folder", async () => {
    const { saveImagePath } = await import("../src/files/save-images.js");
    const path = saveImagePath("..foo/bar", server.dirs.output, 8, 8);
    expect(path.folder).toBe(join(server.dirs.output, "..foo"));
    expect(path.filename).toBe("bar");
    expect(() => saveImagePath("../escape/bar", server.dirs.output, 8, 8)).toThrow(
      /outside the output folder/,
    );
  });
});

describe("bodies read as ComfyUI's Python handlers read them", () => {
  it.each([
    ["/prompt", '[{"prompt": {}}]', 400],
    ["/prompt", '"no such key"', 400],
    ["/prompt", '"a prompt"', 500],
    ["/prompt", "7", 500],
    ["/queue", '["delete"]', 500],
    ["/queue", '"delete me"', 500],
    ["/queue", '{"delete": 5}', 500],
    ["/queue", '{"delete": "abc"}', 200],
    ["/history", '{"delete": [["x"]]}', 500],
    ["/history", "[]", 200],
    ["/free", "[]", 500],
    ["/free", '{"free_memory": "yes"}', 200],
    ["/interrupt", "[]", 500],
    ["/interrupt", "not json", 200],
    ["/interrupt", "", 200],
    ["/settings", "[1]", 500],
  ])("POST %s %s → %s", async (route, body, status) => {
    const res = await fetch(`${server.url}${route}`, { method: "POST", body });
    expect(res.status).toBe(status);
    await res.arrayBuffer();
  });

  it("refuses a body that is not UTF-8 (500), as aiohttp's text() does", async () => {
    const res = await fetch(`${server.url}/prompt`, {
      method: "POST",
      body: Uint8Array.of(0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d),
    });
    expect(res.status).toBe(500);
  });

  it("keeps settings named like Object members as plain names", async () => {
    expect(await getJson(`${server.url}/settings/constructor`)).toBeNull();
    await postJson(`${server.url}/settings/__proto__`, { x: 1 });
    expect(await getJson(`${server.url}/settings/__proto__`)).toEqual({ x: 1 });
    expect(await getJson<Record<string, unknown>>(`${server.url}/settings`)).toMatchObject({
      ["__proto__"]: { x: 1 },
    });
  });

  it("takes prompt_id null as str(None) and max_items with Python's int()", async () => {
    const id = await runToEnd({ prompt: tiny(6), prompt_id: null });
    expect(id).toBe("None");
    expect((await fetch(`${server.url}/history?max_items=1_0`)).status).toBe(200);
  });

  it("answers an upload whose image field is text with 500 (it has no .file)", async () => {
    const form = new FormData();
    form.set("image", "not a file");
    expect((await fetch(`${server.url}/upload/image`, { method: "POST", body: form })).status).toBe(500);
  });
});
