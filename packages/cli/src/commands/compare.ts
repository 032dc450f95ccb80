import { readFile, stat, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ComfyError } from "@comfy-ts/core/errors";
import {
  BUILT_IN_COMPARATORS,
  type Classified,
  type Comparison,
  classifyOutput,
  comparatorNamed,
  compareOutputs,
  describeChoice,
  encodePng,
  renderArtifacts,
  resolveTolerance,
} from "@comfy-ts/testing/node";
import { type Command, type CommandIO, ExitCode } from "../command.js";
import { usageError } from "../usage-error.js";

const comparatorLines = Object.values(BUILT_IN_COMPARATORS)
  .map((c) => {
    const options = Object.keys(c.options).map((name) => `--${kebab(name)}`);
    return `  ${c.name.padEnd(16)} ${c.description}${options.length ? `\n  ${"".padEnd(16)} ${options.join(", ")}` : ""}`;
  })
  .join("\n");

const HELP = `comfy-ts compare — compare two outputs of one kind as a golden test does

Usage: comfy-ts compare EXPECTED ACTUAL [--comparator NAME] [--OPTION VALUE]... [--diff FILE] [--json]

EXPECTED and ACTUAL are files of one kind: images (PNG, JPEG, WebP, GIF, BMP, TIFF), animations
(APNG, animated WebP, GIF), video (MP4, WebM), audio (FLAC, WAV, MP3, Opus), latents (safetensors),
or text (.txt). Without --comparator, the default of the kind decides (exact, except video: psnr
≥ 40 dB per frame, MP3/Opus/Vorbis: snr ≥ 30 dB). Options of the comparator are flags in kebab case
(maxDelta → --max-delta 2, includeAA → --include-aa false).

Comparators:
${comparatorLines}

Options:
  --comparator NAME  the comparator (default: the kind's)
  --diff FILE        write the difference: a PNG (diff picture, filmstrip with a diff row, waveforms,
                     latent channels) or, for text, a unified diff
  --json             print the result as JSON on stdout
  -h, --help         show this help

Exit codes: 0 same (within tolerance), 1 different, 2 usage, 3 an input is unreadable or corrupt.`;

function kebab(name: string): string {
  return name.replace(/([a-z])([A-Z]+)/g, (_m, a: string, b: string) => `${a}-${b.toLowerCase()}`);
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

interface Parsed {
  readonly files: string[];
  readonly comparator: string | undefined;
  readonly options: Record<string, number | boolean>;
  readonly diff: string | undefined;
  readonly json: boolean;
}

/** Flags: the fixed ones, then `--kebab-name value` options checked against the comparator's schema. */
function parse(argv: readonly string[]): Parsed | string {
  const files: string[] = [];
  const raw: [string, string][] = [];
  let comparator: string | undefined;
  let diff: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      files.push(arg);
      continue;
    }
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === "json") {
      json = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) return `--${flag} needs a value`;
    if (flag === "comparator") comparator = value;
    else if (flag === "diff") diff = value;
    else raw.push([flag, value]);
  }
  const options: Record<string, number | boolean> = {};
  const schema = comparator ? safeComparator(comparator)?.options : undefined;
  for (const [flag, value] of raw) {
    const name = flag === "include-aa" ? "includeAA" : camel(flag);
    const spec = schema?.[name];
    if (spec?.type === "boolean" || (!spec && (value === "true" || value === "false"))) {
      if (value !== "true" && value !== "false") return `--${flag} takes true or false, got "${value}"`;
      options[name] = value === "true";
    } else {
      const number = Number(value);
      if (value.trim() === "" || Number.isNaN(number)) return `--${flag} takes a number, got "${value}"`;
      options[name] = number;
    }
  }
  return { files, comparator, options, diff, json };
}

function safeComparator(name: string) {
  try {
    return comparatorNamed(name);
  } catch {
    return undefined;
  }
}

async function readInput(path: string, cwd: string): Promise<{ bytes: Uint8Array; classified: Classified }> {
  const full = resolve(cwd, path);
  const info = await stat(full).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(
      `cannot read ${path} (${error.code === "ENOENT" ? "no such file" : (error.code ?? error.message)})`,
    );
  });
  if (info.isDirectory()) throw new InputError(`${path} is a directory, not a file`);
  const bytes = new Uint8Array(await readFile(full));
  const classified = path.endsWith(".txt")
    ? { kind: "text" as const, format: "text" as const, extension: "txt" }
    : classifyOutput({ bytes, filename: path }, path);
  return { bytes, classified };
}

class InputError extends ComfyError {
  constructor(message: string) {
    super("ERR_COMPARE_INPUT", message);
  }
}

