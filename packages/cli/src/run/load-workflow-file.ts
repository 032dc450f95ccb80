import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { ComfyError, isGraph, isNodeHandle, isOutput, isWorkflow, type NodeCatalog } from "@comfy-ts/core";
import { type RunInput, toPrompt } from "@comfy-ts/core/client";
import { readWorkflow, uiToApi } from "@comfy-ts/core/workflow";
import { displayPath } from "./display-path.js";

/** A file `comfy-ts run` cannot use, with what to do about it. */
export class RunInputError extends ComfyError {
  declare readonly code: "RUN_BAD_INPUT";
  constructor(message: string, options?: ErrorOptions) {
    super("RUN_BAD_INPUT", message, options);
  }
}

/** Where a UI workflow's conversion gets the node catalog (the server's `/object_info`). */
export type CatalogProvider = () => Promise<NodeCatalog>;

const MODULE_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".tsx", ".jsx"]);

export interface LoadOptions {
  /** The working directory: paths inside it are shown relative to it in messages. */
  readonly cwd?: string;
}

/**
 * Loads FILE: a TS/JS module exporting a workflow (default export, or `exportName`), an API prompt
 * JSON ("Save (API)"), a UI workflow JSON, or a PNG/WebP saved by ComfyUI. UI workflows are converted
 * with the server's `/object_info`, so they are resolved lazily, given the catalog's provider.
 */
export async function loadWorkflowFile(
  path: string,
  exportName: string | undefined,
  options: LoadOptions = {},
): Promise<{
  resolve(catalog: CatalogProvider): Promise<RunInput>;
  description: string;
}> {
  // Messages name the file as the user sees it: relative to the working directory when inside it.
  const shown = options.cwd === undefined ? path : displayPath(options.cwd, path);
  const ext = extname(path).toLowerCase();
  if (MODULE_EXTENSIONS.has(ext)) {
    const value = await importExport(path, shown, exportName);
    // Compiled here, before any server is contacted, so a workflow that throws is reported as the
    // author's error (with the line in their file), not as a failure of the run.
    const prompt = compileModuleExport(value.input, path, shown, value.description);
    return { resolve: async () => prompt, description: value.description };
  }
  if (exportName !== undefined)
    throw new RunInputError(`--export applies to TS/JS modules, but ${shown} is a ${ext || "data"} file`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new RunInputError(`cannot read ${shown}: ${(error as Error).message}`, { cause: error });
  }
  let read: Awaited<ReturnType<typeof readWorkflow>>;
  try {
    read = await readWorkflow(bytes, { source: shown });
  } catch (error) {
    throw new RunInputError((error as Error).message, { cause: error });
  }
  if (read.kind === "api")
    return { resolve: async () => read.prompt, description: `API prompt from ${shown}` };
  const workflow = read.workflow;
  return {
    description: `UI workflow from ${shown}`,
    resolve: async (catalog) => uiToApi(workflow, await catalog()),
  };
}

async function importExport(
  path: string,
  shown: string,
  exportName: string | undefined,
): Promise<{ input: RunInput; description: string }> {
  let mod: Record<string, unknown>;
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (found instanceof Error)
    throw new RunInputError(`cannot find ${shown} (${found.code ?? found.message})`, { cause: found });
  if (!found.isFile()) throw new RunInputError(`${shown} is not a file`);
  // Stack traces of the author's code (node call sites, errors) must name lines of their .ts file,
  // which needs tsx's source maps applied to stacks (the tsx CLI does this; an in-process caller may not).
  process.setSourceMapsEnabled(true);
  try {
    const { tsImport } = await import("tsx/esm/api");
    mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    throw moduleLoadError(path, shown, error);
  }
  try {
    return pickExport(mod, shown, exportName);
  } catch (error) {
    if (error instanceof RunInputError) throw error;
    // Reading an export can run the author's code (a getter, a Proxy): say where it threw.
    const at = userFrame(error, path, shown);
    throw new RunInputError(
      `${shown} threw while its exports were read: ${thrown(error)}` + (at ? `\n    at ${at}` : ""),
      { cause: error },
    );
  }
}

