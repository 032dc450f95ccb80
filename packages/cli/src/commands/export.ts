import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { CatalogSource } from "@comfy-ts/codegen";
import { assertAcyclicPrompt } from "@comfy-ts/codegen/import";
import {
  type ApiPrompt,
  CompileError,
  compile,
  type NodeCatalog,
  stringifyJsonLossless,
  stringifyPrompt,
} from "@comfy-ts/core";
import { apiToUi, isApiPromptJson, mergePromptIntoUi, parseUiWorkflow } from "@comfy-ts/core/workflow";
import { catalogSourceArgs } from "../args/catalog-source-args.js";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { type CommandCatalog, commandCatalog } from "../catalog/command-catalog.js";
import { type Command, type CommandIO, ExitCode } from "../command.js";
import { loadWorkflowFile, RunInputError } from "../run/load-workflow-file.js";
import { UsageError } from "../usage-error.js";
import { editorDocumentPath, reportCatalogError } from "./import.js";
import { writeOutput } from "./write-output.js";

const HELP = `comfy-ts export — a comfy-ts workflow as ComfyUI JSON

Usage:
  comfy-ts export MODULE --to ui|api [-o OUT] [--object-info FILE | --url URL]

MODULE is a TS/JS module exporting a workflow (default export, or pick one with --export NAME).
An API prompt, UI workflow or ComfyUI PNG is accepted too (to convert between formats).

  --to api                the API prompt JSON (what POST /prompt takes; "Save (API)" format)
  --to ui                 a UI workflow that opens and runs in ComfyUI's editor (needs the server's
                          node catalog, see below). When MODULE came from \`comfy-ts import\`,
                          its editor document (MODULE.editor.json beside it) is the base: positions,
                          groups, notes, primitives, control modes and muted nodes are kept and the
                          module's nodes, links and values written onto it. Otherwise nodes are laid
                          out left to right by dependency.
  --editor FILE           the editor document to write onto (default: MODULE.editor.json if present)
  --no-editor             ignore the editor document: lay the nodes out afresh
  -o, --out FILE          write there (an identical file is not rewritten); default: stdout
  --export NAME           which export of MODULE (default: the default export or the only workflow)
  --object-info FILE      the catalog: a saved GET /object_info answer
  --url URL               the catalog: fetched from a running ComfyUI server
  --header "Name: value"  request header for --url, repeatable (also COMFY_TS_AUTH_HEADER)
  --timeout SECONDS       per request (default 30)
  --quiet                 nothing on stderr but errors
  --help                  this text

Without --object-info or --url, the catalog is the one of the server COMFYUI_URL names, else the
embedded local server's (ComfyUI's core nodes, what \`comfy-ts run\` uses by default).

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
  /** The editor document to write the module onto: given, found beside the module, or none. */
  readonly editor: { readonly path: string; readonly arg: string } | undefined;
}

function parse(argv: readonly string[], io: CommandIO): Parsed {
  const { values, positionals } = parseCommandArgs(argv, {
    to: { type: "string" },
    out: { type: "string", short: "o" },
    export: { type: "string" },
    "object-info": { type: "string" },
    url: { type: "string" },
    header: { type: "string", multiple: true },
    timeout: { type: "string" },
    quiet: { type: "boolean" },
    editor: { type: "string" },
    "no-editor": { type: "boolean" },
  });
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? "give the MODULE to export" : `unexpected argument "${positionals[1]}"`,
    );
  }
  if (values.editor !== undefined && values["no-editor"])
    throw new UsageError("give --editor FILE or --no-editor, not both");
  if (values.to !== "ui" && values.to !== "api") {
    throw new UsageError(
      values.to === undefined ? "give --to ui or --to api" : `--to must be ui or api, got "${values.to}"`,
    );
  }
  return {
    module: resolve(io.cwd, positionals[0]!),
    moduleArg: positionals[0]!,
    to: values.to,
    out: values.out === undefined ? undefined : resolve(io.cwd, values.out),
    outArg: values.out,
    exportName: values.export,
    catalog: catalogSourceArgs(values, io),
    quiet: values.quiet === true,
    editor: editorOf(values.editor, values["no-editor"] === true, positionals[0]!, io),
  };
}

function editorOf(
  given: string | undefined,
  none: boolean,
  moduleArg: string,
  io: CommandIO,
): Parsed["editor"] {
  if (none) return undefined;
  if (given !== undefined) return { path: resolve(io.cwd, given), arg: given };
  const beside = editorDocumentPath(moduleArg);
  return existsSync(resolve(io.cwd, beside)) ? { path: resolve(io.cwd, beside), arg: beside } : undefined;
}

async function run(p: Parsed, io: CommandIO): Promise<number> {
  const note = (line: string) => {
    if (!p.quiet) io.stderr.write(`${line}\n`);
  };
  // Read once, when a UI workflow file or --to ui asks for it.
  let catalog: Promise<CommandCatalog> | undefined;
  const catalogOnce = (): Promise<NodeCatalog> => {
    catalog ??= commandCatalog(p.catalog, io, note);
    return catalog.then((c) => c.catalog);
  };
  let prompt: ApiPrompt;
  try {
    const file = await loadWorkflowFile(p.module, p.exportName, { cwd: io.cwd });
    const input = await file.resolve(catalogOnce);
    prompt = isApiPromptJson(input) ? (input as ApiPrompt) : compile(input as Parameters<typeof compile>[0]);
  } catch (error) {
    if (error instanceof RunInputError || error instanceof CompileError) {
      io.stderr.write(`comfy-ts export: ${error.message}\n`);
      return ExitCode.input;
    }
    throw error;
  }
  assertAcyclicPrompt(prompt, p.moduleArg);
  const onWarning = (w: { nodeId: string; message: string }) =>
    note(`warning: node ${w.nodeId}: ${w.message}`);
  let text: string;
  if (p.to === "api") text = `${stringifyPrompt(prompt, 2)}\n`;
  else if (p.editor) {
    let document: string;
    try {
      document = await readFile(p.editor.path, "utf8");
    } catch (error) {
      io.stderr.write(
        `comfy-ts export: cannot read the editor document ${p.editor.arg}: ${(error as Error).message} (pass --no-editor to lay the nodes out afresh)\n`,
      );
      return ExitCode.input;
    }
    const base = parseUiWorkflow(document, { source: p.editor.arg });
    text = `${stringifyJsonLossless(
      mergePromptIntoUi(base, prompt, await catalogOnce(), { source: p.editor.arg, onWarning }),
      2,
    )}\n`;
  } else {
    text = `${stringifyJsonLossless(
      apiToUi(prompt, await catalogOnce(), {
        source: basename(p.moduleArg),
        unknownNodes: "keep",
        onWarning,
      }),
      2,
    )}\n`;
  }
  if (!p.out) {
    io.stdout.write(text);
    return ExitCode.ok;
  }
  const written = await writeOutput(p.out, text);
  note(`${written ? "wrote" : "unchanged"} ${p.outArg} (${Object.keys(prompt).length} nodes)`);
  return ExitCode.ok;
}

export const exportCommand: Command = {
  name: "export",
  summary: "Export a comfy-ts workflow as a ComfyUI UI workflow or API prompt",
  help: HELP,
  async run(argv, io) {
    const parsed = parse(argv, io);
    try {
      return await run(parsed, io);
    } catch (error) {
      return reportCatalogError("export", error, io, parsed.moduleArg);
    }
  },
};
