// Every documented bound is the total a caller waits; a prompt is sent again only when the first
// attempt provably never reached the server; a job that finished is found by its id.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Agent, buildConnector } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ComfyClient } from "../../src/client/comfy-client.js";
import {
  ComfyConnectionError,
  ComfyHttpError,
  ComfyInputError,
  ComfyInterruptedError,
  ComfyOutcomeUnknownError,
} from "../../src/client/errors.js";
import { FakeComfy, SAMPLER_GRAPH } from "./support/fake-comfy.js";

let fake: FakeComfy;
const clients: ComfyClient[] = [];

function client(options: Partial<ConstructorParameters<typeof ComfyClient>[0]> = {}): ComfyClient {
  const c = new ComfyClient({
    baseUrl: fake.url,
    pollIntervalMs: 25,
    timeouts: {
      connect: 400,
      request: 800,
      submit: 1_200,
      queue: 4_000,
      execution: 4_000,
      download: 800,
      interrupt: 800,
    },
    reconnect: { retries: 3, initialDelayMs: 20, maxDelayMs: 100 },
    retry: { retries: 2, initialDelayMs: 10, maxDelayMs: 40 },
    ...options,
  });
  clients.push(c);
  return c;
}

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const start = performance.now();
  try {
    return { value: await promise, ms: performance.now() - start };
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
}

/** Slack for a loaded 2-core machine on top of a bound. */
const SLACK_MS = 1_500;

beforeEach(async () => {
  fake = await FakeComfy.start();
  fake.nodeDelayMs = 30;
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await fake.close().catch(() => undefined);
});

describe("bounds are totals", () => {
  it("a server that accepts connections and never answers: run() ends within connect + submit", async () => {
    fake.hangWebSocket = true;
    fake.hooks.route = () => new Promise<boolean>(() => {}); // every request: no answer, ever
    const c = client();
    const { error, ms } = await settle(c.run(SAMPLER_GRAPH as never));
    expect(error).toBeInstanceOf(ComfyOutcomeUnknownError);
    expect(ms).toBeLessThan(400 + 1_200 + SLACK_MS);
  });

  it("retries of one request stay inside its bound (Retry-After included)", async () => {
    fake.hooks.route = (_req, res) => {
      res.writeHead(503, { "retry-after": "10" });
      res.end("busy");
      return true;
    };
    const c = client({ retry: { retries: 5, initialDelayMs: 300, maxDelayMs: 5_000 } });
    const { error, ms } = await settle(c.queue());
    expect(error).toBeInstanceOf(ComfyHttpError);
    expect(ms).toBeLessThan(800 + SLACK_MS);
  });
});

describe("a prompt runs at most once", () => {
  it("a POST held by the network past the submit bound is not sent again: outcome unknown, with the id", async () => {
    fake.holdPromptMs = 2_000;
    const c = client({ timeouts: { submit: 1_000 } });
    const { error, ms } = await settle(
      c.run(SAMPLER_GRAPH as never, { promptId: "0c9d2f3a-1111-4222-8333-444455556666" }),
    );
    expect(error).toBeInstanceOf(ComfyOutcomeUnknownError);
    expect(error).toMatchObject({ promptId: "0c9d2f3a-1111-4222-8333-444455556666" });
    expect((error as Error).message).toContain("0c9d2f3a-1111-4222-8333-444455556666");
    expect(ms).toBeLessThan(400 + 1_000 + SLACK_MS);
    // The held POST arrives later: the server runs it, once.
    await expect
      .poll(() => fake.submissions.get("0c9d2f3a-1111-4222-8333-444455556666"), { timeout: 5_000 })
      .toBe(1);
    expect(fake.requests.filter((r) => r === "POST /prompt")).toHaveLength(1);
  });

  it("a POST refused before any byte was written is sent again, and runs once", async () => {
    let refusals = 0;
    const connect = buildConnector({});
    const dispatcher = new Agent({
      connect: (options, callback) => {
        if (options.port === new URL(fake.url).port && refusals === 0 && submitting) {
          refusals++;
          callback(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), null);
          return;
        }
        connect(options, callback);
      },
    });
    let submitting = false;
    const c = client({ dispatcher });
    const ws = c.socket();
    await ws.connect();
    submitting = true;
    const { value, error } = await settle(c.run(SAMPLER_GRAPH as never));
    await dispatcher.close();
    expect(error).toBeUndefined();
    expect(refusals).toBe(1);
    expect(fake.submissions.get(value!.promptId)).toBe(1);
  });
});

