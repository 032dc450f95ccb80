// The CLI as a user meets it: usage mistakes, bad files, bad catalogs, servers that fail. Each case
// checks the exit code and that the message says what, where and what to do, without stack traces.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { type LocalServer, startLocalServer } from "@comfy-ts/local-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/command.js";
import { main } from "../src/main.js";
import { captureIo } from "./support/capture-io.js";

const FIXTURE = resolve(import.meta.dirname, "fixtures/invert.workflow.ts");
// Modules written by the tests must resolve @comfy-ts/core: they live in the package's ignored out/.
const MODULES = resolve(import.meta.dirname, "out/user-errors");
const STACK_FRAME = /\n\s+at .*\((?:node:|\/).*:\d+:\d+\)/;

let dir: string;
let local: LocalServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "comfy-user-errors-"));
  await mkdir(MODULES, { recursive: true });
  local = await startLocalServer();
});
afterAll(async () => {
  await local?.close();
  await rm(dir, { recursive: true, force: true });
  await rm(MODULES, { recursive: true, force: true });
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const c = captureIo(dir, env);
  const code = await main(args, c.io);
  return { code, out: c.stdout(), err: c.stderr() };
}

// Lines in stacks of the author's .ts module come from tsx's source maps, which vitest's own stack
// handling replaces in process: the cases about file:line run the real binary, as a user does.
const REPO = resolve(import.meta.dirname, "../../..");
const BIN = resolve(import.meta.dirname, "../src/bin.ts");
function spawnCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "--conditions", "@comfy-ts/source", BIN, ...args],
      { cwd: REPO, env: { ...process.env, NO_COLOR: "1", COMFYUI_URL: "" } },
      (error, out, err) => done({ code: error ? Number(error.code) : 0, out, err }),
    );
  });
}

async function file(name: string, text: string | Uint8Array): Promise<string> {
  const path = name.endsWith(".ts") ? join(MODULES, name) : join(dir, name);
  await writeFile(path, text);
  return path;
}

