// The client (`run()`) against a real local server through a proxy that breaks the network on
// purpose: drops, holds, delays, truncations, garbage and resets at each stage, an outage of every
// connection, the server killed (and restarted). Every case ends in a result or a typed error within
// its stated bound, and the server never receives a prompt id twice.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ComfyClient, ComfyClientError, type RunResult, type Timeouts } from "@comfy-ts/core/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildServer, startChildServer } from "./support/child-server.js";
import { type FaultProxy, type FaultRule, startFaultProxy } from "./support/fault-proxy.js";

const TIMEOUTS: Timeouts = {
  connect: 1_500,
  request: 2_000,
  submit: 3_000,
  queue: 15_000,
  execution: 15_000,
  download: 2_000,
  interrupt: 2_000,
  unreachable: 4_000,
};
/** Slack over a bound on a loaded 2-core machine. */
const SLACK_MS = 3_000;

let dir: string;
let server: ChildServer;
let proxy: FaultProxy;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "comfy-ts-client-faults-"));
  server = await startChildServer(join(dir, "server"), join(dir, "cwd"));
  proxy = await startFaultProxy(server.url);
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A job whose middle node takes `ms`, with a unique colour (so a result is recognisably its own). */
function job(ms: number, color: number) {
  return {
    "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color } },
    "2": { class_type: "TestSleep", inputs: { image: ["1", 0], ms } },
    "3": { class_type: "SaveImage", inputs: { images: ["2", 0], filename_prefix: `fault_${color}` } },
  };
}

type Outcome = "result" | "typed error";

interface Case {
  readonly name: string;
  readonly rules?: FaultRule[];
  readonly sleepMs?: number;
  /** Done once the job runs on the server (an outage, a kill). */
  readonly whileRunning?: () => Promise<void> | void;
  readonly expect: Outcome | readonly Outcome[];
  /** The error code when a typed error is expected. */
  readonly code?: string;
  /** The bound the case must end within (ms), from the stated bounds. */
  readonly bound: number;
}

const { connect, submit, queue, execution, download, interrupt } = TIMEOUTS;
const RUN_BOUND = connect + submit + queue + execution + 3 * download + interrupt;