describe("a finished job is found by its id", () => {
  it("every connection cut for a while mid-job: the result, from history", async () => {
    fake.nodeDelayMs = 300;
    let cut = false;
    fake.hooks.at = (point) => {
      if (point === "node" && !cut) {
        cut = true;
        fake.cutFor(1_200);
      }
    };
    const c = client({ timeouts: { unreachable: 5_000 } });
    const { value, error } = await settle(c.run(SAMPLER_GRAPH as never, { forceExecution: "nonce" }));
    expect(error).toBeUndefined();
    expect(cut).toBe(true);
    expect(value!.images).toHaveLength(1);
  });

  it("a garbage answer to POST /prompt: the job is found by its id and its result returned", async () => {
    let garbled = false;
    fake.hooks.route = (_req: IncomingMessage, res: ServerResponse, path: string) => {
      if (path !== "/prompt" || garbled) return false;
      garbled = true;
      const end = res.end.bind(res);
      const writeHead = res.writeHead.bind(res);
      res.writeHead = ((status: number) =>
        writeHead(status, { "content-type": "application/json" })) as never;
      res.end = ((..._args: unknown[]) => end("\u0000\u0001 not json {")) as never;
      return false;
    };
    const c = client();
    const { value, error } = await settle(c.run(SAMPLER_GRAPH as never));
    expect(error).toBeUndefined();
    expect(fake.submissions.get(value!.promptId)).toBe(1);
    expect(value!.images).toHaveLength(1);
  });

  it("a server that is gone mid-job: a connection error within the unreachable bound", async () => {
    fake.nodeDelayMs = 300;
    fake.hooks.at = (point) => {
      if (point === "node") void fake.kill();
    };
    const c = client({ timeouts: { unreachable: 1_000 } });
    const { error, ms } = await settle(c.run(SAMPLER_GRAPH as never));
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect((error as ComfyConnectionError).promptId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ms).toBeLessThan(1_000 + 1_500 + SLACK_MS);
  });
});

describe("options are validated", () => {
  it.each([
    ["retry factor NaN", { retry: { factor: Number.NaN } }, /retry\.factor/],
    ["retry retries -1", { retry: { retries: -1 } }, /retry\.retries/],
    ["retry retries 1.5", { retry: { retries: 1.5 } }, /retry\.retries/],
    [
      "reconnect initialDelayMs Infinity",
      { reconnect: { initialDelayMs: Infinity } },
      /reconnect\.initialDelayMs/,
    ],
    ["reconnect maxDelayMs -5", { reconnect: { maxDelayMs: -5 } }, /reconnect\.maxDelayMs/],
    ["reconnect factor 0.5", { reconnect: { factor: 0.5 } }, /reconnect\.factor/],
    ["pollIntervalMs Infinity", { pollIntervalMs: Infinity }, /pollIntervalMs/],
  ])("%s → ComfyInputError naming the option", (_name, options, message) => {
    expect(() => new ComfyClient({ baseUrl: "http://127.0.0.1:1", ...options } as never)).toThrow(
      ComfyInputError,
    );
    expect(() => new ComfyClient({ baseUrl: "http://127.0.0.1:1", ...options } as never)).toThrow(message);
  });
});

describe("aborting", () => {
  it("an abort while /history is read after the job ended stops at once", async () => {
    let reads = 0;
    const controller = new AbortController();
    fake.hooks.route = (_req, _res, path) => {
      if (!path.startsWith("/history/")) return false;
      reads++;
      controller.abort(new Error("stop"));
      return new Promise<boolean>(() => {}); // never answers
    };
    const c = client({ timeouts: { request: 5_000 } });
    const { error, ms } = await settle(
      c.run(SAMPLER_GRAPH as never, { history: "always", signal: controller.signal }),
    );
    expect(reads).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(ComfyInterruptedError);
    expect(ms).toBeLessThan(800 + SLACK_MS);
  });
});
