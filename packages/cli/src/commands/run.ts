import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { formatIssue } from "@comfy-ts/core";
import {
  type Auth,
  ComfyClient,
  ComfyClientError,
  ComfyConnectionError,
  ComfyExecutionError,
  ComfyHttpError,
  ComfyInputError,
  ComfyInterruptedError,
  ComfyResponseError,
  ComfyTimeoutError,
  ComfyValidationError,
  type ForceExecution,
  type RunResult,
} from "@comfy-ts/core/client";
import { WorkflowError } from "@comfy-ts/core/workflow";
import { startLocalServer } from "@comfy-ts/local-server";
import { parseServerUrls } from "@comfy-ts/testing/node";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { secondsOption } from "../args/seconds-option.js";
import { colorsFor } from "../colors.js";
import { type Command, type CommandIO, ExitCode } from "../command.js";
import { displayPath, relativizeText } from "../run/display-path.js";
import { loadWorkflowFile, RunInputError } from "../run/load-workflow-file.js";
import { ProgressReporter, type ReportMode } from "../run/progress-reporter.js";
import { UsageError } from "../usage-error.js";

const HELP = `comfy-ts run — run a workflow on a ComfyUI server and save its outputs

Usage: comfy-ts run FILE [--server URL] [--out DIR] [--previews DIR] [--json] [--export NAME]
                         [--force[=MODE]] [--timeout SECONDS] [--unreachable SECONDS] [--verbose]

FILE is one of:
  a TS/JS module exporting a workflow (default export, or the one named by --export),
  an API prompt JSON ("Save (API)" in ComfyUI), a UI workflow JSON, or a PNG/WebP saved by ComfyUI.

Options:
  --server URL       the ComfyUI server (default: $COMFYUI_URL — the first one of a comma-separated
                     pool —, else an embedded local server that runs ComfyUI's model-free nodes on the CPU)
  --out DIR          where output files are written (default: out); subfolders are kept
  --previews DIR     where previews (PreviewImage and other "temp" outputs) are written; default: a
                     folder per run under the system's temporary folder, so --out holds only outputs
  --json             one JSON event per line on stdout (progress, outputs, result or error)
  --export NAME      the export of a module to run (default: the default export, or the only workflow)
  --force[=MODE]     re-run even if ComfyUI has the result cached: "free-memory" (default; POST /free,
                     drops the server's cache and unloads models) or "nonce" (a unique extra input per
                     node; models stay loaded)
  --timeout SECONDS  bound on the execution stage (default 1800)
  --unreachable SECONDS
                     how long the server may stay unreachable while the job is followed before the
                     run fails (default 60); shorter outages are ridden out and the job found again
  --verbose          on failure, also print the server's traceback and the stack of the error
  -h, --help         show this help

Paths in messages (FILE, file:line of your code, output files) are relative to the working directory
when they are inside it, absolute otherwise. In --json events the path fields ("file", "path",
"files") are always absolute and the "start" event carries "cwd", so a program reading the events
needs no working directory of its own; "message" texts are the same as on stderr.

Examples:
  comfy-ts run src/pipelines/poster.ts                     # on the embedded local server, into out/
  comfy-ts run workflow.json --server http://127.0.0.1:8188 --out images
  comfy-ts run poster.ts --export sketch --json > events.jsonl

When the server drops outputs that fail validation and runs the others, what ran is saved and the
command exits 1 naming the outputs that did not run.

Environment: COMFYUI_URL (server), COMFYUI_TOKEN (sent as a Bearer token, never printed),
NO_COLOR / FORCE_COLOR (colors on stderr), DEBUG=comfy-ts (same as --verbose).
Exit codes: 0 ok, 1 the job failed (validation or execution error, or some outputs dropped),
2 usage, 3 bad FILE, 4 server unreachable / HTTP error / timeout, 130 interrupted.`;

const OPTIONS = {
  server: { type: "string" },
  out: { type: "string" },
  previews: { type: "string" },
  json: { type: "boolean" },
  export: { type: "string" },
  force: { type: "string" },
  timeout: { type: "string" },
  unreachable: { type: "string" },
  verbose: { type: "boolean" },
} as const;

