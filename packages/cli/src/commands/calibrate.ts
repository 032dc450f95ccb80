import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { WorkflowError } from "@comfy-ts/core/workflow";
import {
  type CalibrationReport,
  type ComfyHarness,
  calibrate,
  openComfyHarness,
  type SeedSpec,
} from "@comfy-ts/testing/harness";
import { parseServerUrls } from "@comfy-ts/testing/node";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { type Command, type CommandIO, ExitCode } from "../command.js";
import { loadWorkflowFile, RunInputError } from "../run/load-workflow-file.js";
import { UsageError } from "../usage-error.js";

const HELP = `comfy-ts calibrate — measure how much a pipeline's images vary, to choose golden tolerances

Usage: comfy-ts calibrate FILE [--runs N] [--server URL]... [--seed N] [--export NAME] [--write FILE] [--json]

Runs FILE N times on every server, forcing execution each time (nothing comes from ComfyUI's
cache), decodes every output (images, animations, video, audio, latents, text) and compares each run
with the first run on its server. Prints, per output and server, how many runs were identical, the
largest sample difference, the most differing samples and the worst PSNR/SNR — then the tolerance
config per environment that admits what was measured (exact where every run was identical), ready to
paste into a vitest setup file, and whether goldens must be keyed by environment.

FILE is what \`comfy-ts run\` takes: a TS/JS module exporting a workflow, an API or UI workflow JSON,
or a PNG saved by ComfyUI.

Options:
  --runs N        runs per server (default 5)
  --server URL    a server; repeat for several (default: $COMFYUI_URL, comma-separated for a pool,
                  else the embedded local server)
  --seed N        pin every seed-like input to N (default: the seeds in the graph)
  --export NAME   the export of a module to use
  --write FILE    write the tolerance config as a vitest setup module (add it to setupFiles)
  --json          print the report as JSON on stdout
  -h, --help      show this help

Exit codes: 0 ok, 2 usage, 3 bad FILE (also a UI workflow the server cannot convert),
4 server unreachable or a run failed, 130 interrupted (Ctrl-C cancels the run in flight on the server).`;

function table(report: CalibrationReport): string {
  const header = ["output", "kind", "server", "runs", "identical", "max |Δ|", "most differing", "worst dB"];
  const rows = report.spreads.map((s) => [
    s.output,
    `${s.kind} (${s.format})`,
    `${s.server} (${s.environmentKey})`,
    String(s.runs),
    String(s.identicalRuns) + (s.factChanges ? ` (+${s.factChanges} fact changes)` : ""),
    String(s.maxDelta),
    String(s.maxDifferingSamples),
    s.worstDb === undefined ? "—" : s.worstDb.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** `comfy-ts calibrate FILE`: run N times per server and report the pixel spread. */
export const calibrateCommand: Command = {
  name: "calibrate",
  summary: "Run a pipeline N times on each server and report the pixel spread (to choose tolerances)",
  help: HELP,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      runs: { type: "string" },
      server: { type: "string", multiple: true },
      seed: { type: "string" },
      export: { type: "string" },
      write: { type: "string" },
      json: { type: "boolean" },
    });
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? "give the workflow FILE to calibrate"
          : `expected one FILE, got ${positionals.length}: ${positionals.join(" ")}`,
      );
    }
    // Digits only: Number() would also take "1e3", "0x10" or " 7 ".
    const runs = values.runs === undefined ? 5 : /^\d+$/.test(values.runs) ? Number(values.runs) : Number.NaN;
    if (!Number.isSafeInteger(runs) || runs < 1)
      throw new UsageError(`--runs must be an integer ≥ 1, got "${values.runs}"`);
    let seeds: SeedSpec | undefined;
    if (values.seed !== undefined) {
      if (!/^\d+$/.test(values.seed))
        throw new UsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
      seeds = BigInt(values.seed);
    }
    let urls: string[];
    try {
      urls = values.server?.length
        ? parseServerUrls(values.server.join(","))
        : parseServerUrls(io.env["COMFYUI_URL"]);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }

    const file = resolve(io.cwd, positionals[0]!);
    let loaded: Awaited<ReturnType<typeof loadWorkflowFile>>;
    try {
      loaded = await loadWorkflowFile(file, values.export, { cwd: io.cwd });
    } catch (error) {
      io.stderr.write(`comfy-ts calibrate: ${(error as Error).message}\n`);
      return ExitCode.input;
    }

    let harness: ComfyHarness | undefined;
    try {
      // Connects to every server (closing the others when one fails), or starts the embedded one.
      const opened = await openComfyHarness({ servers: urls });
      harness = opened.harness;
      const { servers } = harness;
      if (opened.embedded) {
        io.stderr.write(
          `no --server or COMFYUI_URL: using the embedded local server at ${servers[0]!.url}\n`,
        );
      }
      const input = await loaded.resolve(() => servers[0]!.client.catalog());
      io.stderr.write(
        `calibrating ${loaded.description}: ${runs} runs on ${servers.map((s) => s.url).join(", ")}\n`,
      );
      const report = await calibrate(input, servers, {
        runs,
        ...(seeds !== undefined ? { seeds } : {}),
        onRun: (server, run, ms) => io.stderr.write(`  ${server} run ${run}/${runs}: ${Math.round(ms)} ms\n`),
        signal: io.signal,
      });
      if (values.write) {
        const target = resolve(io.cwd, values.write);
        await writeFile(target, report.config);
        io.stderr.write(`wrote the tolerance config to ${values.write}: add it to vitest's setupFiles\n`);
      }
      if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (report.spreads.length === 0) {
        io.stdout.write(`the pipeline produced no outputs to compare (runs: ${runs})\n`);
      } else {
        io.stdout.write(
          `${table(report)}\n\n${report.summary}\n\n${values.write ? "" : `Tolerance config (paste into a vitest setup file, or use --write FILE):\n\n${report.config}`}`,
        );
      }
      return ExitCode.ok;
    } catch (error) {
      // Ctrl-C: the job in flight was cancelled on the server.
      if (io.signal.aborted) {
        io.stderr.write("comfy-ts calibrate: interrupted\n");
        return ExitCode.interrupted;
      }
      io.stderr.write(`comfy-ts calibrate: ${(error as Error).message}\n`);
      // A UI workflow the server's catalog cannot convert is a bad FILE, as for `comfy-ts run`.
      return error instanceof WorkflowError || error instanceof RunInputError
        ? ExitCode.input
        : ExitCode.server;
    } finally {
      await harness?.close();
    }
  },
};