function summary(comparison: Comparison): string {
  switch (comparison.kind) {
    case "identical":
      return `same: identical ${comparison.via}`;
    case "kind-mismatch":
      return `different kinds: ${comparison.expected.kind} (${comparison.expected.format}) and ${comparison.actual.kind} (${comparison.actual.format})`;
    case "facts-mismatch":
      return `different: ${comparison.differences.map((d) => `${d.name} ${d.expected ?? "(none)"} → ${d.actual ?? "(none)"}`).join("; ")}`;
    case "compared": {
      const failing = comparison.units.filter((u) => !u.verdict.pass);
      const lines = (failing.length ? failing : comparison.units)
        .slice(0, 5)
        .map((u) => `  ${u.label ? `${u.label}: ` : ""}${u.verdict.summary}`);
      const head = comparison.pass ? "same within tolerance" : "different";
      return `${head} (${describeChoice(comparison.choice)}):\n${lines.join("\n")}${failing.length > 5 ? `\n  … and ${failing.length - 5} more` : ""}`;
    }
  }
}

/** `comfy-ts compare EXPECTED ACTUAL`: one golden comparison of two files, as a command. */
export const compareCommand: Command = {
  name: "compare",
  summary:
    "Compare two outputs of one kind (image, animation, video, audio, latent, text) as a golden test does",
  help: HELP,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const parsed = parse(argv);
    if (typeof parsed === "string") return usageError(io, "compare", parsed);
    if (parsed.files.length !== 2) {
      return usageError(io, "compare", `give two files, EXPECTED and ACTUAL (got ${parsed.files.length})`);
    }
    const [expectedPath, actualPath] = parsed.files as [string, string];
    if (parsed.comparator !== undefined) {
      // Flags are checked before any file is read.
      try {
        const comparator = comparatorNamed(parsed.comparator);
        for (const name of Object.keys(parsed.options)) {
          if (!(name in comparator.options)) {
            const known = Object.keys(comparator.options).map((o) => `--${kebab(o)}`);
            return usageError(
              io,
              "compare",
              `unknown option --${kebab(name)} for comparator "${comparator.name}"${known.length ? ` (its options: ${known.join(", ")})` : ""}`,
            );
          }
        }
      } catch (error) {
        return usageError(io, "compare", (error as Error).message);
      }
    }
    let sides: [Awaited<ReturnType<typeof readInput>>, Awaited<ReturnType<typeof readInput>>];
    try {
      sides = [await readInput(expectedPath, io.cwd), await readInput(actualPath, io.cwd)];
    } catch (error) {
      io.stderr.write(`comfy-ts compare: ${(error as Error).message}\n`);
      return ExitCode.input;
    }
    const [expected, actual] = sides;
    let choice: ReturnType<typeof resolveTolerance>;
    try {
      choice = resolveTolerance({
        kind: actual.classified.kind,
        format: actual.classified.format,
        project: undefined,
        environment: undefined,
        environmentKey: undefined,
        test: { ...(parsed.comparator ? { comparator: parsed.comparator } : {}), ...parsed.options } as never,
      });
    } catch (error) {
      return usageError(io, "compare", (error as Error).message);
    }
    let comparison: Comparison;
    try {
      comparison = await compareOutputs(
        { bytes: expected.bytes, source: expectedPath, classified: expected.classified },
        { bytes: actual.bytes, source: actualPath, classified: actual.classified },
        choice,
      );
    } catch (error) {
      io.stderr.write(`comfy-ts compare: ${(error as Error).message}\n`);
      return ExitCode.input;
    }
    const same = comparison.kind === "identical" || (comparison.kind === "compared" && comparison.pass);
    let diffWritten: string | undefined;
    if (parsed.diff && !same && comparison.kind !== "kind-mismatch") {
      const pictures = renderArtifacts(comparison.expected, comparison.actual);
      const data =
        pictures.textDiff ??
        (pictures.diff ? encodePng(pictures.diff, { compressLevel: 1, filter: "up" }) : undefined);
      if (data !== undefined) {
        await writeFile(resolve(io.cwd, parsed.diff), data);
        diffWritten = parsed.diff;
      }
    }
    if (parsed.json) {
      const units =
        comparison.kind === "compared"
          ? comparison.units.map((u) => ({ label: u.label, ...u.verdict }))
          : undefined;
      io.stdout.write(
        `${JSON.stringify({
          same,
          outcome: comparison.kind,
          kind: actual.classified.kind,
          comparator: describeChoice(choice),
          ...(comparison.kind === "identical" ? { via: comparison.via } : {}),
          ...(comparison.kind === "facts-mismatch" ? { differences: comparison.differences } : {}),
          ...(units ? { units } : {}),
          ...(diffWritten ? { diff: diffWritten } : {}),
        })}\n`,
      );
    } else {
      io.stdout.write(`${summary(comparison)}\n${diffWritten ? `diff: ${diffWritten}\n` : ""}`);
    }
    return same ? ExitCode.ok : ExitCode.failed;
  },
};