/** `comfy-ts run FILE`: compile (if needed), submit, follow, download. */
export const runCommand: Command = {
  name: "run",
  summary: "Run a workflow (TS module, API/UI JSON or PNG) on a server and save its outputs",
  help: HELP,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    // `--force` alone or `--force=nonce`.
    const args = argv.map((a) => (a === "--force" ? "--force=free-memory" : a));
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? "give the workflow FILE to run"
          : `expected one FILE, got ${positionals.length}: ${positionals.join(" ")}`,
      );
    }
    let force: ForceExecution | undefined;
    if (values.force !== undefined) {
      if (values.force !== "free-memory" && values.force !== "nonce")
        throw new UsageError(`--force must be "free-memory" or "nonce", got "${values.force}"`);
      force = values.force;
    }
    const timeouts: { execution?: number; unreachable?: number } = {};
    if (values.timeout !== undefined) timeouts.execution = secondsOption("--timeout", values.timeout);
    if (values.unreachable !== undefined)
      timeouts.unreachable = secondsOption("--unreachable", values.unreachable);

    const verbose = values.verbose === true || isDebug(io.env);
    const mode: ReportMode = values.json ? "json" : io.stderr.isTTY ? "tty" : "plain";
    const colors = colorsFor(io.stderr, io.env);
    const report = new ProgressReporter(mode, io.stdout, io.stderr, colors);
    const file = resolve(io.cwd, positionals[0]!);
    const outDir = resolve(io.cwd, values.out ?? "out");
    const previewsDir = values.previews === undefined ? undefined : resolve(io.cwd, values.previews);

    let loaded: Awaited<ReturnType<typeof loadWorkflowFile>>;
    try {
      loaded = await loadWorkflowFile(file, values.export, { cwd: io.cwd });
    } catch (error) {
      return fail(report, io, colors, error, ExitCode.input, verbose);
    }

    // COMFYUI_URL as the test harness reads it: blank means unset, a comma-separated pool gives its first.
    let serverUrl = values.server;
    if (serverUrl === undefined) {
      try {
        serverUrl = parseServerUrls(io.env["COMFYUI_URL"])[0];
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    let local: Awaited<ReturnType<typeof startLocalServer>> | undefined;
    let client: ComfyClient | undefined;
    try {
      if (serverUrl === undefined) {
        local = await startLocalServer({ argv: ["comfy-ts", "run"] });
        report.note(
          colors.dim(`no --server or COMFYUI_URL: using the embedded local server at ${local.url}`),
        );
      }
      const token = io.env["COMFYUI_TOKEN"];
      const auth: Auth | undefined = token ? { type: "bearer", token } : undefined;
      client = new ComfyClient({
        baseUrl: serverUrl ?? local!.url,
        ...(auth ? { auth } : {}),
        timeouts,
        logger: { warn: (m) => report.note(colors.dim(m)) },
      });
      const server = client.http.url("").toString();
      report.json("start", { file, cwd: io.cwd, input: loaded.description, server });
      const connected = client;
      const input = await loaded.resolve(() => connected.catalog());
      const result = await client.run(input, {
        droppedOutputs: "report",
        signal: io.signal,
        onProgress: (event) => {
          // Said once the server took the prompt: when it is down, the error alone is the news.
          if (event.type === "submitted") report.note(`running ${loaded.description} on ${server}`);
          report.onProgress(event);
        },
        ...(force ? { forceExecution: force } : {}),
      });
      report.clear();
      const written = await writeOutputs(result, {
        output: outDir,
        preview: previewsDir ?? join(tmpdir(), "comfy-ts-previews", result.promptId),
      });
      for (const w of written) {
        report.json("output", {
          nodeId: w.nodeId,
          key: w.key,
          index: w.index,
          filename: w.filename,
          type: w.type,
          path: w.path,
          bytes: w.bytes,
        });
        report.line(
          `${colors.green(w.preview ? "wrote preview" : "wrote")} ${displayPath(io.cwd, w.path)} ${colors.dim(`(node ${w.nodeId}, ${w.bytes} bytes)`)}`,
        );
      }
      for (const t of result.texts) {
        report.json("text_output", { nodeId: t.nodeId, index: t.index, text: t.text });
        report.line(`text from node ${t.nodeId}: ${t.text}`);
      }
      report.json("result", {
        promptId: result.promptId,
        executedNodes: result.executedNodes,
        cachedNodes: result.cachedNodes,
        allCached: result.allCached,
        completedVia: result.completedVia,
        timing: result.timing,
        files: written.map((w) => w.path),
      });
      const via = result.completedVia === "polling" ? " (followed by polling /history)" : "";
      const cachedNote = result.allCached
        ? " — every node came from ComfyUI's cache (use --force to re-run)"
        : result.cachedNodes.length
          ? `, ${result.cachedNodes.length} cached`
          : "";
      report.note(
        `${colors.green("done")}: prompt ${result.promptId}, ${result.executedNodes.length} nodes executed${cachedNote}, ${Math.round(result.timing.totalMs)} ms${via}`,
      );
      if (written.length === 0 && result.texts.length === 0)
        report.note("the workflow produced no output files");
      if (result.dropped) return failDropped(report, io, colors, result.dropped, result.prompt);
      return ExitCode.ok;
    } catch (error) {
      return fail(report, io, colors, error, undefined, verbose);
    } finally {
      client?.close();
      await local?.close();
    }
  },
};

