import { totalmem } from "node:os";
import { resolve } from "node:path";
import { startLocalServer } from "@comfy-ts/local-server";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { type Command, type CommandIO, ExitCode } from "../command.js";
import { UsageError } from "../usage-error.js";
import { isDebug } from "./run.js";

const HELP = `comfy-ts serve — run the comfy-ts local server (a ComfyUI-compatible server for model-free nodes)

Usage: comfy-ts serve [--host 127.0.0.1] [--port 8188] [--input-dir DIR] [--output-dir DIR] [--temp-dir DIR]
                      [--memory-limit SIZE]

Options:
  --host HOST        interface to listen on (default 127.0.0.1)
  --port PORT        port to listen on (default 8188; 0 picks a free port)
  --input-dir DIR    input folder (LoadImage, /upload/image); default: a temporary folder
  --output-dir DIR   output folder (SaveImage); default: a temporary folder
  --temp-dir DIR     temp folder (PreviewImage); default: a temporary folder
  --memory-limit SIZE  memory a job may take the server to, e.g. 8G, 512M (units of 1024) or 75%
                     of this machine's memory; a job past it fails with an execution_error naming
                     the node (default: 50%)
  -h, --help         show this help

It speaks ComfyUI 0.3.65's HTTP and WebSocket API (/prompt, /ws, /history, /view, /upload/image, …),
so clients and tests can point COMFYUI_URL at it. Model nodes (KSampler, checkpoint loaders, …)
are listed but fail with an execution_error: this server runs no models. Stop it with Ctrl-C.

Examples:
  comfy-ts serve                                  # http://127.0.0.1:8188, temporary folders
  comfy-ts serve --port 0 --input-dir fixtures    # a free port; LoadImage reads fixtures/

Environment: DEBUG=comfy-ts also logs the JS stack of each node failure on stderr (clients get a
ComfyUI-shaped traceback naming the node class and the reason).

Exit codes: 1 the server could not start (port in use, not allowed), 2 usage error,
130 stopped with Ctrl-C (the normal end).`;

/** `comfy-ts serve`: starts the local server and runs until interrupted. */
export const serveCommand: Command = {
  name: "serve",
  summary: "Run the local ComfyUI-compatible server (model-free nodes, no GPU, no Python)",
  help: HELP,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      host: { type: "string" },
      port: { type: "string" },
      "input-dir": { type: "string" },
      "output-dir": { type: "string" },
      "temp-dir": { type: "string" },
      "memory-limit": { type: "string" },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const portText = values.port ?? "8188";
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535)
      throw new UsageError(`--port must be an integer from 0 to 65535, got "${portText}"`);
    const host = values.host ?? "127.0.0.1";
    // An empty host makes Node listen on every interface: never by accident.
    if (!host.trim())
      throw new UsageError("--host needs an address (use 0.0.0.0 to listen on every interface)");
    const memoryLimit =
      values["memory-limit"] === undefined ? undefined : parseMemorySize(values["memory-limit"]);
    if (memoryLimit === null)
      throw new UsageError(
        `--memory-limit must be a size like 8G, 512M or 75%, got "${values["memory-limit"]}"`,
      );
    const dir = (value: string | undefined) => (value === undefined ? undefined : resolve(io.cwd, value));
    let server: Awaited<ReturnType<typeof startLocalServer>>;
    try {
      server = await startLocalServer({
        host,
        port,
        inputDir: dir(values["input-dir"]),
        outputDir: dir(values["output-dir"]),
        tempDir: dir(values["temp-dir"]),
        ...(memoryLimit === undefined ? {} : { memoryLimit }),
        argv: ["comfy-ts", "serve", ...argv],
        logger: {
          info: (message) => io.stdout.write(`${message}\n`),
          error: (message) => io.stderr.write(`${message}\n`),
          // The JS stack of each node failure (clients get ComfyUI-shaped tracebacks).
          ...(isDebug(io.env) ? { debug: (message: string) => io.stderr.write(`debug: ${message}\n`) } : {}),
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === "EADDRINUSE"
          ? `port ${port} is already in use on ${host}; choose another with --port (0 picks a free one)`
          : code === "EACCES"
            ? `not allowed to listen on ${host}:${port}; use a port above 1023`
            : (error as Error).message;
      io.stderr.write(`comfy-ts serve: cannot start the server: ${reason}\n`);
      return ExitCode.failed;
    }
    io.stdout.write(
      `input ${server.dirs.input}\noutput ${server.dirs.output}\ntemp ${server.dirs.temp}\n` +
        `Point clients at COMFYUI_URL=${server.url} — press Ctrl-C to stop.\n`,
    );
    await new Promise<void>((done) => {
      if (io.signal.aborted) done();
      else io.signal.addEventListener("abort", () => done(), { once: true });
    });
    await server.close();
    io.stdout.write("comfy-ts local server stopped\n");
    return ExitCode.interrupted;
  },
};

const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/**
 * `8G`, `512M`, `1.5GiB`, `2048MB` (units of 1024) or `75%` of this machine's memory; null when the
 * text is none of these or not above zero. A bare number is refused: `8` meaning 8 bytes is never
 * what was meant.
 */
export function parseMemorySize(text: string): number | null {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (percent) {
    const share = Number(percent[1]) / 100;
    return share > 0 && share <= 1 ? Math.floor(totalmem() * share) : null;
  }
  const size = /^\s*(\d+(?:\.\d+)?)\s*([kmgt])(?:i?b)?\s*$/i.exec(text);
  const unit = UNITS[(size?.[2] ?? "").toUpperCase()];
  if (!size || unit === undefined) return null;
  const bytes = Math.floor(Number(size[1]) * unit);
  return bytes > 0 ? bytes : null;
}
