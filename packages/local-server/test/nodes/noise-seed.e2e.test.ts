import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodePng } from "@comfy-ts/core/png";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../src/index.js";
import { WsRecorder } from "../support/ws-recorder.js";

/**
 * 64-bit seeds travel as exact JSON digits: torch seeds mt19937 with the low 32 bits, so
 * 2^53 + 1 must give the noise of seed 1 (a double would round it to 2^53, i.e. seed 0).
 */
describe("ImageAddNoise through the server keeps 64-bit seeds exact", () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(async () => server?.close());

  async function noiseImage(
    seedDigits: string,
    prefix: string,
  ): Promise<{ pixels: number[]; prompt: string }> {
    const clientId = `seed-${prefix}`;
    const ws = await WsRecorder.connect(server.url, clientId);
    const body = `{"client_id": "${clientId}", "prompt": {
      "1": {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 4, "batch_size": 1, "color": 8421504}},
      "2": {"class_type": "ImageAddNoise", "inputs": {"image": ["1", 0], "seed": ${seedDigits}, "strength": 0.5}},
      "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "${prefix}"}}}}`;
    try {
      const res = await fetch(`${server.url}/prompt`, { method: "POST", body });
      expect(res.status, await res.clone().text()).toBe(200);
      const { prompt_id } = (await res.json()) as { prompt_id: string };
      await ws.waitFor(
        (f) =>
          f.kind === "text" &&
          f.type === "executing" &&
          f.data.node === null &&
          f.data.prompt_id === prompt_id,
      );
    } finally {
      ws.socket.close();
    }
    const png = decodePng(readFileSync(join(server.dirs.output, `${prefix}_00001_.png`)));
    return { pixels: Array.from(png.samples), prompt: png.text.find(([k]) => k === "prompt")?.[1] ?? "" };
  }

  it("2^53 + 1 gives seed 1's noise, not seed 0's, and the PNG prompt keeps the digits", async () => {
    const one = await noiseImage("1", "seed_one");
    const zero = await noiseImage("0", "seed_zero");
    const big = await noiseImage("9007199254740993", "seed_big");
    expect(big.pixels).toEqual(one.pixels);
    expect(big.pixels).not.toEqual(zero.pixels);
    expect(big.prompt).toContain('"seed": 9007199254740993');
  });
});