const CASES: Case[] = [
  { name: "no fault", expect: "result", bound: RUN_BOUND },
  {
    name: "POST /prompt dropped before it reaches the server",
    rules: [{ match: "POST /prompt", fault: { kind: "drop" }, times: 1 }],
    expect: "typed error",
    code: "COMFY_OUTCOME_UNKNOWN",
    bound: connect + submit,
  },
  {
    name: "POST /prompt reset",
    rules: [{ match: "POST /prompt", fault: { kind: "reset" }, times: 1 }],
    expect: "typed error",
    code: "COMFY_OUTCOME_UNKNOWN",
    bound: connect + submit,
  },
  {
    name: "POST /prompt into a black hole",
    rules: [{ match: "POST /prompt", fault: { kind: "blackhole" }, times: 1 }],
    expect: "typed error",
    code: "COMFY_OUTCOME_UNKNOWN",
    bound: connect + submit,
  },
  {
    name: "POST /prompt held past the submit bound, then delivered",
    rules: [{ match: "POST /prompt", fault: { kind: "hold", ms: submit + 1_500 }, times: 1 }],
    expect: "typed error",
    code: "COMFY_OUTCOME_UNKNOWN",
    bound: connect + submit,
  },
  {
    name: "POST /prompt held within the submit bound",
    rules: [{ match: "POST /prompt", fault: { kind: "hold", ms: 800 }, times: 1 }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "POST /prompt answer delayed",
    rules: [{ match: "POST /prompt", fault: { kind: "delay", ms: 800 }, times: 1 }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "POST /prompt answer is garbage",
    rules: [{ match: "POST /prompt", fault: { kind: "garbage" }, times: 1 }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "POST /prompt answer truncated",
    rules: [{ match: "POST /prompt", fault: { kind: "truncate", bytes: 10 }, times: 1 }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "POST /prompt delivered, then the connection reset",
    rules: [{ match: "POST /prompt", fault: { kind: "reset-after-delivery" }, times: 1 }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "WebSocket dropped at every attempt",
    rules: [{ match: "WS", fault: { kind: "drop" } }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "WebSocket upgrade into a black hole",
    rules: [{ match: "WS", fault: { kind: "blackhole" } }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "WebSocket reset",
    rules: [{ match: "WS", fault: { kind: "reset" }, times: 2 }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "GET /history dropped twice",
    sleepMs: 300,
    rules: [
      { match: "WS", fault: { kind: "drop" } },
      { match: "GET /history", fault: { kind: "drop" }, times: 2 },
    ],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "GET /history garbage twice",
    sleepMs: 300,
    rules: [
      { match: "WS", fault: { kind: "drop" } },
      { match: "GET /history", fault: { kind: "garbage" }, times: 2 },
    ],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "GET /history truncated",
    sleepMs: 300,
    rules: [
      { match: "WS", fault: { kind: "drop" } },
      { match: "GET /history", fault: { kind: "truncate", bytes: 5 }, times: 2 },
    ],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "GET /queue reset twice",
    sleepMs: 300,
    rules: [
      { match: "WS", fault: { kind: "drop" } },
      { match: "GET /queue", fault: { kind: "reset" }, times: 2 },
    ],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "GET /view truncated once",
    rules: [{ match: "GET /view", fault: { kind: "truncate", bytes: 20 }, times: 1 }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "GET /view reset once",
    rules: [{ match: "GET /view", fault: { kind: "reset" }, times: 1 }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "GET /view delayed past the download bound",
    rules: [{ match: "GET /view", fault: { kind: "delay", ms: download + 1_000 } }],
    expect: "typed error",
    code: "COMFY_TIMEOUT",
    bound: RUN_BOUND,
  },
  {
    name: "every answer delayed 150 ms",
    rules: [{ match: "", fault: { kind: "delay", ms: 150 } }],
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "every connection cut for 2 s mid-job",
    sleepMs: 1_000,
    whileRunning: () => proxy.cutAll(2_000),
    expect: "result",
    bound: RUN_BOUND,
  },
  {
    name: "the server killed mid-job",
    sleepMs: 3_000,
    whileRunning: () => server.kill(),
    expect: "typed error",
    code: "COMFY_CONNECTION",
    bound: RUN_BOUND,
  },
  {
    name: "the server killed and restarted mid-job (its queue and history lost)",
    sleepMs: 3_000,
    whileRunning: async () => {
      await server.kill();
      await restartServer();
    },
    expect: "typed error",
    code: "COMFY_PROMPT_LOST",
    bound: RUN_BOUND,
  },
];

async function restartServer(): Promise<void> {
  server = await startChildServer(join(dir, `server-${Date.now()}`), join(dir, "cwd"));
  proxy.retarget(server.url);
}

/** Polls the server itself (not through the proxy) until a job runs. */
async function waitUntilRunning(seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 20; i++) {
    const queue = await fetch(`${server.url}/queue`)
      .then((r) => r.json() as Promise<{ queue_running: unknown[] }>)
      .catch(() => undefined);
    if (queue && queue.queue_running.length > 0) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe(`client faults through a proxy (bounds: ${JSON.stringify(TIMEOUTS)})`, () => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))(
    "%s",
    async (_name, c, index) => {
      if (!server.alive()) await restartServer();
      proxy.rules = c.rules ?? [];
      const client = new ComfyClient({
        baseUrl: proxy.url,
        timeouts: TIMEOUTS,
        pollIntervalMs: 100,
        retry: { retries: 3, initialDelayMs: 50, maxDelayMs: 400 },
        reconnect: { retries: 4, initialDelayMs: 50, maxDelayMs: 500 },
      });
      const color = 0x100000 + index;
      const started = performance.now();
      const running = client.run(job(c.sleepMs ?? 100, color) as never, { forceExecution: "nonce" });
      if (c.whileRunning) {
        expect(await waitUntilRunning(30)).toBe(true);
        await c.whileRunning();
      }
      let result: RunResult | undefined;
      let error: unknown;
      try {
        result = await running;
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - started;
      client.close();
      proxy.rules = [];
      const allowed = typeof c.expect === "string" ? [c.expect] : c.expect;
      if (result) {
        expect(allowed, `result, expected ${allowed.join("/")}`).toContain("result");
        expect(result.images).toHaveLength(1);
        expect(result.images[0]?.filename).toMatch(new RegExp(`^fault_${color}_`));
      } else {
        expect(error, String((error as Error)?.stack ?? error)).toBeInstanceOf(ComfyClientError);
        expect(
          allowed,
          `typed error ${(error as ComfyClientError).code}: ${(error as Error).message}`,
        ).toContain("typed error");
        if (c.code) expect((error as ComfyClientError).code, (error as Error).message).toBe(c.code);
      }
      expect(ms, `ended after ${Math.round(ms)} ms; bound ${c.bound} ms`).toBeLessThan(c.bound + SLACK_MS);
      // At most one delivered POST per prompt id, whatever happened.
      const twice = [...proxy.deliveredPosts].filter(([, n]) => n > 1);
      expect(twice).toEqual([]);
    },
    120_000,
  );
});