/** The export to run: `exportName`, else the default export, else the only runnable named export. */
function pickExport(
  mod: Record<string, unknown>,
  shown: string,
  exportName: string | undefined,
): { input: RunInput; description: string } {
  const named = Object.keys(mod).filter((k) => k !== "default" && k !== "module.exports");
  const all = [...named, ...(mod["default"] !== undefined ? ["default"] : [])];
  const runnable = (v: unknown) => isRunnable(v);
  let name = exportName;
  if (name === undefined) {
    if (runnable(unwrapDefault(mod["default"]))) name = "default";
    else {
      const candidates = named.filter((k) => runnable(mod[k]));
      if (candidates.length === 1) name = candidates[0]!;
      else {
        throw new RunInputError(
          candidates.length === 0
            ? `${shown} exports no workflow (exports: ${all.join(", ") || "none"}). Export one: \`export default workflow(() => …)\``
            : `${shown} exports several workflows (${candidates.join(", ")}); pick one with --export NAME`,
        );
      }
    }
  }
  const value = name === "default" ? unwrapDefault(mod["default"]) : mod[name];
  if (value === undefined) {
    throw new RunInputError(`${shown} has no export "${name}" (exports: ${all.join(", ") || "none"})`);
  }
  if (!runnable(value)) {
    throw new RunInputError(
      `export "${name}" of ${shown} is not a workflow, graph, output node or API prompt (got ${describe(value)})`,
    );
  }
  return {
    input: value as RunInput,
    description: `${name === "default" ? "default export" : `export "${name}"`} of ${shown}`,
  };
}

// tsx may wrap a CommonJS-style default once more.
function unwrapDefault(value: unknown): unknown {
  if (
    value &&
    typeof value === "object" &&
    "default" in value &&
    isRunnable((value as { default: unknown }).default)
  ) {
    return (value as { default: unknown }).default;
  }
  return value;
}

function isRunnable(value: unknown): boolean {
  if (isWorkflow(value) || isGraph(value) || isNodeHandle(value) || isOutput(value)) return true;
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => isNodeHandle(v) || isOutput(v));
  if (typeof value !== "object" || value === null) return false;
  const entries = Object.values(value);
  if (entries.length === 0) return false;
  const isApiNode = (v: unknown) =>
    typeof v === "object" && v !== null && typeof (v as { class_type?: unknown }).class_type === "string";
  return entries.every(isApiNode) || entries.every((v) => isNodeHandle(v) || isOutput(v));
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return "a function (wrap it with workflow(() => …))";
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return typeof value;
}

/** Why importing the user's module failed, in their terms: a missing package, a syntax error, or a throw. */
function moduleLoadError(path: string, shown: string, error: unknown): RunInputError {
  const e = error as NodeJS.ErrnoException;
  const message = String(e?.message ?? error);
  if (e?.code === "ERR_MODULE_NOT_FOUND") {
    const what = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
    return new RunInputError(
      `cannot load ${shown}: it imports ${what ? `"${what}"` : "a module"}, which cannot be found from there` +
        " (install the package in the project that holds the file, or fix the import path)",
      { cause: error },
    );
  }
  // esbuild's transform errors already say file:line:column.
  if (/^Transform failed/.test(message))
    return new RunInputError(`cannot load ${shown}: ${message}`, { cause: error });
  const at = userFrame(error, path, shown);
  return new RunInputError(
    `${shown} threw while it was imported: ${thrown(error)}${at ? `\n    at ${at}` : ""}`,
    { cause: error },
  );
}

/** What the author's code threw: `Name: message` for an Error, else the value itself. */
function thrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `a non-Error value: ${inspect(error, { depth: 2, breakLength: Number.POSITIVE_INFINITY })}`;
}

function compileModuleExport(input: RunInput, path: string, shown: string, description: string): RunInput {
  try {
    return toPrompt(input);
  } catch (error) {
    if (error instanceof ComfyError)
      throw new RunInputError(`${description}: ${error.message}`, { cause: error });
    const at = userFrame(error, path, shown);
    throw new RunInputError(
      `the workflow (${description}) threw while building its graph: ${thrown(error)}` +
        (at ? `\n    at ${at}` : ""),
      { cause: error },
    );
  }
}

/**
 * `file:line:column` of the first stack frame in the user's module at `path` (tsx maps lines to the
 * source), with the file written as `shown`.
 */
export function userFrame(error: unknown, path: string, shown = path): string | undefined {
  const stack = (error as { stack?: unknown })?.stack;
  if (typeof stack !== "string") return undefined;
  for (const line of stack.split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1]!.startsWith("file://") ? fileURLToPath(m[1]!.split("?")[0]!) : m[1]!;
    if (file === path) return `${shown}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