interface Written {
  nodeId: string;
  key: string;
  index: number;
  filename: string;
  type: string;
  /** A "temp" output (PreviewImage …), written to the previews folder. */
  preview: boolean;
  path: string;
  bytes: number;
}

/** Writes each downloaded file: outputs under `dirs.output`, previews ("temp" files) under `dirs.preview`. */
async function writeOutputs(
  result: RunResult,
  dirs: { readonly output: string; readonly preview: string },
): Promise<Written[]> {
  const written: Written[] = [];
  for (const file of result.files) {
    if (!file.bytes) continue;
    const preview = file.type === "temp";
    const dir = preview ? dirs.preview : dirs.output;
    const path = resolve(dir, file.subfolder, file.filename);
    // The server names the files; never write outside the folder.
    if (path !== dir && !path.startsWith(dir + sep)) {
      throw new ComfyResponseError(
        "history",
        `output file name "${join(file.subfolder, file.filename)}" escapes the output folder`,
      );
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.bytes);
    written.push({
      nodeId: file.nodeId,
      key: file.key,
      index: file.index,
      filename: file.filename,
      type: file.type,
      preview,
      path,
      bytes: file.bytes.byteLength,
    });
  }
  return written;
}

/**
 * The server ran the prompt without the outputs that failed validation: what ran is saved; say
 * which outputs did not run and why, and exit 1.
 */
function failDropped(
  report: ProgressReporter,
  io: CommandIO,
  colors: ReturnType<typeof colorsFor>,
  dropped: ComfyValidationError,
  prompt: RunResult["prompt"],
): number {
  const outputs = droppedOutputIds(dropped.nodeErrors).map(
    (id) => `${id}${prompt[id] ? ` (${prompt[id].class_type})` : ""}`,
  );
  const what = outputs.length
    ? `output${outputs.length === 1 ? "" : "s"} ${outputs.join(", ")} failed validation and did not run`
    : "some outputs failed validation and did not run";
  const issues = dropped.issues.map((i) => `  ${formatIssue(i)} [${i.type}]`);
  const message = `${what}; the others ran and were saved:\n${issues.join("\n")}`;
  report.json("error", {
    code: dropped.code,
    message: relativizeText(io.cwd, message),
    droppedOutputs: droppedOutputIds(dropped.nodeErrors),
    issues: dropped.issues.map(({ error: _raw, ...issue }) => issue),
    promptId: dropped.promptId,
    exitCode: ExitCode.failed,
  });
  io.stderr.write(`${colors.red("comfy-ts run:")} ${relativizeText(io.cwd, message)}\n`);
  return ExitCode.failed;
}

