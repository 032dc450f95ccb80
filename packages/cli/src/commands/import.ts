import { readFile } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import { type CatalogSource, CodegenError } from "@comfy-ts/codegen";
import {
  assertAcyclicPrompt,
  camelName,
  describeKeptInEditor,
  type EditorImport,
  emitWorkflowModule,
  importEditorWorkflow,
} from "@comfy-ts/codegen/import";
import {
  type ApiPrompt,
  isApiLink,
  JsonCycleError,
  JsonNestingError,
  type NodeCatalog,
  stringifyJsonLossless,
  stringifyPrompt,
} from "@comfy-ts/core";
import { apiToUi, readWorkflow, uiToApi, WorkflowError } from "@comfy-ts/core/workflow";
import { catalogSourceArgs } from "../args/catalog-source-args.js";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { commandCatalog } from "../catalog/command-catalog.js";
import { type Command, type CommandIO, ExitCode } from "../command.js";
import { UsageError } from "../usage-error.js";
import { codegenExitCode } from "./codegen/codegen-command.js";
import { writeOutput } from "./write-output.js";

const HELP = `comfy-ts import — bring a ComfyUI workflow into comfy-ts

Usage:
  comfy-ts import FILE [--object-info FILE | --url URL] [--to ts|api|ui] [-o OUT]

FILE is an API prompt ("Save (API)"), a UI workflow (File → Save; 0.4 or 1, with subgraphs),
or a PNG/WebP saved by ComfyUI (its prompt / workflow metadata).

  --to ts                 (default) a TypeScript module on your generated factories: one variable
                          per node, links as references, titles kept, defaults left out, a default
                          export. From a UI workflow: PrimitiveNode values become workflow parameters,
                          notes become comments, and with -o OUT.ts the editor document is kept as
                          OUT.editor.json (layout, groups, notes, primitives, control modes, muted
                          nodes) for \`comfy-ts export --to ui\` to write the module back onto
  --to api                the API prompt JSON (what ComfyUI's "Save (API)" writes)
  --to ui                 a UI workflow to open in ComfyUI's editor: the one stored in FILE (an
                          image's workflow metadata keeps its layout), else laid out left to right
  -o, --out FILE          write there (an identical file is not rewritten); default: stdout

Catalog (needed for UI workflows and for --to ts / --to ui):
  --object-info FILE      a saved GET /object_info answer
  --url URL               fetch it from a running ComfyUI server
  --header "Name: value"  request header for --url, repeatable (also COMFY_TS_AUTH_HEADER)
  --timeout SECONDS       per request (default 30)
                          Without --object-info or --url: the server COMFYUI_URL names, else the
                          embedded local server (ComfyUI's core nodes)

Module (--to ts):
  --nodes-module PATH     import path of the generated factories (default ./comfy/nodes.js)
  --export-name NAME      name of the exported workflow (default: from FILE's name)

  --keep-unknown          keep node classes the catalog lacks as untyped nodes instead of failing
  --quiet                 no warnings on stderr
  --help                  this text

Exit codes: 0 ok · 2 usage error · 3 the file or catalog could not be read or converted ·
4 the server could not be reached.`;

interface Parsed {
  readonly file: string;
  readonly fileArg: string;
  readonly to: "ts" | "api" | "ui";
  readonly out: string | undefined;
  readonly outArg: string | undefined;
  readonly catalog: CatalogSource | undefined;
  readonly nodesModule: string;
  readonly exportName: string;
  readonly keepUnknown: boolean;
  readonly quiet: boolean;
}

