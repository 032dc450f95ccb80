import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { getJson, postJson } from "./support/http.js";
import { WsRecorder } from "./support/ws-recorder.js";

let server: LocalServer;
let ws: WsRecorder;
const debugLog: string[] = [];
beforeAll(async () => {
  server = await startLocalServer({
    logger: { info: () => {}, error: () => {}, debug: (m) => debugLog.push(m) },
  });
  ws = await WsRecorder.connect(server.url, "models");
});
afterAll(async () => {
  ws.close();
  await server.close();
});

// ComfyUI's default text-to-image graph.
const txt2img = {
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "v1-5-pruned-emaonly.safetensors" } },
  "5": { class_type: "EmptyLatentImage", inputs: { width: 512, height: 512, batch_size: 1 } },
  "6": { class_type: "CLIPTextEncode", inputs: { text: "a bottle", clip: ["4", 1] } },
  "7": { class_type: "CLIPTextEncode", inputs: { text: "", clip: ["4", 1] } },
  "3": {
    class_type: "KSampler",
    inputs: {
      seed: 8566257,
      steps: 20,
      cfg: 8,
      sampler_name: "euler",
      scheduler: "normal",
      denoise: 1,
      model: ["4", 0],
      positive: ["6", 0],
      negative: ["7", 0],
      latent_image: ["5", 0],
    },
  },
  "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] } },
  "9": { class_type: "SaveImage", inputs: { filename_prefix: "ComfyUI", images: ["8", 0] } },
};

describe("model nodes", () => {
  it("are listed in /object_info", async () => {
    const info = await getJson<Record<string, unknown>>(`${server.url}/object_info`);
    for (const name of ["CheckpointLoaderSimple", "KSampler", "CLIPTextEncode", "VAEDecode"])
      expect(info).toHaveProperty(name);
  });

  it("let a model graph validate, then fail with an execution_error that says this server runs no models", async () => {
    const res = await postJson(`${server.url}/prompt`, { prompt: txt2img, client_id: "models" });
    expect(res.status).toBe(200);
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    await ws.waitForDone(prompt_id);
    const error = ws.textFrames().find((f) => f.type === "execution_error");
    expect(error?.data).toMatchObject({ prompt_id, node_id: "4", node_type: "CheckpointLoaderSimple" });
    expect(String(error?.data.exception_message)).toMatch(/runs no models/);
    // A traceback in ComfyUI's shape (Python's format_tb), naming the class and the reason; the JS
    // stack only in the server's debug log.
    expect(error?.data.traceback).toEqual([
      `  File "<comfy-ts local server>", line 1, in execute\n    outputs = CheckpointLoaderSimple(ckpt_name='v1-5-pruned-emaonly.safetensors')\n`,
      expect.stringMatching(
        /^ {2}File "<comfy-ts local server>", line 1, in CheckpointLoaderSimple\n {4}raise NotImplementedError\("CheckpointLoaderSimple needs model weights, and the comfy-ts local server runs no models: .*"\)\n$/,
      ),
    ]);
    expect(JSON.stringify(error?.data.traceback)).not.toMatch(/\bat |\.ts:\d|\.js:\d/);
    expect(debugLog.join("\n")).toMatch(
      /node 4 \(CheckpointLoaderSimple\) of prompt .* failed: NodeExecutionError: .*runs no models.*\n\s+at /,
    );
    const history = await getJson<Record<string, { status: { status_str: string } }>>(
      `${server.url}/history/${prompt_id}`,
    );
    expect(history[prompt_id]?.status.status_str).toBe("error");
  });

  it("still reject a model graph with a real validation error (an unknown sampler)", async () => {
    const bad = {
      ...txt2img,
      "3": { ...txt2img["3"], inputs: { ...txt2img["3"].inputs, sampler_name: "no_such_sampler" } },
    };
    const res = await postJson(`${server.url}/prompt`, { prompt: bad, client_id: "models" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { node_errors: Record<string, { errors: { type: string }[] }> };
    expect(body.node_errors["3"]?.errors.map((e) => e.type)).toEqual(["value_not_in_list"]);
  });
});
