import { readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { GenerateInput } from "@comfy-ts/codegen";
import { catalogSourceArgs } from "../../args/catalog-source-args.js";
import { parseCommandArgs } from "../../args/parse-command-args.js";
import { secondsOption } from "../../args/seconds-option.js";
import type { CommandCatalogSource } from "../../catalog/command-catalog.js";
import type { CommandIO } from "../../command.js";
import { UsageError } from "../../usage-error.js";

/** What one `comfy-ts codegen` invocation does, read from its arguments. */
export interface CodegenPlan {
  readonly source: CommandCatalogSource;
  /** The source as the command line gave it (`--url …` / `--input …` / `--local`). */
  readonly sourceArg: string;
  readonly out: string | undefined;
  readonly outArg: string | undefined;
  readonly check: boolean;
  readonly saveCatalog: string | undefined;
  readonly diffFrom: string | undefined;
  readonly diffPrevious: boolean;
  readonly json: boolean;
  readonly watch: boolean;
  readonly intervalMs: number;
  readonly quiet: boolean;
  readonly generate: GenerateInput;
}

const OPTIONS = {
  url: { type: "string" },
  input: { type: "string" },
  // The name `import` and `export` use for the same thing.
  "object-info": { type: "string" },
  local: { type: "boolean" },
  out: { type: "string" },
  check: { type: "boolean" },
  "save-catalog": { type: "string" },
  "diff-from": { type: "string" },
  diff: { type: "boolean" },
  json: { type: "boolean" },
  header: { type: "string", multiple: true },
  timeout: { type: "string" },
  watch: { type: "boolean" },
  interval: { type: "string" },
  "max-combo-values": { type: "string" },
  "file-input": { type: "string", multiple: true },
  "fixed-input": { type: "string", multiple: true },
  "file-values": { type: "string" },
  "comfyui-version": { type: "string" },
  "regenerate-command": { type: "string" },
  quiet: { type: "boolean" },
} as const;

/** Reads `comfy-ts codegen` arguments; throws `UsageError` for anything that does not fit. */
export function parseCodegenArgs(argv: readonly string[], io: CommandIO): CodegenPlan {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.input !== undefined && values["object-info"] !== undefined) {
    throw new UsageError("--input and --object-info name the same file: give one");
  }
  const input = values.input ?? values["object-info"];
  const sources = [values.url, input, values.local].filter((v) => v !== undefined).length;
  if (sources !== 1) {
    throw new UsageError(
      "give exactly one source: --url http://host:8188, --input object_info.json or --local (the embedded local server)",
    );
  }
  const diffPrevious = values.diff === true;
  if (!values.out && values["diff-from"] === undefined) {
    throw new UsageError("give --out DIR (where to write the factories) or --diff-from OLD.json");
  }
  if (diffPrevious && !values.out) throw new UsageError("--diff needs --out (the previous run's folder)");
  if (values.check && !values.out) throw new UsageError("--check needs --out");
  if (values.watch && values.url === undefined) throw new UsageError("--watch needs --url");
  if (values.watch && values.check) throw new UsageError("--watch and --check do not go together");
  if (values.interval !== undefined && !values.watch) throw new UsageError("--interval is for --watch");
  const fileValues = values["file-values"];
  if (fileValues !== undefined && fileValues !== "known" && fileValues !== "none") {
    throw new UsageError(`--file-values must be "known" or "none", got "${fileValues}"`);
  }
  const source: CommandCatalogSource = values.local
    ? { kind: "local" }
    : catalogSourceArgs({ ...values, "object-info": input }, io)!;
  const sourceArg =
    values.url !== undefined
      ? `--url ${values.url}`
      : values.local
        ? "--local"
        : `--input ${commandLinePath(io.cwd, input!)}`;
  const maxComboValues = integerOption("--max-combo-values", values["max-combo-values"], 200, 0);
  const typeFlags = [
    ...(values["max-combo-values"] !== undefined ? [`--max-combo-values ${maxComboValues}`] : []),
    ...(values["file-input"] ?? []).map((n) => `--file-input ${n}`),
    ...(values["fixed-input"] ?? []).map((n) => `--fixed-input ${n}`),
    ...(fileValues !== undefined ? [`--file-values ${fileValues}`] : []),
  ];
  const out = values.out !== undefined ? resolve(io.cwd, values.out) : undefined;
  const saveCatalog =
    values["save-catalog"] !== undefined ? resolve(io.cwd, values["save-catalog"]) : undefined;
  return {
    source,
    sourceArg,
    out,
    outArg: values.out,
    check: values.check === true,
    saveCatalog,
    diffFrom: values["diff-from"] !== undefined ? resolve(io.cwd, values["diff-from"]) : undefined,
    diffPrevious,
    json: values.json === true,
    watch: values.watch === true,
    intervalMs:
      values.interval === undefined
        ? 2000
        : secondsOption("--interval", values.interval, { wasMilliseconds: true }),
    quiet: values.quiet === true,
    generate: {
      maxComboValues,
      fileInputs: values["file-input"] ?? [],
      fixedInputs: values["fixed-input"] ?? [],
      ...(fileValues !== undefined ? { fileValues } : {}),
      comfyuiVersion: values["comfyui-version"] ?? "unknown",
      regenerateCommand:
        values["regenerate-command"] ??
        // --check compares the types, not where the catalog came from: keep the command the files record.
        (values.check && out ? recordedRegenerateCommand(out) : undefined) ??
        [
          "comfy-ts codegen",
          sourceArg,
          ...(values.out !== undefined ? [`--out ${commandLinePath(io.cwd, values.out)}`] : []),
          ...typeFlags,
        ].join(" "),
      ...(out && saveCatalog ? { catalogFile: toPosix(relative(out, saveCatalog)) } : {}),
    },
  };
}

function integerOption(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${flag} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

/**
 * A path as the generated header's regenerate command writes it: relative to the working directory
 * when inside it, else as it was typed — never an absolute path of this machine when avoidable, so
 * the committed header is the same on every checkout.
 */
function commandLinePath(cwd: string, path: string): string {
  const rel = relative(cwd, resolve(cwd, path));
  return toPosix(rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel);
}

/** The "Regenerate with:" command of the files already in `out`, if any. */
function recordedRegenerateCommand(out: string): string | undefined {
  try {
    const head = readFileSync(join(out, "nodes.d.ts"), "utf8").slice(0, 2000);
    return /^\/\/ Regenerate with: (.+)$/m.exec(head)?.[1];
  } catch {
    return undefined;
  }
}

function toPosix(path: string): string {
  return path.split("\\").join("/");
}
