import { describe, expect, it } from "vitest";
import {
  MissingComboValueError,
  MissingNodeClassError,
  NoServerError,
  type PoolServer,
  ServerPool,
} from "../../src/index.js";

function server(
  url: string,
  environmentKey = "cpu_torch1_comfy1",
  classes = ["EmptyImage", "SaveImage"],
): PoolServer {
  return { url, environmentKey, nodeClasses: new Set(classes) };
}

const nodes = [
  { nodeId: "1", classType: "EmptyImage", location: undefined },
  { nodeId: "2", classType: "SaveImage", location: undefined },
];

/** Errors shaped like the client's. */
const connectionRefused = () =>
  Object.assign(new Error("connect ECONNREFUSED"), { code: "COMFY_CONNECTION" });
const timeout = () => Object.assign(new Error("timed out in stage execution"), { code: "COMFY_TIMEOUT" });
const http = (status: number) =>
  Object.assign(new Error(`HTTP ${status}`), { code: "COMFY_HTTP_STATUS", status });
const executionError = () => Object.assign(new Error("node 3 failed"), { code: "COMFY_EXECUTION" });

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe("ServerPool", () => {
  it("bounds runs in flight per server and spreads them over the pool", async () => {
    const a = server("http://a");
    const b = server("http://b");
    const pool = new ServerPool([a, b], { concurrencyPerServer: 1 });
    let peak = 0;
    const used: string[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        pool.use({ nodes }, async (s) => {
          peak = Math.max(peak, pool.active(a), pool.active(b));
          used.push(s.url);
          await tick();
        }),
      ),
    );
    expect(peak).toBe(1);
    expect(used.filter((u) => u === "http://a").length).toBe(3);
    expect(used.filter((u) => u === "http://b").length).toBe(3);
  });

  it.each([
    ["connection refused", connectionRefused],
    ["timeout", timeout],
    ["HTTP 502", () => http(502)],
  ])("retries an infrastructure failure (%s) on another server", async (_label, fail) => {
    const pool = new ServerPool([server("http://a"), server("http://b")]);
    const { value, attempts } = await pool.use({ nodes }, async (s) => {
      if (s.url === "http://a") throw fail();
      return s.url;
    });
    expect(value).toBe("http://b");
    expect(attempts.map((a) => a.server)).toEqual(["http://a", "http://b"]);
  });

  it.each([
    ["an assertion failure", () => new Error("expected 1 to be 2")],
    ["a node execution error", executionError],
    ["an HTTP 400 (validation)", () => http(400)],
  ])("never retries %s", async (_label, fail) => {
    const pool = new ServerPool([server("http://a"), server("http://b")]);
    let calls = 0;
    await expect(
      pool.use({ nodes }, async () => {
        calls += 1;
        throw fail();
      }),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it("rethrows the original error when no other server is left, and lists every try otherwise", async () => {
    const single = new ServerPool([server("http://a")]);
    await expect(single.use({ nodes }, async () => Promise.reject(timeout()))).rejects.toThrow(
      "timed out in stage execution",
    );
    const pair = new ServerPool([server("http://a"), server("http://b")]);
    const error = await pair.use({ nodes }, async () => Promise.reject(timeout())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoServerError);
    expect((error as Error).message).toContain("http://a: timed out");
    expect((error as Error).message).toContain("http://b: timed out");
  });

  it("stops using a server that refused connections", async () => {
    const pool = new ServerPool([server("http://a"), server("http://b")]);
    await pool.use({ nodes }, async (s) => {
      if (s.url === "http://a") throw connectionRefused();
    });
    const { server: next } = await pool.use({ nodes }, async () => undefined);
    expect(next.url).toBe("http://b");
  });

  it("routes by environment key and says which environments exist", async () => {
    const pool = new ServerPool([server("http://cpu", "cpu_x"), server("http://h100", "nvidia-h100_x")]);
    const { server: chosen } = await pool.use(
      { nodes, environmentKey: "nvidia-h100_x" },
      async () => undefined,
    );
    expect(chosen.url).toBe("http://h100");
    await expect(pool.use({ nodes, environmentKey: "rtx-4090_x" }, async () => undefined)).rejects.toThrow(
      /no server has the environment "rtx-4090_x"[\s\S]*http:\/\/cpu \(cpu_x\)/,
    );
  });

  it("prefers servers of the environments the test has goldens for, and falls back to any", async () => {
    const pool = new ServerPool([server("http://cpu", "cpu_x"), server("http://h100", "nvidia-h100_x")]);
    for (let i = 0; i < 3; i++) {
      const { server: chosen } = await pool.use(
        { nodes, preferEnvironments: ["nvidia-h100_x"] },
        async () => undefined,
      );
      expect(chosen.url).toBe("http://h100");
    }
    const { server: any } = await pool.use(
      { nodes, preferEnvironments: ["rtx-4090_x"] },
      async () => undefined,
    );
    expect(any.url).toBe("http://cpu");
  });

  it("routes to servers that list the model files the graph names, and says which are missing", async () => {
    const withModels = (url: string, files: string[]): PoolServer => ({
      ...server(url, "cuda_x", ["CheckpointLoaderSimple", "SaveImage"]),
      comboValues: (classType, input) =>
        classType === "CheckpointLoaderSimple" && input === "ckpt_name" ? new Set(files) : undefined,
    });
    const pool = new ServerPool([
      withModels("http://a", ["sd15.safetensors"]),
      withModels("http://b", ["sdxl.safetensors"]),
    ]);
    const loader = [{ nodeId: "4", classType: "CheckpointLoaderSimple", location: undefined }];
    const want = (value: string) => [
      { nodeId: "4", classType: "CheckpointLoaderSimple", input: "ckpt_name", value },
      { nodeId: "9", classType: "SaveImage", input: "filename_prefix", value: "out" },
    ];
    const { server: chosen } = await pool.use(
      { nodes: loader, comboValues: want("sdxl.safetensors") },
      async () => undefined,
    );
    expect(chosen.url).toBe("http://b");
    const error = await pool
      .use({ nodes: loader, comboValues: want("flux.safetensors") }, async () => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingComboValueError);
    expect((error as Error).message).toContain(
      'node 4 (CheckpointLoaderSimple) ckpt_name: "flux.safetensors"',
    );
  });

  it("fails fast, before queueing, when no server has a node class", async () => {
    const pool = new ServerPool([
      server("http://a"),
      server("http://b", "cpu_torch1_comfy1", ["EmptyImage", "SaveImage", "KSampler"]),
    ]);
    const withSampler = [
      ...nodes,
      { nodeId: "3", classType: "KSampler", location: "pipelines/portrait.ts:12:5" },
    ];
    const { server: chosen } = await pool.use({ nodes: withSampler }, async () => undefined);
    expect(chosen.url).toBe("http://b");
    let ran = false;
    const error = await pool
      .use(
        { nodes: [...nodes, { nodeId: "7", classType: "UltimateSDUpscale", location: "x.ts:3:1" }] },
        async () => {
          ran = true;
        },
      )
      .catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(MissingNodeClassError);
    expect((error as Error).message).toContain("node 7: UltimateSDUpscale (created at x.ts:3:1)");
  });
});
