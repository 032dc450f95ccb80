import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { compile, parseCatalog } from "@comfy-ts/core";
import { apiToUi } from "@comfy-ts/core/workflow";
import { type LocalServer, startLocalServer } from "@comfy-ts/local-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CommandIO } from "../src/command.js";
import { ExitCode } from "../src/command.js";
import { main } from "../src/main.js";

const ESC = String.fromCharCode(27);
const FIXTURE = resolve(import.meta.dirname, "fixtures/invert.workflow.ts");

function capture(options: { env?: NodeJS.ProcessEnv; cwd: string; tty?: boolean; signal?: AbortSignal }) {
  const stdout = Object.assign(new PassThrough(), { isTTY: false });
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty ?? false, columns: 100 });
  let out = "";
  let err = "";
  stdout.on("data", (d) => {
    out += String(d);
  });
  stderr.on("data", (d) => {
    err += String(d);
  });
  const io: CommandIO = {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd,
    signal: options.signal ?? new AbortController().signal,
  };
  return { io, out: () => out, err: () => err };
}

let dir: string;
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; tty?: boolean; signal?: AbortSignal } = {},
) {
  dir ??= await mkdtemp(join(tmpdir(), "comfy-run-"));
  const c = capture({ cwd: dir, ...options });
  const code = await main(["run", ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe("comfy-ts run", () => {
  it("runs a TS module's default export on the embedded local server and writes the image under --out", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const { code, out, err } = await run([FIXTURE, "--out", "images"]);
    expect(err).toContain("no --server or COMFYUI_URL: using the embedded local server");
    expect(code).toBe(ExitCode.ok);
    expect(out).toMatch(/^wrote images\/cli\/inverted_00001_\.png \(node \d+, \d+ bytes\)\n$/);
    const png = await readFile(join(dir, "images/cli/inverted_00001_.png"));
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(err).toMatch(/queued prompt [0-9a-f-]{36} \(3 nodes\)\nstarted\nnode \d+ \(EmptyImage\)/);
    expect(err).toMatch(/done: prompt [0-9a-f-]{36}, 3 nodes executed, \d+ ms/);
    expect(err).not.toContain(ESC); // not a TTY: no bar, no colors
  });

  it("--json prints one JSON event per line, ending with the result", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const { code, out } = await run([FIXTURE, "--server", server.url, "--json", "--force=nonce"]);
    expect(code).toBe(ExitCode.ok);
    const events = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; [k: string]: unknown });
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("start");
    expect(names).toEqual(
      expect.arrayContaining(["submitted", "started", "node", "done", "output", "result"]),
    );
    expect(names.at(-1)).toBe("result");
    const output = events.find((e) => e.event === "output")!;
    expect(output).toMatchObject({
      key: "images",
      type: "output",
      filename: expect.stringMatching(/^inverted_\d{5}_\.png$/),
    });
    expect(String(output["path"])).toBe(join(dir, "out", "cli", String(output["filename"])));
    // Path fields are absolute for programs (documented in --help); the start event gives the cwd.
    expect(events[0]).toMatchObject({ file: FIXTURE, cwd: dir });
    expect(events.at(-1)!["files"]).toEqual([output["path"]]);
  });

  it("runs an API prompt JSON, and tells when everything came from cache; --force re-runs", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const { default: flow } = await import("./fixtures/invert.workflow.js");
    const prompt = compile(flow({ color: 0x123456 }));
    await writeFile(join(dir, "prompt.json"), JSON.stringify(prompt));
    const first = await run(["prompt.json", "--server", server.url]);
    expect(first.code).toBe(ExitCode.ok);
    const second = await run(["prompt.json", "--server", server.url]);
    expect(second.code).toBe(ExitCode.ok);
    expect(second.err).toContain("every node came from ComfyUI's cache (use --force to re-run)");
    expect(second.out).toContain("wrote out/cli/inverted_"); // cached outputs are still downloaded
    const forced = await run(["prompt.json", "--server", server.url, "--force"]);
    expect(forced.code).toBe(ExitCode.ok);
    expect(forced.err).toMatch(/3 nodes executed, \d+ ms/);
  });

  it("previews go to a folder of their own (a temporary one unless --previews): --out holds only outputs", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const prompt = {
      "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 0x102030 } },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: "kept" } },
      "3": { class_type: "PreviewImage", inputs: { images: ["1", 0] } },
    };
    await writeFile(join(dir, "prompt.json"), JSON.stringify(prompt));
    const first = await run(["prompt.json", "--server", server.url, "--force=nonce"]);
    expect(first.code).toBe(ExitCode.ok);
    const preview = /^wrote preview (\S+) \(node 3, \d+ bytes\)$/m.exec(first.out)?.[1];
    expect(preview).toMatch(/comfy-ts-previews[/\\][0-9a-f-]{36}[/\\]ComfyUI_temp_\w+_00001_\.png$/);
    expect((await readFile(preview!)).subarray(1, 4).toString()).toBe("PNG");
    expect(await readdir(join(dir, "out"))).toEqual(["kept_00001_.png"]);
    await rm(dirname(preview!), { recursive: true, force: true });

    const asked = await run(["prompt.json", "--server", server.url, "--force=nonce", "--previews", "prev"]);
    expect(asked.code).toBe(ExitCode.ok);
    expect(asked.out).toMatch(/^wrote preview prev\/ComfyUI_temp_\w+_\d+_\.png \(node 3, \d+ bytes\)$/m);
    expect(await readdir(join(dir, "prev"))).toHaveLength(1);
  });

  it("outputs that fail validation while others pass: what ran is saved, exit 1 naming the dropped outputs", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const prompt = {
      "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: "ran" } },
      "3": { class_type: "EmptyImage", inputs: { width: 0, height: 8, batch_size: 1, color: 0 } },
      "4": { class_type: "SaveImage", inputs: { images: ["3", 0], filename_prefix: "dropped" } },
    };
    await writeFile(join(dir, "partial.json"), JSON.stringify(prompt));
    const { code, out, err } = await run(["partial.json", "--server", server.url, "--force=nonce"]);
    expect(out).toMatch(/^wrote out\/ran_00001_\.png \(node 2, \d+ bytes\)$/m);
    expect(await readdir(join(dir, "out"))).toEqual(["ran_00001_.png"]);
    expect(err).toContain(
      "comfy-ts run: output 4 (SaveImage) failed validation and did not run; the others ran and were saved:\n" +
        '  node 3 (EmptyImage) input "width": Value 0 smaller than min of 1 [value_smaller_than_min]\n',
    );
    expect(code).toBe(ExitCode.failed);

    const json = await run(["partial.json", "--server", server.url, "--force=nonce", "--json"]);
    const last = JSON.parse(json.out.trim().split("\n").at(-1)!) as Record<string, unknown>;
    expect(last).toMatchObject({ event: "error", droppedOutputs: ["4"], exitCode: ExitCode.failed });
  });

  it("runs a UI workflow JSON, converted with the server's /object_info", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const { default: flow } = await import("./fixtures/invert.workflow.js");
    const prompt = compile(flow({ color: 0x00aa00 }));
    const catalog = parseCatalog(await (await fetch(`${server.url}/object_info`)).json());
    await writeFile(join(dir, "ui.json"), JSON.stringify(apiToUi(prompt, catalog)));
    const { code, out, err } = await run(["ui.json", "--server", server.url, "--force=nonce"]);
    // Files inside the working directory are named relative to it.
    expect(err).toContain(`running UI workflow from ui.json on ${server.url}/\n`);
    expect(code).toBe(ExitCode.ok);
    expect(out).toMatch(/wrote out\/cli\/inverted_\d{5}_\.png/);
  });

  it("a UI workflow the server's catalog cannot convert (an unknown node type) is a bad FILE: exit 3", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const { default: flow } = await import("./fixtures/invert.workflow.js");
    const catalog = parseCatalog(await (await fetch(`${server.url}/object_info`)).json());
    const ui = apiToUi(compile(flow({ color: 0x00aa00 })), catalog) as { nodes: { type: string }[] };
    ui.nodes[0]!.type = "NodeThisServerLacks";
    await writeFile(join(dir, "ui.json"), JSON.stringify(ui));
    const { code, err } = await run(["ui.json", "--server", server.url]);
    expect(err).toMatch(/^comfy-ts run: .*NodeThisServerLacks/m);
    expect(code).toBe(ExitCode.input);
  });

  it("re-runs a PNG saved by the server (its embedded prompt)", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const first = await run([FIXTURE, "--server", server.url, "--force=nonce", "--out", "a"]);
    expect(first.code).toBe(ExitCode.ok);
    const saved = /wrote (\S+)/.exec(first.out)![1]!;
    const again = await run([saved, "--server", server.url, "--out", "b"]);
    expect(saved).toMatch(/^a\/cli\/inverted_\d{5}_\.png$/);
    expect(again.err).toContain(`API prompt from ${saved} on`);
    expect(again.code).toBe(ExitCode.ok);
  });

  it("a prompt the server rejects: exit 1, the node, and the file:line where it was made", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const { code, err } = await run([FIXTURE, "--export", "unknownNode", "--server", server.url]);
    expect(code).toBe(ExitCode.failed);
    expect(err).toMatch(/comfy-ts run: the server rejected the prompt: .*NoSuchNodeXYZ/);
    expect(err).toMatch(/fixtures\/invert\.workflow\.ts:\d+:\d+/);
  });

  it("--json reports errors as an event too", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const { code, out } = await run([FIXTURE, "--export", "unknownNode", "--server", server.url, "--json"]);
    expect(code).toBe(ExitCode.failed);
    const last = JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, unknown>;
    expect(last).toMatchObject({ event: "error", code: "COMFY_VALIDATION", exitCode: 1 });
    expect((last["issues"] as { location?: { file: string } }[])[0]?.location?.file).toMatch(
      /invert\.workflow\.ts$/,
    );
  });

  it.each([
    [["missing.ts"], ExitCode.input, /cannot (find|load) .*missing\.ts/],
    [["missing.json"], ExitCode.input, /cannot read .*missing\.json/],
    [[FIXTURE, "--export", "nope"], ExitCode.input, /has no export "nope" \(exports: .*broken/],
    [
      [FIXTURE, "--export", "SaveImage"],
      ExitCode.input,
      /is not a workflow, graph, output node or API prompt \(got a function/,
    ],
    [[], ExitCode.usage, /give the workflow FILE to run/],
    [[FIXTURE, "--bogus"], ExitCode.usage, /unknown option --bogus\n/],
    [[FIXTURE, "--force=always"], ExitCode.usage, /--force must be "free-memory" or "nonce"/],
    [[FIXTURE, "--timeout=-3"], ExitCode.usage, /--timeout must be a number of seconds > 0/],
    [
      [FIXTURE, "--timeout", "-5"],
      ExitCode.usage,
      /--timeout must be a number of seconds > 0 .*got "-5" \(a bound cannot be negative\)/,
    ],
    [
      [FIXTURE, "--timeout", "90ms"],
      ExitCode.usage,
      /--timeout is in seconds, not milliseconds: for 90ms write --timeout 0\.09/,
    ],
    [
      [FIXTURE, "--out", "-x"],
      ExitCode.usage,
      /--out needs a value \(a value that starts with "-" is written --out=-VALUE\)/,
    ],
    // 2^31 ms and more: Node's timers would fire at once.
    [[FIXTURE, "--timeout=2147484"], ExitCode.usage, /--timeout must be .* ≤ 2147483, got "2147484"/],
    [[FIXTURE, "--unreachable", "soon"], ExitCode.usage, /--unreachable must be a number of seconds > 0/],
    [[FIXTURE, "--server", "ftp://x"], ExitCode.usage, /baseUrl must be http: or https:/],
  ])("%j → exit %i", async (args, exit, message) => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const { code, err } = await run(args as string[], { env: { COMFYUI_URL: server.url } });
    expect(err).toMatch(message);
    expect(code).toBe(exit);
  });

  it("COMFYUI_URL as the test harness reads it: blank is unset, a pool gives its first, junk is a usage error", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    for (const [env, exit, message] of [
      [" ", ExitCode.ok, /using the embedded local server/],
      [`${server.url}, http://127.0.0.1:9`, ExitCode.ok, new RegExp(`running .* on ${server.url}`)],
      ["localhost:8188", ExitCode.usage, /COMFYUI_URL entry "localhost:8188" is not an http\(s\) URL/],
    ] as const) {
      const { code, err } = await run([FIXTURE], { env: { COMFYUI_URL: env } });
      expect(err, env).toMatch(message);
      expect(code, env).toBe(exit);
    }
  });

  it("--timeout bounds the execution: exit 4, the prompt named, the CLI's option as the advice", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const slow: Record<string, unknown> = {
      "1": { class_type: "EmptyImage", inputs: { width: 64, height: 64, batch_size: 1, color: 7 } },
    };
    for (let i = 2; i <= 12; i++)
      slow[String(i)] = {
        class_type: "ImageBlur",
        inputs: { image: [String(i - 1), 0], blur_radius: 9, sigma: 3 },
      };
    slow["99"] = { class_type: "PreviewImage", inputs: { images: ["12", 0] } };
    await writeFile(join(dir, "slow.json"), JSON.stringify(slow));
    const { code, err } = await run(["slow.json", "--timeout", "0.01"], { env: { COMFYUI_URL: server.url } });
    expect(err).toMatch(
      /comfy-ts run: timed out after 10 ms in stage "execution" \(prompt_id [0-9a-f-]{36}\): .*Raise --timeout SECONDS/,
    );
    expect(code).toBe(ExitCode.server);
  });

  it("a bad JSON file is a clear input error", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    await writeFile(join(dir, "x.json"), '{"nodes": 3}');
    const { code, err } = await run(["x.json"], { env: { COMFYUI_URL: server.url } });
    expect(code).toBe(ExitCode.input);
    expect(err).toMatch(/comfy-ts run: .*x\.json/);
  });

  it("an unreachable server: exit 4, a clear message, the token never printed", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const { code, err } = await run([FIXTURE], {
      env: { COMFYUI_URL: "http://127.0.0.1:9", COMFYUI_TOKEN: "s3cr3t" },
    });
    expect(code).toBe(ExitCode.server);
    expect(err).toMatch(
      /cannot reach ComfyUI: .*ECONNREFUSED.*Is the server running at http:\/\/127\.0\.0\.1:9\//,
    );
    expect(err).not.toContain("s3cr3t");
  });

  it("on a TTY draws a progress bar; NO_COLOR keeps colors off", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const colored = await run([FIXTURE, "--server", server.url, "--force=nonce"], { tty: true });
    expect(colored.code).toBe(ExitCode.ok);
    expect(colored.err).toContain(`\r${ESC}[2K[`);
    expect(colored.err).toMatch(/\[#+-*\] \d\/3 nodes/);
    expect(colored.err).toContain("\u001b[32mdone\u001b[39m");
    const plain = await run([FIXTURE, "--server", server.url, "--force=nonce"], {
      tty: true,
      env: { NO_COLOR: "1" },
    });
    expect(plain.err).toMatch(/\[#+-*\] \d\/3 nodes/);
    expect(plain.err).not.toMatch(new RegExp(`${ESC}\\[3\\dm`));
  });

  it("Ctrl-C (the command's signal) interrupts the job on the server: exit 130", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const chain: Record<string, unknown> = {
      "1": { class_type: "EmptyImage", inputs: { width: 64, height: 64, batch_size: 1, color: 4096 } },
    };
    for (let i = 2; i <= 80; i++)
      chain[String(i)] = {
        class_type: "ImageBlur",
        inputs: { image: [String(i - 1), 0], blur_radius: 3, sigma: 1 },
      };
    chain["99"] = { class_type: "PreviewImage", inputs: { images: ["80", 0] } };
    await writeFile(join(dir, "chain.json"), JSON.stringify(chain));
    const controller = new AbortController();
    const c = capture({ cwd: dir, signal: controller.signal });
    (c.io.stderr as PassThrough).on("data", (d) => {
      if (String(d).startsWith("node 3 ")) controller.abort(new Error("received SIGINT"));
    });
    const code = await main(["run", "chain.json", "--server", server.url], c.io);
    expect(code).toBe(ExitCode.interrupted);
    expect(c.err()).toMatch(/comfy-ts run: prompt [0-9a-f-]{36} was interrupted \(aborted by the caller\)/);
    const id = /prompt ([0-9a-f-]{36}) was interrupted/.exec(c.err())![1]!;
    const history = (await (await fetch(`${server.url}/history/${id}`)).json()) as Record<
      string,
      { status: { status_str: string } }
    >;
    expect(history[id]?.status.status_str).toBe("error");
  });

  it("is listed in comfy-ts --help", async () => {
    dir = await mkdtemp(join(tmpdir(), "comfy-run-"));
    const c = capture({ cwd: dir });
    await main(["--help"], c.io);
    expect(c.out()).toMatch(/\n {2}run +Run a workflow/);
  });
});
