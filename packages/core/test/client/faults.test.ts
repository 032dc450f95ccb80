// Fault suite: every case ends in a result or a typed error, within its bound.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ComfyClient } from "../../src/client/comfy-client.js";
import {
  ComfyClientError,
  ComfyConnectionError,
  ComfyHttpError,
  ComfyPromptLostError,
  ComfyTimeoutError,
} from "../../src/client/errors.js";
import type { RunProgressEvent } from "../../src/client/job-tracker.js";
import type { RunResult } from "../../src/client/run.js";
import { FakeComfy, SAMPLER_GRAPH } from "./support/fake-comfy.js";

let fake: FakeComfy;
let client: ComfyClient;
let baseline: ReturnType<typeof shape>;

function makeClient(overrides: ConstructorParameters<typeof ComfyClient>[0] | object = {}) {
  return new ComfyClient({
    baseUrl: fake.url,
    pollIntervalMs: 25,
    timeouts: {
      connect: 500,
      request: 1_000,
      queue: 3_000,
      execution: 3_000,
      download: 1_000,
      interrupt: 1_000,
      unreachable: 1_000,
    },
    reconnect: { retries: 4, initialDelayMs: 20, maxDelayMs: 100 },
    retry: { retries: 2, initialDelayMs: 10, maxDelayMs: 40 },
    ...overrides,
  });
}

/** What must not depend on the path that finished the job. */
function shape(r: RunResult) {
  return {
    images: r.images.map((i) => ({
      nodeId: i.nodeId,
      type: i.type,
      bytes: Buffer.from(i.bytes!).toString("hex"),
    })),
    executedNodes: r.executedNodes,
    cachedNodes: r.cachedNodes,
  };
}

/** Settles with the result or the error, failing the test if it takes longer than `ms`. */
async function within<T>(
  ms: number,
  promise: Promise<T>,
): Promise<{ value?: T; error?: unknown; elapsed: number }> {
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  try {
    const value = await Promise.race([promise, bound]);
    return { value, elapsed: Date.now() - start };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("did not settle")) throw error;
    return { error, elapsed: Date.now() - start };
  } finally {
    clearTimeout(timer);
  }
}

beforeEach(async () => {
  fake = await FakeComfy.start();
  fake.nodeDelayMs = 30;
  client = makeClient();
  // The reference result of an undisturbed run (every case runs with a fresh cache).
  baseline = shape(await client.run(SAMPLER_GRAPH as never, { forceExecution: "nonce" }));
});
afterEach(async () => {
  client.close();
  await fake.close().catch(() => undefined);
});

