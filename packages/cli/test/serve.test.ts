import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../src/command.js";
import { parseMemorySize, serveCommand } from "../src/commands/serve.js";
import { runCommand } from "../src/run-command.js";
import { captureIo } from "./support/capture-io.js";

function io(signal: AbortSignal, cwd: string, env: NodeJS.ProcessEnv = {}) {
  const c = captureIo(cwd, env, signal);
  return { io: c.io, out: c.stdout, err: c.stderr };
}

const cleanup: string[] = [];
afterEach(async () => {
  for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("comfy-ts serve", () => {
  it("serves until interrupted, in the folders it was given, and logs through the command's streams", async () => {
    const base = await mkdtemp(join(tmpdir(), "serve-test-"));
    cleanup.push(base);
    const controller = new AbortController();
    const t = io(controller.signal, base);
    const running = serveCommand.run(
      ["--port", "0", "--input-dir", "in", "--output-dir", "out", "--temp-dir", "tmp"],
      t.io,
    );
    let url: string | undefined;
    for (let i = 0; i < 100 && !url; i++) {
      await new Promise((r) => setTimeout(r, 20));
      url = /COMFYUI_URL=(\S+)/.exec(t.out())?.[1];
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const stats = (await (await fetch(`${url}/system_stats`)).json()) as { devices: { type: string }[] };
    expect(stats.devices[0]?.type).toBe("cpu");
    expect(t.out()).toContain(join(base, "in"));
    controller.abort();
    expect(await running).toBe(ExitCode.interrupted);
    expect(t.out()).toContain("stopped");
  });

  it("with DEBUG=comfy-ts logs the JS stack of a node failure on stderr; the client gets a Python-shaped traceback", async () => {
    const base = await mkdtemp(join(tmpdir(), "serve-test-"));
    cleanup.push(base);
    const controller = new AbortController();
    const t = io(controller.signal, base, { DEBUG: "comfy-ts" });
    const running = serveCommand.run(["--port", "0"], t.io);
    let url: string | undefined;
    for (let i = 0; i < 100 && !url; i++) {
      await new Promise((r) => setTimeout(r, 20));
      url = /COMFYUI_URL=(\S+)/.exec(t.out())?.[1];
    }
    // A model node validates, then fails to run.
    const model = {
      "1": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "x.safetensors" } },
      "2": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["1", 2] } },
      "3": { class_type: "EmptyLatentImage", inputs: { width: 64, height: 64, batch_size: 1 } },
      "4": { class_type: "PreviewImage", inputs: { images: ["2", 0] } },
    };
    const res = await fetch(`${url}/prompt`, { method: "POST", body: JSON.stringify({ prompt: model }) });
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    let entry: { status?: { messages: [string, { traceback?: string[] }][] } } | undefined;
    // A job's first run also starts the server's execution thread: allow a loaded machine its time.
    for (let i = 0; i < 1000 && !entry?.status; i++) {
      await new Promise((r) => setTimeout(r, 20));
      entry = ((await (await fetch(`${url}/history/${prompt_id}`)).json()) as Record<string, typeof entry>)[
        prompt_id
      ];
    }
    const error = entry?.status?.messages.find(([type]) => type === "execution_error")?.[1];
    expect(error?.traceback?.join("")).toMatch(/^ {2}File "<comfy-ts local server>", line 1, in execute\n/);
    expect(error?.traceback?.join("")).not.toMatch(/\n\s+at /);
    expect(t.err()).toMatch(
      /^debug: node 1 \(CheckpointLoaderSimple\) of prompt .* failed: NodeExecutionError: .*\n\s+at /m,
    );
    controller.abort();
    expect(await running).toBe(ExitCode.interrupted);
  });

  it.each([
    [["--port", "abc"], /--port must be an integer/],
    [["--bogus"], /unknown option --bogus\n/],
    [["--host="], /--host needs an address \(use 0\.0\.0\.0 to listen on every interface\)/],
    [["--memory-limit", "8"], /--memory-limit must be a size like 8G, 512M or 75%, got "8"/],
    [["--memory-limit", "0G"], /--memory-limit must be a size/],
    [["--memory-limit", "150%"], /--memory-limit must be a size/],
  ])("rejects bad usage %j", async (args, message) => {
    const t = io(new AbortController().signal, process.cwd());
    expect(await runCommand(serveCommand, args, t.io)).toBe(ExitCode.usage);
    expect(t.err()).toMatch(message);
  });

  it.each([
    ["8G", 8 * 1024 ** 3],
    ["512MiB", 512 * 1024 ** 2],
    ["1.5 gb", 1.5 * 1024 ** 3],
    ["50%", Math.floor(totalmem() * 0.5)],
  ])("reads --memory-limit %s", (text, bytes) => {
    expect(parseMemorySize(text)).toBe(bytes);
  });

  it("says clearly when the port is taken", async () => {
    const controller = new AbortController();
    const first = io(controller.signal, process.cwd());
    const running = serveCommand.run(["--port", "0"], first.io);
    let port: string | undefined;
    for (let i = 0; i < 100 && !port; i++) {
      await new Promise((r) => setTimeout(r, 20));
      port = /COMFYUI_URL=http:\/\/127\.0\.0\.1:(\d+)/.exec(first.out())?.[1];
    }
    const second = io(new AbortController().signal, process.cwd());
    expect(await serveCommand.run(["--port", String(port)], second.io)).toBe(ExitCode.failed);
    expect(second.err()).toMatch(/already in use/);
    controller.abort();
    await running;
  });
});