function parse(argv: readonly string[], io: CommandIO): Parsed {
  const { values, positionals } = parseCommandArgs(argv, {
    "object-info": { type: "string" },
    url: { type: "string" },
    header: { type: "string", multiple: true },
    timeout: { type: "string" },
    to: { type: "string" },
    out: { type: "string", short: "o" },
    "nodes-module": { type: "string" },
    "export-name": { type: "string" },
    "keep-unknown": { type: "boolean" },
    quiet: { type: "boolean" },
  });
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "give the workflow FILE to import"
        : `unexpected argument "${positionals[1]}"`,
    );
  }
  const to = values.to ?? "ts";
  if (to !== "ts" && to !== "api" && to !== "ui")
    throw new UsageError(`--to must be ts, api or ui, got "${to}"`);
  const catalog = catalogSourceArgs(values, io);
  const fileArg = positionals[0]!;
  const exportName = values["export-name"] ?? exportNameOf(fileArg);
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName))
    throw new UsageError(`--export-name must be an identifier, got "${exportName}"`);
  return {
    file: resolve(io.cwd, fileArg),
    fileArg,
    to,
    out: values.out === undefined ? undefined : resolve(io.cwd, values.out),
    outArg: values.out,
    catalog,
    nodesModule: values["nodes-module"] ?? "./comfy/nodes.js",
    exportName,
    keepUnknown: values["keep-unknown"] === true,
    quiet: values.quiet === true,
  };
}

/**
 * A readable export name from the file's name: `011-comfy-templates-sdxl-refiner.json` →
 * `comfyTemplatesSdxlRefiner` (leading numbering dropped), `imported` when nothing is left.
 */
export function exportNameOf(file: string): string {
  const stem = basename(file, extname(file))
    .replace(/\.(api|ui|workflow)$/, "")
    .replace(/^[\d\W_]+/u, "");
  return camelName(stem) ?? "imported";
}

/** The editor document kept beside a module: `poster.ts` → `poster.editor.json`. */
export function editorDocumentPath(module: string): string {
  return module.replace(/\.(?:[cm]?[jt]s|tsx|jsx)$/, "") + ".editor.json";
}

async function run(p: Parsed, io: CommandIO): Promise<number> {
  const warn = (message: string) => {
    if (!p.quiet) io.stderr.write(`warning: ${message}\n`);
  };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(p.file);
  } catch (error) {
    io.stderr.write(`comfy-ts import: cannot read ${p.fileArg}: ${(error as Error).message}\n`);
    return ExitCode.input;
  }
  const source = basename(p.fileArg);
  const input = await readWorkflow(bytes, { source, onWarning: (w) => warn(w.message) });
  // A UI workflow stored in the file (a JSON, or an image's metadata) keeps its own layout for --to ui.
  const storedUi = p.to === "ui" ? input.workflow : undefined;
  if (storedUi) {
    return emit(p, io, `${stringifyJsonLossless(storedUi.raw, 2)}\n`, storedUi.nodes.length);
  }
  const needsCatalog = input.kind === "ui" || p.to !== "api";
  const note = (line: string) => {
    if (!p.quiet) io.stderr.write(`${line}\n`);
  };
  const loaded = needsCatalog ? await commandCatalog(p.catalog, io, note) : undefined;
  const catalog: NodeCatalog | undefined = loaded?.catalog;
  const unknownNodes = p.keepUnknown ? ("keep" as const) : ("error" as const);
  const onWarning = (w: { nodeId: string; message: string }) => warn(`node ${w.nodeId}: ${w.message}`);
  let prompt: ApiPrompt;
  let editor: EditorImport | undefined;
  if (input.kind === "api") prompt = input.prompt;
  else {
    if (p.to === "ts") {
      editor = importEditorWorkflow(input.workflow, catalog!, { source, unknownNodes, onWarning });
      prompt = editor.prompt;
    } else prompt = uiToApi(input.workflow, catalog!, { source, unknownNodes, onWarning });
    // The editor's default titles (the display names) add nothing to a module.
    if (p.to === "ts") {
      for (const node of Object.values(prompt)) {
        if (node._meta?.title === catalog!.nodes.get(node.class_type)?.displayName) delete node._meta;
      }
    }
  }

  assertAcyclicPrompt(prompt, source);
  let text: string;
  if (p.to === "api") {
    for (const [id, node] of Object.entries(prompt)) {
      for (const [name, value] of Object.entries(node.inputs)) {
        if (isApiLink(value) && !Object.hasOwn(prompt, value[0]))
          warn(
            `node ${id} (${node.class_type}): input "${name}" links to node ${value[0]}, which is not in the prompt (written as is; ComfyUI will refuse it)`,
          );
      }
    }
    text = `${stringifyPrompt(prompt, 2)}\n`;
  } else if (p.to === "ui")
    text = `${stringifyJsonLossless(apiToUi(prompt, catalog!, { source, unknownNodes, onWarning }), 2)}\n`;
  else {
    const missing = [...new Set(Object.values(prompt).map((n) => n.class_type))].filter(
      (c) => !catalog!.nodes.has(c),
    );
    if (missing.length > 0 && !p.keepUnknown) {
      const keep = `or pass --keep-unknown to write them as untyped node(...) calls${loaded?.embedded ? " (this was the embedded local server's catalog: pass --object-info FILE or --url URL for your server's)" : ""}`;
      const unreadable = catalog!.problems.filter((x) => missing.includes(x.classType));
      const absent = missing.filter((c) => !unreadable.some((x) => x.classType === c));
      if (absent.length > 0) {
        io.stderr.write(
          `comfy-ts import: ${source}: the catalog lacks ${absent.map((c) => `"${c}"`).join(", ")}: install those node ` +
            `packs and fetch /object_info again, ${keep}\n`,
        );
      }
      for (const x of unreadable) {
        io.stderr.write(
          `comfy-ts import: ${source}: the catalog has "${x.classType}", but its definition could not be read ` +
            `(${x.path ? `${x.path}: ` : ""}${x.message}): update or fix its node pack and fetch /object_info again, ${keep}\n`,
        );
      }
      return ExitCode.input;
    }
    const emitted = emitWorkflowModule(prompt, catalog!, {
      nodesModule: p.nodesModule,
      exportName: p.exportName,
      source,
      parameters: editor?.parameters ?? [],
      notes: editor?.notes ?? [],
    });
    for (const w of emitted.warnings) warn(w);
    text = emitted.text;
    // What the API format cannot hold (layout, groups, notes, primitives, control modes, muted nodes)
    // stays in the editor document beside the module; `comfy-ts export --to ui` writes the module onto it.
    const document = input.workflow;
    if (document && p.out) {
      const documentPath = editorDocumentPath(p.out);
      await writeOutput(documentPath, `${stringifyJsonLossless(document.raw, 2)}\n`);
      if (!p.quiet) {
        const kept = describeKeptInEditor(editor?.keptInEditor ?? []);
        io.stderr.write(
          `kept the editor layout in ${editorDocumentPath(p.outArg!)}${kept.length > 0 ? "; not in the module:" : ""}\n`,
        );
        for (const line of kept) io.stderr.write(`  ${line}\n`);
      }
    } else if (document) {
      warn(
        "the editor layout (positions, groups, notes, primitives, control modes) is not kept when the module goes to stdout: use -o FILE.ts",
      );
    }
  }

  return emit(p, io, text, Object.keys(prompt).length);
}