describe("socket drops", () => {
  it.each(["queued", "start", "node", "success", "history"] as const)(
    "dropped at %s: same result",
    async (point) => {
      let dropped = false;
      fake.hooks.at = (p) => {
        if (p === point && !dropped) {
          dropped = true;
          fake.dropSockets();
        }
      };
      const events: RunProgressEvent[] = [];
      const { value, error } = await within(
        5_000,
        client.run(SAMPLER_GRAPH as never, { forceExecution: "nonce", onProgress: (e) => events.push(e) }),
      );
      expect(error).toBeUndefined();
      expect(dropped).toBe(true);
      expect(shape(value!)).toEqual(baseline);
      expect(events.some((e) => e.type === "connection" && e.state === "reconnecting")).toBe(true);
    },
  );

  it("dropped before the job, and the socket cannot come back: polling finishes it", async () => {
    client.socket().close();
    fake.refuseWebSocket = true;
    const events: RunProgressEvent[] = [];
    const { value, error } = await within(
      5_000,
      client.run(SAMPLER_GRAPH as never, { forceExecution: "nonce", onProgress: (e) => events.push(e) }),
    );
    expect(error).toBeUndefined();
    expect(value!.completedVia).toBe("polling");
    expect(shape(value!)).toEqual(baseline);
    const polling = events.findIndex((e) => e.type === "connection" && e.state === "polling");
    // Reported once the prompt was accepted, with the reason.
    expect(polling).toBeGreaterThan(events.findIndex((e) => e.type === "submitted"));
    expect(events[polling]).toMatchObject({ reason: expect.stringMatching(/^WebSocket unavailable \(/) });
  });

  it("dropped during the job while reconnects keep failing: bounded attempts, then polling", async () => {
    fake.hooks.at = (p) => {
      if (p === "node") {
        fake.refuseWebSocket = true;
        fake.dropSockets();
      }
    };
    fake.nodeDelayMs = 200;
    const states: string[] = [];
    const { value, error } = await within(
      8_000,
      client.run(SAMPLER_GRAPH as never, {
        forceExecution: "nonce",
        onProgress: (e) => e.type === "connection" && states.push(e.state),
      }),
    );
    expect(error).toBeUndefined();
    expect(value!.completedVia).toBe("polling");
    expect(shape(value!)).toEqual(baseline);
    // No reconnect storm: at most `reconnect.retries` attempts, then "failed".
    expect(states.filter((s) => s === "reconnecting").length).toBeLessThanOrEqual(4);
  });
});

describe("HTTP faults", () => {
  it("500 on /history a few times: retried, same result", async () => {
    let failures = 0;
    fake.hooks.route = (_req, res, path) => {
      if (path.startsWith("/history/") && failures < 2) {
        failures++;
        res.writeHead(500);
        res.end("500 Internal Server Error");
        return true;
      }
      return false;
    };
    const { value, error } = await within(
      5_000,
      client.run(SAMPLER_GRAPH as never, { forceExecution: "nonce", history: "always" }),
    );
    expect(error).toBeUndefined();
    expect(failures).toBe(2);
    expect(shape(value!)).toEqual(baseline);
  });

  it("500 on /history always: an HTTP error with the body", async () => {
    fake.hooks.route = (_req, res, path) => {
      if (!path.startsWith("/history/")) return false;
      res.writeHead(500);
      res.end("history broke");
      return true;
    };
    const { error } = await within(
      5_000,
      client.run(SAMPLER_GRAPH as never, { forceExecution: "nonce", history: "always" }),
    );
    expect(error).toBeInstanceOf(ComfyHttpError);
    expect(error).toMatchObject({ status: 500, body: "history broke" });
  });

  it("slow /view: a download timeout naming the prompt", async () => {
    fake.hooks.route = async (_req, res, path) => {
      if (path !== "/view") return false;
      await new Promise((r) => setTimeout(r, 2_000));
      res.end();
      return true;
    };
    const c = makeClient({
      timeouts: { download: 100 },
      retry: { retries: 1, initialDelayMs: 5, maxDelayMs: 5 },
    });
    const { error, elapsed } = await within(
      3_000,
      c.run(SAMPLER_GRAPH as never, { forceExecution: "nonce" }),
    );
    c.close();
    expect(error).toBeInstanceOf(ComfyTimeoutError);
    expect(error).toMatchObject({ stage: "download", timeoutMs: 100 });
    const promptId = (error as ComfyTimeoutError).promptId;
    expect(promptId).toMatch(/^[0-9a-f-]{36}$/);
    expect((error as Error).message).toContain(`(prompt_id ${promptId})`);
    expect(elapsed).toBeLessThan(2_000);
  });

  it("POST /prompt answer lost after the server queued it: the job runs once", async () => {
    let cut = false;
    fake.hooks.route = async (req, _res, path) => {
      if (path !== "/prompt" || req.method !== "POST" || cut) return false;
      cut = true;
      // Let the server take the prompt, then cut the connection before the answer arrives.
      const original = _res.end.bind(_res);
      _res.end = ((..._args: unknown[]) => {
        req.socket.destroy();
        return _res;
      }) as typeof _res.end;
      void original;
      return false;
    };
    const { value, error } = await within(
      5_000,
      client.run(SAMPLER_GRAPH as never, { forceExecution: "nonce" }),
    );
    expect(error).toBeUndefined();
    expect(fake.submissions.get(value!.promptId)).toBe(1);
    expect(shape(value!)).toEqual(baseline);
  });
});

describe("server gone or stuck", () => {
  it("server dies mid-job: a connection error within the bound", async () => {
    const victim = fake;
    victim.hooks.at = (p) => {
      if (p === "node") void victim.kill();
    };
    const { error, elapsed } = await within(
      6_000,
      client.run(SAMPLER_GRAPH as never, { forceExecution: "nonce" }),
    );
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect(error).toBeInstanceOf(ComfyClientError);
    expect(elapsed).toBeLessThan(5_000);
  });

  it("server restarts mid-job (queue and history lost): prompt-lost error", async () => {
    fake.hooks.at = (p) => {
      if (p === "node") fake.restart();
    };
    const { error } = await within(6_000, client.run(SAMPLER_GRAPH as never, { forceExecution: "nonce" }));
    expect(error).toBeInstanceOf(ComfyPromptLostError);
    expect((error as Error).message).toMatch(/did the server restart/);
  });

  it("stuck in the queue: a queue timeout naming the prompt", async () => {
    fake.paused = true;
    const c = makeClient({ timeouts: { queue: 200 } });
    const { error } = await within(3_000, c.run(SAMPLER_GRAPH as never, { forceExecution: "nonce" }));
    c.close();
    expect(error).toBeInstanceOf(ComfyTimeoutError);
    expect(error).toMatchObject({ stage: "queue", timeoutMs: 200 });
    expect(fake.pending).toHaveLength(0); // taken off the server's queue
    expect((error as Error).message).toContain(`prompt_id ${(error as ComfyTimeoutError).promptId}`);
  });

  it("a node that never finishes: an execution timeout", async () => {
    const c = makeClient({ timeouts: { execution: 200 } });
    const slow = {
      "1": { class_type: "Slow", inputs: { ms: 3_000 } },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0] } },
    };
    const { error } = await within(3_000, c.run(slow as never));
    c.close();
    expect(error).toBeInstanceOf(ComfyTimeoutError);
    expect(error).toMatchObject({ stage: "execution" });
    expect(fake.requests).toContain("POST /interrupt");
    await expect.poll(() => fake.running).toBeUndefined(); // interrupted on the server
  });

  it("nothing listens at all: a connection error, quickly, and no news of the socket before it", async () => {
    await fake.kill();
    const warnings: string[] = [];
    const c = makeClient({ logger: { warn: (m: string) => warnings.push(m) } });
    const events: RunProgressEvent[] = [];
    const { error, elapsed } = await within(
      5_000,
      c.run(SAMPLER_GRAPH as never, { onProgress: (e) => events.push(e) }),
    );
    c.close();
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect((error as Error).message).toMatch(/POST .*\/prompt/);
    expect(elapsed).toBeLessThan(3_000);
    expect(events).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
