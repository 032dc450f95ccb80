import { MockAgent } from "undici";
import type { ClientOptions } from "../../../src/client/client-options.js";
import { ComfyClient } from "../../../src/client/comfy-client.js";

export const ORIGIN = "http://comfy.test:8188";

/** A client whose HTTP goes to a MockAgent that refuses anything not intercepted. */
export function mockClient(options: Partial<ClientOptions> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const base = options.baseUrl ? new URL(options.baseUrl) : new URL(ORIGIN);
  const pool = agent.get(base.origin);
  const client = new ComfyClient({
    baseUrl: ORIGIN,
    clientId: "test-client",
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    ...options,
    dispatcher: agent,
  });
  return { agent, pool, client };
}

export const JSON_HEADERS = { headers: { "content-type": "application/json; charset=utf-8" } };

/** A connection error as Node reports it. */
export function connectionRefused(): Error {
  return Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8188"), { code: "ECONNREFUSED" });
}

/** A connection that broke after the request was sent (the server may have it). */
export function connectionReset(): Error {
  return Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
}
