import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ComfyClient } from "../../src/client/comfy-client.js";
import type { SocketState } from "../../src/client/comfy-socket.js";
import { ComfyConnectionError, ComfyTimeoutError } from "../../src/client/errors.js";
import type { ComfyEvent } from "../../src/client/ws-events.js";
import { FakeComfy } from "./support/fake-comfy.js";

let fake: FakeComfy;
let client: ComfyClient;
beforeEach(async () => {
  fake = await FakeComfy.start();
});
afterEach(async () => {
  client?.close();
  await fake.close();
});

const make = (extra: Partial<ConstructorParameters<typeof ComfyClient>[0]> = {}) => {
  client = new ComfyClient({ baseUrl: fake.url, clientId: "sock-1", ...extra });
  return client;
};

describe("ComfySocket", () => {
  it("connects with its client id, negotiates preview metadata, and types every event", async () => {
    const socket = make().socket();
    const events: ComfyEvent[] = [];
    socket.on((e) => events.push(e));
    await socket.connect();
    await expect
      .poll(() => socket.serverFeatures)
      .toEqual({ supports_preview_metadata: true, max_upload_size: 104857600 });
    expect(events[0]).toEqual({
      type: "status",
      data: { status: { exec_info: { queue_remaining: 0 } }, sid: "sock-1" },
    });
    expect(fake.sockets.has("sock-1")).toBe(true);
  });

  it("concurrent connect() calls (two runs started at once) share one WebSocket", async () => {
    const socket = make().socket();
    let upgrades = 0;
    fake.server.on("upgrade", () => upgrades++);
    const events: ComfyEvent[] = [];
    socket.on((e) => events.push(e));
    await Promise.all([socket.connect(), socket.connect(), socket.connect()]);
    expect(socket.state).toBe("open");
    expect(upgrades).toBe(1);
    // One socket: the greeting arrives once, not once per call.
    await expect.poll(() => events.filter((e) => e.type === "status").length).toBe(1);
  });

  it("without preview metadata sends nothing and gets type-1 previews", async () => {
    const c = make();
    const socket = c.socket({ previewMetadata: false });
    await socket.connect();
    const previews: ComfyEvent[] = [];
    socket.on((e) => e.type === "preview_image" && previews.push(e));
    await c.run({
      "1": { class_type: "Sampler", inputs: {} },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0] } },
    } as never);
    expect(socket.serverFeatures).toBeUndefined();
    expect(previews.length).toBe(3);
    expect(
      previews.every((p) => p.type === "preview_image" && p.frameType === 1 && p.metadata === undefined),
    ).toBe(true);
  });

  it("skips frames it cannot parse and stays up", async () => {
    fake.greetingExtra = ["{not json", Buffer.from([0, 0])];
    const socket = make().socket();
    const errors: unknown[] = [];
    socket.onParseError((e) => errors.push(e));
    await socket.connect();
    await expect.poll(() => errors.length).toBe(2);
    expect(socket.state).toBe("open");
  });

  it("reconnects with growing, jittered, bounded delays, then gives up as 'failed'", async () => {
    const socket = make({
      reconnect: { retries: 4, initialDelayMs: 40, maxDelayMs: 120, factor: 2 },
    }).socket();
    await socket.connect();
    const seen: { state: SocketState; at: number; attempt: number }[] = [];
    socket.onState((state, { attempt }) => seen.push({ state, at: Date.now(), attempt }));
    fake.refuseWebSocket = true;
    fake.dropSockets();
    await expect.poll(() => socket.state, { timeout: 3000 }).toBe("failed");
    const attempts = seen.filter((s) => s.state === "reconnecting");
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    // Delay before attempt n is in [d/2, d] with d = min(120, 40·2^(n-1)): the gaps between attempts
    // are at least the lower bounds (20, 40, 60 ms), so four attempts take ≥ 120 ms, never a storm.
    const span = seen.at(-1)!.at - attempts[0]!.at;
    expect(span).toBeGreaterThanOrEqual(20 + 40 + 60 - 10);
  });

  it("comes back after a drop and keeps delivering events", async () => {
    const socket = make({ reconnect: { initialDelayMs: 10, maxDelayMs: 20 } }).socket();
    await socket.connect();
    const states: SocketState[] = [];
    socket.onState((state) => states.push(state));
    fake.dropSockets();
    await expect.poll(() => states).toEqual(["reconnecting", "open"]);
    expect(fake.sockets.has("sock-1")).toBe(true);
  });

  it("close() stops reconnecting", async () => {
    const socket = make({ reconnect: { initialDelayMs: 10, maxDelayMs: 20 } }).socket();
    await socket.connect();
    socket.close();
    fake.dropSockets();
    await new Promise((r) => setTimeout(r, 80));
    expect(socket.state).toBe("closed");
  });

  it("an upgrade that never answers is a connect timeout", async () => {
    fake.hangWebSocket = true;
    const socket = make({ timeouts: { connect: 80 } }).socket();
    const error = await socket.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyTimeoutError);
    expect(error).toMatchObject({ stage: "connect", timeoutMs: 80 });
  });

  it("a refused upgrade is a connection error", async () => {
    fake.refuseWebSocket = true;
    const error = await make()
      .socket()
      .connect()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyConnectionError);
  });

  it("run() falls back to polling when the upgrade hangs", async () => {
    fake.hangWebSocket = true;
    const c = make({ timeouts: { connect: 80 }, pollIntervalMs: 20 });
    const result = await c.run({
      "1": { class_type: "EmptyImage", inputs: {} },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0] } },
    } as never);
    expect(result.completedVia).toBe("polling");
    expect(result.images).toHaveLength(1);
  });
});

describe("ComfySocket close during a reconnect attempt", () => {
  it("does not come back to life", async () => {
    const socket = make({ reconnect: { initialDelayMs: 1, maxDelayMs: 1 } }).socket();
    await socket.connect();
    const states: SocketState[] = [];
    socket.onState((s) => states.push(s));
    fake.dropSockets();
    await expect.poll(() => states.includes("reconnecting")).toBe(true);
    socket.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(socket.state).toBe("closed");
    expect(fake.sockets.has("sock-1")).toBe(false);
  });
});
