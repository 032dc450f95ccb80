import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type CatalogSource, loadCatalog } from "@comfy-ts/codegen";
import {
  type ApiPrompt,
  CompileError,
  compile,
  stringifyJsonLossless,
  stringifyPrompt,
} from "@comfy-ts/core";
import type { ComfyClient } from "@comfy-ts/core/client";
import { apiToUi, isApiPromptJson } from "@comfy-ts/core/workflow";
import { type Command, type CommandIO, ExitCode } from "../command.js";
import { loadWorkflowFile, RunInputError } from "../run/load-workflow-file.js";
import { catalogSourceArgs, reportError, UsageError } from "./import.js";
import { writeOutput } from "./write-output.js";

const HELP = `comfy-ts export — a comfy-ts workflow as ComfyUI JSON

Usage:
  comfy-ts export MODULE --to ui|api [-o OUT] [--object-info FILE | --url URL]

MODULE is a TS/JS module exporting a workflow (default export, or pick one with --export NAME).
An API prompt, UI workflow or ComfyUI PNG is accepted too (to convert between formats).

  --to api                the API prompt JSON (what POST /prompt takes; "Save (API)" format)
  --to ui                 a UI workflow that opens and runs in ComfyUI's editor: nodes laid out left
                          to right by dependency, titles, widget values in the editor's order
                          (needs the catalog: --object-info FILE or --url URL)
  -o, --out FILE          write there (an identical file is not rewritten); default: stdout
  --export NAME           which export of MODULE (default: the default export or the only workflow)
  --object-info FILE      a saved GET /object_info answer
  --url URL               fetch it from a running ComfyUI server
  --header "Name: value"  request header for --url, repeatable (also COMFY_TS_AUTH_HEADER)
  --timeout MS            per request (default 30000)
  --quiet                 nothing on stderr but errors
  --help                  this text

Exit codes: 0 ok · 2 usage error · 3 the module or catalog could not be loaded or compiled ·
4 the server could not be reached.`;

interface Parsed {
  readonly module: string;
  readonly moduleArg: string;
  readonly to: "ui" | "api";
  readonly out: string | undefined;
  readonly outArg: string | undefined;
  readonly exportName: string | undefined;
  readonly catalog: CatalogSource | undefined;
  readonly quiet: boolean;
}

function parse(argv: readonly string[], io: CommandIO): Parsed {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      to: { type: "string" },
      out: { type: "string", short: "o" },
      export: { type: "string" },
      "object-info": { type: "string" },
      url: { type: "string" },
      header: { type: "string", multiple: true },
      timeout: { type: "string" },
      quiet: { type: "boolean" },
    },
  });
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? "give the MODULE to export" : `unexpected argument "${positionals[1]}"`,
    );
  }
  if (values.to !== "ui" && values.to !== "api") {
    throw new UsageError(
      values.to === undefined ? "give --to ui or --to api" : `--to must be ui or api, got "${values.to}"`,
    );
  }
  const catalog = catalogSourceArgs(values, io);
  if (values.to === "ui" && !catalog) {
    throw new UsageError(
      "--to ui needs the server's node catalog (widget order, sockets): pass --object-info FILE or --url URL",
    );
  }
  return {
    module: resolve(io.cwd, positionals[0]!),
    moduleArg: positionals[0]!,
    to: values.to,
    out: values.out === undefined ? undefined : resolve(io.cwd, values.out),
    outArg: values.out,
    exportName: values.export,
    catalog,
    quiet: values.quiet === true,
  };
}

async function run(p: Parsed, io: CommandIO): Promise<number> {
  const loaded = p.catalog ? await loadCatalog(p.catalog) : undefined;
  let prompt: ApiPrompt;
  try {
    const file = await loadWorkflowFile(p.module, p.exportName, { cwd: io.cwd });
    // Only UI workflow files ask the "server" for its catalog; answer with the one given.
    const client = {
      catalog: async () => {
        if (!loaded)
          throw new UsageError(
            `${p.moduleArg} is a UI workflow: converting it needs --object-info FILE or --url URL`,
          );
        return loaded.catalog;
      },
    } as unknown as ComfyClient;
    const input = await file.resolve(client);
    prompt = isApiPromptJson(input) ? (input as ApiPrompt) : compile(input as Parameters<typeof compile>[0]);
  } catch (error) {
    if (error instanceof RunInputError) {
      io.stderr.write(`comfy-ts export: ${error.message}\n`);
      return ExitCode.input;
    }
    if (error instanceof CompileError) {
      io.stderr.write(`comfy-ts export: ${(error as Error).message}\n`);
      return ExitCode.input;
    }
    throw error;
  }
  const text =
    p.to === "api"
      ? `${stringifyPrompt(prompt, 2)}\n`
      : `${stringifyJsonLossless(
          apiToUi(prompt, loaded!.catalog, {
            source: basename(p.moduleArg),
            unknownNodes: "keep",
            onWarning: (w) => {
              if (!p.quiet) io.stderr.write(`warning: node ${w.nodeId}: ${w.message}\n`);
            },
          }),
          2,
        )}\n`;
  if (!p.out) {
    io.stdout.write(text);
    return ExitCode.ok;
  }
  const written = await writeOutput(p.out, text);
  if (!p.quiet)
    io.stderr.write(`${written ? "wrote" : "unchanged"} ${p.outArg} (${Object.keys(prompt).length} nodes)\n`);
  return ExitCode.ok;
}

export const exportCommand: Command = {
  name: "export",
  summary: "Export a comfy-ts workflow as a ComfyUI UI workflow or API prompt",
  help: HELP,
  async run(argv, io) {
    try {
      return await run(parse(argv, io), io);
    } catch (error) {
      return reportError("export", error, io, [
        "to",
        "out",
        "export",
        "object-info",
        "url",
        "header",
        "timeout",
        "quiet",
        "help",
      ]);
    }
  },
};
