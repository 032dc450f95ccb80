import { describe, expect, it } from "vitest";
import {
  isInfrastructureError,
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

  it("tries a run on at most maxAttempts servers", async () => {
    const pool = new ServerPool([server("http://a"), server("http://b"), server("http://c")], {
      maxAttempts: 2,
    });
    const tried: string[] = [];
    const error = await pool
      .use({ nodes }, async (s) => {
        tried.push(s.url);
        throw timeout();
      })
      .catch((e: unknown) => e);
    expect(tried).toEqual(["http://a", "http://b"]);
    expect(error).toBeInstanceOf(NoServerError);
    expect((error as Error).message).not.toContain("http://c");
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects maxAttempts %s", (maxAttempts) => {
    expect(() => new ServerPool([server("http://a")], { maxAttempts })).toThrow(
      /maxAttempts must be an integer ≥ 1/,
    );
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

  it("falls back from a preferred environment whose servers refused connections", async () => {
    const pool = new ServerPool([server("http://cpu", "cpu_x"), server("http://h100", "nvidia-h100_x")]);
    const prefer = { nodes, preferEnvironments: ["nvidia-h100_x"] };
    const first = await pool.use(prefer, async (s) => {
      if (s.url === "http://h100") throw connectionRefused();
      return s.url;
    });
    expect(first.attempts.map((a) => a.server)).toEqual(["http://h100", "http://cpu"]);
    const { server: next } = await pool.use(prefer, async () => undefined);
    expect(next.url).toBe("http://cpu");
  });

  it.each([
    ["timeout", timeout],
    ["HTTP 503", () => http(503)],
  ])("tries another environment after a %s on the only preferred server", async (_label, fail) => {
    const pool = new ServerPool([server("http://cpu", "cpu_x"), server("http://h100", "nvidia-h100_x")]);
    const result = await pool.use({ nodes, preferEnvironments: ["nvidia-h100_x"] }, async (s) => {
      if (s.url === "http://h100") throw fail();
      return s.url;
    });
    expect(result.value).toBe("http://cpu");
    expect(result.attempts.map((a) => a.server)).toEqual(["http://h100", "http://cpu"]);
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

describe("isInfrastructureError", () => {
  const withCode = (code: string, message = "x", extra: object = {}) =>
    Object.assign(new Error(message), { code, ...extra });
  it.each<[string, unknown, boolean]>([
    ["connection refused", connectionRefused(), true],
    ["unreachable", withCode("ERR_SERVER_UNREACHABLE"), true],
    ["timeout", timeout(), true],
    ["prompt lost (server restarted)", withCode("COMFY_PROMPT_LOST"), true],
    ["submission outcome unknown (no answer in the submit bound)", withCode("COMFY_OUTCOME_UNKNOWN"), true],
    ["HTTP 500", http(500), true],
    ["HTTP 503", http(503), true],
    ["HTTP 499", http(499), false],
    ["HTTP 400", http(400), false],
    ["HTTP status without a number", withCode("COMFY_HTTP_STATUS"), false],
    [
      "interrupted by someone else",
      withCode("COMFY_INTERRUPTED", "prompt p was interrupted at node 3", { byUs: false }),
      true,
    ],
    [
      "interrupted by our own AbortSignal",
      withCode("COMFY_INTERRUPTED", "prompt p was interrupted (aborted by the caller)", { byUs: true }),
      false,
    ],
    [
      "interrupted by us, whatever the message says",
      withCode("COMFY_INTERRUPTED", "prompt p was interrupted at node 3", { byUs: true }),
      false,
    ],
    [
      "interrupted by someone else, whatever the message says",
      withCode("COMFY_INTERRUPTED", "aborted by the caller", { byUs: false }),
      true,
    ],
    ["node execution error", executionError(), false],
    ["plain assertion error", new Error("expected 1 to be 2"), false],
    ["a string", "COMFY_TIMEOUT", false],
    ["null", null, false],
  ])("%s → %s", (_label, error, want) => {
    expect(isInfrastructureError(error)).toBe(want);
  });
});