async function emit(p: Parsed, io: CommandIO, text: string, nodes: number): Promise<number> {
  if (!p.out) {
    io.stdout.write(text);
    return ExitCode.ok;
  }
  const written = await writeOutput(p.out, text);
  if (!p.quiet) io.stderr.write(`${written ? "wrote" : "unchanged"} ${p.outArg} (${nodes} nodes)\n`);
  return ExitCode.ok;
}

export const importCommand: Command = {
  name: "import",
  summary: "Import a ComfyUI workflow (API/UI JSON, PNG/WebP) as TypeScript, API or UI JSON",
  help: HELP,
  async run(argv, io) {
    const parsed = parse(argv, io);
    try {
      return await run(parsed, io);
    } catch (error) {
      return reportCatalogError("import", error, io, parsed.fileArg);
    }
  },
};

/** The failures import and export report as bad input (3) or an unreachable server (4). */
export function reportCatalogError(
  command: string,
  error: unknown,
  io: CommandIO,
  /** The input file as the user wrote it, for errors that cannot name it themselves. */
  file?: string,
): number {
  if (error instanceof JsonNestingError || error instanceof JsonCycleError) {
    io.stderr.write(`comfy-ts ${command}: ${file ? `${file}: ` : ""}${error.message}\n`);
    return ExitCode.input;
  }
  if (error instanceof WorkflowError) {
    io.stderr.write(`comfy-ts ${command}: ${error.message}\n`);
    return ExitCode.input;
  }
  if (error instanceof CodegenError) {
    if (io.signal.aborted) return ExitCode.interrupted;
    io.stderr.write(`comfy-ts ${command}: ${error.message}\n`);
    return codegenExitCode(error);
  }
  throw error;
}
