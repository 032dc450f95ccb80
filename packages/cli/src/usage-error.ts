import type { CommandIO } from "./command.js";
import { ExitCode } from "./command.js";

/**
 * One line for a `node:util` `parseArgs` error, without its advice about `--` (which misleads for
 * a mistyped flag), plus the closest known option when there is one.
 */
export function parseArgsReason(error: unknown, options: readonly string[] = []): string {
  const e = error as { code?: string; message?: string };
  const message = String(e.message ?? error);
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'([^']+)'/.exec(message)?.[1] ?? "";
    const near = closest(flag.replace(/^-+/, "").split("=")[0] ?? "", options);
    return `unknown option ${flag}${near ? ` (did you mean --${near}?)` : ""}`;
  }
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    // "Option '--server <value>' argument missing" / "Option '--json' does not take an argument"
    const flag = /'(-[^' ]+)/.exec(message)?.[1];
    if (/argument missing/.test(message) && flag) return `${flag} needs a value`;
    if (/does not take an argument/.test(message) && flag) return `${flag} takes no value`;
  }
  if (e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const arg = /'([^']+)'/.exec(message)?.[1];
    if (arg) return `unexpected argument "${arg}"`;
  }
  return message.split(". To specify a positional")[0]!;
}

/** Writes `comfy-ts CMD: reason` and the `--help` hint to stderr; resolves to exit code 2. */
export function usageError(io: CommandIO, command: string, reason: string): number {
  io.stderr.write(`comfy-ts ${command}: ${reason}\nRun "comfy-ts ${command} --help" for the options.\n`);
  return ExitCode.usage;
}

function closest(name: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const option of options) {
    const d = distance(name, option);
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (flag names are short). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