describe("usage errors: exit 2, one line and a hint", () => {
  it.each([
    [["run", FIXTURE, "--serv", "x"], "comfy-ts run: unknown option --serv (did you mean --server?)"],
    [["run", FIXTURE, "--server"], "comfy-ts run: --server needs a value"],
    [["run", FIXTURE, "--json=yes"], "comfy-ts run: --json takes no value"],
    [["run"], "comfy-ts run: give the workflow FILE to run"],
    [["run", "a.ts", "b.ts"], "comfy-ts run: expected one FILE, got 2: a.ts b.ts"],
    [["serve", "--prot", "1"], "comfy-ts serve: unknown option --prot (did you mean --port?)"],
    [["serve", "--port", "x"], 'comfy-ts serve: --port must be an integer from 0 to 65535, got "x"'],
    [
      ["import", "a.json", "--objet-info", "o.json"],
      "comfy-ts import: unknown option --objet-info (did you mean --object-info?)",
    ],
    [["export", "a.ts", "--too", "ui"], "comfy-ts export: unknown option --too (did you mean --to?)"],
    [["export", "a.ts"], "comfy-ts export: give --to ui or --to api"],
    [["calibrate", FIXTURE, "--runs", "0"], 'comfy-ts calibrate: --runs must be an integer ≥ 1, got "0"'],
    [["calibrate", FIXTURE, "--bogus"], "comfy-ts calibrate: unknown option --bogus"],
    [
      ["codegen", "--url", "http://x", "--out", "o", "--timeout", "30000"],
      "comfy-ts codegen: --timeout is in seconds (it took milliseconds in earlier versions): 30000 would be 8 h 20 min. Write --timeout 30 for 30000 ms, or --timeout 30000s if you mean 8 h 20 min",
    ],
    [
      ["codegen", "--url", "http://x", "--out", "o", "--watch", "--interval", "500ms"],
      "comfy-ts codegen: --interval is in seconds, not milliseconds: for 500ms write --interval 0.5",
    ],
    [
      ["import", "a.json", "--url", "http://x", "--timeout", "-5"],
      'comfy-ts import: --timeout must be a number of seconds > 0 and ≤ 2147483, got "-5" (a bound cannot be negative)',
    ],
  ])("%j", async (args, line) => {
    const { code, out, err } = await cli(args);
    expect(code).toBe(ExitCode.usage);
    expect(out).toBe("");
    const command = args[0];
    expect(err).toBe(`${line}\nRun "comfy-ts ${command} --help" for the options.\n`);
  });

  it("an unknown command or top-level flag lists the commands", async () => {
    for (const arg of ["rnu", "--nope"]) {
      const { code, err } = await cli([arg]);
      expect(code).toBe(ExitCode.usage);
      expect(err).toMatch(
        /^comfy-ts: unknown (command "rnu"|option --nope) \(commands: init, codegen, run, serve/,
      );
      expect(err.trim().split("\n")).toHaveLength(2);
    }
  });

  it("no arguments: the usage on stderr, exit 2; --help on stdout, exit 0; --version is the package's", async () => {
    const none = await cli([]);
    expect([none.code, none.out]).toEqual([ExitCode.usage, ""]);
    expect(none.err).toContain("Usage: comfy-ts <command>");
    const help = await cli(["--help"]);
    expect([help.code, help.err]).toEqual([ExitCode.ok, ""]);
    expect(help.out).toContain("Examples:");
    const pkg = JSON.parse(await readFile(resolve(import.meta.dirname, "../package.json"), "utf8"));
    expect((await cli(["--version"])).out).toBe(`${pkg.version}\n`);
  });

  it("every command's --help documents each option it parses, examples or usage, and exit codes", async () => {
    const expected: Record<string, string[]> = {
      init: ["--url", "--header", "--timeout", "--object-info", "--packages", "--quiet"],
      run: [
        "--server",
        "--out",
        "--previews",
        "--json",
        "--export",
        "--force",
        "--timeout",
        "--unreachable",
        "--verbose",
        "Examples:",
      ],
      serve: ["--host", "--port", "--input-dir", "--output-dir", "--temp-dir"],
      import: [
        "--object-info",
        "--url",
        "--header",
        "--timeout",
        "--to",
        "--out",
        "--nodes-module",
        "--export-name",
        "--keep-unknown",
        "--quiet",
      ],
      export: ["--to", "--out", "--export", "--object-info", "--url", "--header", "--timeout", "--quiet"],
      calibrate: ["--runs", "--server", "--seed", "--export", "--json"],
    };
    for (const [command, flags] of Object.entries(expected)) {
      const { code, out } = await cli([command, "--help"]);
      expect(code).toBe(ExitCode.ok);
      for (const flag of flags) expect(out, `${command} --help mentions ${flag}`).toContain(flag);
      expect(out).toMatch(/Exit codes:/);
      expect(out).toMatch(/Usage:/);
    }
  });
});

describe("bad files given to run and export: exit 3, the file named, no stack", () => {
  it("a module that throws at import names the line in the author's file", async () => {
    const path = await file(
      "throws.ts",
      'import { workflow } from "@comfy-ts/core";\nconst w = workflow(() => ({}));\nthrow new Error("boom at import");\nexport default w;\n',
    );
    const { code, err } = await spawnCli(["run", path, "--server", local.url]);
    expect(code).toBe(ExitCode.input);
    // The binary runs in the repository: the file is named relative to it.
    const shown = relative(REPO, path);
    expect(shown).toBe("packages/cli/test/out/user-errors/throws.ts");
    expect(err).toBe(
      `comfy-ts run: ${shown} threw while it was imported: Error: boom at import\n    at ${shown}:3:7\n`,
    );
  });

  it("a workflow that throws while building its graph names the line, before any server is used", async () => {
    const path = await file(
      "destructure.ts",
      'import { node, workflow } from "@comfy-ts/core";\nexport default workflow(() => {\n  const [a] = node("EmptyImage", {});\n  return { out: node("SaveImage", { images: a }, { outputNode: true }) };\n});\n',
    );
    // Port 9 has no server: compiling first means the author's error is what is reported.
    const { code, err } = await spawnCli(["run", path, "--server", "http://127.0.0.1:9"]);
    expect(code).toBe(ExitCode.input);
    expect(err).toMatch(
      /^comfy-ts run: the workflow \(default export of packages\/cli\/test\/out\/user-errors\/destructure\.ts\) threw while building its graph: TypeError: .*\n {4}at packages\/cli\/test\/out\/user-errors\/destructure\.ts:3:\d+\n$/,
    );
  });

  it("a module exporting no workflow says what to export", async () => {
    const path = await file("noexport.ts", "export const answer = 42;\n");
    const { code, err } = await cli(["export", path, "--to", "api"]);
    expect(code).toBe(ExitCode.input);
    expect(err).toContain(
      `${path} exports no workflow (exports: answer). Export one: \`export default workflow(() => …)\``,
    );
  });

  it("a default export that is not a workflow is listed among the exports", async () => {
    const path = await file(
      "selfref.ts",
      "const a: Record<string, unknown> = {};\na.self = a;\nexport default a;\n",
    );
    const { code, err } = await cli(["export", path, "--to", "api"]);
    expect(code).toBe(ExitCode.input);
    expect(err).toContain(`${path} exports no workflow (exports: default).`);
  });

  it.each([
    [
      "a Proxy whose keys throw",
      'export default new Proxy({}, { ownKeys() { throw new Error("no keys"); } });\n',
    ],
    ["a throwing getter", 'export const w = { get x(): never { throw new Error("no x"); } };\n'],
  ])("reading an export that throws (%s): exit 3 naming the file and line, no stack", async (_name, text) => {
    const path = await file("throwing-export.ts", text);
    const { code, err } = await cli(["export", path, "--to", "api"]);
    expect(code).toBe(ExitCode.input);
    expect(err).toMatch(/threw while its exports were read: Error: no (keys|x)/);
    expect(err).toContain(`${path}:1:`);
    expect(err).not.toMatch(STACK_FRAME);
    expect(err).not.toContain("data:text/javascript");
  });

  it.each([
    ["api", 6000, /deep\.json: cannot write JSON nested 600\d levels deep \(at \$\["1"\]\.inputs\.width/],
    ["ts", 3000, /deep\.json: node 1 input "width" is nested more than 1000 levels deep/],
  ])(
    "import --to %s of a value nested %i levels deep: exit 3 naming file, node and input",
    async (to, depth, message) => {
      const path = await file(
        "deep.json",
        `{"1": {"class_type": "EmptyImage", "inputs": {"width": ${"[".repeat(depth)}${"]".repeat(depth)}}}}`,
      );
      const { code, err } = await cli(["import", path, "--to", to, "--url", local.url, "--keep-unknown"]);
      expect(err).toMatch(message);
      expect(code).toBe(ExitCode.input);
    },
  );

  it.each([
    ["import", "--to", "api"],
    ["import", "--to", "ui"],
    ["import", "--to", "ts"],
    ["export", "--to", "api"],
  ])("a prompt with a cycle: %s %s %s refuses it naming the cycle (exit 3)", async (command, ...args) => {
    const path = await file(
      "cycle.json",
      '{"1": {"class_type": "ImageInvert", "inputs": {"image": ["2", 0]}}, "2": {"class_type": "ImageInvert", "inputs": {"image": ["1", 0]}}}',
    );
    const { code, out, err } = await cli([command!, path, ...args, "--url", local.url]);
    expect(err).toMatch(/cycle\.json: the prompt has a cycle: 1 → 2 → 1/);
    expect(out).toBe("");
    expect(code).toBe(ExitCode.input);
  });

  it("a module exporting a prompt that contains itself: exit 3 naming the file and the property", async () => {
    const path = await file(
      "self-prompt.ts",
      'const a: any = { "1": { class_type: "EmptyImage", inputs: {} } };\na["1"].inputs.self = a;\nexport default a;\n',
    );
    const { code, err } = await cli(["export", path, "--to", "api"]);
    expect(err).toContain(
      `${path}: cannot write JSON of a value that contains itself: $["1"].inputs.self refers back to $`,
    );
    expect(err).not.toMatch(STACK_FRAME);
    expect(code).toBe(ExitCode.input);
  });

  it("a module that throws something other than an Error shows what it threw", async () => {
    const path = await file("throws-object.ts", 'throw { reason: "an object" };\n');
    const { code, err } = await cli(["export", path, "--to", "api"]);
    expect(code).toBe(ExitCode.input);
    expect(err).toContain("threw while it was imported: a non-Error value: { reason: 'an object' }");
  });

  it("a module importing a package that is not installed is not called missing itself", async () => {
    const path = await file(
      "badimport.ts",
      'import { x } from "@comfy-ts/no-such-package";\nexport default x;\n',
    );
    const { code, err } = await cli(["run", path, "--server", local.url]);
    expect(code).toBe(ExitCode.input);
    expect(err).toContain(
      `cannot load ${path}: it imports "@comfy-ts/no-such-package", which cannot be found`,
    );
    expect(err).not.toMatch(STACK_FRAME);
  });

  it.each([
    [
      "truncated.json",
      '{"1": {"class_type": "EmptyImage", "inputs": {"width": 8',
      /invalid JSON at line 1, column \d+.*truncated/,
    ],
    [
      "version7.json",
      '{"version": 7, "nodes": [], "links": []}',
      /unsupported UI workflow version 7: expected 0\.4 .* or 1/,
    ],
    [
      "plain.png",
      Buffer.from("89504e470d0a1a0a0000000049454e44ae426082", "hex"),
      /this PNG has no ComfyUI workflow/,
    ],
  ])("%s", async (name, text, message) => {
    const path = await file(name, text);
    for (const args of [
      ["run", path, "--server", local.url],
      ["export", path, "--to", "api"],
    ]) {
      const { code, err } = await cli(args);
      expect(code, args.join(" ")).toBe(ExitCode.input);
      expect(err).toMatch(message);
      expect(err).toContain(name);
      expect(err).not.toMatch(STACK_FRAME);
    }
  });

  it("export converts a UI workflow file with the catalog given (it used to crash)", async () => {
    const catalogPath = await file(
      "object_info.json",
      JSON.stringify(await (await fetch(`${local.url}/object_info`)).json()),
    );
    const api = await file(
      "inv.json",
      JSON.stringify({
        "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
        "2": { class_type: "ImageInvert", inputs: { image: ["1", 0] } },
      }),
    );
    expect(
      (await cli(["import", api, "--to", "ui", "--object-info", catalogPath, "-o", "inv.ui.json"])).code,
    ).toBe(0);
    const { code, out, err } = await cli([
      "export",
      "inv.ui.json",
      "--to",
      "api",
      "--object-info",
      catalogPath,
    ]);
    expect(err).toBe("");
    expect(code).toBe(ExitCode.ok);
    expect(JSON.parse(out)["2"].class_type).toBe("ImageInvert");
    // Without a catalog flag: the embedded local server's catalog (as `run` uses that server).
    const noCatalog = await cli(["export", "inv.ui.json", "--to", "api"]);
    expect(noCatalog.code).toBe(ExitCode.ok);
    expect(noCatalog.err).toBe(
      "no --object-info, --url or COMFYUI_URL: using the catalog of the embedded local server\n",
    );
    expect(JSON.parse(noCatalog.out)).toEqual(JSON.parse(out));
  });
});

describe("servers that fail", () => {
  let stub: Server;
  let stubUrl: string;
  beforeAll(async () => {
    stub = createServer((req, res) => {
      if (req.url === "/prompt") {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("500 Internal Server Error\n\nServer got itself in trouble");
        return;
      }
      // Anything else (the WebSocket upgrade is never answered as one): drop the socket.
      req.socket.destroy();
    });
    await new Promise<void>((done) => stub.listen(0, "127.0.0.1", done));
    const address = stub.address() as { port: number };
    stubUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((done) => stub.close(() => done())));

  it("a server that is down: exit 4, names POST /prompt and asks whether the server runs", async () => {
    const { code, err } = await cli(["run", FIXTURE, "--server", "http://127.0.0.1:9"]);
    expect(code).toBe(ExitCode.server);
    // Only the error: no news of the WebSocket or of polling for a job that never reached the server.
    expect(err).toMatch(
      /^comfy-ts run: cannot reach ComfyUI: POST http:\/\/127\.0\.0\.1:9\/prompt failed \(ECONNREFUSED.*\)\. Is the server running at http:\/\/127\.0\.0\.1:9\/\?\n$/,
    );
    expect(err).not.toContain("checking whether the server has it");
    expect(err).not.toMatch(STACK_FRAME);
  });

  it("a server answering 500: exit 4, the status and the body, as one JSON error event with --json", async () => {
    const { code, out, err } = await cli(["run", FIXTURE, "--server", stubUrl, "--json"]);
    expect(code).toBe(ExitCode.server);
    expect(err).toMatch(/500/);
    expect(err).not.toMatch(STACK_FRAME);
    const events = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; exitCode?: number });
    expect(events.at(-1)).toMatchObject({ event: "error", exitCode: ExitCode.server });
  });
});

describe("the server rejects or fails the job: exit 1, node, class, input, the author's line", () => {
  it("a validation error points at the line of the author's module, not at generated or internal code", async () => {
    const { code, err } = await spawnCli(["run", FIXTURE, "--export", "broken", "--server", local.url]);
    expect(code).toBe(ExitCode.failed);
    expect(err).toMatch(
      /node 1 \(EmptyImage\) input "width" at packages\/cli\/test\/fixtures\/invert\.workflow\.ts:37:17: Value 0 smaller than min of 1 \[value_smaller_than_min\]/,
    );
    const line = (await readFile(FIXTURE, "utf8")).split("\n")[36]!;
    expect(line.slice(16)).toMatch(/^EmptyImage\(\{ width: 0/);
  });

  it("a link to a node missing from an API prompt names the input and the node it wants", async () => {
    const path = await file(
      "missing-link.json",
      JSON.stringify({
        "3": { class_type: "SaveImage", inputs: { images: ["9", 0], filename_prefix: "x" } },
      }),
    );
    const { code, err } = await cli(["run", path, "--server", local.url]);
    expect(code).toBe(ExitCode.failed);
    expect(err).toMatch(/node 3 \(SaveImage\) input "images": links to node "9", which is not in the prompt/);
  });

  it("LoadImage of a missing file and a model node: what failed and what to do; tracebacks only with --verbose", async () => {
    const missing = await file(
      "load-missing.json",
      JSON.stringify({
        "1": { class_type: "LoadImage", inputs: { image: "nope.png" } },
        "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: "x" } },
      }),
    );
    const a = await cli(["run", missing, "--server", local.url]);
    expect(a.code).toBe(ExitCode.failed);
    expect(a.err).toMatch(/node 1 \(LoadImage\) input "image": Invalid image file: nope\.png/);

    const model = await file(
      "model.json",
      JSON.stringify({
        "1": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "x.safetensors" } },
        "2": { class_type: "EmptyLatentImage", inputs: { width: 64, height: 64, batch_size: 1 } },
        "3": { class_type: "VAEDecode", inputs: { samples: ["2", 0], vae: ["1", 2] } },
        "4": { class_type: "SaveImage", inputs: { images: ["3", 0], filename_prefix: "k" } },
      }),
    );
    const b = await cli(["run", model, "--server", local.url]);
    expect(b.code).toBe(ExitCode.failed);
    expect(b.err).toMatch(
      /node 1 \(CheckpointLoaderSimple\) failed in prompt .*: NotImplementedError: .*runs no models.*set COMFYUI_URL/,
    );
    expect(b.err).toContain("(the server sent a traceback: --verbose shows it)");
    expect(b.err).not.toMatch(STACK_FRAME);
    const verbose = await cli(["run", model, "--server", local.url], { DEBUG: "comfy-ts" });
    expect(verbose.err).toMatch(/ComfyExecutionError: node 1/);
    // The server's traceback reads as ComfyUI's do: frames naming the class and the reason.
    expect(verbose.err).toContain(
      `  File "<comfy-ts local server>", line 1, in CheckpointLoaderSimple\n    raise NotImplementedError("CheckpointLoaderSimple needs model weights`,
    );
    expect(verbose.err).toMatch(/\n\s+at /);
  });
});