/** The output nodes ComfyUI dropped: the `dependent_outputs` of every node error, in order. */
function droppedOutputIds(nodeErrors: Record<string, unknown>): string[] {
  const ids = new Set<string>();
  for (const entry of Object.values(nodeErrors)) {
    const outputs = (entry as { dependent_outputs?: unknown } | null)?.dependent_outputs;
    if (Array.isArray(outputs)) for (const id of outputs) ids.add(String(id));
  }
  return [...ids];
}

function exitCodeFor(error: unknown): number {
  // A UI workflow the server's catalog cannot convert (unknown node type, widget values) is a bad FILE.
  if (error instanceof RunInputError || error instanceof WorkflowError) return ExitCode.input;
  if (error instanceof ComfyInputError) return ExitCode.usage; // e.g. --server is not a URL
  if (error instanceof ComfyInterruptedError) return ExitCode.interrupted;
  if (error instanceof ComfyValidationError || error instanceof ComfyExecutionError) return ExitCode.failed;
  if (
    error instanceof ComfyConnectionError ||
    error instanceof ComfyHttpError ||
    error instanceof ComfyTimeoutError
  )
    return ExitCode.server;
  if (error instanceof ComfyClientError) return ExitCode.server;
  return ExitCode.failed;
}

function fail(
  report: ProgressReporter,
  io: CommandIO,
  colors: ReturnType<typeof colorsFor>,
  error: unknown,
  code: number | undefined,
  verbose: boolean,
): number {
  report.clear();
  const exit = code ?? exitCodeFor(error);
  const e = error as Error & { code?: string };
  const shown = (text: string) => relativizeText(io.cwd, text);
  let message = shown(e.message ?? String(error));
  // The client's advice names its option; on the command line the bound is --timeout.
  if (error instanceof ComfyTimeoutError && error.stage === "execution")
    message = message.replace("Raise timeouts.execution", "Raise --timeout SECONDS");
  const fields: Record<string, unknown> = { code: e.code ?? "UNKNOWN", message };
  if (error instanceof ComfyValidationError)
    fields["issues"] = error.issues.map(({ error: _raw, ...issue }) => issue);
  if (error instanceof ComfyExecutionError)
    Object.assign(fields, {
      nodeId: error.nodeId,
      nodeType: error.nodeType,
      exceptionType: error.exceptionType,
      traceback: error.traceback,
    });
  if (error instanceof ComfyClientError && error.promptId) fields["promptId"] = error.promptId;
  report.json("error", { ...fields, exitCode: exit });
  const known =
    error instanceof ComfyClientError ||
    error instanceof RunInputError ||
    (error instanceof Error && "code" in error);
  // Errors go to stderr in every mode (json mode also gets the "error" event on stdout).
  io.stderr.write(
    known
      ? `${colors.red("comfy-ts run:")} ${message}\n`
      : `${colors.red("comfy-ts run: unexpected error:")} ${shown(e?.stack ?? String(error))}\n`,
  );
  if (error instanceof ComfyExecutionError && error.traceback.length) {
    io.stderr.write(
      colors.dim(
        verbose
          ? `${error.traceback.join("").trimEnd()}\n`
          : "(the server sent a traceback: --verbose shows it)\n",
      ),
    );
  }
  if (known && verbose) io.stderr.write(colors.dim(`${shown(stackChain(error))}\n`));
  return exit;
}

/** `DEBUG=comfy-ts` (or a list containing it, or `*`) turns on `--verbose`. */
export function isDebug(env: NodeJS.ProcessEnv): boolean {
  const debug = env["DEBUG"];
  return !!debug && debug.split(/[\s,]+/).some((d) => d === "comfy-ts" || d === "comfy-ts:*" || d === "*");
}

/** The stack of an error and of its causes. */
function stackChain(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(`${depth ? "caused by: " : ""}${(e as Error).stack ?? String(e)}`);
  }
  return parts.join("\n");
}
